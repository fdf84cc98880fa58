"""Online same-event story clustering with exact and near-duplicate detection.

``StoryClusterer.add`` assigns each new item to a story: an exact duplicate
(same normalised text), a wire copy (MinHash-LSH on word shingles), an
independent report joining the best-scoring active story, or a new story.
Only stories sharing a key word with the item (inverted index) are scored, and
stories leave memory once their last item is older than the window, so the
cost of one ``add`` depends on the active window, not on the stream length.
An item that passes no story's threshold may still join a candidate it shares a rare
person's full name or street with on agreeing dates (see ``anchors``).
Existing stories are never merged online: ids stay stable.
A story that leaves the window stays ``dormant`` (see ``dormant``) for a longer
``horizon`` as a compact signature; an item that joins no active story revives
a dormant one on strong specific evidence (rare shared names, term overlap, a
date it spells out that names the story's first days: see ``revival``).
Pure: no I/O, no clock (time comes from the items). Touches nothing.
"""

from __future__ import annotations

import heapq
import math
import sys
from datetime import datetime, timedelta

from monitor.dedup.anchors import AnchorIndex, second_chance
from monitor.dedup.boiler import Boilerplate
from monitor.dedup.dates import mentioned_dates
from monitor.dedup.dormant import Dormant, DormantIndex, Evidence, dormant_scores, make_dormant
from monitor.dedup.features import DocFreq, ItemFeatures, featurize
from monitor.dedup.keys import KeyIndex
from monitor.dedup.lang import LanguageData, language_data
from monitor.dedup.near import NearDupIndex, Signature
from monitor.dedup.rare import RareNames, StoryFreq, rare_item_names, rare_story_names
from monitor.dedup.scoring import Scoring
from monitor.dedup.story import Story
from monitor.dedup.sums import FULL
from monitor.dedup.text import fold, shingles, text_digest
from monitor.types import Assignment, AssignmentKind, ClusterItem

_MIN_EXACT_WORDS = 8  # shorter texts ("en", "") say too little to call two items the same
_MIN_TERMS = 3  # an item with fewer content words ("en", "Video") starts its own story
_MIN_BODY_WORDS = 30  # copies compare bodies (headlines get rewritten) when there is one
_MAX_TRIED = 3  # best-ranked stories tried against their (rare-name adjusted) threshold
_DATE_CHARS = 3000  # dates this far into a body date the event, later ones other things

__all__ = ["Scoring", "StoryClusterer"]


