"""Hand edits (merge, split) and a poll's write take the same story locks (PostgreSQL:
the stories' rows; SQLite: the write lock): a poll written while its story is merged
away lands in the kept story, and an edit waits for a poll being written to its
stories."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from monitor import claims
from monitor.store import Store, edits
from monitor.store import entries as store_entries
from monitor.store.tables import EntryRow, Story
from tests.test_store_ingest import NOW, _feeds, _new, _outcome, _save


def _waiting(store: Store) -> int:
    """PostgreSQL backends of this database waiting for a lock."""
    with store.session() as session:
        query = text(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(session.execute(query).scalar() or 0)


def _until_waiting(store: Store, thread: threading.Thread) -> None:
    """Until ``thread`` waits for a lock this test holds."""
    if store.engine.dialect.name != "postgresql":  # SQLite: no view of who waits
        time.sleep(0.5)
        assert thread.is_alive(), "the other side finished without waiting for the lock"
        return
    deadline = time.monotonic() + 20
    while _waiting(store) == 0:
        assert thread.is_alive(), "the other side finished without waiting for the lock"
        assert time.monotonic() < deadline, "nobody waited for the lock"
        time.sleep(0.02)


def _in_thread(work: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as e:  # reported by the test
            errors.append(e)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _two_stories(store: Store) -> int:
    (feed,) = _feeds(store, 1)
    _save(
        store,
        [
            _outcome(
                feed,
                _new(feed, "a", "s-keep", "Police said 1 man died", NOW - timedelta(hours=2)),
                _new(feed, "b", "s-gone", "Police said 2 men died", NOW - timedelta(hours=1)),
            )
        ],
    )
    return feed


def test_a_poll_written_while_its_story_is_merged_lands_in_the_kept_story(store: Store) -> None:
    feed = _two_stories(store)
    late = _outcome(feed, _new(feed, "c", "s-gone", "Police said 3 men died"))
    stack = ExitStack()
    holder = stack.enter_context(store.session())
    store_entries.lock_stories(holder, {"s-gone"})  # a merge of s-gone is under way

    def poll() -> None:
        with store.session() as session:
            store_entries.save_polls(session, [late], claims.Tracking())

    thread, errors = _in_thread(poll)
    _until_waiting(store, thread)  # it read no alias, and waits for s-gone's lock
    assert edits.merge(holder, "s-keep", "s-gone", NOW, claims.Tracking()) == "s-keep"
    stack.close()
    thread.join(30)
    assert not thread.is_alive() and not errors, errors
    with store.session() as session:
        assert session.get(Story, "s-gone") is None, "the merged-away story came back"
        row = session.exec(select(EntryRow).where(EntryRow.uid == f"{feed}-c")).one()
        assert row.story_id == "s-keep"
        kept = session.get(Story, "s-keep")
        assert kept is not None and kept.size == 3


@pytest.mark.parametrize("edit", ["merge", "split"])
def test_an_edit_waits_for_a_poll_being_written_to_its_story(store: Store, edit: str) -> None:
    feed = _two_stories(store)
    if edit == "split":  # a story of two entries, one of them split out
        _save(store, [_outcome(feed, _new(feed, "d", "s-keep", "Police said 4 men died"))])
    stack = ExitStack()
    writer = stack.enter_context(store.session())
    store_entries.lock_stories(writer, {"s-keep"})  # a poll is being written to s-keep
    done: list[str] = []

    def run(session: Session) -> None:
        if edit == "merge":
            done.append(edits.merge(session, "s-gone", "s-keep", NOW, claims.Tracking()))
        else:
            done.append(edits.split(session, "s-keep", f"{feed}-d", NOW, claims.Tracking()))

    def work() -> None:
        with store.session() as session:
            run(session)

    thread, errors = _in_thread(work)
    _until_waiting(store, thread)
    assert not done, "the edit did not wait for the poll's lock"
    late = _outcome(feed, _new(feed, "e", "s-keep", "Police said 5 men died"))
    store_entries.save_polls(writer, [late], claims.Tracking())  # commits: the edit goes on
    stack.close()
    thread.join(30)
    assert not thread.is_alive() and not errors, errors
    assert done and done[0] in ("s-keep", f"s-{feed}-d")
    with store.session() as session:  # the edit counted the poll's entry: it read after it
        for story in session.exec(select(Story)):
            rows = session.exec(select(EntryRow).where(EntryRow.story_id == story.id)).all()
            assert story.size == len(rows), f"{story.id}: size {story.size}, {len(rows)} entries"
