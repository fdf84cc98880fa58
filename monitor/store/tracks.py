"""Claim tracks of stories: their claims read back as reports, tracks recomputed.

``write_tracks`` recomputes the tracks of many stories at once (part of
``entries.save_polls``, of merges and splits): ONE read of all their claims,
ONE delete and ONE multi-row insert, whatever the number of stories (in chunks
of ``bulk.CHUNK`` ids), instead of three statements per story.
Touches: the database.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, delete
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from monitor.store.bulk import chunks, insert_rows
from monitor.store.tables import ClaimRow, EntryRow, Feed, TrackRow
from monitor.types import Claim, ClaimReport, Track, TrackStep

Tracker = Callable[[Sequence[ClaimReport]], list[Track]]

_CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(Claim))
_CLAIM_COLUMNS = tuple(getattr(ClaimRow, name) for name in _CLAIM_FIELDS)


def story_reports(session: Session, story_id: str) -> list[ClaimReport]:
    """Every claim of one story with its entry's outlet and time, in published order."""
    return reports_of(session, [story_id]).get(story_id, [])


_REPORTS = (
    select_columns(
        *_CLAIM_COLUMNS,
        col(EntryRow.story_id),
        col(EntryRow.uid),
        col(EntryRow.published),
        col(EntryRow.fetched_at),
        col(EntryRow.kind),
        col(EntryRow.duplicate_of),
        col(Feed.name),
        col(Feed.title),
        col(Feed.url),
    )
    .join(EntryRow, col(ClaimRow.entry_id) == col(EntryRow.id))
    .join(Feed, col(EntryRow.feed_id) == col(Feed.id))
    .where(col(EntryRow.story_id).in_(bindparam("ids", expanding=True)))
    .order_by(col(EntryRow.story_id), col(EntryRow.published), col(ClaimRow.id))
)
_TRACKS = TrackRow.__table__  # type: ignore[attr-defined]
_DELETE = delete(_TRACKS).where(_TRACKS.c.story_id.in_(bindparam("ids", expanding=True)))


def reports_of(session: Session, story_ids: Iterable[str]) -> dict[str, list[ClaimReport]]:
    """Every claim of these stories with its entry's outlet and time, by story, each
    in published order (plain columns, no ORM objects; one query per CHUNK stories)."""
    reports: dict[str, list[ClaimReport]] = {}
    n = len(_CLAIM_FIELDS)
    for ids in chunks(sorted(set(story_ids))):
        for row in session.execute(_REPORTS, {"ids": list(ids)}):
            story_id, uid, published, fetched_at, kind, duplicate_of, name, title, url = row[n:]
            reports.setdefault(story_id, []).append(
                ClaimReport(
                    claim=Claim(*row[:n]),  # the columns in Claim's field order
                    entry_id=uid,
                    outlet=name or title or url,
                    published=published or fetched_at or _epoch(),
                    story_id=story_id,
                    copy_of=duplicate_of if kind in ("copy", "exact") else None,
                )
            )
    return reports


def _epoch() -> datetime:
    return datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def write_tracks(session: Session, story_ids: Iterable[str], tracker: Tracker) -> None:
    """Recompute the tracks of these stories from all their claims (the caller holds
    the stories' locks on PostgreSQL)."""
    ids = sorted(set(story_ids))
    if not ids:
        return
    reports = reports_of(session, ids)
    rows = [
        _track_row(story_id, track)
        for story_id in ids
        for track in tracker(reports.get(story_id, []))
    ]
    for part in chunks(ids):
        session.connection().execute(_DELETE, {"ids": list(part)})  # Core: no ORM sync
    insert_rows(session, TrackRow, rows)


def _track_row(story_id: str, t: Track) -> dict[str, object]:
    return {
        "story_id": story_id,
        "key": t.key,
        "unit": t.unit,
        "noun": t.noun,
        "predicate": t.predicate,
        "steps": json.dumps([_step_json(s) for s in t.steps]),
    }


def _step_json(step: TrackStep) -> dict[str, object]:
    return {
        "entry_id": step.entry_id,
        "outlet": step.outlet,
        "published": step.published.isoformat(),
        "value": step.value,
        "low": step.low,
        "high": step.high,
        "qualifier": step.qualifier,
        "text": step.text,
        "label": step.label,
    }


def step_from_json(data: dict[str, object]) -> TrackStep:
    return TrackStep(
        entry_id=str(data["entry_id"]),
        outlet=str(data["outlet"]),
        published=datetime.fromisoformat(str(data["published"])),
        value=float(data["value"]),  # type: ignore[arg-type]
        low=None if data["low"] is None else float(data["low"]),  # type: ignore[arg-type]
        high=None if data["high"] is None else float(data["high"]),  # type: ignore[arg-type]
        qualifier=data["qualifier"],  # type: ignore[arg-type]
        text=str(data["text"]),
        label=data["label"],  # type: ignore[arg-type]
    )
