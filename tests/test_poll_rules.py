"""Politeness rules through the whole poll cycle, against the farm, on SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from monitor import config, pipeline
from monitor.store import Store
from monitor.store import feeds as store_feeds
from monitor.store.tables import EntryRow, Feed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from farm import Farm  # noqa: E402
from farm import Feed as FarmFeed  # noqa: E402

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.fixture
def farm() -> Iterator[Farm]:
    f = Farm(hosts=4)
    f.add("/ok", FarmFeed(items=3))
    f.add("/moved", FarmFeed(kind="redirect", status=301, location="/ok2"), host=1)
    f.add("/ok2", FarmFeed(items=2), host=1)
    f.add("/temp", FarmFeed(kind="redirect", status=302, location="/ok3"), host=2)
    f.add("/ok3", FarmFeed(items=2), host=2)
    f.add("/gone", FarmFeed(kind="status", status=410))
    f.add("/busy", FarmFeed(kind="status", status=429, headers={"Retry-After": "7200"}))
    f.add("/broken", FarmFeed(kind="status", status=500), host=3)
    f.add("/junk", FarmFeed(kind="garbage"), host=3)
    with f:
        yield f


def _setup(farm: Farm, db_url: str) -> tuple[config.Settings, Store, dict[str, str]]:
    urls = {
        name: farm.url(host, f"/{name}")
        for name, host in [
            ("ok", 0),
            ("moved", 1),
            ("temp", 2),
            ("gone", 0),
            ("busy", 0),
            ("broken", 3),
            ("junk", 3),
        ]
    }
    settings = config.loads(
        f'database: {{url: "{db_url}"}}\nfetch: {{allow_private_addresses: true, timeout_s: 5}}\n'
    )
    store = Store.open(db_url)
    with store.session() as session:
        for url in urls.values():
            store_feeds.add_feed(session, url, "", None, NOW)
        session.commit()
    return settings, store, urls


def _feeds(store: Store) -> dict[str, Feed]:
    with store.session() as session:
        return {f.url: f for f in session.exec(select(Feed))}


def _poll(
    settings: config.Settings, store: Store, now: datetime, everything: bool = True
) -> pipeline.PollReport:
    return pipeline.poll_once(
        pipeline.Deps(settings=settings, store=store, owner="t"), now, everything
    )


def test_poll_rules_end_to_end(farm: Farm, db_url: str) -> None:
    settings, store, urls = _setup(farm, db_url)
    report = _poll(settings, store, NOW)
    feeds = _feeds(store)
    # 301: the stored URL becomes the new one; 302: it does not
    assert urls["moved"] not in feeds and farm.url(1, "/ok2") in feeds
    assert urls["temp"] in feeds and feeds[urls["temp"]].last_status == 200
    # 410: muted and shown as gone, never polled again
    gone = feeds[urls["gone"]]
    assert gone.gone and gone.last_status == 410
    # 429 with Retry-After: not requested before then, even with --all
    busy = feeds[urls["busy"]]
    assert busy.retry_after is not None and busy.retry_after >= NOW + timedelta(hours=2)
    assert busy.next_poll_at is not None and busy.next_poll_at >= busy.retry_after
    # errors back off and stay visible
    for name in ("broken", "junk"):
        f = feeds[urls[name]]
        assert f.failures == 1 and f.last_error and f.next_poll_at and f.next_poll_at > NOW
    assert report.failed >= 3
    # conditional GET and validators: the second poll of healthy feeds is a 304
    farm.reset()
    later = NOW + timedelta(minutes=30)
    _poll(settings, store, later)
    paths = [r.path for r in farm.log]
    assert "/busy" not in paths and "/gone" not in paths
    assert "/moved" not in paths and "/ok2" in paths  # polled at its new address
    ok = [r for r in farm.log if r.path == "/ok"]
    assert ok and ok[0].status == 304 and "if-none-match" in ok[0].headers
    # failing twice: the backoff grows linearly
    feeds2 = _feeds(store)
    broken2 = feeds2[urls["broken"]]
    assert broken2.failures == 2
    assert broken2.next_poll_at and feeds[urls["broken"]].next_poll_at
    assert broken2.next_poll_at - later > feeds[urls["broken"]].next_poll_at - NOW
    # after the Retry-After, the busy feed is asked again
    farm.reset()
    _poll(settings, store, NOW + timedelta(hours=3))
    assert "/busy" in [r.path for r in farm.log]
    with store.session() as session:
        assert len(list(session.exec(select(EntryRow)))) == 3 + 2 + 2
        health = {h.url: h for h in store_feeds.health(session)}
    assert health[urls["ok"]].not_modified >= 1 and health[urls["ok"]].requests >= 2
    store.close()


def test_due_feeds_only_without_all(farm: Farm, sqlite_url: str) -> None:
    settings, store, urls = _setup(farm, sqlite_url)
    _poll(settings, store, NOW)
    farm.reset()
    report = _poll(settings, store, NOW + timedelta(minutes=1), everything=False)
    assert report.feeds == 0 and farm.log == []
    store.close()


def test_a_gone_feed_is_rechecked_rarely_and_revived_by_re_adding(
    farm: Farm, sqlite_url: str
) -> None:
    settings, store, urls = _setup(farm, sqlite_url)
    _poll(settings, store, NOW)
    assert _feeds(store)[urls["gone"]].gone
    farm.reset()
    _poll(settings, store, NOW + timedelta(hours=12))
    assert "/gone" not in [r.path for r in farm.log]
    _poll(settings, store, NOW + timedelta(hours=26))  # past max_interval: one re-check
    assert "/gone" in [r.path for r in farm.log]
    with store.session() as session:
        store_feeds.add_feed(session, urls["gone"], "", None, NOW)
        session.commit()
    again = _feeds(store)[urls["gone"]]
    assert not again.gone and again.failures == 0
    store.close()
