"""Read models: stories of a period with entries and tracks, for the digest and CLI.

Touches: the database (reads only).
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from datetime import datetime

from sqlalchemy import case, distinct, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from monitor.store.entries import as_kind
from monitor.store.tables import EntryRow, Feed, Story, TrackRow, outlet_name
from monitor.store.tracks import step_from_json
from monitor.types import EntryView, StoryView, Track, TrackStep


def story_views(session: Session, start: datetime, end: datetime) -> list[StoryView]:
    """Stories with at least one entry published in [start, end), with all their
    entries (also earlier ones) and tracks."""
    ids = set(
        session.exec(
            select(EntryRow.story_id)
            .where(col(EntryRow.published) >= start, col(EntryRow.published) < end)
            .where(col(EntryRow.story_id).is_not(None))
            .distinct()
        )
    )
    return stories_by_id(session, sorted(i for i in ids if i))


def day_stories(
    session: Session, start: datetime, end: datetime, limit: int = 0
) -> tuple[list[StoryView], int]:
    """The stories active in [start, end), at most ``limit`` of them (0: all), and how
    many were active. With a limit, the ones kept are those reported that day by the
    most independent outlets (copies do not count), then the most recently updated."""
    if limit <= 0:
        views = story_views(session, start, end)
        return views, len(views)
    on_day = (col(EntryRow.published) >= start) & (col(EntryRow.published) < end)
    independent = case((col(EntryRow.kind).in_(("copy", "exact")), None), else_=EntryRow.feed_id)
    outlets = func.count(distinct(independent))
    latest = func.max(EntryRow.published)
    ranked = list(
        session.execute(
            select_columns(col(EntryRow.story_id), outlets, latest)
            .where(on_day, col(EntryRow.story_id).is_not(None))
            .group_by(col(EntryRow.story_id))
        )
    )
    ranked.sort(key=lambda r: (-r[1], -_stamp(r[2]), r[0]))
    keep = sorted(str(r[0]) for r in ranked[:limit])
    return stories_by_id(session, keep), len(ranked)


def _named(step: TrackStep, outlets: dict[str, str]) -> TrackStep:
    outlet = outlets.get(step.entry_id, step.outlet)
    return step if outlet == step.outlet else dataclasses.replace(step, outlet=outlet)


def _stamp(when: datetime | None) -> float:
    return when.timestamp() if when is not None else 0.0


def stories_by_id(session: Session, ids: list[str]) -> list[StoryView]:
    if not ids:
        return []
    entries: dict[str, list[EntryView]] = defaultdict(list)
    # the columns a view shows, not whole rows: an entry's content (its full text), guid
    # and scores would be read, buffered and kept in the session's identity map for nothing
    rows = session.execute(
        select_columns(
            col(EntryRow.story_id),
            col(EntryRow.uid),
            col(Feed.name),
            col(Feed.title),
            col(Feed.url),
            col(EntryRow.title),
            col(EntryRow.link),
            col(EntryRow.summary),
            col(EntryRow.published),
            col(EntryRow.fetched_at),
            col(EntryRow.kind),
            col(EntryRow.duplicate_of),
        )
        .join(Feed, col(EntryRow.feed_id) == col(Feed.id))
        .where(col(EntryRow.story_id).in_(ids))
        .order_by(col(EntryRow.published), col(EntryRow.id))
    )
    for story_id, uid, name, feed_title, url, title, link, summary, *rest in rows:
        published, fetched_at, kind, duplicate_of = rest
        assert story_id is not None
        entries[story_id].append(
            EntryView(
                entry_id=uid,
                outlet=outlet_name(name, feed_title, url),
                title=title,
                link=link,
                summary=summary,
                published=published or fetched_at or datetime.min,
                kind=as_kind(kind),
                duplicate_of=duplicate_of,
            )
        )
    # each step names its outlet as the feed is named now (a track row keeps the name the
    # feed had when its family was last rebuilt: a feed renamed since is shown renamed)
    outlets = {e.entry_id: e.outlet for items in entries.values() for e in items}
    tracks: dict[str, list[Track]] = defaultdict(list)
    for t in session.exec(
        select(TrackRow).where(col(TrackRow.story_id).in_(ids)).order_by(col(TrackRow.key))
    ):
        steps = tuple(_named(step_from_json(s), outlets) for s in json.loads(t.steps))
        tracks[t.story_id].append(
            Track(
                story_id=t.story_id,
                key=t.key,
                unit=t.unit,
                noun=t.noun,
                predicate=t.predicate,
                steps=steps,
            )
        )
    views = []
    for story in session.exec(select(Story).where(col(Story.id).in_(ids))):
        items = tuple(entries.get(story.id, ()))
        if not items:
            continue
        views.append(
            StoryView(
                id=story.id,
                title=story.title,
                first_seen=story.first_seen or items[0].published,
                last_seen=story.last_seen or items[-1].published,
                entries=items,
                # as claims.track orders them: rows of untouched families keep older ids
                tracks=tuple(
                    sorted(tracks.get(story.id, ()), key=lambda t: (t.steps[0].published, t.key))
                ),
            )
        )
    views.sort(key=lambda v: (v.first_seen, v.id))
    return views
