"""SIGKILL the daemon at random moments; after a restart nothing is lost or doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from monitor.store import Store
from monitor.store.tables import ClaimRow, EntryRow, Feed, Story
from tests.procs import start_daemon

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from farm import Farm  # noqa: E402
from farm import Feed as FarmFeed  # noqa: E402

RUNS = 20
FEEDS = 40


def _start(cfg: Path, cwd: Path) -> subprocess.Popen[bytes]:
    return start_daemon(cfg, cwd)


@pytest.mark.slow
def test_sigkill_at_random_points_loses_and_doubles_nothing(tmp_path: Path) -> None:
    seed = int(os.environ.get("MONITOR_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    farm = Farm(hosts=8)
    urls = [farm.add(f"/f{i}", FarmFeed(items=4, delay_s=0.02), host=i % 8) for i in range(FEEDS)]
    db_url = f"sqlite:///{tmp_path / 'm.db'}"
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f'database: {{url: "{db_url}"}}\nfetch: {{allow_private_addresses: true}}\n'
        'poll: {tick: "1s"}\nfeeds:\n'
        + "".join(f'  - {{url: "{u}"}}\n' for u in urls)
        + f'digest: {{out_dir: "{tmp_path}/site"}}\n'
    )
    served: set[tuple[str, str]] = set()
    with farm:
        store = Store.open(db_url)
        for run in range(RUNS):
            # new items appear on some feeds, and every feed is due again
            for url in rng.sample(urls, k=FEEDS // 4):
                farm.feed(url).version += 1
                farm.feed(url).items += 1
            with store.session() as session:
                session.execute(update(Feed).values(next_poll_at=None))
                session.commit()
            proc = _start(cfg, tmp_path)
            time.sleep(rng.uniform(0.5, 3.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            assert proc.returncode == -signal.SIGKILL, f"run {run} (seed {seed})"
        # a last clean run polls everything that is still due, then stops on SIGTERM
        with store.session() as session:
            session.execute(update(Feed).values(next_poll_at=None))
            session.commit()
        final_start = datetime.now(UTC)
        proc = _start(cfg, tmp_path)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with store.session() as session:
                feeds = list(session.exec(select(Feed)))
            if len(feeds) == FEEDS and all(
                f.last_polled_at and f.last_polled_at >= final_start for f in feeds
            ):
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"the final run did not poll every feed (seed {seed})")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
        for url in urls:
            feed = farm.feed(url)
            path = urlsplit(url).path
            served |= {(url, f"http://example.org{path}/{i}") for i in range(feed.items)}
    with store.session() as session:
        rows = session.exec(
            select(EntryRow, Feed).join(Feed, col(EntryRow.feed_id) == col(Feed.id))
        )
        # one entry per (feed, canonical link): the farm changes GUIDs between versions
        # but keeps each item's link, which is the same article
        stored = Counter((f.url, e.link) for e, f in rows)
        assert max(stored.values()) == 1, f"duplicated entries (seed {seed})"
        assert served <= set(stored), f"lost {len(served - set(stored))} entries (seed {seed})"
        spans = Counter((c.entry_id, c.start, c.end) for c in session.exec(select(ClaimRow)))
        assert not spans or max(spans.values()) == 1, f"duplicated claims (seed {seed})"
        sizes = Counter(e.story_id for e in session.exec(select(EntryRow)))
        for story in session.exec(select(Story)):
            assert story.size == sizes[story.id], f"story {story.id} size (seed {seed})"
        assert {f.lease_owner for f in session.exec(select(Feed))} == {None}
    store.close()
