"""Entries, stories, claims and tracks: writing one poll result, reading them back.

``save_poll`` writes everything one fetch produced in ONE transaction: new and
changed entries (earlier versions kept), story rows, claims, recomputed tracks,
the feed's poll state and its fetch log; a crash leaves all or nothing.
``save_polls`` does the same for several results in one transaction.
Touches: the database.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast, get_args

from sqlalchemy import delete, insert
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from monitor.store.feedstate import FeedState, FeedUpdate, write_feed
from monitor.store.tables import (
    ClaimRow,
    EntryRow,
    EntryVersion,
    Feed,
    Story,
    StoryAlias,
    TrackRow,
)
from monitor.types import (
    Assignment,
    AssignmentKind,
    Claim,
    ClaimReport,
    ClusterItem,
    Entry,
    Track,
    TrackStep,
)


@dataclass(frozen=True, slots=True)
class NewEntry:
    uid: str
    entry: Entry
    text_hash: str
    published: datetime
    assignment: Assignment
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class ChangedEntry:
    uid: str
    entry: Entry
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class PollOutcome:
    feed_id: int
    now: datetime
    feed: FeedUpdate
    new: tuple[NewEntry, ...] = ()
    changed: tuple[ChangedEntry, ...] = ()
    touched_stories: frozenset[str] = field(default_factory=frozenset)
    owner: str | None = None

    @property
    def state(self) -> FeedState:
        return FeedState(self.feed_id, self.now, self.feed, self.owner, len(self.new))


Tracker = Callable[[Sequence[ClaimReport]], list[Track]]


@dataclass(frozen=True, slots=True)
class Known:
    uid: str
    title: str
    summary: str
    story_id: str | None


def known_entries(session: Session, feed_id: int, entries: Sequence[Entry]) -> dict[str, Known]:
    """Stored entries of this feed matching by GUID or canonical URL, keyed by GUID."""
    guids = [e.guid for e in entries]
    urls = [e.url for e in entries if e.url]
    by_guid: dict[str, Known] = {}
    by_url: dict[str, Known] = {}
    # the columns needed, not the rows: content can be large, and no ORM objects
    rows = session.execute(
        select_columns(
            col(EntryRow.uid),
            col(EntryRow.guid),
            col(EntryRow.canonical_url),
            col(EntryRow.title),
            col(EntryRow.summary),
            col(EntryRow.story_id),
        )
        .where(col(EntryRow.feed_id) == feed_id)
        .where(col(EntryRow.guid).in_(guids) | col(EntryRow.canonical_url).in_(urls))
    )
    for uid, guid, canonical_url, title, summary, story_id in rows:
        known = Known(uid, title, summary, story_id)
        by_guid[guid] = known
        if canonical_url:
            by_url[canonical_url] = known
    result = {}
    for e in entries:
        hit = by_guid.get(e.guid) or (by_url.get(e.url) if e.url else None)
        if hit is not None:
            result[e.guid] = hit
    return result


def save_poll(session: Session, outcome: PollOutcome, tracker: Tracker) -> None:
    """Write one poll's result atomically, then release the feed's lease."""
    save_polls(session, [outcome], tracker)


def save_polls(session: Session, outcomes: Sequence[PollOutcome], tracker: Tracker) -> None:
    """Write several poll results in ONE transaction (each lands whole, since all do or
    none does): entries, stories, claims, the tracks of every story they touch (each
    recomputed once), and each feed's state with its lease released."""
    try:
        names = {n.assignment.story_id for o in outcomes for n in o.new}
        names |= {s for o in outcomes for s in o.touched_stories}
        aliases = _aliases(session, names)
        touched = {aliases.get(s, s) for o in outcomes for s in o.touched_stories}
        _lock_stories(session, touched)
        for outcome in outcomes:
            _write_entries(session, outcome, aliases)
            _write_changes(session, outcome)
        session.flush()
        write_tracks(session, touched, tracker)
        for outcome in outcomes:
            write_feed(session, outcome.state)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _aliases(session: Session, story_ids: set[str]) -> dict[str, str]:
    """Story ids merged away by hand, mapped to the story they now belong to: the
    clusterer may still name the merged-away story."""
    if not story_ids:
        return {}
    rows = session.exec(select(StoryAlias).where(col(StoryAlias.alias).in_(sorted(story_ids))))
    return {a.alias: a.story_id for a in rows}


