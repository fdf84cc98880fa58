"""One active story: its items, time span and summed term vectors.

Plain mutable state owned by ``StoryClusterer``. Touches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from monitor.dedup.features import ItemFeatures, add_into, dot, norm


@dataclass(slots=True)
class Story:
    """An active story; vectors are sums of its independent items' vectors."""

    id: str
    first: datetime
    last: datetime
    item_ids: list[str] = field(default_factory=list)
    title: dict[str, float] = field(default_factory=dict)
    body: dict[str, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)
    full: dict[str, float] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)
    members: list[ItemFeatures] = field(default_factory=list)
    norms: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def touch(self, item_id: str, when: datetime) -> None:
        """Record an item (any kind) at ``when``."""
        self.item_ids.append(item_id)
        self.first = min(self.first, when)
        self.last = max(self.last, when)

    def absorb(self, feats: ItemFeatures) -> None:
        """Add an independent item's vectors to the story's sums."""
        add_into(self.title, feats.title)
        add_into(self.body, feats.body)
        add_into(self.names, feats.names)
        add_into(self.full, feats.full)
        self.keys.update(feats.keys)
        self.members.append(feats)
        self.norms = (norm(self.title), norm(self.body), norm(self.names), norm(self.full))

    def centroid_similarity(self, feats: ItemFeatures) -> tuple[float, float, float, float]:
        """Cosine of the item's title, body, names and full vectors with the story's sums."""
        return (
            _cos(feats.title, self.title, self.norms[0]),
            _cos(feats.body, self.body, self.norms[1]),
            _cos(feats.names, self.names, self.norms[2]),
            _cos(feats.full, self.full, self.norms[3]),
        )

    def gap_days(self, when: datetime) -> float:
        """Days between ``when`` and the story's span (0 inside it)."""
        if when < self.first:
            return (self.first - when).total_seconds() / 86400.0
        if when > self.last:
            return (when - self.last).total_seconds() / 86400.0
        return 0.0


def _cos(vec: Mapping[str, float], total: Mapping[str, float], total_norm: float) -> float:
    return dot(vec, total) / total_norm if total_norm > 0 else 0.0
