"""Dates spelled out in a text ("Dec. 7", "July 4, 2016", "7 December"), as day numbers.

A follow-up weeks after an event names the event's day ("the shooting on Dec. 7"), long
after a weekday name ("on Tuesday", see ``text.event_days``) stopped pointing at it.
``mentioned_dates`` finds the language's month names (capitalised, optionally abbreviated
with a dot) next to a day number, with an optional year; a date without a year is the
latest one on or before the day of publication. Month names come from the language's data.
Touches nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from monitor.dedup.lang import LanguageData

_MAX_DATES = 16  # a page listing more dates is a timeline or a roundup, not one event's report
# dates this many days before publication or later date the event inside the story window, as
# weekday names do (GVA tune half F1 0.9306 -> 0.9315, 14 days the same, 3 days 0.9309)
_RECENT_DAYS = 7
_FUTURE_DAYS = 1  # a date this far after publication is still this year's (time zones)
_patterns: dict[int, tuple[re.Pattern[str], dict[str, int]]] = {}


def _pattern(lang: LanguageData) -> tuple[re.Pattern[str], dict[str, int]]:
    """The date pattern of ``lang`` (month, then day; or day, then month) and its month
    numbers by name."""
    found = _patterns.get(id(lang))
    if found is None:
        numbers = {name: k + 1 for k, names in enumerate(lang.months) for name in names}
        names = "|".join(sorted(map(re.escape, numbers), key=len, reverse=True))
        day = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
        year = r"(?:,?\s+((?:19|20)\d\d)\b)?"
        pattern = re.compile(
            rf"\b({names})\b\.?\s+({day})\b{year}|\b({day})\s+({names})\b\.?{year}",
            re.IGNORECASE,
        )
        found = _patterns[id(lang)] = (pattern, numbers)
        if len(_patterns) > 16:  # (languages are few; keep the table bounded anyway)
            _patterns.clear()
            _patterns[id(lang)] = found
    return found


def mentioned_dates(text: str, published: date, lang: LanguageData) -> frozenset[int]:
    """Days (``date.toordinal``) that dates spelled out in ``text`` name; empty when the
    language has no month names or the text names more than a handful of days."""
    if not lang.months:
        return frozenset()
    pattern, numbers = _pattern(lang)
    days: set[int] = set()
    for m in pattern.finditer(text):
        month, day, year = (m[1], m[2], m[3]) if m[1] else (m[5], m[4], m[6])
        if not month[0].isupper():
            continue  # "may 5" is no date
        when = _date(published, numbers[month.casefold()], int(day.rstrip("stndrh")), year)
        if when is not None:
            days.add(when.toordinal())
    return frozenset(days) if len(days) <= _MAX_DATES else frozenset()


def _date(published: date, month: int, day: int, year: str | None) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        when = date(published.year, month, day)
        if when > published + timedelta(days=_FUTURE_DAYS):
            when = date(published.year - 1, month, day)
        return when
    except ValueError:  # February 30, or February 29 in another year
        return None


def recent_dates(text: str, published: datetime, lang: LanguageData) -> frozenset[int]:
    """``mentioned_dates`` of the last week before ``published`` (and the day after): the
    days a report dates its event by, like its weekday names."""
    day = published.date()
    found = mentioned_dates(text, day, lang)
    if not found:
        return found
    low = day.toordinal() - _RECENT_DAYS
    return frozenset(d for d in found if d >= low)
