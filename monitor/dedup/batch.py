"""Batch clustering: the daemon's online clusterer fed in published order.

Touches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from monitor.dedup.clusterer import Scoring
from monitor.dedup.languages import StoryWindow
from monitor.types import Assignment, ClusterItem


def cluster_batch(
    items: Iterable[ClusterItem],
    window: timedelta = timedelta(days=3),
    *,
    scoring: Scoring | None = None,
    horizon: timedelta | None = None,
) -> list[Assignment]:
    """Assign every item to a story, in (published, id) order.

    Uses ``StoryWindow.add`` exactly as the daemon does (one clusterer per
    language: stories never span languages); the result is in that sorted
    order and does not depend on the order of ``items``. ``horizon``: how long
    stories stay dormant (the clusterer's default when None).
    """
    extra = {} if horizon is None else {"horizon": horizon}
    ordered = sorted(items, key=lambda it: (it.published, it.id, it.title, it.text))
    stories = StoryWindow(window=window, scoring=scoring, **extra)
    return [stories.add(item) for item in ordered]
