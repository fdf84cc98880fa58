"""Benchmark the day's digest read from a store with big stories (issue 7's digest memory).

Fills a throwaway store with ``--stories`` stories of ``--entries`` reports each (one in
five a copy, every report from its own feed, spread over the day) and ``--tracks`` claim
tracks per story with one step per report, as a long-running soak leaves them; then times
the digest query (``store.views.day_stories`` as ``publish_day`` calls it) and
``publish.publish_day`` and prints their RSS and the process's peak RSS.
Run one configuration per process (peak RSS is the process's):

    .venv/bin/python bench/digest_store.py --stories 300 --entries 550
    .venv/bin/python bench/digest_store.py --stories 300 --entries 550 --reports 0
    .venv/bin/python bench/digest_store.py --database-url postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent))

import soak  # noqa: E402
from soak import peak_rss_mib, rss_mib  # noqa: E402

from monitor.config import Settings  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store.tables import EntryRow, Feed, Story, TrackRow  # noqa: E402

START = datetime.combine(soak.DAY, datetime.min.time(), tzinfo=UTC)  # the day of its digest


@contextlib.contextmanager
def database(admin: str | None) -> Iterator[str]:
    if admin is None:
        with tempfile.TemporaryDirectory(prefix="monitor-digest-bench-") as d:
            yield f"sqlite:///{d}/bench.db"
        return
    with soak.throwaway_database(admin, keep=False) as url:
        yield url


def fill(store: Store, args: argparse.Namespace) -> None:
    rng = random.Random(5)
    feeds = args.entries
    with store.engine.begin() as conn:
        conn.execute(
            insert(Feed),
            [{"url": f"http://farm.test/feed/{i}", "name": f"Outlet {i}"} for i in range(feeds)],
        )
        for s in range(args.stories):
            sid = f"s{s:05d}"
            times = sorted(START + timedelta(seconds=rng.uniform(0, 86_000)) for _ in range(feeds))
            conn.execute(
                insert(Story),
                [
                    {
                        "id": sid,
                        "title": f"Story {s}",
                        "first_seen": times[0],
                        "last_seen": times[-1],
                    }
                ],
            )
            rows = []
            for i, when in enumerate(times):
                copy = i > 0 and i % 5 == 0
                rows.append(
                    {
                        "uid": f"{sid}-{i}",
                        "feed_id": i + 1,
                        "guid": f"{sid}-{i}",
                        "link": f"https://outlet{i}.test/{sid}/{i}",
                        "title": f"Report {i} on story {s}: officials give new figures",
                        "summary": "Officials said on Monday that the figures rose again. " * 4,
                        "content": "Body text. " * 200,
                        "text_hash": uuid.uuid4().hex,
                        "published": when,
                        "fetched_at": when,
                        "story_id": sid,
                        "kind": "copy" if copy else ("new" if i == 0 else "join"),
                        "duplicate_of": f"{sid}-{i - 1}" if copy else None,
                    }
                )
            conn.execute(insert(EntryRow), rows)
            tracks = []
            for t in range(args.tracks):
                value = 10.0 * (t + 1)
                steps = []
                for i, when in enumerate(times):
                    value += rng.choice((0, 0, 0, 1))
                    steps.append(
                        {
                            "entry_id": f"{sid}-{i}",
                            "outlet": f"Outlet {i}",
                            "published": when.isoformat(),
                            "value": value,
                            "low": value,
                            "high": value,
                            "qualifier": "exact",
                            "text": f"{value:.0f} people",
                            "label": "consistent" if i else "first",
                        }
                    )
                tracks.append(
                    {
                        "story_id": sid,
                        "key": f"people|kill|{t}",
                        "family": "|people",
                        "noun": "people",
                        "predicate": "kill",
                        "steps": json.dumps(steps),
                    }
                )
            conn.execute(insert(TrackRow), tracks)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--entries", type=int, default=550, help="reports per story")
    parser.add_argument("--tracks", type=int, default=3, help="claim tracks per story")
    parser.add_argument("--max-stories", type=int, default=300, help="digest.max_stories")
    parser.add_argument(
        "--reports",
        type=int,
        default=None,
        help="digest.max_reports (default: the config's; 0: every report)",
    )
    parser.add_argument(
        "--steps", type=int, default=None, help="digest.max_steps (default: the config's; 0: all)"
    )
    parser.add_argument("--database-url", default=None, help="PostgreSQL admin URL")
    args = parser.parse_args()
    with database(args.database_url) as url:
        digest: dict[str, object] = {"max_stories": args.max_stories}
        if args.reports is not None:
            digest["max_reports"] = args.reports
        if args.steps is not None:
            digest["max_steps"] = args.steps
        settings = Settings.model_validate({"database": {"url": url}, "digest": digest})
        store = Store.open(url)
        t0 = time.perf_counter()
        fill(store, args)
        print(
            f"filled {args.stories:,} stories x {args.entries:,} reports x {args.tracks} "
            f"tracks in {time.perf_counter() - t0:.1f} s ({store.engine.dialect.name}); "
            f"RSS {rss_mib():.0f} MiB, peak {peak_rss_mib():.0f} MiB"
        )
        store.close()
        store = Store.open(url)
        soak.digest_timing(settings, store, START, START)
        store.close()


if __name__ == "__main__":
    main()
