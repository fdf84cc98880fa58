"""Concurrency and recovery: CLI beside the daemon on SQLite, PostgreSQL connection drops,
one digest across workers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlmodel import func, select

from monitor import config, pipeline
from monitor.demo import DemoFeedServer, load_truth
from monitor.store import Store
from monitor.store import feeds as store_feeds
from monitor.store.tables import EntryRow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from farm import Farm  # noqa: E402
from farm import Feed as FarmFeed  # noqa: E402


@pytest.fixture
def server() -> Iterator[DemoFeedServer]:
    with DemoFeedServer(now=datetime.now(UTC)) as s:
        yield s


def _cli(cfg: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MONITOR_DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(cfg), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cfg.parent,
    )


@pytest.mark.slow
def test_cli_commands_beside_the_sqlite_daemon_never_hit_a_lock(
    tmp_path: Path, server: DemoFeedServer
) -> None:
    feeds = "".join(f'  - {{url: "{u}", name: "{n}"}}\n' for u, n, _ in server.feeds())
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f'database: {{url: "sqlite:///{tmp_path}/m.db"}}\n'
        'fetch: {allow_private_addresses: true}\npoll: {tick: "1s"}\n'
        f"feeds:\n{feeds}" + f'digest: {{out_dir: "{tmp_path}/site"}}\n'
    )
    env = {k: v for k, v in os.environ.items() if k != "MONITOR_DATABASE_URL"}
    daemon = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(cfg), "run"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    outputs: list[subprocess.CompletedProcess[str]] = []
    try:
        for i in range(4):
            outputs.append(_cli(cfg, "feeds", "status", "--json"))
            outputs.append(_cli(cfg, "stories", "--json"))
            outputs.append(_cli(cfg, "feeds", "add", f"http://127.0.0.1:9/extra{i}.xml"))
            outputs.append(_cli(cfg, "poll", "--once", "--all"))
            outputs.append(_cli(cfg, "digest", "--out", str(tmp_path / "out")))
    finally:
        daemon.terminate()
        log, _ = daemon.communicate(timeout=60)
    for done in outputs:
        assert done.returncode == 0, done.stderr
        assert "locked" not in done.stderr
    assert "locked" not in log
    assert daemon.returncode == 0
    store = Store.open(f"sqlite:///{tmp_path}/m.db")
    with store.session() as session:
        count = session.exec(select(func.count()).select_from(EntryRow)).one()
    assert count == len(load_truth().items)
    store.close()


@pytest.mark.postgres
def test_the_daily_digest_lock_has_one_holder(pg_url: str) -> None:
    first, second = Store.open(pg_url), Store.open(pg_url)
    with first.exclusive() as mine:
        assert mine
        with second.exclusive() as theirs:
            assert not theirs
    with second.exclusive() as theirs:
        assert theirs  # released with the first holder
    first.close()
    second.close()


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_connections_dropped_mid_poll_are_recovered(pg_url: str) -> None:
    farm = Farm(hosts=10)
    urls = [farm.add(f"/f{i}", FarmFeed(items=2, delay_s=0.3), host=i % 10) for i in range(60)]
    settings = config.loads(
        f'database: {{url: "{pg_url}"}}\n'
        "fetch: {allow_private_addresses: true}\n"
        'poll: {lease: "1m"}\n'
    )
    store = Store.open(pg_url)
    now = datetime.now(UTC)
    with store.session() as session:
        for url in urls:
            store_feeds.add_feed(session, url, "", None, now)
        session.commit()
    dbname = pg_url.rsplit("/", 1)[1]
    admin = pg_url.rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgresql://")

    dropped: list[int] = []

    def drop_connections() -> None:
        time.sleep(0.6)
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
            for _ in range(3):
                rows = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (dbname,),
                ).fetchall()
                dropped.append(len(rows))
                time.sleep(0.4)

    with farm:
        killer = threading.Thread(target=drop_connections)
        killer.start()
        deps = pipeline.Deps(settings=settings, store=store, owner="t")
        first = pipeline.poll_once(deps, now, everything=True)
        killer.join()
        # whatever the drop cost this cycle is retried: after the leases expire,
        # every feed is stored, exactly once
        later = now + timedelta(minutes=2)
        pipeline.poll_once(deps, later, everything=True)
    with store.session() as session:
        rows = list(session.exec(select(EntryRow)))
    assert len(rows) == 2 * len(urls)
    assert len({(r.feed_id, r.guid) for r in rows}) == len(rows)
    assert first.feeds == len(urls)
    assert sum(dropped) > 0, "no connection was dropped: the test proved nothing"
    store.close()
