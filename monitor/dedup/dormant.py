"""Dormant stories: compact signatures of stories that left the active window.

Follow-up reports (an arrest, a funeral, a trial) often come weeks after an
event, long after its story left the active window. When a story expires it
is kept here, for a longer horizon, as a few hundred bytes: hashes of its
rare names (people, streets, towns: capitalised words seen in few stories),
hashes and byte-quantised weights of its top terms, and its time span. A new
item that joins no active story may revive a dormant one, but only on strong
specific evidence (the rule is ``revival``): a name that few stories ever contained
(see ``rare``) and that is a person's (not only places), and a term overlap with the
story's top terms, a smaller one when two or more such names are shared; or a date
the item spells out that falls on the story's first days (stories are indexed by
the day of their first item too).
Touches nothing.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.dedup.nametable import NameTable
from monitor.dedup.rare import RareNames, term_hash
from monitor.dedup.revival import Revival, dated, passes

_MAX_NAMES = 16  # rare names kept per dormant story
_TOP_TERMS = 32  # weighted top terms kept per dormant story
_MIN_SHARED = 2  # rare names a story needs to be kept dormant at all
_RULE = Revival()


@dataclass(slots=True, eq=False)
class Dormant:
    """A story out of the active window: ids, span and a compact signature.

    ``hashes`` holds the rare names (``headline`` of them first: those seen in
    the story's headlines), then the top terms; ``weights`` the top terms'
    weights as bytes (1..255, scaled to the largest).
    """

    id: str
    first: datetime
    last: datetime
    hashes: array[int]
    names: int
    headline: int
    weights: bytes
    slot: int = -1  # its number in the index's name table

    def name_hashes(self) -> array[int]:
        return self.hashes[: self.names]

    def term_weights(self) -> dict[int, float]:
        """The top terms as an L2-normalised sparse vector keyed by term hash."""
        terms = self.hashes[self.names :]
        norm = math.sqrt(sum(w * w for w in self.weights)) or 1.0
        return {h: w / norm for h, w in zip(terms, self.weights, strict=True)}


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an item revived a dormant story (reported as the join's scores)."""

    story: Dormant
    shared: int
    headline: bool
    cosine: float
    on_date: bool = False  # the item dates the story's first days (see ``revival``)


def make_dormant(
    story_id: str,
    first: datetime,
    last: datetime,
    names: Iterable[tuple[str, bool]],
    full: Mapping[str, float] | Iterable[tuple[str, float]],
    earlier: Dormant | None = None,
) -> Dormant | None:
    """The signature of a story; None when it has too few rare names to ever be revived.

    ``names``: the story's rare names with whether each was in a headline,
    rarest first; ``full``: its summed full vector (or its (term, weight) pairs);
    ``earlier``: its signature from a former dormant spell.
    """
    picked: dict[int, bool] = {}
    if earlier is not None:
        old = earlier.name_hashes()
        for i, h in enumerate(old):
            picked[h] = i < earlier.headline
    for word, in_title in names:
        if len(picked) >= _MAX_NAMES:
            break
        h = term_hash(word)
        picked[h] = picked.get(h, False) or in_title
    if len(picked) < _MIN_SHARED:
        return None
    pairs = full.items() if isinstance(full, Mapping) else full
    top = heapq.nlargest(_TOP_TERMS, pairs, key=lambda kv: (kv[1], kv[0]))
    vec: dict[int, float] = {}
    for word, weight in top:
        vec[term_hash(word)] = weight
    if earlier is not None:  # keep what the story was about before, at half weight
        for h, w in earlier.term_weights().items():
            vec[h] = vec.get(h, 0.0) + 0.5 * w * (top[0][1] if top else 1.0)
        vec = dict(heapq.nlargest(_TOP_TERMS, vec.items(), key=lambda kv: (kv[1], kv[0])))
    peak = max(vec.values(), default=0.0)
    if peak <= 0.0:
        return None
    ordered = sorted(picked.items(), key=lambda kv: not kv[1])  # headline names first
    hashes = array("I", [h for h, _ in ordered])
    hashes.extend(vec.keys())
    weights = bytes(max(1, min(255, round(255 * w / peak))) for w in vec.values())
    headline = sum(1 for _, t in ordered if t)
    if earlier is not None:
        first = min(first, earlier.first)
    return Dormant(story_id, first, last, hashes, len(ordered), headline, weights)


class DormantIndex:
    """Dormant stories by id, an inverted index on their rare names, expiry by age."""

    def __init__(self) -> None:
        self._stories: dict[str, Dormant] = {}
        # rare name hash -> slot numbers of the dormant stories holding it
        self._names = NameTable()
        self._slots: list[Dormant | None] = []
        self._free: list[int] = []
        # day of the first item (``date.toordinal``) -> slots of the stories that began then
        self._days: dict[int, set[int]] = {}
        self._queue: deque[Dormant] = deque()  # in the order stories fell dormant

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._stories

    def add(self, dormant: Dormant) -> None:
        """Keep ``dormant`` (replacing a former entry with the same id)."""
        self.pop(dormant.id)
        if self._free:
            dormant.slot = self._free.pop()
            self._slots[dormant.slot] = dormant
        else:
            dormant.slot = len(self._slots)
            self._slots.append(dormant)
        self._stories[dormant.id] = dormant
        self._queue.append(dormant)
        for h in dormant.name_hashes():
            self._names.add(h, dormant.slot)
        self._days.setdefault(dormant.first.date().toordinal(), set()).add(dormant.slot)

    def pop(self, story_id: str) -> Dormant | None:
        """Remove and return the dormant story ``story_id`` (revived or expired)."""
        dormant = self._stories.pop(story_id, None)
        if dormant is None:
            return None
        for h in dormant.name_hashes():
            self._names.remove(h, dormant.slot)
        self._slots[dormant.slot] = None
        self._free.append(dormant.slot)
        day = dormant.first.date().toordinal()
        began = self._days.get(day)
        if began is not None:
            began.discard(dormant.slot)
            if not began:
                del self._days[day]
        return dormant

    def expire(self, cutoff: datetime) -> None:
        """Forget dormant stories whose last item is older than ``cutoff``."""
        queue = self._queue
        while queue and queue[0].last < cutoff:
            dormant = queue.popleft()
            if self._stories.get(dormant.id) is dormant:
                self.pop(dormant.id)
        self._compact()

    def trim(self, max_count: int) -> None:
        """Forget the stories that fell dormant first until at most ``max_count`` are left."""
        queue = self._queue
        while queue and len(self._stories) > max_count:
            dormant = queue.popleft()
            if self._stories.get(dormant.id) is dormant:
                self.pop(dormant.id)
        self._compact()

    def _compact(self) -> None:
        """Drop the queue's stale entries (stories revived since, each keeping its whole
        signature alive) once they are a fifth of it: a rebuild per n/4 revivals at most."""
        if len(self._queue) > len(self._stories) * 5 // 4 + 64:
            self._queue = deque(d for d in self._queue if self._stories.get(d.id) is d)

    @property
    def queued(self) -> int:
        """Entries of the expiry queue, stale ones included (see ``_compact``)."""
        return len(self._queue)

    def match(
        self,
        names: RareNames,
        full: Mapping[str, float],
        when: datetime | None = None,
        dates: frozenset[int] = frozenset(),
        rule: Revival = _RULE,
    ) -> Evidence | None:
        """The dormant story an item with rare ``names``, term vector ``full``, published
        ``when`` and naming ``dates`` belongs to, if the evidence passes ``rule``."""
        if not (names.words or dates) or not self._stories:
            return None
        shared: dict[str, tuple[Dormant, list[str]]] = {}
        for word in names.words:
            for slot in self._names.get(term_hash(word)):
                d = self._slots[slot]
                if d is not None:
                    shared.setdefault(d.id, (d, []))[1].append(word)
        for d in self._dated(dates, rule):
            shared.setdefault(d.id, (d, []))
        best: Evidence | None = None
        hashed: dict[int, float] | None = None
        for d, words in shared.values():
            on_date = dated(dates, d.first, rule)
            people = names.people(words)
            if people < 1 and not on_date:
                continue  # a town and its hospital can be shared by two events
            n = names.entities(words)
            if hashed is None:
                hashed = {term_hash(w): v for w, v in full.items()}
            sig = d.term_weights()
            cos = sum(v * hashed.get(h, 0.0) for h, v in sig.items())
            silence = when - d.last if when is not None else timedelta(0)
            if not passes(rule, people, n, cos, on_date, silence):
                continue
            headline = not names.headline.isdisjoint(words) or self._story_headline(d, words)
            if best is None or (on_date, cos, d.id) > (best.on_date, best.cosine, best.story.id):
                best = Evidence(d, n, headline, cos, on_date)
        return best

    def _dated(self, dates: frozenset[int], rule: Revival) -> list[Dormant]:
        """The stories whose first days ``dates`` name (none when more than
        ``rule.max_dated`` did: the cost of a match stays bounded)."""
        found: list[Dormant] = []
        for day in dates:
            for first in range(day, day + rule.date_slack_days + 1):
                for slot in self._days.get(first, ()):
                    d = self._slots[slot]
                    if d is not None:
                        found.append(d)
            if len(found) > rule.max_dated:
                return []
        return found

    @staticmethod
    def _story_headline(d: Dormant, words: Iterable[str]) -> bool:
        """Whether a shared name was in one of the dormant story's headlines."""
        heads = set(d.hashes[: d.headline])
        return any(term_hash(w) in heads for w in words)


def dormant_scores(found: Evidence, when: datetime) -> dict[str, float]:
    """The deciding scores of a join that revived a dormant story."""
    gap = (when - found.story.last).total_seconds() / 86400.0
    return {
        "dormant": 1.0,
        "rare_names": float(found.shared),
        "headline_name": 1.0 if found.headline else 0.0,
        "similarity": round(found.cosine, 4),
        "gap_days": round(gap, 4),
        "score": round(found.cosine, 4),
        **({"dated": 1.0} if found.on_date else {}),
    }
