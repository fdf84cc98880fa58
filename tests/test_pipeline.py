"""poll_once end to end against the demo feed server, on SQLite and PostgreSQL."""

from __future__ import annotations

import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import combinations
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, func, select

from monitor import claims, config, pipeline
from monitor.demo import DemoFeedServer, load_outlets, load_template, load_truth
from monitor.errors import StoreError
from monitor.pipeline import ingest
from monitor.store import Store
from monitor.store import entries as store_entries
from monitor.store import feeds as store_feeds
from monitor.store.tables import ClaimRow, EntryRow, EntryVersion, Feed, Story

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[DemoFeedServer]:
    with DemoFeedServer(now=NOW) as s:
        yield s


def _settings(server: DemoFeedServer, db_url: str, extra_feeds: str = "") -> config.Settings:
    feeds = "\n".join(
        f'  - {{url: "{u}", name: "{n}", language: "{lang}"}}' for u, n, lang in server.feeds()
    )
    return config.loads(
        f'database: {{url: "{db_url}"}}\nfetch: {{allow_private_addresses: true, timeout_s: 5}}\n'
        f"feeds:\n{feeds}\n{extra_feeds}"
    )


def _subscribe(settings: config.Settings, store: Store) -> None:
    with store.session() as session:
        for f in settings.feeds:
            store_feeds.add_feed(session, str(f.url), f.name, f.language, NOW)
        session.commit()


def _subscribed(server: DemoFeedServer, db_url: str) -> tuple[config.Settings, Store]:
    """Settings for the demo feeds, an opened store, every feed subscribed."""
    settings = _settings(server, db_url)
    store = Store.open(db_url)
    _subscribe(settings, store)
    return settings, store


def _poll(
    settings: config.Settings, store: Store, now: datetime = NOW, everything: bool = True
) -> pipeline.PollReport:
    deps = pipeline.Deps(settings=settings, store=store, owner="test")
    return pipeline.poll_once(deps, now, everything)


def _entries(store: Store) -> list[EntryRow]:
    with store.session() as session:
        return list(session.exec(select(EntryRow)))


def test_poll_stores_every_entry_once_and_groups_stories(
    server: DemoFeedServer, db_url: str
) -> None:
    settings = _settings(server, db_url)
    store = Store.open(db_url)
    _subscribe(settings, store)
    truth = load_truth()
    report = _poll(settings, store)
    assert report.failed == 0, report.errors
    assert report.new_entries == len(truth.items)
    rows = _entries(store)
    assert len(rows) == len(truth.items)
    assert len({(r.feed_id, r.guid) for r in rows}) == len(rows)

    # stories: at least 3 stories join 2+ outlets
    outlets_by_story: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        assert r.story_id
        outlets_by_story[r.story_id].add(r.feed_id)
    assert sum(len(v) >= 2 for v in outlets_by_story.values()) >= 3
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Story)).one() == len(outlets_by_story)
        assert session.exec(select(func.count()).select_from(ClaimRow)).one() > 20

    # second poll: conditional GET answered 304, nothing new, nothing duplicated
    again = _poll(settings, store, NOW + timedelta(hours=2))
    assert again.not_modified == len(settings.feeds) and again.new_entries == 0
    assert len(_entries(store)) == len(truth.items)
    conditional = [r for r in server.requests if r.status == 304]
    assert len(conditional) == len(settings.feeds)
    store.close()


