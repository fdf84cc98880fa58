"""Scale-out on PostgreSQL: several `monitor run` workers share the feeds through leases."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from monitor.store import Store
from monitor.store.tables import EntryRow, Feed
from tests.procs import start_daemon

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from farm import Farm, many  # noqa: E402
from farm import Feed as FarmFeed  # noqa: E402

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
FEEDS = 500


def _config(tmp_path: Path, pg_url: str, urls: list[str], lease: str) -> Path:
    lines = "\n".join(f'  - {{url: "{u}"}}' for u in urls)
    path = tmp_path / "config.yaml"
    path.write_text(
        f'database: {{url: "{pg_url}"}}\n'
        "fetch: {allow_private_addresses: true, timeout_s: 10}\n"
        f'poll: {{tick: "1s", batch: 25, lease: "{lease}"}}\n'
        f"feeds:\n{lines}\n"
        f'digest: {{out_dir: "{tmp_path}/site"}}\n'
    )
    return path


def _worker(cfg: Path, tmp_path: Path, n: int) -> subprocess.Popen[bytes]:
    return start_daemon(cfg, tmp_path, (tmp_path / f"worker{n}.log").open("wb"))


def _wait(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError("timed out")


def _polled(store: Store) -> int:
    with store.session() as session:
        return int(
            session.exec(
                select(func.count()).select_from(Feed).where(col(Feed.last_polled_at).is_not(None))
            ).one()
        )


@pytest.fixture
def farm() -> Iterator[Farm]:
    f = Farm(hosts=50)
    many(f, FEEDS, FarmFeed(items=1, delay_s=0.05))
    with f:
        yield f


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for w in workers:
        if w.poll() is None:
            w.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            w.wait(60)
        except subprocess.TimeoutExpired:
            w.kill()


def test_three_workers_poll_every_due_feed_exactly_once(
    tmp_path: Path, pg_url: str, farm: Farm
) -> None:
    urls = [farm.url(i % 50, f"/f{i}") for i in range(FEEDS)]
    cfg = _config(tmp_path, pg_url, urls, lease="10m")
    store = Store.open(pg_url)
    workers = [_worker(cfg, tmp_path, n) for n in range(3)]
    try:
        _wait(lambda: _polled(store) == FEEDS, timeout=240)
        time.sleep(2)  # any double poll would show up now
    finally:
        _stop(workers)
    assert all(w.returncode == 0 for w in workers)
    per_path = Counter(r.path for r in farm.log)
    assert len(per_path) == FEEDS
    assert max(per_path.values()) == 1, per_path.most_common(3)
    with store.session() as session:
        owners = {f.lease_owner for f in session.exec(select(Feed))}
        assert owners == {None}
        assert session.exec(select(func.count()).select_from(EntryRow)).one() == FEEDS
    logs = [(tmp_path / f"worker{n}.log").read_text() for n in range(3)]
    assert sum("polled" in log for log in logs) >= 2, "the work was not shared"
    assert max(farm.max_in_flight.values()) <= 2 * 3  # 2 per host per worker at most
    store.close()


def test_a_killed_workers_feeds_are_polled_after_its_lease(tmp_path: Path, pg_url: str) -> None:
    slow = Farm(hosts=20)
    many(slow, 200, FarmFeed(items=1, delay_s=0.4))
    with slow:
        urls = [slow.url(i % 20, f"/f{i}") for i in range(200)]
        cfg = _config(tmp_path, pg_url, urls, lease="8s")
        store = Store.open(pg_url)
        victim = _worker(cfg, tmp_path, 0)
        _wait(lambda: len(slow.log) >= 5, timeout=60)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        with store.session() as session:
            orphaned = session.exec(
                select(func.count())
                .select_from(Feed)
                .where(col(Feed.lease_owner).is_not(None), col(Feed.last_polled_at).is_(None))
            ).one()
        assert orphaned > 0, "the victim died holding no lease: the test proves nothing"
        others = [_worker(cfg, tmp_path, n) for n in (1, 2)]
        try:
            _wait(lambda: _polled(store) == 200, timeout=240)
        finally:
            _stop(others)
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(EntryRow)).one() == 200
        assert {f.lease_owner for f in session.exec(select(Feed))} == {None}
    store.close()
