"""Feed bytes -> ParsedFeed of normalised entries; URL canonicalisation.

feedparser parses bytes we fetched (it never fetches). Markup in titles and
summaries becomes plain text (nh3 strips every tag), links are made absolute
and kept only when http(s), dates become aware UTC datetimes (absurd ones are
dropped), GUIDs fall back to the link, then to a hash of the title. Items the
caller has seen byte for byte are left out before feedparser runs (``items``).
Pure: touches nothing. Owns feedparser, nh3 and w3lib.
"""

from __future__ import annotations

import calendar
import email.utils
import hashlib
import html
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import nh3
from w3lib.url import canonicalize_url, url_query_cleaner

from monitor.errors import ParseError
from monitor.parse.items import RawItems, item_key, split_items
from monitor.types import Entry, Listing, ParsedFeed

TRACKING_PARAMS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "utm_id",
    "utm_name",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "_ga",
    "ref_src",
)
MAX_TITLE = 1_000
MAX_TEXT = 20_000
MAX_GUID = 2_000
MAX_URL = 2_048
_MIN_YEAR = 1990
_MAX_YEAR = 2100
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # PostgreSQL text refuses NUL
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
_BAD_URL_CHARS = re.compile(r'[\s<>"{}|\\^`\x00-\x1f\x7f]')
_ITEM_END = re.compile(rb"(?i)</\s*(?:[a-z0-9_]+:)?(item|entry)\s*>")
_TRACKING = re.compile(r"^(utm_|__twitter|_hs)")


def canonical_url(url: str) -> str:
    """Canonical form for deduplication: lower-case host, sorted query, no fragment,
    no tracking parameters. Non-http(s) or unparsable input gives ""."""
    url = url.strip()
    if not url or len(url) > MAX_URL:
        return ""
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return ""
        cleaned = url_query_cleaner(url, TRACKING_PARAMS, remove=True, keep_fragments=False)
        cleaned = _drop_prefixed_tracking(cleaned)
        return str(canonicalize_url(cleaned, keep_fragments=False))
    except ValueError:
        return ""


def _drop_prefixed_tracking(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    keep = [p for p in parts.query.split("&") if not _TRACKING.match(p.split("=", 1)[0])]
    return parts._replace(query="&".join(keep)).geturl()


def to_text(markup: str, limit: int = MAX_TEXT) -> str:
    """Markup -> plain text: tags removed, entities decoded, whitespace folded."""
    if not markup:
        return ""
    text = _strip_tags(markup[: limit * 4])
    if _TAG.search(text):  # markup escaped twice decodes to markup: still not text
        text = _strip_tags(text)
    return _SPACE.sub(" ", _CONTROL.sub("", text)).strip()[:limit]


def _strip_tags(markup: str) -> str:
    if "<" in markup:
        markup = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d)\b[^>]*>", " ", markup)
        markup = nh3.clean(markup, tags=set(), strip_comments=True)
    return html.unescape(markup)


def safe_link(href: str, base: str) -> str:
    """An absolute http(s) link, or "" for javascript:, data:, junk."""
    href = (href or "").strip()
    if not href or len(href) > MAX_URL:
        return ""
    try:
        absolute = urljoin(base, href) if base else href
        parts = urlsplit(absolute)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    if _BAD_URL_CHARS.search(parts.netloc) or _BAD_URL_CHARS.search(absolute.strip()):
        return ""
    return absolute


def parse(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None = None,
    max_items: int = 2000,
    seen: Listing | None = None,
) -> ParsedFeed:
    """Parse one fetched document. Raises ParseError when nothing feed-like is in it;
    recoverable malformation is reported in ParsedFeed.problem. Items listed in ``seen``
    (the ``listing`` of an earlier parse of this feed, all stored since) with the same
    bytes are not built again; the entries are those a whole parse would give, minus
    theirs."""
    body = clip_items(body, max_items)
    raw = split_items(body)
    known = dict(seen.items) if seen is not None and raw is not None else {}
    if raw is not None and any(key in known for key, _ in raw.items):
        assert seen is not None
        partial = _build(_feedparse(raw.without(known), url, headers), url, raw, known, max_items)
        if partial is not None and partial.listing is not None:
            if partial.listing.context == seen.context:
                return partial
    whole = _build(_feedparse(body, url, headers), url, raw, {}, max_items)
    if whole is None:
        raise ParseError("the document's items changed while it was parsed")  # cannot happen
    return whole


