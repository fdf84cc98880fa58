"""Entries, stories and claims: writing poll results, reading entries back for the
story window (what a result already has is looked up by ``known``, re-exported here).

``save_polls`` writes several results in ONE transaction: new and changed entries
(earlier versions kept), story rows, claims (each with its track family), the tracks
of every (story, family) their claims touch (grown by the new claims, or rebuilt:
``tracks``), each feed's poll state
and fetch log (``feedstate``); a crash leaves all or nothing. Each kind of row is
written by one multi-row statement for the whole group, so the round trips per
group are a fixed handful, not a few per result and per story. Touches: the database.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast, get_args

from sqlalchemy import Text, bindparam, case, delete, or_, text, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from monitor.errors import StoreError
from monitor.store.bulk import chunks, insert_ids, insert_rows
from monitor.store.feedstate import FeedState, FeedUpdate, write_states
from monitor.store.known import Known, known_entries, known_entries_many
from monitor.store.tables import ClaimRow, EntryRow, EntryVersion, Story, StoryAlias
from monitor.store.tracks import Family, Tracker, write_family_tracks, write_tracks
from monitor.types import Assignment, AssignmentKind, Claim, Entry, Listing

__all__ = [
    "ChangedEntry",
    "Known",
    "NewEntry",
    "PollOutcome",
    "Tracker",
    "as_kind",
    "known_entries",
    "known_entries_many",
    "save_poll",
    "save_polls",
    "write_tracks",
]


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
    # digests of the raw items the parsed document listed: the poller remembers them
    # once this is written (``pipeline.listed``); the store does not keep them
    listed: Listing | None = None

    @property
    def state(self) -> FeedState:
        return FeedState(self.feed_id, self.now, self.feed, self.owner, len(self.new))


def save_poll(session: Session, outcome: PollOutcome, tracker: Tracker) -> None:
    """Write one poll's result atomically, then release the feed's lease."""
    save_polls(session, [outcome], tracker)


def save_polls(session: Session, outcomes: Sequence[PollOutcome], tracker: Tracker) -> None:
    """Write several poll results in ONE transaction (each lands whole, since all do or
    none does): stories, entries, claims, the tracks their claims touch (each rebuilt
    once), and each feed's state with its lease released.

    A story merged away by hand after its alias was read and before its lock was taken
    (``edits.merge`` holds the locks of both stories) is seen once the locks are held:
    the transaction is rolled back and written again with the new alias, so no entry
    lands in a story that is gone."""
    for _ in range(_ATTEMPTS):
        if _save_polls(session, outcomes, tracker):
            return
        session.rollback()
    raise StoreError(f"stories were merged by hand {_ATTEMPTS} times while a poll was written")


_ATTEMPTS = 3


def _save_polls(session: Session, outcomes: Sequence[PollOutcome], tracker: Tracker) -> bool:
    """``save_polls`` once; False (nothing written yet) when a locked story was merged
    away since its alias was read."""
    try:
        names = {n.assignment.story_id for o in outcomes for n in o.new}
        names |= {s for o in outcomes for s in o.touched_stories}
        aliases = _aliases(session, names)
        news = [(o, _resolved(n, aliases)) for o in outcomes for n in o.new]
        touched = {aliases.get(s, s) for o in outcomes for s in o.touched_stories}
        changes = [(o.now, c) for o in outcomes for c in o.changed]
        touched |= _stories_of(session, [c.uid for _, c in changes])  # as stored, not as seen
        locked = touched | {n.assignment.story_id for _, n in news}
        lock_stories(session, locked)
        if _aliases(session, locked):
            return False
        _write_stories(session, [n for _, n in news])
        families, entry_ids = _write_entries(session, news, tracker)
        changed, whole = _write_changes(session, changes, tracker)
        # a hand split may have moved a changed entry since it was read: lock its story too
        lock_stories(session, {s for s, _ in changed} - locked)
        # feed titles first: the tracks name each outlet as the feed now does
        write_states(session, [o.state for o in outcomes])
        write_family_tracks(session, changed, whole, tracker, grown=families, entry_ids=entry_ids)
        session.commit()
        return True
    except BaseException:
        session.rollback()
        raise


_ALIASES = select_columns(col(StoryAlias.alias), col(StoryAlias.story_id)).where(
    col(StoryAlias.alias).in_(bindparam("ids", expanding=True))
)
_LOCK = (
    select_columns(col(Story.id))
    .where(col(Story.id).in_(bindparam("ids", expanding=True)))
    .order_by(col(Story.id))
    .with_for_update()
)


def _aliases(session: Session, story_ids: set[str]) -> dict[str, str]:
    """Story ids merged away by hand, mapped to the story they now belong to: the
    clusterer may still name the merged-away story."""
    found: dict[str, str] = {}
    for part in chunks(sorted(story_ids)):
        found.update((a, s) for a, s in session.execute(_ALIASES, {"ids": list(part)}))
    return found


_STORIES_OF = select_columns(col(EntryRow.story_id)).where(
    col(EntryRow.uid).in_(bindparam("uids", expanding=True))
)


def _stories_of(session: Session, uids: Sequence[str]) -> set[str]:
    """The stories these stored entries belong to now."""
    found: set[str] = set()
    for part in chunks(sorted(set(uids))):
        found.update(s for (s,) in session.execute(_STORIES_OF, {"uids": list(part)}) if s)
    return found


def lock_stories(session: Session, story_ids: set[str]) -> None:
    """Lock these stories until the transaction ends: sizes and tracks are
    read-modify-write, and hand edits (``edits``) take the same locks. PostgreSQL: their
    rows, in id order (two writers never deadlock). SQLite: the database's write lock
    (one writer at a time), taken now rather than at the first write, so that what is
    read after this is what the write will change."""
    if session.get_bind().dialect.name != "postgresql":
        session.execute(_WRITE_LOCK)
        return
    for part in chunks(sorted(story_ids)):  # chunks in id order keep the lock order
        session.execute(_LOCK, {"ids": list(part)}).all()


# a write that changes nothing: SQLite begins the write transaction (waiting out the busy
# timeout for another writer) however many rows it touches
_WRITE_LOCK = text("UPDATE story SET size = size WHERE 0 = 1")


def _write_stories(session: Session, news: Sequence[NewEntry]) -> None:
    """Every story the new entries join, as one multi-row upsert: a new story gets
    its first entry's title; an existing one grows (size added, seen dates widened
    in SQL, so nothing is read first)."""
    grown: dict[str, dict[str, Any]] = {}
    for new in news:
        sid, when = new.assignment.story_id, new.published
        row = grown.get(sid)
        if row is None:
            title = new.entry.title or new.entry.summary[:200]
            grown[sid] = {"id": sid, "title": title, "first_seen": when, "last_seen": when}
            grown[sid]["size"] = 1
        else:
            row["first_seen"] = min(row["first_seen"], when)
            row["last_seen"] = max(row["last_seen"], when)
            row["size"] += 1
    if grown:
        upsert = _story_upsert(session.get_bind().dialect.name)
        session.execute(upsert, [grown[sid] for sid in sorted(grown)])


@functools.lru_cache(maxsize=4)
def _story_upsert(dialect: str) -> Any:
    table = Story.__table__  # type: ignore[attr-defined]
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    new, old = stmt.excluded, table.c
    return stmt.on_conflict_do_update(
        index_elements=[old.id],
        set_={
            "size": old.size + new.size,
            "first_seen": case(
                (or_(old.first_seen.is_(None), new.first_seen < old.first_seen), new.first_seen),
                else_=old.first_seen,
            ),
            "last_seen": case(
                (or_(old.last_seen.is_(None), new.last_seen > old.last_seen), new.last_seen),
                else_=old.last_seen,
            ),
        },
    )


def _write_entries(
    session: Session, news: Sequence[tuple[PollOutcome, NewEntry]], tracker: Tracker
) -> tuple[set[Family], list[int]]:
    """All new entries as one multi-row INSERT (their ids returned in order), then all
    their claims as another; returns the (story, family) pairs the claims touch, and
    the new entries' ids."""
    if not news:
        return set(), []
    ids = insert_ids(session, EntryRow, [_entry_values(new, outcome) for outcome, new in news])
    claim_rows = []
    touched: set[Family] = set()
    for entry_id, (_, new) in zip(ids, news, strict=True):
        for claim in new.claims:
            family = tracker.family(claim, new.entry.language)
            claim_rows.append(_claim_values(entry_id, claim, family))
            touched.add((new.assignment.story_id, family))
    insert_rows(session, ClaimRow, claim_rows)
    return touched, ids