def test_demo_stories_match_the_answer_key(server: DemoFeedServer, sqlite_url: str) -> None:
    """Pairwise precision/recall of stored stories against the demo's answer key,
    and the hard negative (two fires, one city, one day) kept apart."""
    settings, store = _subscribed(server, sqlite_url)
    _poll(settings, store)
    with store.session() as session:
        names = {f.id: f.url for f in session.exec(select(Feed))}
    outlet_of = {server.url(o.id): o.id for o in load_outlets()}
    predicted = {(outlet_of[names[r.feed_id]], r.guid): r.story_id for r in _entries(store)}
    truth = load_truth()
    gold = {(i.outlet, i.guid): i.story for i in truth.items}
    assert set(predicted) == set(gold)
    pairs = list(combinations(sorted(gold), 2))
    same_gold = {p for p in pairs if gold[p[0]] == gold[p[1]]}
    same_pred = {p for p in pairs if predicted[p[0]] == predicted[p[1]]}
    precision = len(same_gold & same_pred) / max(1, len(same_pred))
    recall = len(same_gold & same_pred) / max(1, len(same_gold))
    assert recall >= 0.8, f"pairwise recall {recall:.2f}"
    assert precision >= 0.9, f"pairwise precision {precision:.2f}"
    for a, b in truth.hard_negatives:
        a_ids = {predicted[k] for k, s in gold.items() if s == a}
        b_ids = {predicted[k] for k, s in gold.items() if s == b}
        assert not (a_ids & b_ids), f"hard negative merged: {a} / {b}"
    store.close()


def test_changed_entry_is_updated_and_keeps_its_earlier_version(
    server: DemoFeedServer, sqlite_url: str
) -> None:
    settings, store = _subscribed(server, sqlite_url)
    _poll(settings, store)
    outlet = next(o for o in load_outlets() if o.id == "frontline-report")
    template = load_template(outlet)
    assert "Some 1,800 troops" in template
    server.replace(outlet.id, template.replace("Some 1,800 troops", "Some 1,900 troops"))
    report = _poll(settings, store, NOW + timedelta(hours=1))
    assert report.changed_entries >= 1 and report.new_entries == 0
    with store.session() as session:
        versions = list(session.exec(select(EntryVersion)))
        assert versions and any("1,800" in v.summary for v in versions)
        row = session.exec(select(EntryRow).where(col(EntryRow.summary).contains("1,900"))).one()
        texts = [c.text for c in session.exec(select(ClaimRow).where(ClaimRow.entry_id == row.id))]
        assert any("1,900" in t for t in texts), texts
    store.close()


def test_one_bad_feed_does_not_stop_the_others(server: DemoFeedServer, sqlite_url: str) -> None:
    bad = (
        f'  - {{url: "{server.base_url}/missing.xml", name: "Missing"}}\n'
        f'  - {{url: "http://127.0.0.1:9/refused.xml", name: "Refused"}}\n'
    )
    settings = _settings(server, sqlite_url, extra_feeds=bad)
    store = Store.open(sqlite_url)
    _subscribe(settings, store)
    report = _poll(settings, store)
    assert report.failed == 2
    assert report.new_entries == len(load_truth().items)
    with store.session() as session:
        failing = {h.url: h for h in store_feeds.health(session) if h.error}
    assert set(failing) == {f"{server.base_url}/missing.xml", "http://127.0.0.1:9/refused.xml"}
    assert all(
        h.failures == 1 and h.next_poll_at and h.next_poll_at > NOW for h in failing.values()
    )
    store.close()


def test_a_failed_write_leaves_nothing_half_written(
    server: DemoFeedServer, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, store = _subscribed(server, sqlite_url)

    def broken_tracker(_self: object, *_args: object) -> list[object]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(claims.Tracking, "tally", broken_tracker)
    monkeypatch.setattr(claims.Tracking, "grow", broken_tracker)
    report = _poll(settings, store)
    assert report.failed == len(settings.feeds) and report.new_entries == 0
    assert all("disk on fire" in e for e in report.errors)
    assert _entries(store) == []
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Story)).one() == 0
        health = store_feeds.health(session)
    # the failure is recorded on each feed, backed off, not silently dropped
    assert all(h.error and "disk on fire" in h.error and h.failures == 1 for h in health)
    assert all(h.next_poll_at and h.next_poll_at > NOW for h in health)
    monkeypatch.undo()
    report = _poll(settings, store, NOW + timedelta(hours=1))
    assert report.new_entries == len(load_truth().items)
    store.close()