def _lock_stories(session: Session, story_ids: set[str]) -> None:
    """On PostgreSQL, lock the stories this result touches (in id order, so two workers
    never deadlock): sizes and tracks are read-modify-write."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: one writer at a time anyway
    if story_ids:
        ids = sorted(story_ids)
        session.exec(
            select(Story.id).where(col(Story.id).in_(ids)).order_by(col(Story.id)).with_for_update()
        ).all()


def _write_entries(session: Session, outcome: PollOutcome, aliases: dict[str, str]) -> None:
    """Stories first (one read, one flush), then entries and their claims as two
    multi-row INSERTs."""
    if not outcome.new:
        return
    resolved = [_resolved(n, aliases) for n in outcome.new]
    wanted = sorted({n.assignment.story_id for n in resolved})
    stories = {s.id: s for s in session.exec(select(Story).where(col(Story.id).in_(wanted)))}
    for new in resolved:
        sid = new.assignment.story_id
        story = stories.get(sid)
        if story is None:
            story = Story(
                id=sid,
                title=new.entry.title or new.entry.summary[:200],
                first_seen=new.published,
                last_seen=new.published,
                size=0,
            )
        _widen(story, new.published)
        story.size += 1
        stories[sid] = story
    session.add_all(stories.values())
    session.flush()  # the story rows must exist before entries refer to them
    inserted = session.execute(
        insert(EntryRow).returning(col(EntryRow.id), sort_by_parameter_order=True),
        [_entry_values(new, outcome) for new in resolved],
    )
    claim_rows = [
        _claim_values(entry_id, claim)
        for entry_id, new in zip(inserted.scalars(), resolved, strict=True)
        for claim in new.claims
    ]
    if claim_rows:
        session.execute(insert(ClaimRow), claim_rows)


def _resolved(new: NewEntry, aliases: dict[str, str]) -> NewEntry:
    story_id = aliases.get(new.assignment.story_id)
    if story_id is None:
        return new
    return dataclasses.replace(
        new, assignment=dataclasses.replace(new.assignment, story_id=story_id)
    )


def _widen(story: Story, when: datetime) -> None:
    if story.first_seen is None or when < story.first_seen:
        story.first_seen = when
    if story.last_seen is None or when > story.last_seen:
        story.last_seen = when


def _entry_values(new: NewEntry, outcome: PollOutcome) -> dict[str, object]:
    e, a = new.entry, new.assignment
    return {
        "uid": new.uid,
        "feed_id": outcome.feed_id,
        "guid": e.guid,
        "canonical_url": e.url or None,
        "link": e.link,
        "title": e.title,
        "summary": e.summary,
        "content": e.content,
        "text_hash": new.text_hash,
        "language": e.language,
        "published": new.published,
        "fetched_at": outcome.now,
        "story_id": a.story_id,
        "kind": a.kind,
        "duplicate_of": a.duplicate_of,
        "scores": json.dumps(dict(a.scores), sort_keys=True),
    }


def _claim_values(entry_id: int, claim: Claim) -> dict[str, object]:
    return {"entry_id": entry_id, **dataclasses.asdict(claim)}


def _write_changes(session: Session, outcome: PollOutcome) -> None:
    for change in outcome.changed:
        row = session.exec(select(EntryRow).where(EntryRow.uid == change.uid)).one()
        assert row.id is not None
        session.add(
            EntryVersion(
                entry_id=row.id, title=row.title, summary=row.summary, recorded_at=outcome.now
            )
        )
        row.title, row.summary = change.entry.title, change.entry.summary
        row.content = change.entry.content
        session.add(row)
        session.execute(delete(ClaimRow).where(col(ClaimRow.entry_id) == row.id))
        if change.claims:
            session.execute(insert(ClaimRow), [_claim_values(row.id, c) for c in change.claims])


_CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(Claim))
_CLAIM_COLUMNS = tuple(getattr(ClaimRow, name) for name in _CLAIM_FIELDS)


def story_reports(session: Session, story_id: str) -> list[ClaimReport]:
    """Every claim of a story with its entry's outlet and time, in published order
    (plain columns, no ORM objects: this runs for every story a poll touches)."""
    rows = session.execute(
        select_columns(
            *_CLAIM_COLUMNS,
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
        .where(col(EntryRow.story_id) == story_id)
        .order_by(col(EntryRow.published), col(ClaimRow.id))
    )
    n = len(_CLAIM_FIELDS)
    reports = []
    for row in rows:
        uid, published, fetched_at, kind, duplicate_of, name, title, url = row[n:]
        reports.append(
            ClaimReport(
                claim=Claim(**dict(zip(_CLAIM_FIELDS, row[:n], strict=True))),
                entry_id=uid,
                outlet=name or title or url,
                published=published or fetched_at or _epoch(),
                story_id=story_id,
                copy_of=duplicate_of if kind in ("copy", "exact") else None,
            )
        )
    return reports


def claim_of(row: ClaimRow) -> Claim:
    """A stored claim row as the core's Claim."""
    values = {f.name: getattr(row, f.name) for f in dataclasses.fields(Claim)}
    return Claim(**values)


