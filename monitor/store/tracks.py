"""Claim tracks of stories: their claims read back as reports, tracks rebuilt.

A track's family ("unit|noun", ``Track.family``) is stored with each claim and
each track. The tracks of one story and family depend only on that story's
claims of that family, so ``write_family_tracks`` (the poll path) rebuilds only
the (story, family) pairs that new or changed claims touch: ONE read of those
claims, ONE delete and ONE multi-row insert for all of them. ``write_tracks``
rebuilds every track of some stories (merges and splits by hand, and stories
holding claims written before families were stored, whose families it fills
in). Touches: the database.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, overload

from sqlalchemy import Select, bindparam, delete, literal_column, or_, tuple_, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from monitor.errors import StoreError
from monitor.store.bulk import chunks, insert_rows
from monitor.store.tables import ClaimRow, EntryRow, Feed, TrackRow, outlet_name
from monitor.types import Claim, ClaimReport, Growth, Tally, Tip, Track, TrackStep

Family = tuple[str, str]  # (story id, "unit|noun")


class Tracker(Protocol):
    """What the store needs of tracking (``claims.Tracking``)."""

    def family(self, claim: Claim, language: str | None) -> str: ...

    def tally(self, reports: Sequence[ClaimReport]) -> list[tuple[Track, Tally]]: ...

    def grow(self, tips: Sequence[Tip], reports: Sequence[ClaimReport]) -> list[Growth] | None: ...


_CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(Claim))
_CLAIM_COLUMNS = tuple(getattr(ClaimRow, name) for name in _CLAIM_FIELDS)
_N = len(_CLAIM_FIELDS)
# the family read leaves out the sentences (most of a claim's bytes): with the family
# stored, tracking reads none (``claims.track`` needs a sentence only to find a family)
_NO_SENTENCE = tuple(
    literal_column("''") if name == "sentence" else column
    for name, column in zip(_CLAIM_FIELDS, _CLAIM_COLUMNS, strict=True)
)


def _select(claim_columns: Sequence[Any]) -> Select[Any]:
    return (
        select_columns(
            *claim_columns,
            col(ClaimRow.family),
            col(EntryRow.language),
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
    )


_SELECT = _select(_CLAIM_COLUMNS)
_LEAN = _select(_NO_SENTENCE)
_ORDER = (col(EntryRow.story_id), col(EntryRow.published), col(ClaimRow.id))
_REPORTS = _SELECT.where(col(EntryRow.story_id).in_(bindparam("ids", expanding=True))).order_by(
    *_ORDER
)
_TRACKS = TrackRow.__table__  # type: ignore[attr-defined]
_DELETE = delete(_TRACKS).where(_TRACKS.c.story_id.in_(bindparam("ids", expanding=True)))


def story_reports(session: Session, story_id: str) -> list[ClaimReport]:
    """Every claim of one story with its entry's outlet and time, in published order."""
    return reports_of(session, [story_id]).get(story_id, [])


def reports_of(session: Session, story_ids: Iterable[str]) -> dict[str, list[ClaimReport]]:
    """Every claim of these stories with its entry's outlet and time, by story, each
    in published order (plain columns, no ORM objects; one query per CHUNK stories)."""
    reports: dict[str, list[ClaimReport]] = {}
    for ids in chunks(sorted(set(story_ids))):
        for row in read_rows(session, _REPORTS, {"ids": list(ids)}):
            report = _report(row)
            reports.setdefault(report.story_id, []).append(report)
    return reports


def read_rows(session: Session, query: Any, params: dict[str, Any] | None = None) -> Any:
    """Rows of a column query on the session's connection: Core, not the ORM's result
    machinery (which cost more than the database's work for these reads). Pending ORM
    changes are flushed first, as ``Session.execute`` would."""
    session.flush()
    return session.connection().execute(query, params or {})


def _report(row: Any) -> ClaimReport:
    family, language, story_id, uid, published, fetched_at, kind, duplicate_of = row[_N : _N + 8]
    name, title, url = row[_N + 8 :]
    return ClaimReport(
        claim=Claim(*row[:_N]),  # the columns in Claim's field order
        entry_id=uid,
        outlet=outlet_name(name, title, url),
        published=published or fetched_at or _epoch(),
        story_id=story_id,
        copy_of=duplicate_of if kind in ("copy", "exact") else None,
        language=language,
        family=family,
    )


