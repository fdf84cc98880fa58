"""Small pure helpers for the digest: numbers, figures, safe links, slugs, truncation.

Touches nothing.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from datetime import UTC, datetime, tzinfo
from urllib.parse import urlsplit

from monitor.digest import words

_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_SPACES = re.compile(r"\s+")


def number(value: float) -> str:
    """2000 -> '2,000'; 2.5 -> '2.5'; 0.125 -> '0.125'; nan/inf -> str()."""
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text


def with_unit(text: str, unit: str | None) -> str:
    if not unit:
        return text
    if unit in words.PREFIX_UNITS:
        return f"{unit}{text}"
    if unit in words.TIGHT_UNITS:
        return f"{text}{unit}"
    return f"{text} {unit}"


def figure(
    value: float,
    low: float | None,
    high: float | None,
    qualifier: str,
    unit: str | None = None,
    language: str = "en",
) -> str:
    """Word a figure with its qualifier: ('more_than', 2000) -> 'more than 2,000'."""
    if qualifier == "range" and (low is None or high is None):
        qualifier = "approx"
    template = words.qualifier_template(qualifier, language)
    lo = with_unit(number(low), unit) if low is not None else ""
    hi = with_unit(number(high), unit) if high is not None else ""
    return template.format(v=with_unit(number(value), unit), lo=lo, hi=hi)


def safe_href(link: str) -> str | None:
    """The link if it is an absolute http(s) URL without control characters, else None."""
    link = link.strip()
    if not link or _CONTROL.search(link):
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return link


def slug(story_id: str) -> str:
    """A file-name-safe, deterministic and collision-resistant slug for a story id."""
    ascii_text = (
        unicodedata.normalize("NFKD", story_id).encode("ascii", "ignore").decode("ascii").lower()
    )
    stem = _SLUG_UNSAFE.sub("-", ascii_text).strip("-")[:48].strip("-")
    digest = hashlib.sha256(story_id.encode("utf-8")).hexdigest()[:10]
    return f"{stem}-{digest}" if stem else f"story-{digest}"


def oneline(value: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return " ".join(value.split())


def truncate(text: str, limit: int = 280) -> str:
    """Collapse whitespace and cut on a word boundary, adding an ellipsis when cut."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    head = cut[:space] if space > limit // 2 else text[:limit]
    return head.rstrip(" ,;:.-\u2013\u2014") + words.ELLIPSIS


def aware(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def local(moment: datetime, tz: tzinfo) -> datetime:
    return aware(moment).astimezone(tz)
