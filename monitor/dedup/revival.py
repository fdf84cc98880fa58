"""When an item revives a dormant story it shares rare names with (the rule, as data).

A dormant story (see ``dormant``) is reopened by an item that joins no active story when
they share a rare person's name and enough of the story's top terms: less overlap when
two distinct rare names are shared. A date the item spells out ("the shooting on Dec. 7",
see ``dates``) that falls on the story's first days is evidence of its own: a shared rare
name (a person's or a place's) and a modest overlap then suffice, and only such a dated
item reopens a story silent for longer than ``undated``. Touches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Revival:
    """Thresholds of a revival (GVA tune half: see docs/benchmarks.md, issue 4)."""

    # (GVA tune half, B-cubed F1: two names, one in a headline, or three, cosine 0.25/0.3:
    # 0.9073; this rule 0.9109 with 0.45 for one name; other half 0.9081 -> 0.9121; among
    # all articles 0.55 for one name: P 0.9840 -> 0.9860, F1 0.9091 -> 0.9084: a town can
    # pass as a person)
    min_cosine: float = 0.25  # two or more distinct rare names, one of them a person's
    min_cosine_one: float = 0.55  # a single rare person's name
    # an item dating the story's first days: any shared rare name and this overlap
    dated_cosine: float = 0.2
    # a named date counts from this many days before the story's first item to that day
    date_slack_days: int = 3
    # an item dating the story's first days that shares no rare name with it: this overlap
    dated_alone_cosine: float = 0.3
    # stories dated by an item's dates scored at most (more: names alone find candidates)
    max_dated: int = 256
    # a story silent for longer than this revives only on a date (the horizon may be longer)
    undated: timedelta = timedelta(days=45)


def dated(dates: frozenset[int], first: datetime, rule: Revival) -> bool:
    """Whether one of ``dates`` (``date.toordinal`` numbers) falls on a story's first days:
    from ``date_slack_days`` before the day of its first item (``first``) to that day."""
    if not dates:
        return False
    day = first.date().toordinal()
    return any(day - rule.date_slack_days <= d <= day for d in dates)


def passes(
    rule: Revival,
    people: int,
    entities: int,
    cosine: float,
    on_date: bool,
    silence: timedelta,
) -> bool:
    """Whether an item reopens a dormant story: ``people`` and ``entities``, the distinct
    rare names they share (people's, all); ``cosine``, the item's terms against the
    story's top terms; ``on_date``, whether the item dates the story's first days
    (``dated``); ``silence``, the time since the story's last item."""
    if on_date and cosine >= (rule.dated_cosine if entities >= 1 else rule.dated_alone_cosine):
        return True
    if silence > rule.undated or people < 1:
        return False  # (a town and its hospital can be shared by two events)
    return cosine >= (rule.min_cosine if entities >= 2 else rule.min_cosine_one)
