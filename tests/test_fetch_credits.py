"""A bounded hand-over (poll.max_waiting): fetches wait while the consumer has that many
results on its hands, in this process and in the fetch child; a child held back is not
taken for a silent one; a poll never holds more than the bound, and every failure gives
its credit back."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from monitor import config, pipeline
from monitor.fetch.batch import Credits, fetch_all
from monitor.pipeline import fetching
from monitor.pipeline import ingest as ingest_module
from monitor.pipeline.deps import Progress
from monitor.pipeline.fetching import FetchProcess
from monitor.pipeline.ingest import IngestThread
from monitor.store import Store
from monitor.store import entries as store_entries
from monitor.store import feeds as store_feeds
from monitor.store.tables import EntryRow
from monitor.types import FeedRequest, FetchResult
from tests.test_fetch_process import Farm, FarmFeed

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
FEEDS = 8


def _settings(db_url: str = "sqlite:///unused.db", waiting: int = 500) -> config.Settings:
    return config.loads(
        f'database: {{url: "{db_url}"}}\n'
        "fetch: {allow_private_addresses: true, timeout_s: 0.5, connect_timeout_s: 0.2}\n"
        f"poll: {{max_waiting: {waiting}}}\n"
    )


def _farm() -> tuple[Farm, list[str]]:
    farm = Farm(hosts=2)
    return farm, [farm.add(f"/f{n}.xml", FarmFeed(items=3), host=n % 2) for n in range(FEEDS)]


def _wait_for(what: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _held_back(arrived: dict[int, FetchResult], give: Callable[[int], None]) -> None:
    """With 3 credits and nothing given back, 3 results and no more; then 2 more per 2
    given; then the rest once the limit is lifted."""
    _wait_for(lambda: len(arrived) == 3)
    time.sleep(1.5)  # longer than the child's silence limit in these tests
    assert len(arrived) == 3
    give(2)
    _wait_for(lambda: len(arrived) == 5)
    time.sleep(0.3)
    assert len(arrived) == 5
    give(-1)
    _wait_for(lambda: len(arrived) == FEEDS)


def test_fetches_wait_for_credits_in_this_process() -> None:
    farm, urls = _farm()
    credits = Credits(3)
    arrived: dict[int, FetchResult] = {}
    requests = [FeedRequest(u) for u in urls]

    def run() -> None:
        asyncio.run(
            fetch_all(
                _settings().fetch, requests, NOW, arrived.__setitem__, threading.Event(), credits
            )
        )

    with farm:
        fetcher = threading.Thread(target=run)
        fetcher.start()
        _held_back(arrived, credits.give)
        fetcher.join(timeout=10)
    assert not fetcher.is_alive()
    assert sorted(arrived) == list(range(FEEDS)) and {r.status for r in arrived.values()} == {200}
    # each feed asked once: a held-back fetch is not retried, only delayed
    assert sum(len(farm.requests(f"/f{n}.xml")) for n in range(FEEDS)) == FEEDS


def test_the_child_waits_for_credits_and_is_not_taken_for_silent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # silence limit here: 0.2 + 0.5 + 0.3 = 1 s, shorter than the test's hold-back
    monkeypatch.setattr(fetching, "SILENCE_SLACK_S", 0.3)
    farm, urls = _farm()
    child = FetchProcess(_settings().fetch)
    arrived: dict[int, FetchResult] = {}
    requests = [FeedRequest(u) for u in urls]
    with farm:
        try:
            cycle = threading.Thread(
                target=child.fetch, args=(requests, NOW, arrived.__setitem__, threading.Event(), 3)
            )
            cycle.start()
            _held_back(arrived, child.give)
            cycle.join(timeout=10)
            assert not cycle.is_alive()
            # the next cycle's limit is its own (the lifted one does not carry over)
            again: dict[int, FetchResult] = {}
            cycle = threading.Thread(
                target=child.fetch, args=(requests, NOW, again.__setitem__, threading.Event(), 2)
            )
            cycle.start()
            _wait_for(lambda: len(again) == 2)
            time.sleep(0.3)
            assert len(again) == 2
            child.give(-1)
            cycle.join(timeout=10)
        finally:
            child.close()
    assert sorted(arrived) == list(range(FEEDS))
    assert {r.status for r in arrived.values()} == {200}, "no feed failed as unanswered"
    assert sorted(again) == list(range(FEEDS))


def _poll(
    tmp_path: Path, urls: list[str], waiting: int, in_child: bool, progress: Progress | None = None
) -> tuple[pipeline.PollReport, int]:
    db_url = f"sqlite:///{tmp_path}/m.db"
    settings = _settings(db_url, waiting)
    settings = settings.model_copy(
        update={"poll": settings.poll.model_copy(update={"fetch_process": in_child})}
    )
    store = Store.open(db_url)
    with store.session() as session:
        for url in urls:
            store_feeds.add_feed(session, url, "", None, NOW)
        session.commit()
    deps = pipeline.Deps(settings=settings, store=store, owner="t")
    try:
        report = pipeline.poll_once(deps, NOW, True, progress)
        with store.session() as session:
            stored = session.exec(select(func.count()).select_from(EntryRow)).one()
    finally:
        deps.close()
        store.close()
    return report, stored


MODES = pytest.mark.parametrize("in_child", [True, False], ids=["fetch-child", "in-process"])


@MODES
def test_a_poll_never_holds_more_results_than_the_bound(
    tmp_path: Path, in_child: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow ingest and quick fetches: without the bound all eight results would wait at
    once; with 2 at most two are ever between fetch and done. Each result is held until a
    second one is out (or the last is), so the bound is reached however slow the fetches."""
    farm, urls = _farm()
    lock = threading.Lock()
    count = {"put": 0, "done": 0, "most": 0}
    put = IngestThread.put

    def counting_put(self: IngestThread, *args: Any) -> None:
        with lock:
            count["put"] += 1
            count["most"] = max(count["most"], count["put"] - count["done"])
        put(self, *args)

    def slow_progress(url: str, n: int) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with lock:
                if count["put"] - count["done"] >= 2 or count["put"] == FEEDS:
                    break
            time.sleep(0.005)
        time.sleep(0.02)  # and a little longer: more fetches would come in meanwhile
        with lock:
            count["done"] += n

    monkeypatch.setattr(IngestThread, "put", counting_put)
    with farm:
        report, stored = _poll(tmp_path, urls, 2, in_child, slow_progress)
    assert report.fetched == FEEDS and report.failed == 0, report
    assert stored == FEEDS * 3 and count["done"] == FEEDS
    assert count["most"] == 2, count  # reached, never passed


@MODES
def test_every_failure_gives_its_credit_back(
    tmp_path: Path, in_child: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one result out at most, a feed that fails to parse, writes together that fail
    (then one by one) and a save that fails each still let the next fetch start: the
    poll ends with every other feed stored (a lost credit would hang it)."""
    farm, urls = _farm()
    bad = farm.add("/garbage", FarmFeed(kind="garbage"))
    saves = {"n": 0}
    save_poll = store_entries.save_poll

    def together_fails(*args: Any) -> None:
        raise RuntimeError("the group write fails")

    def third_save_fails(*args: Any, **kwargs: Any) -> None:
        saves["n"] += 1
        if saves["n"] == 3:
            raise RuntimeError("this save fails")
        save_poll(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "_write_polls", together_fails)
    monkeypatch.setattr(store_entries, "save_poll", third_save_fails)
    started = time.monotonic()
    with farm:
        report, stored = _poll(tmp_path, [*urls, bad], 1, in_child)
    assert time.monotonic() - started < 30
    assert report.failed >= 1 and stored == (FEEDS - 1) * 3, (report, stored)