def _epoch() -> datetime:
    return datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def write_tracks(session: Session, story_ids: Iterable[str], tracker: Tracker) -> None:
    """Recompute the tracks of these stories from all their claims."""
    for story_id in sorted(story_ids):
        tracks = tracker(story_reports(session, story_id))
        session.execute(delete(TrackRow).where(col(TrackRow.story_id) == story_id))
        if tracks:
            session.execute(
                insert(TrackRow),
                [
                    {
                        "story_id": story_id,
                        "key": t.key,
                        "unit": t.unit,
                        "noun": t.noun,
                        "predicate": t.predicate,
                        "steps": json.dumps([_step_json(s) for s in t.steps]),
                    }
                    for t in tracks
                ],
            )


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


def cluster_items(
    session: Session, since: datetime, after_id: int = 0
) -> list[tuple[int, ClusterItem, Assignment]]:
    """Stored entries published since ``since`` (and with id > after_id), as the
    clusterer saw them, with their stored assignments: to rebuild its window."""
    rows = session.exec(
        select(EntryRow, Feed)
        .join(Feed, col(EntryRow.feed_id) == col(Feed.id))
        .where(col(EntryRow.published) >= since, col(EntryRow.id) > after_id)
        .order_by(col(EntryRow.published), col(EntryRow.id))
    )
    result = []
    for e, f in rows:
        assert e.id is not None and e.published is not None
        item = ClusterItem(
            id=e.uid,
            title=e.title,
            text=e.summary or e.content,
            published=e.published,
            source=f.name or f.url,
            url=e.link,
            language=e.language or "en",
        )
        assignment = Assignment(
            item_id=e.uid,
            story_id=e.story_id or f"s-{e.uid}",
            kind=as_kind(e.kind),
            duplicate_of=e.duplicate_of,
            scores=json.loads(e.scores or "{}"),
        )
        result.append((e.id, item, assignment))
    return result


def as_kind(value: str) -> AssignmentKind:
    """A stored kind string as the typed literal (unknown values read as "join")."""
    return cast(AssignmentKind, value) if value in _KINDS else "join"


_KINDS = frozenset(get_args(AssignmentKind))
