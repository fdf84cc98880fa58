"""Fetching in a child process (poll.fetch_process): the same results as fetching here, a
dead child costs only the feeds it had not answered (recorded, backed off), the next
cycle gets a new child, and no child outlives a killed daemon."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from monitor import config, pipeline
from monitor.fetch.batch import fetch_all
from monitor.pipeline.fetching import FetchProcess
from monitor.store import Store
from monitor.store import feeds as store_feeds
from monitor.store.tables import EntryRow, Feed
from monitor.types import FeedRequest, FetchResult
from tests.test_parse_workers import _running, assert_no_child_outlives

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from farm import Farm  # noqa: E402
from farm import Feed as FarmFeed  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _settings(db_url: str = "sqlite:///unused.db") -> config.Settings:
    return config.loads(
        f'database: {{url: "{db_url}"}}\n'
        "fetch: {allow_private_addresses: true, timeout_s: 20, connect_timeout_s: 2}\n"
    )


def _farm() -> tuple[Farm, list[str]]:
    farm = Farm(hosts=3)
    urls = [farm.add(f"/f{n}.xml", FarmFeed(items=3), host=n % 3) for n in range(9)]
    urls.append(farm.add("/moved", FarmFeed(kind="redirect", status=301, location=urls[0])))
    busy = FarmFeed(kind="status", status=429, headers={"Retry-After": "120"})
    urls.append(farm.add("/busy", busy))
    urls.append(farm.add("/gone", FarmFeed(kind="status", status=410)))
    return farm, urls


def _comparable(r: FetchResult) -> tuple[object, ...]:
    # (Retry-After is jittered: compared on its own)
    return (r.url, r.status, r.body, r.etag, r.permanent_url, r.error)


def test_the_child_fetches_what_this_process_fetches() -> None:
    farm, urls = _farm()
    requests = [FeedRequest(url=u) for u in urls]
    settings = _settings().fetch
    with farm:
        here: dict[int, FetchResult] = {}
        asyncio.run(fetch_all(settings, requests, NOW, here.__setitem__, threading.Event()))
        child = FetchProcess(settings)
        there: dict[int, FetchResult] = {}
        pids: set[int | None] = set()
        try:
            child.fetch(requests, NOW, there.__setitem__, threading.Event())
            pids.add(child.pid)
            again: dict[int, FetchResult] = {}
            child.fetch(requests[:3], NOW, again.__setitem__, threading.Event())
            pids.add(child.pid)
        finally:
            child.close()
    assert sorted(here) == sorted(there) == list(range(len(requests)))
    assert {n: _comparable(r) for n, r in here.items()} == {
        n: _comparable(r) for n, r in there.items()
    }
    assert {r.status for r in there.values()} == {200, 429, 410}
    assert there[9].permanent_url == urls[0]
    for retry in (here[10].retry_after, there[10].retry_after):
        assert retry is not None and retry >= NOW + timedelta(seconds=120)
    assert sorted(again) == [0, 1, 2] and all(r.ok for r in again.values())
    (pid,) = pids  # one child for both cycles
    assert pid is not None and not _running(pid), "close() ends the child"
    assert child.pid is None


def test_a_killed_child_costs_only_the_feeds_it_had_not_answered(tmp_path: Path) -> None:
    """SIGKILL of the fetch child mid-cycle: what arrived is stored, the feeds still
    waiting get an error result (recorded, backed off, not dropped); the next cycle
    starts a new child and polls them."""
    farm, urls = _farm()
    slow = farm.add("/slow", FarmFeed(items=3, delay_s=30.0), host=1)
    db_url = f"sqlite:///{tmp_path}/m.db"
    settings = _settings(db_url)
    store = Store.open(db_url)
    with store.session() as session:
        for url in [*urls[:9], slow]:
            store_feeds.add_feed(session, url, "", None, NOW)
        session.commit()
    deps = pipeline.Deps(settings=settings, store=store, owner="t")
    killed: list[int] = []

    def kill_when_the_slow_one_is_asked() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not farm.requests("/slow"):
            time.sleep(0.05)
        time.sleep(0.5)  # the quick ones are answered by then
        pid = deps.fetch_process().pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    with farm:
        killer = threading.Thread(target=kill_when_the_slow_one_is_asked)
        killer.start()
        started = time.monotonic()
        report = pipeline.poll_once(deps, NOW, True)
        took = time.monotonic() - started
        killer.join()
        assert killed and took < 15, f"waited {took:.1f} s for a dead child"
        with store.session() as session:
            feeds = {f.url: f for f in session.exec(select(Feed))}
            stored = {e.feed_id for e in session.exec(select(EntryRow))}
        assert report.fetched == 9 and report.failed == 1, report
        assert "the fetch process died" in (feeds[slow].last_error or "")
        assert feeds[slow].failures == 1 and feeds[slow].next_poll_at is not None
        assert all(feeds[u].id in stored for u in urls[:9])
        # the next cycle: a new child, the slow feed polled (and answered) this time
        farm.feed(slow).delay_s = 0.0
        later = pipeline.poll_once(deps, NOW, True)
        assert later.failed == 0 and later.fetched + later.not_modified == 10, later
        assert deps.fetch_process().pid not in (None, killed[0])
    deps.close()
    store.close()


def test_no_fetch_process_outlives_a_killed_daemon() -> None:
    code = (
        "import time\n"
        "from monitor.config import FetchSettings\n"
        "from monitor.pipeline.fetching import FetchProcess\n"
        "p = FetchProcess(FetchSettings())\n"
        "p.start()\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n"
    )
    assert_no_child_outlives(code)
