"""The daemon end to end: a real `monitor run` process against a local feed server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update
from sqlmodel import func, select

from monitor import config
from monitor.daemon import Daemon
from monitor.demo import DemoFeedServer, load_truth
from monitor.store import Store
from monitor.store.tables import EntryRow, Feed


@pytest.fixture
def server() -> Iterator[DemoFeedServer]:
    with DemoFeedServer(now=datetime.now(UTC)) as s:
        yield s


def _write_config(tmp_path: Path, server: DemoFeedServer, db_url: str) -> Path:
    feeds = "\n".join(f'  - {{url: "{u}", name: "{n}"}}' for u, n, _ in server.feeds())
    path = tmp_path / "config.yaml"
    path.write_text(
        f'database: {{url: "{db_url}"}}\n'
        "fetch: {allow_private_addresses: true, timeout_s: 5}\n"
        'poll: {tick: "1s"}\n'
        f"feeds:\n{feeds}\n"
        f'digest: {{out_dir: "{tmp_path}/site"}}\n'
    )
    return path


def _start(cfg: Path, tmp_path: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "MONITOR_DATABASE_URL"}
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(cfg), "run"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def _wait(check: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError("timed out waiting for the daemon")


def _count(store: Store) -> int:
    with store.session() as session:
        return int(session.exec(select(func.count()).select_from(EntryRow)).one())


@pytest.mark.slow
def test_daemon_polls_renders_stops_on_sigterm_and_restarts_without_duplicates(
    tmp_path: Path, server: DemoFeedServer, db_url: str
) -> None:
    cfg = _write_config(tmp_path, server, db_url)
    expected = len(load_truth().items)
    store = Store.open(db_url)
    proc = _start(cfg, tmp_path)
    try:
        _wait(lambda: _count(store) == expected and (tmp_path / "site/index.html").exists())
        if db_url.startswith("sqlite"):
            second = subprocess.run(
                [sys.executable, "-m", "monitor", "--config", str(cfg), "run"],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert second.returncode == 2
            assert "another monitor daemon" in second.stderr
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, out
    finally:
        if proc.poll() is None:
            proc.kill()
    index = (tmp_path / "site/index.html").read_text()
    assert '<article class="story"' in index
    with store.session() as session:
        assert all(f.lease_owner is None for f in session.exec(select(Feed)))
        # time passes: every feed is due again
        session.execute(update(Feed).values(next_poll_at=datetime.now(UTC) - timedelta(1)))
        session.commit()
    before = len([r for r in server.requests if r.status == 304])
    proc = _start(cfg, tmp_path)
    try:
        _wait(
            lambda: (
                len([r for r in server.requests if r.status == 304]) - before >= len(server.feeds())
            )
        )
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=60)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert _count(store) == expected
    store.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Sink:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


def test_daily_digest_renders_yesterday_and_emails_once(tmp_path: Path, sqlite_url: str) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    sink = _Sink()
    port = _free_port()
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        with DemoFeedServer(now=yesterday) as server:
            feeds = "\n".join(f'  - {{url: "{u}", name: "{n}"}}' for u, n, _ in server.feeds())
            settings = config.loads(
                f'database: {{url: "{sqlite_url}"}}\n'
                "fetch: {allow_private_addresses: true}\n"
                f"feeds:\n{feeds}\n"
                f'digest: {{out_dir: "{tmp_path}/site", email: {{enabled: true, '
                f'to: ["desk@example.org"], from: "monitor@example.org", '
                f'smtp: {{host: "127.0.0.1", port: {port}}}}}}}\n'
            )
            store = Store.open(sqlite_url)
            from monitor.store import feeds as store_feeds

            with store.session() as session:
                for f in settings.feeds:
                    store_feeds.add_feed(session, str(f.url), f.name, None, yesterday)
                session.commit()
            d = Daemon(settings, store)
            from monitor import pipeline

            pipeline.poll_once(d.deps, yesterday, everything=True)
            d.daily()
            d.daily()  # a restart or a second worker must not send it again
    finally:
        smtp.stop()
    day = yesterday.date().isoformat()
    assert (tmp_path / "site" / "days" / f"{day}.html").exists()
    assert len(sink.messages) == 1
    msg = message_from_bytes(sink.messages[0])
    assert day in str(msg["Subject"])
    kinds = {part.get_content_type() for part in msg.walk()}
    assert {"text/plain", "text/html"} <= kinds
    store.close()


def test_leases_of_dead_local_processes_are_recognised() -> None:
    from monitor.daemon import _alive, worker_id

    assert _alive(worker_id())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not _alive(f"{socket.gethostname()}:{child.pid}")
    assert _alive(f"another-host:{child.pid}")