def _resolved(new: NewEntry, aliases: dict[str, str]) -> NewEntry:
    story_id = aliases.get(new.assignment.story_id)
    if story_id is None:
        return new
    return dataclasses.replace(
        new, assignment=dataclasses.replace(new.assignment, story_id=story_id)
    )


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


_CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(Claim))
_CLAIMS = ClaimRow.__table__  # type: ignore[attr-defined]


def _claim_values(entry_id: int, claim: Claim, family: str) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(claim, name) for name in _CLAIM_FIELDS}
    values["entry_id"] = entry_id
    values["family"] = family
    return values


_CHANGE = (
    update(EntryRow)
    .where(col(EntryRow.id) == bindparam("e_id"))
    .values(
        title=bindparam("e_title", type_=Text),
        summary=bindparam("e_summary", type_=Text),
        content=bindparam("e_content", type_=Text),
    )
)


_CURRENT = select_columns(
    col(EntryRow.uid),
    col(EntryRow.id),
    col(EntryRow.title),
    col(EntryRow.summary),
    col(EntryRow.story_id),
    col(EntryRow.language),
).where(col(EntryRow.uid).in_(bindparam("uids", expanding=True)))
_OLD_FAMILIES = (
    select_columns(col(EntryRow.story_id), col(ClaimRow.family))
    .join(EntryRow, col(ClaimRow.entry_id) == col(EntryRow.id))
    .where(col(ClaimRow.entry_id).in_(bindparam("ids", expanding=True)))
    .distinct()
)


