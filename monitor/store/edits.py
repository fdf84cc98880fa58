"""Corrections by hand: merge two stories, split an entry out of a story.

Both are kept when new entries arrive: a merge leaves an alias (the clusterer's
entries for the merged-away id land in the kept story) and every edit bumps a
counter that makes running workers rebuild their story window from the
database. On PostgreSQL both take the locks a poll's write takes on the stories
they change (``entries.lock_stories``). Touches: the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from monitor.errors import InputError
from monitor.store.entries import lock_stories
from monitor.store.tables import EntryRow, Story, StoryAlias, StoryEdit, TrackRow
from monitor.store.tracks import Tracker, write_tracks


def resolve(session: Session, story_id: str) -> str:
    """The story an id now stands for (itself, or where it was merged)."""
    alias = session.get(StoryAlias, story_id)
    return alias.story_id if alias is not None else story_id


def last_edit(session: Session) -> int:
    return int(session.exec(select(func.max(StoryEdit.id))).one() or 0)


def merge(session: Session, a: str, b: str, now: datetime, tracker: Tracker) -> str:
    """Merge stories ``a`` and ``b``; the older keeps its id, which is returned."""
    first, second = _locked(session, a, b)
    if first.id == second.id:
        raise InputError(f"{a} and {b} are the same story")
    keep, gone = sorted((first, second), key=lambda s: (s.first_seen or now, s.id))
    session.execute(
        update(EntryRow).where(col(EntryRow.story_id) == gone.id).values(story_id=keep.id)
    )
    session.execute(
        update(StoryAlias).where(col(StoryAlias.story_id) == gone.id).values(story_id=keep.id)
    )
    session.merge(StoryAlias(alias=gone.id, story_id=keep.id))
    session.execute(TrackRow.__table__.delete().where(TrackRow.story_id == gone.id))  # type: ignore[attr-defined]
    session.flush()
    session.delete(gone)
    _refresh(session, keep)
    write_tracks(session, [keep.id], tracker)
    session.add(StoryEdit(kind="merge", story_id=keep.id, other=gone.id, at=now))
    session.commit()
    return keep.id


def split(session: Session, story_id: str, entry_uid: str, now: datetime, tracker: Tracker) -> str:
    """Move one entry (and its copies) out of a story into a story of its own."""
    (story,) = _locked(session, story_id)
    entry = session.exec(select(EntryRow).where(EntryRow.uid == entry_uid)).first()
    if entry is None or entry.story_id != story.id:
        raise InputError(f"entry {entry_uid} is not in story {story.id}")
    moving = [
        entry,
        *session.exec(
            select(EntryRow).where(
                EntryRow.duplicate_of == entry_uid, EntryRow.story_id == story.id
            )
        ),
    ]
    if len(moving) == story.size:
        raise InputError(f"entry {entry_uid} and its copies are all of story {story.id}")
    new_id = _free_id(session, f"s-{entry_uid}")
    fresh = Story(id=new_id, title=entry.title or story.title, size=0)
    session.add(fresh)
    session.flush()
    for row in moving:
        row.story_id = new_id
        session.add(row)
    entry.kind, entry.duplicate_of = "new", None
    session.add(entry)
    session.flush()
    _refresh(session, story)
    _refresh(session, fresh)
    write_tracks(session, [story.id, new_id], tracker)
    session.add(StoryEdit(kind="split", story_id=story.id, other=new_id, at=now))
    session.commit()
    return new_id


def _locked(session: Session, *story_ids: str) -> list[Story]:
    """The stories these ids stand for, locked as a poll's write locks them (PostgreSQL:
    a poll being written to one of them is waited for, and one that starts after waits
    for this edit, then sees its alias). Read again once locked: an edit that ran
    meanwhile is seen."""
    ids = {resolve(session, s) for s in story_ids}
    lock_stories(session, ids)
    session.expire_all()
    stories = [_story(session, s) for s in story_ids]
    if {s.id for s in stories} != ids:
        raise InputError("the stories were edited meanwhile; run the command again")
    return stories


def _story(session: Session, story_id: str) -> Story:
    story = session.get(Story, resolve(session, story_id))
    if story is None:
        raise InputError(f"no such story: {story_id}")
    return story


def _free_id(session: Session, base: str) -> str:
    """A story id used neither by a story nor by a merge alias."""
    candidate, n = base, 1
    while _taken(session, candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _taken(session: Session, story_id: str) -> bool:
    return session.get(Story, story_id) is not None or session.get(StoryAlias, story_id) is not None


def _refresh(session: Session, story: Story) -> None:
    """Recount a story's size and first/last seen from its entries."""
    low, high, size = session.exec(
        select(func.min(EntryRow.published), func.max(EntryRow.published), func.count()).where(
            EntryRow.story_id == story.id
        )
    ).one()
    story.size = int(size)
    story.first_seen, story.last_seen = low, high
    session.add(story)