def test_poll_all_means_every_feed_even_beyond_one_batch(
    server: DemoFeedServer, sqlite_url: str
) -> None:
    feeds = "\n".join(f'  - {{url: "{u}", name: "{n}"}}' for u, n, _ in server.feeds())
    settings = config.loads(
        f'database: {{url: "{sqlite_url}"}}\nfetch: {{allow_private_addresses: true}}\n'
        f"poll: {{batch: 2}}\nfeeds:\n{feeds}\n"
    )
    store = Store.open(sqlite_url)
    _subscribe(settings, store)
    assert _poll(settings, store, everything=True).feeds == len(settings.feeds)
    # a scheduled cycle still takes one batch at a time
    with store.session() as session:
        session.execute(update(Feed).values(next_poll_at=None))
        session.commit()
    assert _poll(settings, store, NOW + timedelta(hours=1), everything=False).feeds == 2
    store.close()


def test_posting_rate_counts_the_days_a_new_feed_was_known(
    server: DemoFeedServer, sqlite_url: str
) -> None:
    settings, store = _subscribed(server, sqlite_url)
    _poll(settings, store)
    with store.session() as session:
        session.execute(update(Feed).values(next_poll_at=None))
        session.commit()
        due = store_feeds.lease_due(
            session, NOW + timedelta(hours=1), "t", timedelta(minutes=5), 50
        )
        rows = session.exec(select(EntryRow.feed_id, func.count()).group_by(col(EntryRow.feed_id)))
        counts = {feed_id: n for feed_id, n in rows.all()}
    # known for less than a day: the rate is per one day, not diluted over a week
    assert due and all(d.entries_per_day == counts[d.id] for d in due)
    store.close()


def test_a_malformed_feed_url_is_that_feeds_error_not_the_cycles(
    server: DemoFeedServer, sqlite_url: str
) -> None:
    settings, store = _subscribed(server, sqlite_url)
    with store.session() as session:  # e.g. from an OPML file written by hand
        store_feeds.add_feed(session, "http://[::1/feed", "", None, NOW)
        session.commit()
    report = _poll(settings, store)
    assert report.new_entries == len(load_truth().items) and report.failed == 1
    with store.session() as session:
        bad = next(h for h in store_feeds.health(session) if h.url == "http://[::1/feed")
    assert bad.error and bad.failures == 1
    store.close()


def test_sync_sees_a_late_commit_below_the_cursor_once(
    server: DemoFeedServer, sqlite_url: str
) -> None:
    settings, store = _subscribed(server, sqlite_url)
    _poll(settings, store)
    other = pipeline.Deps(settings=settings, store=store, owner="other")
    pipeline.sync_clusterer(other, NOW)
    known = set(other.seen)
    assert len(known) == len(load_truth().items)
    with store.session() as session:  # a row whose id was handed out earlier commits late
        row = session.exec(select(EntryRow).order_by(col(EntryRow.id))).first()
        assert row is not None and row.id is not None
        other.seen.pop(row.uid)
        row.uid = "late-commit"
        session.add(row)
        session.commit()
    pipeline.sync_clusterer(other, NOW)
    assert "late-commit" in other.seen
    before = dict(other.seen)
    pipeline.sync_clusterer(other, NOW)  # the overlap is re-read, nothing restored twice
    assert other.seen == before
    store.close()


def _polled(
    server: DemoFeedServer, sqlite_url: str, extra: str
) -> tuple[config.Settings, Store, pipeline.Deps, pipeline.PollReport]:
    """The demo feeds subscribed with ``extra`` settings and polled once."""
    settings = _settings(server, sqlite_url, extra)
    store = Store.open(sqlite_url)
    _subscribe(settings, store)
    deps = pipeline.Deps(settings=settings, store=store, owner="test")
    return settings, store, deps, pipeline.poll_once(deps, NOW, True)


