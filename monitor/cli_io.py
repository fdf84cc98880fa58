"""Batch formats of the CLI: JSONL readers and the JSON shape of a story.

Pure apart from reading the named input file or the given stream.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from monitor.errors import InputError
from monitor.types import ClusterItem, FeedHealth, StoryView, Track


def read_claim_inputs(path: Path | None, stdin: TextIO) -> list[tuple[str | None, str]]:
    """(id, text) pairs: JSONL {"id","text"} from a file, or all of stdin as one text."""
    if path is None:
        return [(None, stdin.read())]
    return [(str(obj["id"]), str(obj["text"])) for obj in _jsonl(path, ("id", "text"))]


def read_cluster_items(path: Path) -> list[ClusterItem]:
    items = []
    for obj in _jsonl(path, ("id", "published")):
        items.append(
            ClusterItem(
                id=str(obj["id"]),
                title=str(obj.get("title") or ""),
                text=str(obj.get("text") or ""),
                published=parse_when(str(obj["published"])),
                source=str(obj.get("source") or ""),
                url=str(obj.get("url") or ""),
                language=str(obj.get("language") or "en"),
            )
        )
    return items


def parse_when(value: str) -> datetime:
    """ISO-8601 date or datetime -> aware UTC datetime (naive means UTC)."""
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as e:
        raise InputError(f"not an ISO-8601 date or datetime: {value!r}") from e
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _jsonl(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    try:
        fh = path.open(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e}") from e
    with fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"{path}:{number}: not valid JSON: {e.msg}") from e
            if not isinstance(obj, dict) or any(k not in obj for k in required):
                raise InputError(f"{path}:{number}: each line needs the keys {list(required)}")
            yield obj


def story_json(view: StoryView) -> dict[str, Any]:
    return {
        "id": view.id,
        "title": view.title,
        "first_seen": view.first_seen.isoformat(),
        "last_seen": view.last_seen.isoformat(),
        "outlets": sorted({e.outlet for e in view.entries if e.kind in ("new", "join")}),
        "entries": [
            {
                "id": e.entry_id,
                "outlet": e.outlet,
                "title": e.title,
                "link": e.link,
                "published": e.published.isoformat(),
                "kind": e.kind,
                "duplicate_of": e.duplicate_of,
            }
            for e in view.entries
        ],
        "copies": [e.entry_id for e in view.entries if e.kind in ("copy", "exact")],
        "tracks": [track_json(t) for t in view.tracks],
    }


def track_json(track: Track) -> dict[str, Any]:
    return {
        "key": track.key,
        "unit": track.unit,
        "noun": track.noun,
        "predicate": track.predicate,
        "history": [
            {
                "entry": s.entry_id,
                "outlet": s.outlet,
                "published": s.published.isoformat(),
                "value": s.value,
                "low": s.low,
                "high": s.high,
                "qualifier": s.qualifier,
                "text": s.text,
                "label": s.label,
            }
            for s in track.steps
        ],
    }


def politeness_by_host(
    rows: list[FeedHealth], now: datetime
) -> list[tuple[str, int, float, datetime | None]]:
    """(host, requests, share answered 304, latest Retry-After still in force) per host."""
    requests: dict[str, int] = defaultdict(int)
    not_modified: dict[str, int] = defaultdict(int)
    until: dict[str, datetime | None] = defaultdict(lambda: None)
    for h in rows:
        host = urlsplit(h.url).netloc or h.url
        requests[host] += h.requests
        not_modified[host] += h.not_modified
        current = until[host]
        if h.retry_after and h.retry_after > now and (current is None or h.retry_after > current):
            until[host] = h.retry_after
    return [
        (host, n, not_modified[host] / n if n else 0.0, until[host])
        for host, n in sorted(requests.items())
    ]
