"""Poll-interval policy: when to fetch a feed next, from the last fetch's outcome.

Pure: the clock (``now``) and the random source (``rng``) come in as arguments.
Success: the interval follows the posting rate (Miniflux style, about one poll
per new entry: 1 day / entries per day), server hints (RSS ttl, Cache-Control
max-age, Expires) act as a floor, the result is clamped to [min, max] and
spread by a few percent of jitter. Errors back off linearly (interval x
failures, capped at max_interval); Retry-After is never undercut (capped at one
day); 410 mutes the feed. A feed is never dropped. Touches nothing.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from monitor.config import PollSettings
from monitor.types import FetchResult

DAY = timedelta(days=1)
RETRY_CAP = DAY
JITTER = 0.05  # next poll lands in [interval, interval * 1.05)
SLOWDOWN = 1.25  # rate unknown and nothing new: poll a little less often
FLOOR = timedelta(seconds=1)  # whatever the settings say, the next poll is in the future
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class PollState:
    """What the store remembers about a feed's polling."""

    failures: int
    interval: timedelta | None
    entries_per_day: float | None


@dataclass(frozen=True)
class PollDecision:
    """When to poll next. ``interval`` is the adaptive interval to store in
    PollState.interval (jitter, hints and backoff excluded)."""

    next_poll_at: datetime
    failures: int
    muted: bool
    reason: str
    interval: timedelta | None = None


def _clamp(value: timedelta, settings: PollSettings) -> timedelta:
    return max(settings.min_interval, FLOOR, min(value, settings.max_interval))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return _aware(parsedate_to_datetime(value.strip()))
    except (TypeError, ValueError, IndexError):
        return None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def server_hint(headers: Mapping[str, str], now: datetime) -> timedelta | None:
    """How long the server says the response stays fresh (max-age, else Expires)."""
    control = _header(headers, "cache-control") or ""
    if match := _MAX_AGE.search(control):
        seconds = int(match.group(1))
        return timedelta(seconds=min(seconds, 10 * 365 * 86400)) if seconds > 0 else None
    expires = _http_date(_header(headers, "expires"))
    if expires is None:
        return None
    base = _http_date(_header(headers, "date")) or _aware(now)
    fresh = expires - base
    return fresh if fresh > timedelta(0) else None


def _rate_interval(state: PollState, settings: PollSettings, new_entries: int) -> timedelta:
    """The interval the posting rate asks for, before hints and clamping."""
    current = state.interval or settings.interval
    if state.entries_per_day is not None:
        per_day = DAY.total_seconds() / settings.max_interval.total_seconds()
        if state.entries_per_day <= per_day:  # rarer than once per max interval (or never)
            return settings.max_interval
        return DAY / state.entries_per_day
    if new_entries <= 0:
        return current * SLOWDOWN
    return max(current / new_entries, current / 2)


def _with_jitter(interval: timedelta, unit: float) -> timedelta:
    return interval * (1 + JITTER * unit)


def _floor_retry(
    next_at: datetime, result: FetchResult, now: datetime
) -> tuple[datetime, str | None]:
    if result.retry_after is None:
        return next_at, None
    retry = min(result.retry_after, now + RETRY_CAP)
    if retry > next_at:
        return retry, f"; Retry-After until {retry.isoformat(timespec='seconds')}"
    return next_at, None


def _describe(interval: timedelta) -> str:
    minutes = round(interval.total_seconds() / 60)
    return f"{minutes // 60}h{minutes % 60:02d}m"


def next_poll(
    result: FetchResult,
    state: PollState,
    settings: PollSettings,
    now: datetime,
    rng: random.Random,
    ttl_minutes: int | None = None,
    new_entries: int = 0,
) -> PollDecision:
    """Decide the next poll of one feed after ``result`` (see the module docstring)."""
    unit = rng.random()  # drawn once, whatever the branch, so seeded runs compare
    current = _clamp(state.interval or settings.interval, settings)
    if result.status == 410:
        gone_at, _ = _floor_retry(now + _with_jitter(settings.max_interval, unit), result, now)
        return PollDecision(gone_at, state.failures + 1, True, "gone (HTTP 410): muted", current)
    success = result.error is None and (result.ok or result.not_modified)
    if not success:
        failures = state.failures + 1
        backoff = min(current * failures, settings.max_interval)
        next_at, note = _floor_retry(now + _with_jitter(backoff, unit), result, now)
        why = result.error or f"HTTP {result.status}"
        reason = f"failure {failures} ({why}): backing off {_describe(backoff)}{note or ''}"
        return PollDecision(next_at, failures, False, reason, current)
    adaptive = _clamp(_rate_interval(state, settings, new_entries), settings)
    hints = [h for h in (server_hint(result.headers, now),) if h is not None]
    if ttl_minutes is not None and ttl_minutes > 0:
        hints.append(timedelta(minutes=ttl_minutes))
    wait = _clamp(max([adaptive, *hints]), settings)
    next_at, note = _floor_retry(now + _with_jitter(wait, unit), result, now)
    source = "server hint" if wait > adaptive else "posting rate"
    reason = f"ok ({result.status}): every {_describe(wait)} by {source}{note or ''}"
    return PollDecision(next_at, 0, False, reason, adaptive)
