"""Planner statistics are refreshed when the store's tables grow (PostgreSQL); SQLite is
left alone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, text

from monitor.store import Store, upkeep
from monitor.store import feeds as store_feeds
from monitor.store.tables import EntryRow

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def _grow(store: Store, rows: int) -> None:
    with store.session() as session:
        store_feeds.add_feed(session, "https://a.example/rss", "A", None, NOW)
        session.commit()
        session.execute(
            insert(EntryRow),
            [
                {
                    "uid": f"u{i}",
                    "feed_id": 1,
                    "guid": f"g{i}",
                    "text_hash": "h",
                    "link": "",
                    "title": "",
                    "summary": "",
                    "content": "",
                    "published": NOW,
                }
                for i in range(rows)
            ],
        )
        if store.engine.dialect.name == "postgresql":
            session.execute(text("SELECT pg_stat_force_next_flush()"))
        session.commit()


def test_grown_tables_are_analyzed_once(db_url: str) -> None:
    store = Store.open(db_url)
    _grow(store, 3000)
    with store.session() as session:
        first = upkeep.refresh_statistics(session)
    with store.session() as session:
        again = upkeep.refresh_statistics(session)
    if store.engine.dialect.name == "postgresql":
        assert "entry" in first and "feed" not in first  # one feed row is no change to speak of
        assert "entry" not in again
        with store.engine.connect() as conn:
            analyzed = conn.execute(
                text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'entry'")
            ).scalar()
        assert analyzed is not None
    else:
        assert first == again == []
    store.close()