def _epoch() -> datetime:
    return datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def write_family_tracks(
    session: Session,
    pairs: Iterable[Family],
    whole: Iterable[str],
    tracker: Tracker,
    *,
    grown: Iterable[Family] = (),
    entry_ids: Sequence[int] = (),
) -> None:
    """Rebuild the tracks of these (story, family) pairs, and every track of the
    ``whole`` stories and of any story among ``pairs`` that still holds claims
    without a family; grow the tracks of the ``grown`` pairs by the claims of the
    new entries ``entry_ids`` (``grow_families``), rebuilding those that cannot be grown
    (the caller holds the stories' locks on PostgreSQL)."""
    every = set(whole)
    rebuild = {p for p in pairs if p[0] not in every}
    growing = sorted({p for p in grown if p[0] not in every} - rebuild)
    if growing:
        rebuild |= grow_families(session, growing, entry_ids, tracker)
    todo = sorted(rebuild)
    if todo:
        _write_families(session, todo, every, tracker)
    write_tracks(session, every, tracker)


_TIP_COLUMNS = (
    _TRACKS.c.id,
    _TRACKS.c.story_id,
    _TRACKS.c.family,
    _TRACKS.c.key,
    _TRACKS.c.steps,
    _TRACKS.c.members,
    _TRACKS.c.loose,
    _TRACKS.c.since,
    _TRACKS.c.rising,
)
# the claims of new entries, in id order (the order they were written in)
_NEW_REPORTS = _LEAN.where(col(ClaimRow.entry_id).in_(bindparam("ids", expanding=True))).order_by(
    col(ClaimRow.id)
)
_GROWN = ("steps", "members", "loose")  # what appending or merging steps changes
_REPLACED = ("unit", "noun", "predicate", "steps", "members", "loose", "since", "rising")


def _update_of(names: Sequence[str]) -> Any:
    """UPDATE of these columns of one track row by id (bound as ``t_<name>``, ``t_id``)."""
    values: dict[str, Any] = {name: bindparam(f"t_{name}") for name in names}
    return update(_TRACKS).where(_TRACKS.c.id == bindparam("t_id")).values(values)


_GROW, _REPLACE = _update_of(_GROWN), _update_of(_REPLACED)


def _bound(pk: int, row: dict[str, object], names: Sequence[str]) -> dict[str, object]:
    return {"t_id": pk, **{f"t_{name}": row[name] for name in names}}


@dataclass(slots=True)
class _Stored:
    """A stored track of a family being grown: its row id, steps and tip (None:
    written without a tally, before migration 0004)."""

    pk: int
    steps: StoredSteps
    tip: Tip | None


