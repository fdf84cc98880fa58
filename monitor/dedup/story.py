"""One active story: its items, time span and summed term vectors.

Plain mutable state owned by ``StoryClusterer``. Touches nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import mul

from monitor.dedup.features import ItemFeatures, add_into, dot


@dataclass(slots=True)
class Story:
    """An active story; vectors are sums of its independent items' vectors."""

    id: str
    first: datetime
    last: datetime
    items: int = 0
    title: dict[str, float] = field(default_factory=dict)
    body: dict[str, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)
    full: dict[str, float] = field(default_factory=dict)
    # key words in first-seen order; a tuple costs a fraction of a set per story
    keys: tuple[str, ...] = ()
    independent: int = 0
    squares: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0, 0.0])
    # days its items' weekday names point to (see ``text.event_days``)
    days: frozenset[int] = frozenset()

    def touch(self, when: datetime) -> None:
        """Record an item (any kind) at ``when``."""
        self.items += 1
        self.first = min(self.first, when)
        self.last = max(self.last, when)

    def absorb(self, feats: ItemFeatures) -> None:
        """Add an independent item's vectors to the story's sums."""
        sums = (self.title, self.body, self.names, self.full)
        vecs = (feats.title, feats.body, feats.names, feats.full)
        for i, (total, vec) in enumerate(zip(sums, vecs, strict=True)):
            # |s + v|^2 = |s|^2 + 2 s.v + |v|^2, so the norm costs O(|v|), not O(|s|)
            values = vec.values()  # (|v|^2 term by term as dot(vec, vec) sums it)
            self.squares[i] += 2.0 * dot(vec, total) + sum(map(mul, values, values))
            add_into(total, vec)
        have = set(self.keys)
        self.keys += tuple(k for k in dict.fromkeys(feats.keys) if k not in have)
        self.independent += 1
        if feats.days:
            self.days = self.days | feats.days

    def centroid_similarity(self, feats: ItemFeatures) -> tuple[float, float, float, float]:
        """Cosine of the item's title, body, names and full vectors with the story's sums."""
        return (*self.part_similarities(feats), self.full_similarity(feats))

    def full_similarity(self, feats: ItemFeatures) -> float:
        """Cosine of the item's full vector with the story's (what ranks the stories)."""
        return _cos(feats.full, self.full, self.squares[3])

    def part_similarities(self, feats: ItemFeatures) -> tuple[float, float, float]:
        """Cosines of the item's title, body and names vectors with the story's sums."""
        return (
            _cos(feats.title, self.title, self.squares[0]),
            _cos(feats.body, self.body, self.squares[1]),
            _cos(feats.names, self.names, self.squares[2]),
        )

    def gap_days(self, when: datetime) -> float:
        """Days between ``when`` and the story's span (0 inside it)."""
        if when < self.first:
            return (self.first - when).total_seconds() / 86400.0
        if when > self.last:
            return (when - self.last).total_seconds() / 86400.0
        return 0.0


def _cos(vec: Mapping[str, float], total: Mapping[str, float], square: float) -> float:
    return dot(vec, total) / math.sqrt(square) if square > 1e-12 else 0.0
