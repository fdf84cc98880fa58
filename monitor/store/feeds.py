"""Feed rows: subscription, leasing of due feeds, poll state and health.

Leasing uses SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL so that several
workers never poll one feed twice; on SQLite one daemon holds the store and
the same statement runs without the locking clause. Touches: the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from monitor.store.tables import EntryRow, Feed, outlet_name
from monitor.types import FeedHealth, FeedRequest


@dataclass(frozen=True, slots=True)
class DueFeed:
    """A leased feed: what the poller needs to fetch and judge it."""

    id: int
    url: str
    name: str
    language: str | None
    request: FeedRequest
    failures: int
    interval_s: float | None
    entries_per_day: float | None = None


RATE_WINDOW = timedelta(days=7)


def add_feed(session: Session, url: str, name: str, language: str | None, now: datetime) -> bool:
    """Subscribe; True when the feed is new or changed. Re-adding re-activates it.

    Safe when several workers subscribe the same feed at once (INSERT ... ON CONFLICT)."""
    dialect = session.get_bind().dialect.name
    insert = postgres_insert if dialect == "postgresql" else sqlite_insert
    row = {
        "url": url,
        "name": name,
        "language": language,
        "next_poll_at": now,
        "created_at": now,
        "title": "",
        "active": True,
        "gone": False,
        "failures": 0,
        "requests": 0,
        "not_modified": 0,
    }
    inserted = session.execute(
        insert(Feed).values(**row).on_conflict_do_nothing(index_elements=["url"])
    )
    if getattr(inserted, "rowcount", 0):
        return True
    feed = session.exec(select(Feed).where(Feed.url == url)).one()
    changed = (
        feed.gone
        or not feed.active
        or bool(name and feed.name != name)
        or bool(language and feed.language != language)
    )
    if changed:
        feed.active, feed.gone, feed.failures = True, False, 0
        feed.next_poll_at = now
        feed.name = name or feed.name
        feed.language = language or feed.language
        session.add(feed)
    return changed


def remove_feed(session: Session, url: str) -> bool:
    """Unsubscribe (entries are kept, the feed stops being polled)."""
    feed = session.exec(select(Feed).where(Feed.url == url)).first()
    if feed is None or not feed.active:
        return False
    feed.active = False
    session.add(feed)
    return True


def count_active(session: Session) -> int:
    query = select(func.count()).select_from(Feed).where(col(Feed.active).is_(True))
    return max(1, int(session.exec(query).one()))


def list_feeds(session: Session, active_only: bool = True) -> list[Feed]:
    query = select(Feed).order_by(col(Feed.id))
    if active_only:
        query = query.where(col(Feed.active).is_(True))
    return list(session.exec(query))


def lease_due(
    session: Session,
    now: datetime,
    owner: str,
    lease: timedelta,
    limit: int,
    everything: bool = False,
) -> list[DueFeed]:
    """Lease up to ``limit`` due feeds to ``owner`` until now+lease.

    ``everything`` ignores the schedule (poll --all) but never a Retry-After
    in force, nor a live lease of another worker, nor a gone feed."""
    query = (
        select(Feed)
        .where(col(Feed.active).is_(True))
        # a gone feed (410) is only re-checked when its (long) next poll is due, even with --all
        .where(or_(col(Feed.gone).is_(False), col(Feed.next_poll_at) <= now))
        .where(or_(col(Feed.lease_until).is_(None), col(Feed.lease_until) < now))
        .where(or_(col(Feed.retry_after).is_(None), col(Feed.retry_after) <= now))
        .order_by(col(Feed.next_poll_at).asc().nulls_first(), col(Feed.id))
        .limit(limit)
    )
    if not everything:
        query = query.where(or_(col(Feed.next_poll_at).is_(None), col(Feed.next_poll_at) <= now))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    feeds = list(session.exec(query))
    until = now + lease
    for feed in feeds:
        feed.lease_until = until
        feed.lease_owner = owner
        session.add(feed)
    session.commit()
    rates = _posting_rates(session, feeds, now)
    return [_due(feed, rates) for feed in feeds]


def _posting_rates(session: Session, feeds: list[Feed], now: datetime) -> dict[int, float]:
    """Entries per day over the last week, or over the feed's life when shorter
    (at least a day, so a new feed's first burst does not look like a torrent)."""
    ids = [f.id for f in feeds if f.id is not None]
    if not ids:
        return {}
    rows = session.exec(
        select(EntryRow.feed_id, func.count())
        .where(col(EntryRow.feed_id).in_(ids), col(EntryRow.published) >= now - RATE_WINDOW)
        .group_by(col(EntryRow.feed_id))
    ).all()
    days = {f.id: _observed_days(f, now) for f in feeds}
    return {int(feed_id): n / days[feed_id] for feed_id, n in rows}


def _observed_days(feed: Feed, now: datetime) -> float:
    known = now - feed.created_at if feed.created_at else RATE_WINDOW
    return max(1.0, min(RATE_WINDOW, known).total_seconds() / 86400)


def lease_owners(session: Session) -> set[str]:
    """The workers holding leases now."""
    query = select(Feed.lease_owner).where(col(Feed.lease_owner).is_not(None)).distinct()
    return {owner for owner in session.exec(query) if owner}


def release_leases(session: Session, owner: str | None) -> None:
    """Give back every lease of ``owner`` (clean shutdown), or every lease at all
    (``None``: only when no other worker can be alive, e.g. the SQLite daemon)."""
    query = update(Feed).where(col(Feed.lease_owner).is_not(None))
    if owner is not None:
        query = query.where(col(Feed.lease_owner) == owner)
    session.execute(query.values(lease_until=None, lease_owner=None))
    session.commit()


def _due(feed: Feed, rates: dict[int, float]) -> DueFeed:
    assert feed.id is not None
    return DueFeed(
        id=feed.id,
        url=feed.url,
        name=outlet_name(feed.name, feed.title, feed.url),
        language=feed.language,
        request=FeedRequest(
            url=feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            body_hash=feed.body_hash,
        ),
        failures=feed.failures,
        interval_s=feed.interval_s,
        entries_per_day=rates.get(feed.id or 0, 0.0) if feed.last_success_at else None,
    )


def health(session: Session, urls: Sequence[str] | None = None) -> list[FeedHealth]:
    counts = dict(
        session.exec(select(EntryRow.feed_id, func.count()).group_by(col(EntryRow.feed_id))).all()
    )
    result = []
    for feed in list_feeds(session, active_only=False):
        if urls is not None and feed.url not in urls:
            continue
        if not feed.active:
            continue
        result.append(
            FeedHealth(
                url=feed.url,
                name=outlet_name(feed.name, feed.title, feed.url),
                last_status=feed.last_status,
                error=feed.last_error,
                failures=feed.failures,
                gone=feed.gone,
                last_success=feed.last_success_at,
                next_poll_at=feed.next_poll_at,
                entries=int(counts.get(feed.id or 0, 0)),
                requests=feed.requests,
                not_modified=feed.not_modified,
                retry_after=feed.retry_after,
            )
        )
    return result
