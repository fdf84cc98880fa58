"""Pure rendering of demo feed templates: date placeholders -> real dates.

A template is a feed document whose dates are written as offsets before the
demo's ``now`` (see the package docstring for the syntax). ``render_feed``
replaces them with a regex substitution (no template engine), so rendering
depends only on the template text and the explicit ``now``.

Touches nothing: no clock, no files, no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from monitor.errors import MonitorError

MAX_AGO = timedelta(hours=20)
"""The largest offset a template may use; it maps to the start of the window."""

DAY_MARGIN = timedelta(minutes=5)
"""With ``fit_today``, the earliest item lands this long after 00:00 UTC."""

END_MARGIN = timedelta(minutes=1)
"""With ``fit_today``, the latest item lands at most this long before ``now``."""

PLACEHOLDER = re.compile(r"\{\{\s*(?P<kind>[a-z-]+)(?::(?P<arg>[^}]*))?\s*\}\}")
_OFFSET = re.compile(r"(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?")


class DemoError(MonitorError):
    """A demo feed template or the demo manifest is malformed."""


@dataclass(frozen=True, slots=True)
class Window:
    """Where offsets land: ``ago == 0`` -> ``end``, ``ago == MAX_AGO`` -> ``start``."""

    start: datetime
    end: datetime


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise DemoError("now must be timezone-aware")
    return now.astimezone(UTC)


def window(now: datetime, *, fit_today: bool = True) -> Window:
    """The interval that offsets 0..MAX_AGO are mapped onto.

    ``fit_today`` (default): [00:05 UTC of now's day, now - 1 min], shrunk to
    [00:00, now] when now is within the first six minutes of the day, so every
    item is dated on now's UTC day. Otherwise offsets are literal:
    [now - MAX_AGO, now]. ``now`` is first truncated to whole seconds.
    """
    end = _utc(now).replace(microsecond=0)
    if not fit_today:
        return Window(start=end - MAX_AGO, end=end)
    day_start = end.replace(hour=0, minute=0, second=0, microsecond=0)
    if end - day_start > DAY_MARGIN + END_MARGIN:
        return Window(start=day_start + DAY_MARGIN, end=end - END_MARGIN)
    return Window(start=day_start, end=end)


def parse_offset(text: str) -> timedelta:
    """'5h30m', '45m', '3h' -> timedelta; at most MAX_AGO."""
    m = _OFFSET.fullmatch(text.strip())
    if not text.strip() or m is None:
        raise DemoError(f"bad offset {text!r}: expected e.g. 5h30m, 3h or 45m")
    ago = timedelta(hours=int(m.group("h") or 0), minutes=int(m.group("m") or 0))
    if ago > MAX_AGO:
        raise DemoError(f"offset {text!r} is more than {MAX_AGO} before now")
    return ago


def place(ago: timedelta, win: Window) -> datetime:
    """Map an offset into the window, linearly and order-preserving (whole seconds)."""
    fraction = min(max(ago / MAX_AGO, 0.0), 1.0)
    when = win.end - (win.end - win.start) * fraction
    return when.replace(microsecond=0)  # window ends are whole seconds: stays inside


def rfc822(when: datetime) -> str:
    """RFC 822 / RFC 2822 date as RSS pubDate wants it (``... GMT``)."""
    return format_datetime(when.astimezone(UTC).replace(microsecond=0), usegmt=True)


def rfc3339(when: datetime) -> str:
    """RFC 3339 date as Atom wants it (``...Z``)."""
    return when.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_feed(template: str, now: datetime, *, fit_today: bool = True) -> str:
    """Replace every date placeholder in ``template``; unknown placeholders raise DemoError.

    ``{{ago:OFFSET}}`` -> RFC 822, ``{{ago-iso:OFFSET}}`` -> RFC 3339,
    ``{{now}}`` / ``{{now-iso}}`` -> the end of the window (the newest item's
    time at the latest). Offsets are placed by :func:`place` in :func:`window`.
    """
    win = window(now, fit_today=fit_today)

    def replace(m: re.Match[str]) -> str:
        kind, arg = m.group("kind"), m.group("arg")
        if kind in ("now", "now-iso") and arg is None:
            when = win.end
        elif kind in ("ago", "ago-iso") and arg is not None:
            when = place(parse_offset(arg), win)
        else:
            raise DemoError(f"unknown placeholder {m.group(0)!r}")
        return rfc3339(when) if kind.endswith("-iso") else rfc822(when)

    return PLACEHOLDER.sub(replace, template)


def offsets(template: str) -> list[timedelta]:
    """The offsets a template uses, in document order (for checks and tests)."""
    return [
        parse_offset(m.group("arg"))
        for m in PLACEHOLDER.finditer(template)
        if m.group("kind") in ("ago", "ago-iso") and m.group("arg") is not None
    ]