@dataclass(slots=True)
class _Current:
    pk: int
    title: str
    summary: str
    story_id: str | None
    language: str | None


def _write_changes(
    session: Session, changes: Sequence[tuple[datetime, ChangedEntry]], tracker: Tracker
) -> tuple[set[Family], set[str]]:
    """Changed entries: the earlier title and summary kept as a version, the entry
    rewritten, its claims replaced (a few statements for all of them). Returns the
    (story, family) pairs of the claims removed and added, and the stories whose
    removed claims had no family (written before families were stored)."""
    if not changes:
        return set(), set()
    current: dict[str, _Current] = {}
    for part in chunks(sorted({c.uid for _, c in changes})):
        for uid, *row in session.execute(_CURRENT, {"uids": list(part)}):
            current[uid] = _Current(*row)
    versions: list[dict[str, object]] = []
    rewrites: list[dict[str, object]] = []
    replaced: dict[int, tuple[_Current, tuple[Claim, ...]]] = {}  # the last change stands
    for now, change in changes:
        if change.uid not in current:
            raise StoreError(f"changed entry {change.uid} is not stored")
        was = current[change.uid]
        versions.append(
            {"entry_id": was.pk, "title": was.title, "summary": was.summary, "recorded_at": now}
        )
        e = change.entry
        rewrites.append(
            {"e_id": was.pk, "e_title": e.title, "e_summary": e.summary, "e_content": e.content}
        )
        was.title, was.summary = e.title, e.summary
        replaced[was.pk] = (was, change.claims)
    insert_rows(session, EntryVersion, versions)
    session.connection().execute(_CHANGE, rewrites)  # Core: by id, no ORM sync
    touched: set[Family] = set()
    whole: set[str] = set()
    for ids in chunks(sorted(replaced)):
        for story_id, family in session.execute(_OLD_FAMILIES, {"ids": list(ids)}):
            if story_id is None:
                continue
            if family is None:
                whole.add(story_id)
            else:
                touched.add((story_id, family))
        session.connection().execute(delete(_CLAIMS).where(_CLAIMS.c.entry_id.in_(ids)))
    rows = []
    for pk, (was, claims) in replaced.items():
        for claim in claims:
            family = tracker.family(claim, was.language)
            rows.append(_claim_values(pk, claim, family))
            if was.story_id is not None:
                touched.add((was.story_id, family))
    insert_rows(session, ClaimRow, rows)
    return touched, whole


def as_kind(value: str) -> AssignmentKind:
    """A stored kind string as the typed literal (unknown values read as "join")."""
    return cast(AssignmentKind, value) if value in _KINDS else "join"


_KINDS = frozenset(get_args(AssignmentKind))
