"""Store rules that matter when workers overlap, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from monitor import claims
from monitor.errors import StoreError
from monitor.store import Store
from monitor.store import entries as store_entries
from monitor.store import feeds as store_feeds
from monitor.store import feedstate as store_feedstate
from monitor.store.entries import PollOutcome
from monitor.store.feedstate import FeedState, FeedUpdate
from monitor.store.tables import EntryRow, Feed, FetchLog, Story, TrackRow
from monitor.types import Assignment, Entry

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
        store_entries.save_poll(session, late, claims.Tracking())
        feed = session.exec(select(Feed)).one()
        assert feed.lease_owner == "worker-b" and feed.requests == 1
    mine = PollOutcome(feed_id=due.id, now=NOW, feed=_update(), owner="worker-b")
    with store.session() as session:
        store_entries.save_poll(session, mine, claims.Tracking())
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


def _state(feed_id: int, owner: str | None, **changes: object) -> FeedState:
    return FeedState(feed_id, NOW, dataclasses.replace(_update(), **changes), owner)


def test_entry_less_results_are_written_together_with_the_same_rules(store: Store) -> None:
    with store.session() as session:
        for name in "abc":
            store_feeds.add_feed(session, f"https://{name}.example/rss", name, None, NOW)
        session.commit()
        a, b, c = store_feeds.lease_due(session, NOW, "worker-a", timedelta(minutes=10), 5)
        # b's lease expired and another worker took it over: a's late result must not free it
        session.execute(update(Feed).where(col(Feed.id) == b.id).values(lease_owner="worker-b"))
        session.commit()
    states = [
        _state(a.id, "worker-a"),
        _state(b.id, "worker-a", status=500, error="HTTP 500", failures=1, success=False),
        _state(c.id, None, status=200, etag='"v2"', body_hash="h2", title="C title"),
    ]
    with store.session() as session:
        store_feedstate.save_states(session, states)
    with store.session() as session:
        rows = {f.id: f for f in session.exec(select(Feed))}
        logs = session.exec(select(FetchLog)).all()
    fa, fb, fc = rows[a.id], rows[b.id], rows[c.id]
    assert (fa.requests, fa.not_modified, fa.lease_owner) == (1, 1, None)
    assert (fb.requests, fb.not_modified, fb.failures, fb.last_error) == (1, 0, 1, "HTTP 500")
    assert fb.lease_owner == "worker-b" and fb.last_success_at is None
    assert (fc.etag, fc.body_hash, fc.title, fc.lease_owner) == ('"v2"', "h2", "C title", None)
    assert fc.last_success_at == NOW and fc.next_poll_at == NOW + timedelta(hours=1)
    assert sorted((log.feed_id, log.status, log.error) for log in logs) == [
        (a.id, 304, None),
        (b.id, 500, "HTTP 500"),
        (c.id, 200, None),
    ]


def test_a_batch_of_results_lands_whole_or_not_at_all(store: Store) -> None:
    with store.session() as session:
        store_feeds.add_feed(session, "https://a.example/rss", "A", None, NOW)
        session.commit()
        (a,) = store_feeds.lease_due(session, NOW, "worker-a", timedelta(minutes=10), 5)
    missing_feed = a.id + 1000  # its fetch-log row breaks the foreign key
    with pytest.raises(StoreError), store.session() as session:
        store_feedstate.save_states(
            session, [_state(a.id, "worker-a"), _state(missing_feed, "worker-a")]
        )
    with store.session() as session:
        feed = session.exec(select(Feed)).one()
        assert (feed.requests, feed.lease_owner) == (0, "worker-a")
        assert session.exec(select(FetchLog)).all() == []


def _new(feed_id: int, guid: str, story: str, kind: str, text: str) -> store_entries.NewEntry:
    entry = Entry(
        guid, text, f"https://x.example/{guid}", f"https://x.example/{guid}", text, "", NOW, None
    )
    return store_entries.NewEntry(
        uid=f"{feed_id}-{guid}",
        entry=entry,
        text_hash=guid,
        published=NOW,
        assignment=Assignment(item_id=f"{feed_id}-{guid}", story_id=story, kind=kind),  # type: ignore[arg-type]
        claims=tuple(claims.extract(text, "en")),
    )


def test_results_written_together_share_one_transaction_and_their_stories(
    store: Store,
) -> None:
    with store.session() as session:
        for name in "ab":
            store_feeds.add_feed(session, f"https://{name}.example/rss", name, None, NOW)
        session.commit()
        a, b = store_feeds.lease_due(session, NOW, "w", timedelta(minutes=10), 5)
    one = PollOutcome(
        feed_id=a.id,
        now=NOW,
        feed=_update(),
        owner="w",
        new=(_new(a.id, "1", "s-1", "new", "Storm kills 12 people."),),
        touched_stories=frozenset({"s-1"}),
    )
    two = PollOutcome(
        feed_id=b.id,
        now=NOW,
        feed=_update(),
        owner="w",
        new=(_new(b.id, "2", "s-1", "join", "Storm kills 14 people, officials say."),),
        touched_stories=frozenset({"s-1"}),
    )
    with store.session() as session:
        store_entries.save_polls(session, [one, two], claims.Tracking())
    with store.session() as session:
        story = session.exec(select(Story)).one()
        assert (story.id, story.size) == ("s-1", 2)
        (track,) = session.exec(select(TrackRow)).all()  # both reports in one track
        assert [step["value"] for step in json.loads(track.steps)] == [12.0, 14.0]
        assert {f.lease_owner for f in session.exec(select(Feed))} == {None}
    bad = dataclasses.replace(
        two,
        feed_id=b.id + 1000,
        new=(_new(b.id + 1000, "3", "s-2", "new", "x 3"),),
        touched_stories=frozenset({"s-2"}),
    )
    good = dataclasses.replace(
        one,
        new=(_new(a.id, "4", "s-3", "new", "Flood: 5 dead."),),
        touched_stories=frozenset({"s-3"}),
    )
    with pytest.raises(StoreError), store.session() as session:
        store_entries.save_polls(session, [good, bad], claims.Tracking())
    with store.session() as session:  # all or nothing: the good result is not there either
        assert len(session.exec(select(EntryRow)).all()) == 2
        assert session.exec(select(Story).where(col(Story.id) == "s-3")).first() is None