class StoryClusterer:
    """Assigns items to stories online; memory bounded by ``window``."""

    def __init__(
        self,
        window: timedelta = timedelta(days=3),
        language: str = "en",
        *,
        scoring: Scoring | None = None,
        horizon: timedelta = timedelta(days=365),
    ) -> None:
        self.window = window
        # stories stay dormant (compact, revivable) until their last item is this old;
        # a horizon not longer than the window turns the dormant tier off
        self.horizon = horizon
        self.scoring = scoring or Scoring()
        self._lang: LanguageData = language_data(language)
        self._df = DocFreq()
        self._boiler = Boilerplate()
        self._near = NearDupIndex(self.scoring.copy_jaccard)
        self._stories: dict[str, Story] = {}
        self._keys = KeyIndex()  # key word -> active stories holding it
        self._item_story: dict[str, str] = {}
        self._item_root: dict[str, str] = {}
        self._item_title: dict[str, tuple[str, ...]] = {}  # distinct headline words
        self._exact: dict[bytes, str] = {}  # text digest -> first item
        self._item_hash: dict[str, bytes] = {}
        self._expiry: list[tuple[datetime, str]] = []
        self._item_expiry: list[tuple[datetime, str]] = []
        self._watermark: datetime | None = None
        self._story_freq = StoryFreq()
        self._dormant = DormantIndex()
        self._revived: dict[str, Dormant] = {}  # active stories that were dormant once
        self._anchors = AnchorIndex()
        self._last_item: ClusterItem | None = None  # and whether it is ``_informative``
        self._last_informative = False

    # ------------------------------------------------------------ public API

    def add(self, item: ClusterItem) -> Assignment:
        """Assign ``item`` to a story and remember it."""
        self._advance(item.published)
        digest = text_digest(item.title, item.text)
        exact_of = self._exact.get(digest) if self._informative(item) else None
        if exact_of is not None:
            root = self._item_root.get(exact_of, exact_of)
            story = self._stories[self._item_story[exact_of]]
            self._attach(item, story, digest, root, None)
            return Assignment(item.id, story.id, "exact", root, {"exact": 1.0})
        sig = self._near.signature(_copy_shingles(item))
        title_words = _title_words(item.title)
        copy = self._find_copy(sig, title_words) if self._informative(item) else None
        if copy is not None:
            jac, other = copy
            root = self._item_root.get(other, other)
            story = self._stories[self._item_story[other]]
            self._attach(item, story, digest, root, None)
            self._near.insert(item.id, sig)
            self._item_title[item.id] = tuple(title_words)
            return Assignment(item.id, story.id, "copy", root, {"jaccard": round(jac, 4)})
        body = self._boiler.clean(item.text)
        feats = featurize(item, self._lang, self._df, body)
        anchors = self._anchors.of_item(feats, item.title, body, self._lang)
        best, scores = self._best_story(item, feats, anchors)
        if best is not None and len(feats.words) >= _MIN_TERMS:
            kind: AssignmentKind = "join"
            story = best
        elif len(feats.words) >= _MIN_TERMS and (found := self._match_dormant(item, feats, body)):
            kind = "join"
            story = self._revive(found.story)
            scores = dormant_scores(found, item.published)
        else:
            kind = "new"
            story = self._new_story(item)
        self._attach(item, story, digest, None, feats, anchors)
        self._near.insert(item.id, sig)
        self._item_title[item.id] = tuple(title_words)
        return Assignment(item.id, story.id, kind, None, scores)

    def restore(self, item: ClusterItem, assignment: Assignment) -> None:
        """Re-insert ``item`` under its stored assignment (ids unchanged)."""
        self._advance(item.published)
        story = self._stories.get(assignment.story_id)
        if story is None and (dormant := self._dormant.pop(assignment.story_id)):
            story = self._revive(dormant)
        if story is None:
            story = Story(assignment.story_id, item.published, item.published)
            self._stories[story.id] = story
        digest = text_digest(item.title, item.text)
        root = assignment.duplicate_of if assignment.kind in ("copy", "exact") else None
        feats = None
        anchors: frozenset[str] = frozenset()
        if assignment.kind in ("new", "join"):
            body = self._boiler.clean(item.text)
            feats = featurize(item, self._lang, self._df, body)
            anchors = self._anchors.of_item(feats, item.title, body, self._lang)
        self._attach(item, story, digest, root, feats, anchors)
        if assignment.kind != "exact":
            self._near.insert(item.id, self._near.signature(_copy_shingles(item)))
            self._item_title[item.id] = tuple(_title_words(item.title))

    def expire(self, now: datetime) -> None:
        """Drop stories whose last item is older than ``now - window``.

        Items older than the window are forgotten too (as copy/exact targets),
        even when their story lives on, so memory follows the window.
        """
        cutoff = now - self.window
        while self._item_expiry and self._item_expiry[0][0] < cutoff:
            _, item_id = heapq.heappop(self._item_expiry)
            self._forget(item_id)
        self._drop_before(cutoff)
        self._dormant.expire(now - self.horizon)

    def shrink(self, max_items: int, max_dormant: int = 0) -> None:
        """Keep the window within a memory budget (0: no limit).

        Past ``max_items`` remembered items the window's start moves forward: the
        oldest items are forgotten until 90 % are left, and stories whose last item is
        older than the last one forgotten leave the window (dormant, as at the end of
        ``window``). Past ``max_dormant`` dormant stories the oldest are forgotten.
        Only a stream far denser than the budget is affected: its window gets shorter.
        """
        if max_items and len(self._item_story) > max_items:
            keep = max_items * 9 // 10
            cutoff: datetime | None = None
            while self._item_expiry and (
                len(self._item_story) > keep or self._item_expiry[0][0] == cutoff
            ):  # items at the same time as the last one forgotten go too
                cutoff, item_id = heapq.heappop(self._item_expiry)
                self._forget(item_id)
            if cutoff is not None:
                self._drop_before(cutoff + timedelta(microseconds=1))
        if max_dormant:
            self._dormant.trim(max_dormant)

    def __len__(self) -> int:
        """Number of active stories."""
        return len(self._stories)

    @property
    def active_items(self) -> int:
        """Number of items remembered in the active window."""
        return len(self._item_story)

    @property
    def dormant_stories(self) -> int:
        """Number of stories kept as compact signatures beyond the window."""
        return len(self._dormant)

    def restore_since(self, now: datetime) -> datetime:
        """Oldest publication time whose items ``restore`` needs to rebuild the state at ``now``
        (the dormant horizon: older items are restored into dormant stories)."""
        return now - max(self.window, self.horizon)

    # ------------------------------------------------------------ internals

    def _advance(self, when: datetime) -> None:
        if self._watermark is None or when > self._watermark:
            self._watermark = when
            self.expire(when)

    def _informative(self, item: ClusterItem) -> bool:
        if item is not self._last_item:  # asked up to three times per item
            self._last_item = item
            # the words of title and text apart (both folded already for the item's hash) are
            # those of the two joined by a space
            words = len(fold(item.title).split()) + len(fold(item.text).split())
            self._last_informative = words >= _MIN_EXACT_WORDS
        return self._last_informative

    def _find_copy(self, sig: Signature, title_words: frozenset[str]) -> tuple[float, str] | None:
        for jac, other in self._near.query(sig):
            other_title = self._item_title.get(other, ())
            union = len(title_words.union(other_title))
            overlap = len(title_words.intersection(other_title)) / union if union else 1.0
            if overlap >= self.scoring.copy_title_overlap and other in self._item_story:
                return jac, other
        return None

    def _best_story(
        self, item: ClusterItem, feats: ItemFeatures, anchors: frozenset[str] = frozenset()
    ) -> tuple[Story | None, dict[str, float]]:
        """The story to join (None: none passes) and the deciding scores.

        The best-ranked stories are tried in order: one passes with a score
        over the threshold and specific evidence (shared headline words or
        names); each person's name (not a place, not an official: see
        ``rare``) it shares with the item that few stories ever contained
        lowers the threshold by ``rare_name_discount`` of itself (two at most).
        When none passes, one sharing a rare anchor may (``anchors.second_chance``).
        """
        sc = self.scoring
        ranked = self._rank(item, feats)
        if not ranked:
            return None, {"score": 0.0, "candidates": 0.0}
        floor = sc.threshold * (1.0 - 2 * sc.rare_name_discount) * (1.0 - sc.date_agree_discount)
        rare: RareNames | None = None
        chosen = None
        for score, sid, scores in ranked[:_MAX_TRIED]:
            if score < floor:
                break
            if rare is None:
                rare = rare_item_names(item, feats, self._story_freq, self._df)
            story = self._stories[sid]
            shared = rare.people(w for w in rare.words if story.has_name(w))
            scores["rare_names"] = float(shared)
            bar = sc.threshold * (1.0 - sc.rare_name_discount * min(shared, 2))
            if feats.days and story.days:
                agree = not feats.days.isdisjoint(story.days)
                scores["same_day"] = 1.0 if agree else -1.0
                bar *= 1.0 - sc.date_agree_discount if agree else 1.0 + sc.date_conflict_penalty
            specific = max(scores["title"], scores["names"])
            if score >= bar and (specific >= sc.min_specific or shared > 0):
                chosen = sid, scores
                break
        if chosen is None and sc.second_chance is not None:
            chosen = second_chance(
                ranked,
                anchors,
                self._anchors,
                feats.days,
                self._stories,
                sc.second_chance,
                _MAX_TRIED,
            )
        sid, scores = chosen or (ranked[0][1], ranked[0][2])
        scores = {k: round(v, 4) for k, v in scores.items()}
        scores["runner_up"] = round(ranked[1][0], 4) if len(ranked) > 1 else 0.0
        scores["candidates"] = float(len(ranked))
        return (self._stories[sid] if chosen else None), scores

    def _rank(
        self, item: ClusterItem, feats: ItemFeatures
    ) -> list[tuple[float, str, dict[str, float]]]:
        """Candidate stories in the window with their scores, best first."""
        sc = self.scoring
        ranked: list[tuple[float, str, dict[str, float]]] = []
        for sid in self._keys.candidates(feats.keys):
            story = self._stories[sid]
            gap = story.gap_days(item.published)
            if gap > self.window.total_seconds() / 86400.0:
                continue
            full = story.full_similarity(feats)  # the rank needs only this cosine
            decay = math.exp(-(gap * gap) / (2.0 * sc.sigma_days**2))
            score = full * decay
            scores = {"similarity": full, "gap_days": gap, "time": decay, "score": score}
            ranked.append((score, sid, scores))
        ranked.sort(key=lambda r: (-r[0], r[1]))
        for _, sid, scores in ranked[:_MAX_TRIED]:  # only these are tried or reported
            story = self._stories[sid]
            t, b, n = story.part_similarities(feats)
            scores.update(story_items=float(story.independent), title=t, body=b, names=n)
        return ranked

    def _new_story(self, item: ClusterItem) -> Story:
        sid = f"s-{item.id}"
        n = 1
        # the same id seen twice: keep ids distinct and stable (dormant ones too)
        while sid in self._stories or sid in self._dormant:
            n += 1
            sid = f"s-{item.id}-{n}"
        story = Story(sid, item.published, item.published)
        self._stories[sid] = story
        return story

    def _attach(
        self,
        item: ClusterItem,
        story: Story,
        digest: bytes,
        root: str | None,
        feats: ItemFeatures | None,
        anchors: frozenset[str] = frozenset(),
    ) -> None:
        story.touch(item.published)
        heapq.heappush(self._item_expiry, (item.published, item.id))
        self._boiler.observe(item.text, story.id)
        self._item_story[item.id] = story.id
        if root is not None:
            self._item_root[item.id] = root
        if self._informative(item):
            self._exact.setdefault(digest, item.id)
            self._item_hash[item.id] = digest
        if feats is not None:
            self._story_freq.add(
                w for w in feats.names if not w.startswith("#") and not story.has_name(w)
            )
            new_keys = set(feats.keys).difference(story.keys)
            story.absorb(feats)
            self._anchors.add(story.id, anchors)
            self._keys.add(story.id, new_keys)
            dropped = story.trim()
            if dropped:
                self._keys.remove(story.id, dropped)
        if story.items == 1:  # a story's one expiry entry, moved on when it comes up early
            heapq.heappush(self._expiry, (story.last, story.id))

    def _drop_before(self, cutoff: datetime) -> None:
        """Drop (to dormant) the stories whose last item is older than ``cutoff``."""
        while self._expiry and self._expiry[0][0] < cutoff:
            last, sid = heapq.heappop(self._expiry)
            story = self._stories.get(sid)
            if story is None:
                continue
            if story.last != last:  # it moved on: it comes up again at its last item
                heapq.heappush(self._expiry, (story.last, sid))
                continue
            self._drop(story)

    def _forget(self, item_id: str) -> None:
        self._item_story.pop(item_id, None)
        self._item_root.pop(item_id, None)
        self._item_title.pop(item_id, None)
        digest = self._item_hash.pop(item_id, None)
        if digest is not None and self._exact.get(digest) == item_id:
            del self._exact[digest]
        self._near.remove(item_id)

    def _drop(self, story: Story) -> None:
        self._keys.remove(story.id, story.keys)
        del self._stories[story.id]
        self._anchors.drop(story.id)
        earlier = self._revived.pop(story.id, None)
        if self.horizon > self.window:
            dormant = make_dormant(
                story.id,
                story.first,
                story.last,
                rare_story_names(story, self._story_freq, self._df),
                story.sums.items(FULL),
                earlier,
            )
            if dormant is not None:
                self._dormant.add(dormant)

    def _match_dormant(self, item: ClusterItem, feats: ItemFeatures, body: str) -> Evidence | None:
        if not len(self._dormant):
            return None
        rare = rare_item_names(item, feats, self._story_freq, self._df)
        text = item.title + "\n" + body[:_DATE_CHARS]
        dates = mentioned_dates(text, item.published.date(), self._lang)
        return self._dormant.match(rare, feats.full, item.published, dates, self.scoring.revival)

    def _revive(self, dormant: Dormant) -> Story:
        """Make a dormant story active again (same id); its signature is kept for later."""
        self._dormant.pop(dormant.id)
        story = Story(dormant.id, dormant.first, dormant.last)
        self._stories[story.id] = story
        self._revived[story.id] = dormant
        return story  # (its expiry entry comes with its first item: ``_attach``)


def _title_words(title: str) -> frozenset[str]:
    """Distinct folded headline words (interned: many items share them)."""
    return frozenset(sys.intern(w) for w in fold(title).split())


def _copy_shingles(item: ClusterItem) -> set[bytes]:
    """Shingles for copy detection: the body, or headline and body when the body is short."""
    if len(fold(item.text).split()) >= _MIN_BODY_WORDS:
        return shingles(item.text)
    return shingles(item.title + "\n" + item.text)
