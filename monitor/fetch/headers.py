"""Header logic of a polite fetch: request headers and Retry-After.

Pure functions (the clock and the random source come in as arguments).
Touches nothing.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from monitor.fetch.body import ACCEPT_ENCODING
from monitor.types import FeedRequest

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/feed+json;q=0.8, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
RETRY_CAP = timedelta(days=1)
RETRY_JITTER_MAX = timedelta(minutes=10)
RETRY_JITTER_SHARE = 0.1
DEFAULT_RETRY = (timedelta(hours=1), timedelta(hours=2))


def request_headers(request: FeedRequest, user_agent: str) -> dict[str, str]:
    """Identity, content negotiation and the stored validators, sent as stored."""
    headers = {"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    return headers


def http_date(value: str | None) -> datetime | None:
    """An RFC 9110 HTTP-date as an aware datetime, or None when unparseable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def retry_delay(headers: Mapping[str, str], now: datetime) -> timedelta | None:
    """The delay Retry-After asks for (seconds, or an HTTP-date read against Date)."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=min(int(value), int(RETRY_CAP.total_seconds()) * 2))
    when = http_date(value)
    if when is None:
        return None
    base = http_date(headers.get("date")) or _aware(now)
    return max(when - base, timedelta(0))


def retry_after(headers: Mapping[str, str], now: datetime, rng: random.Random) -> datetime:
    """When a 429/503 feed may be asked again: the header's delay capped at 1 day,
    plus jitter of up to 10 % (at most 10 min); without a usable header 1-2 h."""
    delay = retry_delay(headers, now)
    if delay is None:
        low, high = DEFAULT_RETRY
        return now + timedelta(seconds=rng.uniform(low.total_seconds(), high.total_seconds()))
    delay = min(delay, RETRY_CAP)
    spread = min(delay * RETRY_JITTER_SHARE, RETRY_JITTER_MAX)
    return now + delay + spread * rng.random()


def response_headers(raw: Mapping[str, str]) -> dict[str, str]:
    """Response headers with lower-case names (repeated headers joined by ', ')."""
    return {name.lower(): value for name, value in raw.items()}
