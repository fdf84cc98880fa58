"""The day's stories for the digest: a ranked cap, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from monitor.store import Store
from monitor.store import feeds as store_feeds
from monitor.store import views as store_views
from monitor.store.tables import EntryRow, Feed, Story

DAY = datetime(2026, 11, 24, tzinfo=UTC)

# story -> (outlet, kind, hours into the day); negative hours: the day before
STORIES: dict[str, list[tuple[str, str, float]]] = {
    "wide": [("a", "new", 1), ("b", "join", 2), ("c", "join", 3)],
    # five outlets, but three only carry copies of the wire story: two independent
    "wire": [
        ("a", "new", 4),
        ("b", "join", 5),
        ("c", "copy", 5),
        ("d", "copy", 6),
        ("e", "exact", 6),
    ],
    "pair-old": [("d", "new", 1), ("e", "join", 2)],
    "pair-new": [("d", "new", 9), ("e", "join", 10)],
    "solo": [("a", "new", 11), ("a", "join", 12)],
    # wide, but the day before: not in this day's digest at all
    "yesterday": [("a", "new", -5), ("b", "join", -4), ("c", "join", -3)],
}


def _fill(store: Store) -> None:
    with store.session() as session:
        for outlet in "abcde":
            store_feeds.add_feed(session, f"https://{outlet}.example/rss", outlet, None, DAY)
        session.commit()
        feeds = {f.name: f.id for f in session.exec(select(Feed))}
        for story, entries in STORIES.items():
            times = [DAY + timedelta(hours=h) for _, _, h in entries]
            session.add(Story(id=story, title=story, first_seen=min(times), last_seen=max(times)))
            session.flush()
            for n, ((outlet, kind, _), when) in enumerate(zip(entries, times, strict=True)):
                session.add(
                    EntryRow(
                        uid=f"{story}-{n}",
                        feed_id=feeds[outlet],
                        guid=f"{story}-{n}",
                        text_hash=f"{story}-{n}",
                        title=f"{story} {n}",
                        published=when,
                        story_id=story,
                        kind=kind,
                    )
                )
        session.commit()


def test_a_capped_day_keeps_the_most_widely_reported_stories(store: Store) -> None:
    _fill(store)
    end = DAY + timedelta(days=1)
    with store.session() as session:
        everything, active = store_views.day_stories(session, DAY, end, 0)
        assert active == 5 and {v.id for v in everything} == set(STORIES) - {"yesterday"}
        top, active = store_views.day_stories(session, DAY, end, 3)
        # wide: 3 independent outlets; wire and both pairs: 2 each, the latest updated first
        assert active == 5 and {v.id for v in top} == {"wide", "wire", "pair-new"}
        wire = next(v for v in top if v.id == "wire")
        assert len(wire.entries) == 5  # a kept story comes with all its entries
        one, _ = store_views.day_stories(session, DAY, end, 1)
        assert [v.id for v in one] == ["wide"]


def test_two_feeds_of_one_outlet_rank_as_one_outlet(store: Store) -> None:
    """Ranked by outlets as the cards count them (by name), not by feeds."""
    with store.session() as session:
        for url, name in [
            ("https://wire.example/world", "Wire"),
            ("https://wire.example/europe", "Wire"),
            ("https://x.example/rss", "X"),
            ("https://y.example/rss", "Y"),
        ]:
            store_feeds.add_feed(session, url, name, None, DAY)
        session.commit()
        feeds = {f.url: f.id for f in session.exec(select(Feed))}
        # "one-outlet": both feeds of Wire, later in the day (it would win a tie);
        # "two-outlets": X and Y
        reports = {
            "one-outlet": [("https://wire.example/world", 8), ("https://wire.example/europe", 9)],
            "two-outlets": [("https://x.example/rss", 1), ("https://y.example/rss", 2)],
        }
        for story, rows in reports.items():
            times = [DAY + timedelta(hours=h) for _, h in rows]
            session.add(Story(id=story, title=story, first_seen=min(times), last_seen=max(times)))
            session.flush()
            for n, ((url, _), when) in enumerate(zip(rows, times, strict=True)):
                uid = f"{story}-{n}"
                session.add(
                    EntryRow(
                        uid=uid,
                        feed_id=feeds[url],
                        guid=uid,
                        text_hash=uid,
                        title=uid,
                        published=when,
                        story_id=story,
                        kind="new" if n == 0 else "join",
                    )
                )
        session.commit()
        end = DAY + timedelta(days=1)
        [top], active = store_views.day_stories(session, DAY, end, 1, reports=10)
        assert active == 2 and top.id == "two-outlets"
        assert top.counts is not None and top.counts.outlets == 2
