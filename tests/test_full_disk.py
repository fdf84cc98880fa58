"""A full disk: a clear error, nothing half-written, everything stored once space is back."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from monitor import config, pipeline
from monitor.demo import DemoFeedServer, load_truth
from monitor.store import Store
from monitor.store import feeds as store_feeds
from monitor.store.tables import ClaimRow, EntryRow, Feed
from tests.procs import clean_env

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs (needs root and mount; CI machines have both)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True, text=True
    )
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs for the full-disk test: {done.stderr}")
        pytest.skip(f"cannot mount a tmpfs (needs root): {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Fill the disk, leaving about ``leave`` bytes free."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with filler.open("wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return filler


def test_full_disk_loses_and_half_writes_nothing(tiny_disk: Path) -> None:
    with DemoFeedServer(now=NOW) as server:
        url = f"sqlite:///{tiny_disk / 'm.db'}"
        settings = config.loads(
            f'database: {{url: "{url}"}}\nfetch: {{allow_private_addresses: true}}\n'
        )
        store = Store.open(url)
        with store.session() as session:
            for u, n, lang in server.feeds():
                store_feeds.add_feed(session, u, n, lang, NOW)
            session.commit()
        filler = _fill(tiny_disk, leave=16 * 1024)
        deps = pipeline.Deps(settings=settings, store=store, owner="t")
        report = pipeline.poll_once(deps, NOW, everything=True)  # must not raise
        assert report.failed > 0
        assert any("full" in e for e in report.errors), report.errors
        with store.session() as session:
            rows = list(session.exec(select(EntryRow)))
            for row in rows:  # whatever got in is whole: every entry has its story
                assert row.story_id
        filler.unlink()  # space is back
        with store.session() as session:
            session.execute(
                update(Feed).values(
                    next_poll_at=None, lease_until=None, lease_owner=None, retry_after=None
                )
            )
            session.commit()
        pipeline.poll_once(deps, NOW + timedelta(hours=1), everything=True)
        with store.session() as session:
            rows = list(session.exec(select(EntryRow)))
            claims = session.exec(select(func.count()).select_from(ClaimRow)).one()
        assert len(rows) == len(load_truth().items)
        assert len({(r.feed_id, r.guid) for r in rows}) == len(rows)
        assert claims > 0
        store.close()


def test_cli_on_a_full_disk_exits_2(tiny_disk: Path, tmp_path: Path) -> None:
    _fill(tiny_disk, leave=0)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f'database: {{url: "sqlite:///{tiny_disk}/m.db"}}\n')
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(cfg), "feeds", "list"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "error:" in done.stderr
