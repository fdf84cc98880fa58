"""Store rules that matter when workers overlap, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from monitor import claims
from monitor.store import Store
from monitor.store import entries as store_entries
from monitor.store import feeds as store_feeds
from monitor.store.entries import FeedUpdate, PollOutcome
from monitor.store.tables import Feed

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _update() -> FeedUpdate:
    return FeedUpdate(
        status=304,
        error=None,
        next_poll_at=NOW + timedelta(hours=1),
        failures=0,
        gone=False,
        interval_s=3600.0,
        retry_after=None,
        etag=None,
        last_modified=None,
        body_hash=None,
        title=None,
        new_url=None,
        success=True,
        elapsed_s=0.1,
    )


def test_a_late_result_never_frees_another_workers_lease(store: Store) -> None:
    with store.session() as session:
        store_feeds.add_feed(session, "https://a.example/rss", "A", None, NOW)
        session.commit()
        (due,) = store_feeds.lease_due(session, NOW, "worker-b", timedelta(minutes=10), 5)
    late = PollOutcome(feed_id=due.id, now=NOW, feed=_update(), owner="worker-a")
    with store.session() as session:
        store_entries.save_poll(session, late, claims.track)
        feed = session.exec(select(Feed)).one()
        assert feed.lease_owner == "worker-b" and feed.requests == 1
    mine = PollOutcome(feed_id=due.id, now=NOW, feed=_update(), owner="worker-b")
    with store.session() as session:
        store_entries.save_poll(session, mine, claims.track)
        assert session.exec(select(Feed)).one().lease_owner is None


def test_migrations_apply_twice_and_times_come_back_aware(db_url: str) -> None:
    first = Store.open(db_url)
    first.close()
    again = Store.open(db_url)  # idempotent
    with again.session() as session:
        store_feeds.add_feed(session, "https://b.example/rss", "B", None, NOW)
        session.commit()
        feed = session.exec(select(Feed)).one()
    assert feed.next_poll_at == NOW and feed.next_poll_at.tzinfo is not None
    again.close()
