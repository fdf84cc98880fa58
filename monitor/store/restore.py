"""The stored entries a story window is rebuilt from, streamed.

After a restart the poller re-reads the entries back to the dormant horizon, at
most ``stories.max_restore`` of the newest (``restore_floor``), in chunks, with only the columns
the clusterer needs (the text is the summary, or the content when there is
none, chosen in SQL), and handed over one by one: memory stays that of a chunk,
not of the whole range. Touches: the database (reads).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from monitor.store.entries import as_kind
from monitor.store.tables import EntryRow, Feed
from monitor.types import Assignment, ClusterItem

CHUNK = 1000  # rows fetched at a time


def restore_floor(session: Session, since: datetime, newest: int) -> datetime:
    """``since``, or later: the publication time of the ``newest``-th newest entry since
    then, so a restore reads at most about that many (all of them for 0)."""
    if newest <= 0:
        return since
    query = (
        select_columns(col(EntryRow.published))
        .where(col(EntryRow.published) >= since)
        .order_by(col(EntryRow.published).desc())
        .offset(newest - 1)
        .limit(1)
    )
    found = session.execute(query).scalar()
    return max(since, found) if found is not None else since


def cluster_items(
    session: Session, since: datetime, after_id: int = 0, language: str = "en"
) -> Iterator[tuple[int, ClusterItem, Assignment]]:
    """Stored entries published since ``since`` (and with id > after_id), in published
    order, as the clusterer saw them, with their stored assignments. ``language``: for
    entries stored without one (before the poller stored the language it clustered
    them in), after their feed's. Iterate inside the session."""
    text = func.coalesce(func.nullif(col(EntryRow.summary), ""), col(EntryRow.content))
    query = (
        select_columns(
            col(EntryRow.id),
            col(EntryRow.uid),
            col(EntryRow.title),
            text,
            col(EntryRow.published),
            col(EntryRow.link),
            col(EntryRow.language),
            col(EntryRow.story_id),
            col(EntryRow.kind),
            col(EntryRow.duplicate_of),
            col(EntryRow.scores),
            col(Feed.name),
            col(Feed.url),
            col(Feed.language),
        )
        .join(Feed, col(EntryRow.feed_id) == col(Feed.id))
        .where(col(EntryRow.published) >= since, col(EntryRow.id) > after_id)
        .order_by(col(EntryRow.published), col(EntryRow.id))
    )
    connection = session.connection().execution_options(stream_results=True, yield_per=CHUNK)
    for row in connection.execute(query):
        pk, uid, title, body, published, link, lang, story, kind, copy_of, scores = row[:11]
        feed_name, feed_url, feed_language = row[11:]
        item = ClusterItem(
            id=uid,
            title=title,
            text=body or "",
            published=published,
            source=feed_name or feed_url,
            url=link,
            language=lang or feed_language or language,
        )
        assignment = Assignment(
            item_id=uid,
            story_id=story or f"s-{uid}",
            kind=as_kind(kind),
            duplicate_of=copy_of,
            scores=json.loads(scores or "{}"),
        )
        yield pk, item, assignment
