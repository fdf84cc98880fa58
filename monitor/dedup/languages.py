"""The story window of a multilingual stream: one online clusterer per language.

Stories never span languages (their words, stop words and name rules differ), so
each item goes to the clusterer of its language's base code ("en-US" and "en"
share one), made on first use with that language's data. The daemon and the
batch interface both use this, so they cluster the same way. The memory budget
is shared: past ``max_items`` in all, each language gives up items in proportion
to its share. Touches nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from monitor.dedup.clusterer import Scoring, StoryClusterer
from monitor.types import Assignment, ClusterItem


def language_key(code: str) -> str:
    """The base code a language tag is clustered under ("en-GB" -> "en")."""
    return code.casefold().replace("_", "-").split("-", 1)[0] or "und"


class StoryWindow:
    """Online story assignment over items in several languages."""

    def __init__(
        self,
        window: timedelta = timedelta(days=3),
        *,
        scoring: Scoring | None = None,
        horizon: timedelta = timedelta(days=365),
    ) -> None:
        self.window, self.horizon, self.scoring = window, horizon, scoring
        self._by_language: dict[str, StoryClusterer] = {}

    def clusterer(self, language: str) -> StoryClusterer:
        """The clusterer of ``language`` (made on first use)."""
        key = language_key(language)
        found = self._by_language.get(key)
        if found is None:
            found = StoryClusterer(
                window=self.window, language=key, scoring=self.scoring, horizon=self.horizon
            )
            self._by_language[key] = found
        return found

    def add(self, item: ClusterItem) -> Assignment:
        return self.clusterer(item.language).add(item)

    def restore(self, item: ClusterItem, assignment: Assignment) -> None:
        self.clusterer(item.language).restore(item, assignment)

    def expire(self, now: datetime) -> None:
        for c in self._by_language.values():
            c.expire(now)

    def shrink(self, max_items: int, max_dormant: int = 0) -> None:
        """``StoryClusterer.shrink`` with the budgets shared by the languages in proportion
        to the items (and dormant stories) each holds."""
        items, dormant = self.active_items, self.dormant_stories
        for c in self._by_language.values():
            c.shrink(
                _share(max_items, c.active_items, items),
                _share(max_dormant, c.dormant_stories, dormant),
            )

    def restore_since(self, now: datetime) -> datetime:
        return now - max(self.window, self.horizon)

    @property
    def active_items(self) -> int:
        return sum(c.active_items for c in self._by_language.values())

    @property
    def dormant_stories(self) -> int:
        return sum(c.dormant_stories for c in self._by_language.values())

    def __len__(self) -> int:
        """Number of active stories, all languages."""
        return sum(len(c) for c in self._by_language.values())

    def __iter__(self) -> Iterator[str]:
        """The language keys with a clusterer."""
        return iter(self._by_language)


def _share(budget: int, mine: int, total: int) -> int:
    """This language's part of ``budget`` (0 stays "no limit")."""
    if not budget or total <= budget:
        return budget
    return max(1, budget * mine // total)