class StoredSteps(Sequence[TrackStep]):
    """A track's stored steps, each decoded from its JSON when first read (growing
    a long track reads only its last few)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._items: list[dict[str, object]] = json.loads(text)
        self._steps: dict[int, TrackStep] = {}

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, i: int) -> TrackStep: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[TrackStep]: ...
    def __getitem__(self, i: int | slice) -> TrackStep | Sequence[TrackStep]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        j = i + len(self) if i < 0 else i
        if j not in self._steps:
            self._steps[j] = step_from_json(self._items[j])  # IndexError past the end
        return self._steps[j]

    def json(self, kept: int, steps: Sequence[TrackStep]) -> str:
        """The stored text of the first ``kept`` of these steps followed by ``steps``."""
        if kept == len(self) and steps:  # a list's JSON is its items' joined by ", "
            return f"{self._text[:-1]}, {steps_json(steps)[1:]}"
        return json.dumps(self._items[:kept] + [step_json(s) for s in steps])


def grow_families(
    session: Session, pairs: Sequence[Family], entry_ids: Sequence[int], tracker: Tracker
) -> set[Family]:
    """Grow the tracks of these (story, family) pairs by the claims of the new entries
    ``entry_ids`` (``claims.grow``): steps appended or merged into the stored ones, a
    track whose first step changed rewritten, new tracks inserted. Returns the pairs
    it could not grow (``grow`` refused, a track without a tally, a story holding a
    track without a family), which the caller rebuilds from their claims."""
    stored, refused = _stored_tracks(session, pairs)
    news: dict[Family, list[ClaimReport]] = {p: [] for p in pairs}
    for part in chunks(entry_ids):
        for row in read_rows(session, _NEW_REPORTS, {"ids": list(part)}):
            r = _report(row)
            pair = (r.story_id, r.family or "")
            if pair in news:
                news[pair].append(r)
    updates: list[dict[str, object]] = []
    replaced: list[dict[str, object]] = []
    inserts: list[dict[str, object]] = []
    for pair in pairs:
        kept = stored.get(pair, {})
        if pair in refused or any(k.tip is None for k in kept.values()):
            refused.add(pair)
            continue
        reports = sorted(news[pair], key=lambda r: r.published)  # stable: claim ids within
        growth = tracker.grow([k.tip for k in kept.values() if k.tip is not None], reports)
        if growth is None:
            refused.add(pair)
            continue
        for g in growth:
            k = kept.get(g.key)
            if k is None and g.track is not None:
                inserts.append(track_row(g.track, g.tally))
            elif k is not None and g.track is not None:  # a new first step: the row anew
                replaced.append(_bound(k.pk, track_row(g.track, g.tally), _REPLACED))
            elif k is not None:
                row = {"steps": k.steps.json(g.kept, g.steps), **_tally_values(g.tally)}
                updates.append(_bound(k.pk, row, _GROWN))
            else:
                raise StoreError(f"track {g.key!r} of story {pair[0]} grew without its row")
    if updates:
        session.connection().execute(_GROW, updates)
    if replaced:
        session.connection().execute(_REPLACE, replaced)
    insert_rows(session, TrackRow, inserts)
    return refused


def _stored_tracks(
    session: Session, pairs: Sequence[Family]
) -> tuple[dict[Family, dict[str, _Stored]], set[Family]]:
    """The stored tracks of these pairs by pair and key, and the pairs whose story
    holds a track without a family (only a whole rebuild replaces those)."""
    stored: dict[Family, dict[str, _Stored]] = {}
    bare: set[str] = set()
    for part in chunks(pairs, 500):
        stories = sorted({s for s, _ in part})
        query = select_columns(*_TIP_COLUMNS).where(
            _TRACKS.c.story_id.in_(stories),
            or_(
                tuple_(_TRACKS.c.story_id, _TRACKS.c.family).in_(list(part)),
                _TRACKS.c.family.is_(None),
            ),
        )
        for pk, story_id, family, key, steps, members, loose, since, rising in read_rows(
            session, query
        ):
            if family is None:
                bare.add(story_id)
                continue
            tip, lazy = None, StoredSteps(steps)
            if members is not None and loose is not None and rising is not None:
                tip = Tip(story_id, key, lazy, Tally(members, loose, since, rising))
            stored.setdefault((story_id, family), {})[key] = _Stored(pk, lazy, tip)
    return stored, {p for p in pairs if p[0] in bare}


def _write_families(
    session: Session, todo: list[Family], every: set[str], tracker: Tracker
) -> None:
    """``write_family_tracks`` for the pairs; a story found to hold claims or tracks
    without a family joins ``every``."""
    reports = family_reports(session, todo)
    every |= {r.story_id for r in reports if r.family is None}
    every |= _unfamilied_tracks(session, sorted({s for s, _ in todo}))
    todo = [p for p in todo if p[0] not in every]
    rebuilt = set(todo)
    rows = []
    for t, tally in tracker.tally([r for r in reports if r.story_id not in every]):
        if (t.story_id, t.family) not in rebuilt:
            raise StoreError(f"track {t.key!r} of story {t.story_id} left its family")
        rows.append(track_row(t, tally))
    for part in chunks(todo, 500):
        stories = sorted({s for s, _ in part})  # as in family_reports: for the index
        pair = tuple_(_TRACKS.c.story_id, _TRACKS.c.family).in_(list(part))
        session.connection().execute(delete(_TRACKS).where(_TRACKS.c.story_id.in_(stories), pair))
    insert_rows(session, TrackRow, rows)


_UNFAMILIED = (
    select_columns(_TRACKS.c.story_id)
    .where(_TRACKS.c.story_id.in_(bindparam("ids", expanding=True)), _TRACKS.c.family.is_(None))
    .distinct()
)


def _unfamilied_tracks(session: Session, story_ids: Sequence[str]) -> set[str]:
    """Stories holding track rows without a family (written before migration 0003, or
    by a worker still running older code): only a whole rebuild replaces those."""
    found: set[str] = set()
    for part in chunks(story_ids):
        found.update(s for (s,) in read_rows(session, _UNFAMILIED, {"ids": list(part)}))
    return found


def family_reports(session: Session, pairs: Sequence[Family]) -> list[ClaimReport]:
    """The claims of these (story, family) pairs, and every claim without a family in
    their stories, as reports in published order within each story; their claims come
    without their sentences (empty), which tracking a stored family does not read."""
    reports: list[ClaimReport] = []
    for part in chunks(pairs, 500):  # two bound parameters per pair
        reports.extend(_report(row) for row in read_rows(session, family_query(part)))
    return reports


def family_query(pairs: Sequence[Family]) -> Select[Any]:
    """The read of ``family_reports``: the story ids first, so the entries' index
    finds the rows (a bare pair IN list scans every claim on SQLite)."""
    return _LEAN.where(
        col(EntryRow.story_id).in_(sorted({s for s, _ in pairs})),
        or_(
            tuple_(col(EntryRow.story_id), col(ClaimRow.family)).in_(list(pairs)),
            col(ClaimRow.family).is_(None),
        ),
    ).order_by(*_ORDER)


def write_tracks(session: Session, story_ids: Iterable[str], tracker: Tracker) -> None:
    """Rebuild every track of these stories from all their claims, filling in the
    family of claims stored without one (the caller holds the stories' locks on
    PostgreSQL)."""
    ids = sorted(set(story_ids))
    if not ids:
        return
    _fill_families(session, ids, tracker)
    reports = reports_of(session, ids)
    rows = [
        track_row(t, tally)
        for story_id in ids
        for t, tally in tracker.tally(reports.get(story_id, []))
    ]
    for part in chunks(ids):
        session.connection().execute(_DELETE, {"ids": list(part)})  # Core: no ORM sync
    insert_rows(session, TrackRow, rows)


_CLAIMS = ClaimRow.__table__  # type: ignore[attr-defined]
_UNFILLED = (
    select_columns(col(ClaimRow.id), *_CLAIM_COLUMNS, col(EntryRow.language))
    .join(EntryRow, col(ClaimRow.entry_id) == col(EntryRow.id))
    .where(col(EntryRow.story_id).in_(bindparam("ids", expanding=True)))
    .where(col(ClaimRow.family).is_(None))
)
_FILL = (
    update(_CLAIMS).where(_CLAIMS.c.id == bindparam("c_id")).values(family=bindparam("c_family"))
)


def _fill_families(session: Session, ids: Sequence[str], tracker: Tracker) -> None:
    """Claims written before families were stored get theirs (a no-op on newer rows)."""
    for part in chunks(ids):
        fills = [
            {"c_id": row[0], "c_family": tracker.family(Claim(*row[1 : _N + 1]), row[_N + 1])}
            for row in read_rows(session, _UNFILLED, {"ids": list(part)})
        ]
        if fills:
            session.connection().execute(_FILL, fills)


def track_row(t: Track, tally: Tally) -> dict[str, object]:
    """A track and its tally as the values of its row."""
    return {
        "story_id": t.story_id,
        "key": t.key,
        "family": t.family,
        "unit": t.unit,
        "noun": t.noun,
        "predicate": t.predicate,
        "steps": steps_json(t.steps),
        **_tally_values(tally),
    }


def _tally_values(tally: Tally) -> dict[str, object]:
    return {
        "members": tally.members,
        "loose": tally.loose,
        "since": tally.since,
        "rising": tally.rising,
    }


def steps_json(steps: Sequence[TrackStep]) -> str:
    """The stored form of a track's steps: a JSON list, one object a step."""
    return json.dumps([step_json(s) for s in steps])


def step_json(step: TrackStep) -> dict[str, object]:
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