def test_the_story_window_keeps_its_memory_budget_while_polling_and_restoring(
    server: DemoFeedServer, sqlite_url: str
) -> None:
    """stories.max_items bounds the window in the daemon's poll path and when a restarted
    poller rebuilds it from the database; every entry is still stored once."""
    settings, store, deps, report = _polled(server, sqlite_url, "stories: {max_items: 10}\n")
    assert report.failed == 0 and report.new_entries > 10
    assert len(_entries(store)) == report.new_entries
    # polled and sized again before the next result: at most the budget plus one result
    assert deps.clusterer is not None
    pipeline.window.sync_clusterer(deps, NOW)
    assert deps.clusterer.active_items <= 10
    restarted = pipeline.Deps(settings=settings, store=store, owner="test2")
    pipeline.window.sync_clusterer(restarted, NOW)
    assert restarted.clusterer is not None and 0 < restarted.clusterer.active_items <= 10
    unbounded = pipeline.Deps(settings=_settings(server, sqlite_url), store=store, owner="t3")
    pipeline.window.sync_clusterer(unbounded, NOW)
    assert unbounded.clusterer is not None
    assert unbounded.clusterer.active_items == report.new_entries
    for d in (deps, restarted, unbounded):
        d.close()


def test_a_restart_rereads_at_most_the_newest_max_restore_entries(
    server: DemoFeedServer, sqlite_url: str
) -> None:
    settings, store, deps, report = _polled(server, sqlite_url, "stories: {max_restore: 5}\n")
    assert report.failed == 0 and report.new_entries > 5
    restarted = pipeline.Deps(settings=settings, store=store, owner="test2")
    pipeline.window.sync_clusterer(restarted, NOW)
    with store.session() as session:
        rows = session.exec(select(EntryRow).order_by(col(EntryRow.published).desc())).all()
    newest = {r.uid for r in rows if r.published is not None and r.published >= rows[4].published}
    assert set(restarted.seen) == newest and len(newest) >= 5  # ties at the 5th may add some
    pipeline.window.sync_clusterer(restarted, NOW)  # warm: nothing more is read
    assert set(restarted.seen) == newest
    for d in (deps, restarted):
        d.close()


