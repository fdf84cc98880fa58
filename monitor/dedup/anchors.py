"""Anchors: a report's specific handles on its event (people's full names, street names).

A victim's or a suspect's full name ("Kevin Barbee") or the street a shooting happened
on ("Copeland Street") is shared by the reports of one event, however differently they
are worded, and rarely by two events of a few days. ``item_anchors`` finds them: full
names are name phrases of two words or more that are neither places nor officials (see
``text.names_and_numbers``), keyed by first and last word; streets are capitalised words
right before a street noun of the language. ``AnchorIndex`` keeps the anchors of each
active story and counts, in a fixed-size hashed table, how many stories ever held each
anchor, so that one held by many stories ("Main Street", a mayor) is no evidence.
``second_chance`` lets an item that joins no story on its scores join a candidate with
a lower score when they share a rare anchor and their dates agree.
Touches nothing.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from monitor.dedup.features import ItemFeatures
from monitor.dedup.lang import LanguageData
from monitor.dedup.rare import term_hash
from monitor.dedup.story import Story

_TOKEN = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*\.?")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_FREQ_BITS = 18
_FREQ_CAP = 0xFFFF
_STREET_WORDS = 2  # name words kept before a street noun ("Martin Luther King" -> "luther king")
_PLACE_USES = 1  # a word used as a place by more items than this makes no person's name
_MAX_ANCHORS = 32  # per item: a long page with many names is a roundup, not one event


def _full_names(feats: ItemFeatures, lang: LanguageData) -> set[str]:
    found: set[str] = set()
    for phrase in feats.phrases:
        if len(phrase) < 2 or all(w in feats.places for w in phrase):
            continue
        if any(w in lang.place_nouns or w in lang.name_roles or w.isdigit() for w in phrase):
            continue  # a place, or an official first in a sentence ("Spokesman Don Aaron said")
        found.add(sys.intern(f"n:{phrase[0]} {phrase[-1]}"))
    return found


def _streets(text: str, lang: LanguageData) -> set[str]:
    found: set[str] = set()
    if not lang.street_nouns:
        return found
    run: list[str] = []
    prev_end = 0
    for m in _TOKEN.finditer(text):
        raw = m.group()
        word = raw.rstrip(".").casefold()
        adjacent = not text[prev_end : m.start()].strip(" .")
        prev_end = m.end()
        if not adjacent:
            run = []
        if run and raw[0].isupper() and word in lang.street_nouns:
            found.add(sys.intern("s:" + " ".join(run[-_STREET_WORDS:])))
            run = []
            continue
        capital = raw[0].isupper() and word not in lang.stop_words
        if (capital and word not in lang.calendar_words) or _ORDINAL.match(word):
            run.append(word)
        else:
            run = []
    return found


def item_anchors(feats: ItemFeatures, title: str, body: str, lang: LanguageData) -> frozenset[str]:
    """The full names and streets of an item (``body``: its cleaned text)."""
    text = unicodedata.normalize("NFKC", title + "\n" + body[:6000])
    found = _full_names(feats, lang) | _streets(text, lang)
    if len(found) > _MAX_ANCHORS:
        return frozenset()
    return frozenset(found)


def without_places(anchors: frozenset[str], place_like: Callable[[str], bool]) -> frozenset[str]:
    """``anchors`` without the full names with a ``place_like`` word ("North Nashville",
    "West Columbus": a word other reports put after "in" is no person's)."""
    return frozenset(
        a for a in anchors if not a.startswith("n:") or not any(map(place_like, a[2:].split()))
    )


class AnchorIndex:
    """The anchors of the active stories, and how many stories ever held each one."""

    def __init__(self, bits: int = _FREQ_BITS) -> None:
        self._mask = (1 << bits) - 1
        self._counts = array("H", bytes(2 << bits))
        self._stories: dict[str, tuple[str, ...]] = {}  # (a tuple: a fraction of a set)
        self._places = array("H", bytes(2 << bits))  # items that used each word as a place

    def observe_places(self, places: Iterable[str]) -> None:
        """Count one item's place words ("in Nashville": see ``text.names_and_numbers``)."""
        for word in places:
            slot = term_hash(word) & self._mask
            if self._places[slot] < _FREQ_CAP:
                self._places[slot] += 1

    def of_item(
        self, feats: ItemFeatures, title: str, body: str, lang: LanguageData
    ) -> frozenset[str]:
        """The anchors of a new item (``body``: its cleaned text), full names only when no
        word of theirs is used as a place by other items; counts its place words."""
        found = without_places(item_anchors(feats, title, body, lang), self.place_like)
        self.observe_places(feats.places)
        return found

    def place_like(self, word: str) -> bool:
        """Whether other items used ``word`` as a place more than once."""
        return self._places[term_hash(word) & self._mask] > _PLACE_USES

    def count(self, anchor: str) -> int:
        """Stories that ever held ``anchor`` (hash collisions only overcount)."""
        return self._counts[term_hash(anchor) & self._mask]

    def add(self, story_id: str, anchors: Iterable[str]) -> None:
        """Record ``anchors`` of an item of ``story_id`` (each counted once per story)."""
        have = self._stories.get(story_id, ())
        new = frozenset(anchors).difference(have)
        if not new:
            return
        for anchor in new:
            slot = term_hash(anchor) & self._mask
            if self._counts[slot] < _FREQ_CAP:
                self._counts[slot] += 1
        self._stories[story_id] = have + tuple(new)

    def drop(self, story_id: str) -> None:
        """Forget an inactive story's anchors (its counts stay)."""
        self._stories.pop(story_id, None)

    def shared(self, story_id: str, anchors: frozenset[str], max_stories: int) -> list[str]:
        """``anchors`` the story holds that at most ``max_stories`` stories ever held."""
        have = self._stories.get(story_id)
        if not have:
            return []
        return sorted(a for a in anchors.intersection(have) if self.count(a) <= max_stories)

    def __len__(self) -> int:
        return len(self._stories)


@dataclass(frozen=True, slots=True)
class SecondChance:
    """When a shared rare anchor lets an item join a candidate story below the threshold."""

    min_score: float = 0.06  # the candidate's score must still reach this
    # an anchor another story held too is no evidence (GVA tune half, B-cubed F1 at 1 / 2
    # stories: 0.9123 / 0.9124, precision 0.9848 / 0.9842: equal F1, the more precise kept)
    max_stories: int = 1
    max_gap_days: float = 1.0  # and the item at most this far from the story, unless
    # weekday names in both date the same day


def second_chance(
    ranked: list[tuple[float, str, dict[str, float]]],
    anchors: frozenset[str],
    index: AnchorIndex,
    days: frozenset[int],
    stories: Mapping[str, Story],
    rule: SecondChance,
    tried: int,
) -> tuple[str, dict[str, float]] | None:
    """The first of the ``tried`` best candidates sharing a rare anchor with the item and
    agreeing on its date, with its scores; None when there is none."""
    if not anchors:
        return None
    for score, sid, scores in ranked[:tried]:
        if score < rule.min_score:
            break
        shared = index.shared(sid, anchors, rule.max_stories)
        if not shared:
            continue
        other = stories[sid].days
        if days and other:
            if days.isdisjoint(other):
                continue
        elif scores["gap_days"] > rule.max_gap_days:
            continue
        scores["anchors"] = float(len(shared))
        return sid, scores
    return None
