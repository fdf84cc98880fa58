"""Read models: stories of a period with entries and tracks, for the digest and CLI.

Touches: the database (reads only).
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import case, distinct, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from monitor.store.entries import as_kind
from monitor.store.tables import EntryRow, Feed, Story, TrackRow, outlet_name
from monitor.store.tracks import step_from_json
from monitor.thinning import notable
from monitor.types import EntryView, ReportCounts, StoryView, Track, TrackStep


def story_views(session: Session, start: datetime, end: datetime) -> list[StoryView]:
    """Stories with at least one entry published in [start, end), with all their
    entries (also earlier and later ones) and tracks."""
    return stories_by_id(session, _active_ids(session, start, end))


def _active_ids(session: Session, start: datetime, end: datetime) -> list[str]:
    ids = session.exec(
        select(EntryRow.story_id)
        .where(col(EntryRow.published) >= start, col(EntryRow.published) < end)
        .where(col(EntryRow.story_id).is_not(None))
        .distinct()
    )
    return sorted(i for i in set(ids) if i)


def day_stories(
    session: Session,
    start: datetime,
    end: datetime,
    limit: int = 0,
    reports: int = 0,
    steps: int = 0,
) -> tuple[list[StoryView], int]:
    """The stories active in [start, end), at most ``limit`` of them (0: all), and how
    many were active, as of ``end`` (nothing published later) with ``reports`` and
    ``steps`` capped as in ``stories_by_id``. With a limit, the ones kept are those
    reported that day by the most independent outlets (copies do not count), then the
    most recently updated."""
    if limit <= 0:
        views = stories_by_id(session, _active_ids(session, start, end), end, reports, steps)
        return views, len(views)
    on_day = (col(EntryRow.published) >= start) & (col(EntryRow.published) < end)
    # outlets as the cards count them: by name (two feeds of one outlet are one outlet)
    independent = case((col(EntryRow.kind).in_(("copy", "exact")), None), else_=_outlet())
    outlets = func.count(distinct(independent))
    latest = func.max(EntryRow.published)
    story_id = col(EntryRow.story_id)
    # ranked and cut in the database: a busy day has hundreds of thousands of stories
    # (ties by id in code point order on both engines)
    by_id = story_id.collate("C") if session.get_bind().dialect.name == "postgresql" else story_id
    top = session.execute(
        select_columns(story_id)
        .join(Feed, col(EntryRow.feed_id) == col(Feed.id))
        .where(on_day, story_id.is_not(None))
        .group_by(story_id)
        .order_by(outlets.desc(), latest.desc(), by_id)
        .limit(limit)
    )
    keep = sorted(str(r[0]) for r in top)
    active = session.execute(
        select_columns(func.count(distinct(story_id))).where(on_day, story_id.is_not(None))
    ).scalar_one()
    return stories_by_id(session, keep, end, reports, steps), int(active)


def _named(step: TrackStep, outlets: dict[str, str]) -> TrackStep:
    outlet = outlets.get(step.entry_id, step.outlet)
    return step if outlet == step.outlet else dataclasses.replace(step, outlet=outlet)


def stories_by_id(
    session: Session,
    ids: list[str],
    until: datetime | None = None,
    reports: int = 0,
    steps: int = 0,
) -> list[StoryView]:
    """These stories with their entries and tracks; with ``until``, only what was
    published before it. ``reports`` > 0 (needs ``until``) lists at most that many
    entries per story, the earliest fifth and the latest rest, with the story's
    ``counts``; ``steps`` > 0 thins each track to its notable steps
    (``thinning.notable``). A digest reads so much of a story of thousands of reports."""
    if not ids:
        return []
    capped = until is not None and reports > 0
    entries = _entries(session, ids, until, reports if capped else 0)
    tracks = _tracks(session, ids, until, steps)
    listed = {e.entry_id for items in entries.values() for e in items}
    wanted = {e.duplicate_of for items in entries.values() for e in items if e.duplicate_of}
    wanted |= {s.entry_id for items in tracks.values() for t in items for s in t.steps}
    # each step names its outlet as the feed is named now (a track row keeps the name the
    # feed had when its family was last rebuilt: a feed renamed since is shown renamed)
    outlets = {e.entry_id: e.outlet for items in entries.values() for e in items}
    outlets |= _outlets_of(session, sorted(wanted - listed))
    counts = _counts(session, ids, until) if capped and until is not None else {}
    views = []
    for story in session.exec(select(Story).where(col(Story.id).in_(ids))):
        items = tuple(_with_original(e, outlets) for e in entries.get(story.id, ()))
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
                    sorted(
                        (_renamed(t, outlets) for t in tracks.get(story.id, ())),
                        key=lambda t: (t.steps[0].published, t.key),
                    )
                ),
                counts=counts.get(story.id),
            )
        )
    views.sort(key=lambda v: (v.first_seen, v.id))
    return views


def _effective() -> Any:
    """When an entry counts as published (the views' order: published, else fetched)."""
    return func.coalesce(col(EntryRow.published), col(EntryRow.fetched_at))


def _outlet() -> Any:
    """``tables.outlet_name`` in SQL."""
    return func.coalesce(
        func.nullif(col(Feed.name), ""), func.nullif(col(Feed.title), ""), Feed.url
    )


def _entries(
    session: Session, ids: list[str], until: datetime | None, reports: int
) -> dict[str, list[EntryView]]:
    # the columns a view shows, not whole rows: an entry's content (its full text), guid
    # and scores would be read, buffered and kept in the session's identity map for nothing
    query = (
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
        # the same order on both engines (NULLs first on SQLite, last on PostgreSQL)
        .order_by(_effective(), col(EntryRow.id))
    )
    if reports > 0:
        sample = _sample(ids, until, reports)
        query = query.join(sample, col(EntryRow.id) == sample.c.sample_id)
    else:
        query = query.where(col(EntryRow.story_id).in_(ids))
        if until is not None:
            query = query.where(_effective() < until)
    entries: dict[str, list[EntryView]] = defaultdict(list)
    for story_id, uid, name, feed_title, url, title, link, summary, *rest in session.execute(query):
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
    return entries


def _sample(ids: list[str], until: datetime | None, reports: int) -> Any:
    """The ids of each story's earliest ``reports // 5`` (at least one: the first report)
    and latest other entries published before ``until`` (with ``reports`` 1, only the
    latest: the one that puts the story on the day): the database ranks a story's
    thousands of entries, only the sample reaches Python."""
    head = min(max(1, reports // 5), reports - 1)
    order = (_effective(), col(EntryRow.id))
    first = func.row_number().over(partition_by=col(EntryRow.story_id), order_by=order)
    last = func.row_number().over(
        partition_by=col(EntryRow.story_id), order_by=tuple(c.desc() for c in order)
    )
    ranked = select_columns(
        col(EntryRow.id).label("sample_id"), first.label("rank_first"), last.label("rank_last")
    ).where(col(EntryRow.story_id).in_(ids))
    if until is not None:
        ranked = ranked.where(_effective() < until)
    inner = ranked.subquery("ranked")
    return (
        select_columns(inner.c.sample_id)
        .where((inner.c.rank_first <= head) | (inner.c.rank_last <= reports - head))
        .subquery("sample")
    )


def _counts(session: Session, ids: list[str], until: datetime) -> dict[str, ReportCounts]:
    is_copy = col(EntryRow.kind).in_(("copy", "exact"))
    rows = session.execute(
        select_columns(
            col(EntryRow.story_id),
            func.count(),
            func.count(distinct(case((is_copy, None), else_=_outlet()))),
            func.sum(case((is_copy, 1), else_=0)),
        )
        .join(Feed, col(EntryRow.feed_id) == col(Feed.id))
        .where(col(EntryRow.story_id).in_(ids), _effective() < until)
        .group_by(col(EntryRow.story_id))
    )
    return {
        str(sid): ReportCounts(reports=int(n), outlets=int(outlets), copies=int(copies or 0))
        for sid, n, outlets, copies in rows
    }


def _outlets_of(session: Session, uids: list[str]) -> dict[str, str]:
    """The outlet (as named now) of each of these entries."""
    found: dict[str, str] = {}
    for i in range(0, len(uids), _CHUNK):
        rows = session.execute(
            select_columns(col(EntryRow.uid), col(Feed.name), col(Feed.title), col(Feed.url))
            .join(Feed, col(EntryRow.feed_id) == col(Feed.id))
            .where(col(EntryRow.uid).in_(uids[i : i + _CHUNK]))
        )
        found.update((uid, outlet_name(name, title, url)) for uid, name, title, url in rows)
    return found


_CHUNK = 500


def _tracks(
    session: Session, ids: list[str], until: datetime | None, steps: int
) -> dict[str, list[Track]]:
    tracks: dict[str, list[Track]] = defaultdict(list)
    rows = session.execute(
        select_columns(
            col(TrackRow.story_id),
            col(TrackRow.key),
            col(TrackRow.unit),
            col(TrackRow.noun),
            col(TrackRow.predicate),
            col(TrackRow.steps),
        )
        .where(col(TrackRow.story_id).in_(ids))
        .order_by(col(TrackRow.key))
        # streamed: a long track's JSON is tens of kB, a day's hundreds of them
        .execution_options(yield_per=64)
    )
    for story_id, key, unit, noun, predicate, steps_json in rows:
        raw: list[dict[str, Any]] = json.loads(steps_json)
        if until is not None:
            raw = [d for d in raw if datetime.fromisoformat(d["published"]) < until]
        if not raw:
            continue
        # thinned on the stored dicts: a soak's track has a step per report of its story
        marks = [(d["label"], d["value"], d["low"], d["high"]) for d in raw]
        kept = tuple(step_from_json(raw[i]) for i in notable(marks, steps))
        tracks[story_id].append(
            Track(
                story_id=story_id,
                key=key,
                unit=unit,
                noun=noun,
                predicate=predicate,
                steps=kept,
                total_steps=len(raw) if len(kept) < len(raw) else 0,
            )
        )
    return tracks


def _renamed(track: Track, outlets: dict[str, str]) -> Track:
    steps = tuple(_named(s, outlets) for s in track.steps)
    return track if steps == track.steps else dataclasses.replace(track, steps=steps)


def _with_original(entry: EntryView, outlets: dict[str, str]) -> EntryView:
    if not entry.duplicate_of or entry.duplicate_of not in outlets:
        return entry
    return dataclasses.replace(entry, duplicate_outlet=outlets[entry.duplicate_of])
