"""A bounded hand-over (poll.max_waiting): fetches wait while the consumer has that many
results on its hands, in this process and in the fetch child; a child held back is not
taken for a silent one; a poll with the smallest bound stores everything."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from monitor import config, pipeline
from monitor.fetch.batch import Credits, fetch_all
from monitor.pipeline import fetching
from monitor.pipeline.fetching import FetchProcess
from monitor.store import Store
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


@pytest.mark.parametrize("in_child", [True, False], ids=["fetch-child", "in-process"])
def test_a_poll_with_one_result_waiting_at_most_stores_everything(
    tmp_path: Path, in_child: bool
) -> None:
    farm, urls = _farm()
    db_url = f"sqlite:///{tmp_path}/m.db"
    settings = _settings(db_url, waiting=1)
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
        with farm:
            report = pipeline.poll_once(deps, NOW, True)
        with store.session() as session:
            stored = session.exec(select(func.count()).select_from(EntryRow)).one()
    finally:
        deps.close()
        store.close()
    assert report.fetched == FEEDS and report.failed == 0, report
    assert stored == FEEDS * 3