def _feedparse(body: bytes, url: str, headers: Mapping[str, str] | None) -> Any:
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    response_headers.setdefault("content-location", url)
    try:
        return feedparser.parse(
            body,
            response_headers=response_headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as e:  # feedparser raises arbitrary errors on hostile input
        raise ParseError(f"unparseable feed: {type(e).__name__}: {e}") from e


def _build(
    doc: Any, url: str, raw: RawItems | None, known: dict[bytes, bytes], max_items: int
) -> ParsedFeed | None:
    """The ParsedFeed of a feedparser result whose document held ``raw``'s items minus
    those in ``known``. It has a listing only when its entries match those items one for
    one and feedparser read the document cleanly (a recovering parse or a guessed
    encoding reads an item differently depending on its neighbours); without one, a
    partial parse gives None and the caller parses the whole document."""
    problem = _problem(doc)
    feed = doc.get("feed", {})
    raw_entries = doc.get("entries", [])
    if not raw_entries and not known and not doc.get("version"):
        raise ParseError(f"not a feed: {problem or 'no RSS, Atom or RDF document found'}")
    base = safe_link(str(feed.get("link", "")), url) or url
    language = _language(feed.get("language"))
    built = [_entry(r, base, language) for r in raw_entries[:max_items]]
    parsed_items = len(raw.items) - sum(k in known for k, _ in raw.items) if raw else -1
    listable = raw is not None and len(built) == parsed_items and _clean(doc)
    if known and not listable:
        return None
    entries, listing = _listed(built, raw if listable else None, known)
    if listing is not None and raw is not None:
        context = _context(url, base, language, str(doc.get("encoding", "")), raw.scope)
        listing = Listing(context, listing.items)
    return ParsedFeed(
        title=to_text(str(feed.get("title", "")), MAX_TITLE),
        link=base,
        language=language,
        ttl_minutes=_ttl(feed.get("ttl")),
        entries=entries,
        problem=problem,
        listing=listing,
        skipped=len(raw.items) - parsed_items if raw and known else 0,
    )


def _listed(
    built: list[Entry | None], raw: RawItems | None, known: dict[bytes, bytes]
) -> tuple[tuple[Entry, ...], Listing | None]:
    """The entries (the first of each GUID, in document order) and the listing, with the
    items in ``known`` standing for the entries they gave before (``raw`` None: the
    entries could not be matched to items; no listing)."""
    guids: set[bytes] = set()
    entries: list[Entry] = []
    if raw is None:
        for entry in built:
            if entry is not None and _guid_key(entry.guid) not in guids:
                guids.add(_guid_key(entry.guid))
                entries.append(entry)
        return tuple(entries), None
    items: list[tuple[bytes, bytes]] = []
    fresh = iter(built)
    for key, _ in raw.items:
        if key in known:
            guid = known[key]
            if guid and guid in guids:
                continue  # a later copy of a GUID, as below
        else:
            entry = next(fresh)
            if entry is None:
                guid = b""
            else:
                guid = _guid_key(entry.guid)
                if guid in guids:
                    continue  # a later copy of a GUID: dropped, and not listed
                entries.append(entry)
        if guid:
            guids.add(guid)
        items.append((key, guid))
    return tuple(entries), Listing(b"", tuple(items))


def _guid_key(guid: str) -> bytes:
    return item_key(guid.encode("utf-8", "surrogatepass"))


def _clean(doc: Any) -> bool:
    """feedparser read the document as well-formed XML in the encoding it declares (a
    missing or non-XML Content-Type is the only warning allowed)."""
    return not doc.get("bozo") or type(doc.get("bozo_exception")).__name__ == "NonXMLContentType"


def _context(url: str, base: str, language: str | None, encoding: str, scope: bytes) -> bytes:
    """What an item's entry depends on beyond its bytes: the URL it was fetched from
    (relative GUIDs and links resolve against it), the feed's link and language, the
    encoding it was read in, and the head's namespace, base and language declarations."""
    head = "\0".join((url, base, language or "", encoding, "")).encode("utf-8", "surrogatepass")
    return item_key(head + scope)


def clip_items(body: bytes, max_items: int) -> bytes:
    """Cut a document after its ``max_items``-th item, before feedparser builds them all
    (a 100,000-item feed costs seconds and hundreds of MB otherwise)."""
    for count, match in enumerate(_ITEM_END.finditer(body), 1):
        if count == max_items:
            tag = match.group(1).lower()
            tail = b"</feed>" if tag == b"entry" else b"</channel></rss>"
            if b"rdf:RDF" in body[:2000]:
                tail = b"</rdf:RDF>"
            return body[: match.end()] + tail
    return body


def _problem(doc: Any) -> str | None:
    if not doc.get("bozo"):
        return None
    exc = doc.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}"[:500] if exc else "malformed feed"


def _language(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().split("-")[0].split("_")[0].lower()[:8] or None


def _ttl(value: object) -> int | None:
    try:
        ttl = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return ttl if 0 < ttl <= 60 * 24 * 31 else None


def _entry(raw: Any, base: str, language: str | None) -> Entry | None:
    link = safe_link(str(raw.get("link", "")), base)
    title = to_text(str(raw.get("title", "")), MAX_TITLE)
    summary = to_text(str(raw.get("summary", "")))
    content = " ".join(to_text(str(c.get("value", ""))) for c in raw.get("content", []) or [])
    if not (title or summary or content or link):
        return None
    guid = _CONTROL.sub("", str(raw.get("id") or "")).strip()[:MAX_GUID] or link
    if not guid:
        digest = hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()
        guid = f"sha256:{digest}"
    return Entry(
        guid=guid,
        title=title,
        link=link,
        url=canonical_url(link),
        summary=summary or content[:1000],
        content=content.strip()[:MAX_TEXT],
        published=_date(dict.get(raw, "published_parsed"))
        or _date(dict.get(raw, "updated_parsed"))
        or _date_text(raw.get("published") or raw.get("updated")),
        updated=_date(dict.get(raw, "updated_parsed")),
        author=to_text(str(raw.get("author", "")), 200) or None,
        language=_language(raw.get("language")) or language,
    )


def _date_text(value: object) -> datetime | None:
    """An RFC 822 date feedparser gave up on (e.g. no zone: read as UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if not re.search(rf"\b{when.year}\b", value):
        return None  # "0001" read as 2001: a two-digit guess at an absurd year
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC) if _MIN_YEAR <= when.year <= _MAX_YEAR else None


def _date(value: object) -> datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    if not _MIN_YEAR <= value.tm_year <= _MAX_YEAR:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
