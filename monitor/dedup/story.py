"""One active story: its items, time span and summed term vectors.

Plain mutable state owned by ``StoryClusterer``; the sums live in ``sums.TermSums``.
Touches nothing.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import mul

from monitor.dedup.features import ItemFeatures
from monitor.dedup.sums import BODY, FULL, NAMES, ORDER, TITLE, TermSums

# A story's sums keep its MAX_TERMS heaviest terms and its MAX_KEYS heaviest key words
# (pruned once 5/4 of that is reached): a story followed for months absorbs new names with
# every report, and its memory would follow its history rather than the window. GVA's
# largest stories reach 1,065 terms and 133 key words; every GVA assignment's B-cubed
# figures are the same with caps of 768 / 192, 256 / 96 and 128 / 48.
MAX_TERMS = 256
MAX_KEYS = 96


@dataclass(slots=True)
class Story:
    """An active story; vectors are sums of its independent items' vectors."""

    id: str
    first: datetime
    last: datetime
    items: int = 0
    # summed headline, body, names and full vectors (parts ``TITLE`` ... ``FULL``)
    sums: TermSums = field(default_factory=TermSums)
    # key words in first-seen order; a tuple costs a fraction of a set per story
    keys: tuple[str, ...] = ()
    independent: int = 0
    squares: array[float] = field(default_factory=lambda: array("d", bytes(32)))
    # days its items' weekday names point to (see ``text.event_days``)
    days: frozenset[int] = frozenset()

    def touch(self, when: datetime) -> None:
        """Record an item (any kind) at ``when``."""
        self.items += 1
        self.first = min(self.first, when)
        self.last = max(self.last, when)

    def absorb(self, feats: ItemFeatures) -> None:
        """Add an independent item's vectors to the story's sums."""
        sums = self.sums
        vecs = (feats.title, feats.body, feats.names, feats.full)
        for part in ORDER:
            vec = vecs[part]
            # |s + v|^2 = |s|^2 + 2 s.v + |v|^2, so the norm costs O(|v|), not O(|s|)
            values = vec.values()  # (|v|^2 term by term as dot(vec, vec) sums it)
            self.squares[part] += 2.0 * sums.dot(part, vec) + sum(map(mul, values, values))
            sums.add(part, vec)
        have = set(self.keys)
        self.keys += tuple(k for k in dict.fromkeys(feats.keys) if k not in have)
        self.independent += 1
        if feats.days:
            self.days = self.days | feats.days

    def trim(self) -> tuple[str, ...]:
        """Prune the sums and key words past their caps (``MAX_TERMS``, ``MAX_KEYS``),
        keeping the heaviest in the full sum; returns the key words dropped."""
        if self.sums.size(FULL) > MAX_TERMS * 5 // 4:
            heaviest = sorted(self.sums.items(FULL), key=lambda kv: (-kv[1], kv[0]))
            self.sums = self.sums.restricted({t for t, _ in heaviest[:MAX_TERMS]})
            for part in ORDER:
                values = [v for _, v in self.sums.items(part)]
                self.squares[part] = sum(map(mul, values, values))
        if len(self.keys) <= MAX_KEYS * 5 // 4:
            return ()
        weight = dict(self.sums.items(FULL))
        ranked = sorted(self.keys, key=lambda k: (-weight.get(k, 0.0), k))
        kept = set(ranked[:MAX_KEYS])
        dropped = tuple(k for k in self.keys if k not in kept)
        self.keys = tuple(k for k in self.keys if k in kept)
        return dropped

    def centroid_similarity(self, feats: ItemFeatures) -> tuple[float, float, float, float]:
        """Cosine of the item's title, body, names and full vectors with the story's sums."""
        return (*self.part_similarities(feats), self.full_similarity(feats))

    def full_similarity(self, feats: ItemFeatures) -> float:
        """Cosine of the item's full vector with the story's (what ranks the stories)."""
        return self._cos(FULL, feats.full)

    def part_similarities(self, feats: ItemFeatures) -> tuple[float, float, float]:
        """Cosines of the item's title, body and names vectors with the story's sums."""
        return (
            self._cos(TITLE, feats.title),
            self._cos(BODY, feats.body),
            self._cos(NAMES, feats.names),
        )

    def has_name(self, word: str) -> bool:
        """Whether an item of the story had ``word`` among its names (or numbers: "#12")."""
        return self.sums.contains(NAMES, word)

    def has_title_term(self, word: str) -> bool:
        """Whether ``word`` was a term of one of the story's headlines."""
        return self.sums.contains(TITLE, word)

    def gap_days(self, when: datetime) -> float:
        """Days between ``when`` and the story's span (0 inside it)."""
        if when < self.first:
            return (self.first - when).total_seconds() / 86400.0
        if when > self.last:
            return (when - self.last).total_seconds() / 86400.0
        return 0.0

    def _cos(self, part: int, vec: Mapping[str, float]) -> float:
        square = self.squares[part]
        return self.sums.dot(part, vec) / math.sqrt(square) if square > 1e-12 else 0.0