def test_a_failed_lookup_of_many_results_falls_back_to_one_by_one(
    server: DemoFeedServer, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, store = _subscribed(server, sqlite_url)
    settings = settings.model_copy(
        update={"poll": settings.poll.model_copy(update={"parse_processes": 0})}
    )  # parsed inline: every result of a batch is in one run, looked up together
    first = _poll(settings, store)
    for outlet in load_outlets():  # new bodies, same items: every feed is parsed again
        server.replace(outlet.id, load_template(outlet) + "\n<!-- again -->\n")
    many = store_entries.known_entries_many
    sizes: list[int] = []

    def flaky(session: object, listed: list[object]) -> object:
        sizes.append(len(listed))
        if len(listed) > 1:
            raise StoreError("database error: lookup of many failed")
        return many(session, listed)  # type: ignore[arg-type]

    parse = ingest.parse_result  # type: ignore[attr-defined]
    first_parse = threading.Event()

    asked = len(server.requests)

    def slow_first(*args: Any, **kwargs: Any) -> Any:
        if not first_parse.is_set():  # the other results queue up meanwhile: one batch
            first_parse.set()
            deadline = time.monotonic() + 20
            while len(server.requests) < asked + len(settings.feeds):
                assert time.monotonic() < deadline, "the feeds were not all fetched"
                time.sleep(0.05)
            time.sleep(0.5)  # their results reach the ingest queue
        return parse(*args, **kwargs)

    monkeypatch.setattr(ingest, "parse_result", slow_first)
    monkeypatch.setattr(store_entries, "known_entries_many", flaky)
    report = _poll(settings, store, NOW + timedelta(hours=1))
    assert max(sizes) > 1, "no lookup of several results: the test proved nothing"
    assert (report.failed, report.new_entries, report.changed_entries) == (0, 0, 0)
    assert report.fetched == len(settings.feeds) and first.new_entries == len(_entries(store))
    store.close()


def test_entries_are_stored_and_restored_in_the_language_they_were_clustered_in(
    server: DemoFeedServer, sqlite_url: str
) -> None:
    settings, store = _subscribed(server, sqlite_url)
    # one more feed: the same document, subscribed as German (the document names none)
    url, _, _ = server.feeds()[0]
    with store.session() as session:
        store_feeds.add_feed(session, url + "?copy=de", "Kopie", "de", NOW)
        session.commit()
    deps = pipeline.Deps(settings=settings, store=store, owner="test")
    pipeline.poll_once(deps, NOW, True)
    assert deps.clusterer is not None and "de" in set(deps.clusterer)
    by_feed: dict[str, set[str | None]] = defaultdict(set)
    with store.session() as session:
        for entry, feed in session.exec(select(EntryRow, Feed).where(EntryRow.feed_id == Feed.id)):
            by_feed[feed.language or "-"].add(entry.language)
    assert by_feed["de"] == {"de"} and None not in set().union(*by_feed.values())
    restarted = pipeline.Deps(settings=settings, store=store, owner="test")
    pipeline.sync_clusterer(restarted, NOW)
    assert restarted.clusterer is not None
    assert set(restarted.clusterer) == set(deps.clusterer)
    for lang in deps.clusterer:
        before = deps.clusterer.clusterer(lang)
        after = restarted.clusterer.clusterer(lang)
        assert (after.active_items, len(after)) == (before.active_items, len(before)), lang
    store.close()


@pytest.mark.parametrize("fetch_process", [True, False], ids=["fetch-child", "in-process"])
def test_a_stop_request_cancels_the_fetches_still_under_way(
    server: DemoFeedServer, sqlite_url: str, fetch_process: bool
) -> None:
    """The daemon's shutdown: results that arrived are kept, the rest are not waited for
    (a stop request once the first result is in; one feed never answers)."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts, never answers
    port = silent.getsockname()[1]
    try:
        hang = f'  - {{url: "http://127.0.0.1:{port}/never.xml", name: "Never"}}\n'
        settings = _settings(server, sqlite_url, extra_feeds=hang)
        poll = settings.poll.model_copy(update={"fetch_process": fetch_process})
        settings = settings.model_copy(update={"poll": poll})
        store = Store.open(sqlite_url)
        _subscribe(settings, store)
        deps = pipeline.Deps(settings=settings, store=store, owner="test")
        started = time.monotonic()
        report = pipeline.poll_once(deps, NOW, True, lambda url, n: deps.stop.set())
        took = time.monotonic() - started
        deps.close()
        assert took < 4.5, f"waited {took:.1f} s for a fetch it should have cancelled"
        assert report.fetched >= 1 and report.failed == 0
        stored = {r.feed_id for r in _entries(store)}
        assert len(stored) == report.fetched  # what arrived was saved
        store.close()
    finally:
        silent.close()


def test_each_poll_releases_free_memory_once_after_its_batch_is_stored(
    monkeypatch: pytest.MonkeyPatch, server: DemoFeedServer, sqlite_url: str
) -> None:
    settings, store = _subscribed(server, sqlite_url)
    stored_at_release: list[int] = []

    def release() -> bool:
        with store.session() as session:
            stored_at_release.append(session.exec(select(func.count(col(EntryRow.id)))).one())
        return True

    monkeypatch.setattr(pipeline, "release_free_memory", release)
    report = _poll(settings, store)
    store.close()
    assert report.new_entries > 0
    assert stored_at_release == [report.new_entries]
