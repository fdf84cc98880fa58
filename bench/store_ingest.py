"""The store side of ingest on a grown store: known-entry lookups and group writes.

Builds a throwaway store (a SQLite file in a temp dir, or a PostgreSQL database
that is dropped at the end) grown in SQL to ``--entries`` entries over
``--feeds`` feeds (three claims each, a story per five entries, two tracks per
story, analyzed as the poller would), then times, for groups of ``--size``
results (each: a feed listing ``--listed`` entries, one of them new, joining an
existing story with three claims):

- the known-entry lookup of the group (``entries.known_entries_many``; per feed
  ``entries.known_entries`` in its own session on code that predates it),
- ``entries.save_polls`` of the group (one transaction),

wall and CPU per result, best and median of ``--groups`` groups. Nothing else
runs in the process, so these are the store's own costs (the soak adds the GIL
and a busy machine). Copied into an older checkout it times that code.

    .venv/bin/python bench/store_ingest.py [--engine sqlite|postgresql] [--entries 300000]
        [--feeds 10000] [--size 200] [--groups 5] [--listed 20]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402  (the store owns SQLAlchemy; a bench may use it)

from monitor import claims  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store import entries as store_entries  # noqa: E402
from monitor.store.feedstate import FeedUpdate  # noqa: E402
from monitor.types import Assignment, Entry  # noqa: E402

PG_ADMIN = os.environ.get("MONITOR_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
NOW = datetime(2026, 3, 5, tzinfo=UTC)
TEXT = "Officials said 12 people were killed and 30 injured; 200 homes were destroyed."
SUMMARY = "Summary words here. " * 12


@contextmanager
def throwaway(engine: str) -> Iterator[str]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="monitor-store-bench-") as tmp:
            yield f"sqlite:///{tmp}/monitor.db"
        return
    name = f"monitor_store_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        base = PG_ADMIN.rsplit("/", 1)[0]
        yield f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def grow(store: Store, entries: int, feeds: int) -> None:
    """Feeds, stories, entries (item i of feed f: GUID .../f/i, URL .../f/i), claims,
    tracks, all in SQL (a recursive CTE counts on both engines)."""
    stories = max(1, entries // 5)
    ts = "'2026-03-01 00:00:00'"
    count = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {})"
    pg = not store.is_sqlite
    stamp = (
        "timestamptz {ts} + make_interval(secs => {{}})"
        if pg
        else "strftime('%Y-%m-%d %H:%M:%S', {ts}, '+' || ({{}}) || ' seconds') || '.000000'"
    ).format(ts=ts)
    story_of = f"'s-' || (((i % {stories}) * 7919) % {stories} + 1)"
    with store.engine.begin() as conn:
        conn.execute(
            text(
                count.format(feeds)
                + " INSERT INTO feed (url, name, title, active, gone, failures, requests, "
                "not_modified) SELECT 'http://h/feed/' || (i + 1), 'Outlet ' || (i + 1), '', "
                "true, false, 0, 0, 0 FROM n"
            )
        )
        conn.execute(
            text(
                count.format(stories)
                + " INSERT INTO story (id, title, first_seen, last_seen, size) SELECT "
                f"'s-' || (i + 1), 'Story ' || (i + 1), {stamp.format('i * 30')}, "
                f"{stamp.format('i * 30')}, 5 FROM n"
            )
        )
        feed, item = f"((i % {feeds}) + 1)", f"(i / {feeds})"
        conn.execute(
            text(
                count.format(entries)
                + " INSERT INTO entry (uid, feed_id, guid, canonical_url, link, title, summary,"
                " content, text_hash, language, published, fetched_at, story_id, kind, scores)"
                f" SELECT 'u' || i, {feed}, 'http://h/feed/' || {feed} || '/' || {item},"
                f" 'http://example.org/feed/' || {feed} || '/' || {item},"
                f" 'http://example.org/x/' || i, 'Title of entry ' || i, '{SUMMARY}', '',"
                f" 'h' || i, 'en', {stamp.format('i * 6')}, {stamp.format('i * 6')},"
                f" {story_of}, 'join', '{{}}' FROM n"
            )
        )
        for j in (1, 2, 3):
            conn.execute(
                text(
                    "INSERT INTO claim (entry_id, value, qualifier, noun, predicate, text, start,"
                    ' "end", sentence)'
                    f" SELECT id, (id % 50) + {j}, 'exact', 'person', 'kill',"
                    f" ((id % 50) + {j}) || ' people', 0, 10, 'Some sentence with ' || (id % 50)"
                    " || ' people killed in it.' FROM entry"
                )
            )
        for j in (1, 2):
            conn.execute(
                text(
                    "INSERT INTO claim_track (story_id, key, noun, predicate, steps) SELECT"
                    f" id, 'person|kill|{j}', 'person', 'kill', '[]' FROM story"
                )
            )
    if pg:  # the poller analyzes grown tables before each cycle (store/upkeep.py)
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def feed_update() -> FeedUpdate:
    return FeedUpdate(
        status=200,
        error=None,
        next_poll_at=NOW + timedelta(hours=1),
        failures=0,
        gone=False,
        interval_s=3600.0,
        retry_after=None,
        etag='"e"',
        last_modified=None,
        body_hash="h",
        title="T",
        new_url=None,
        success=True,
        elapsed_s=0.1,
    )


Listed = list[tuple[int, list[Entry]]]


def known(store: Store, listed: Listed) -> list[dict[str, Any]]:
    many: Callable[..., list[dict[str, Any]]] | None = getattr(
        store_entries, "known_entries_many", None
    )
    if many is not None:
        reading = getattr(store, "reading", store.session)
        with reading() as session:
            return many(session, listed)
    found = []
    for feed_id, listed_entries in listed:  # code before known_entries_many
        with store.session() as session:
            found.append(store_entries.known_entries(session, feed_id, listed_entries))
    return found


def group(
    rng: random.Random, feeds: int, per_feed: int, size: int, listed: int, run: str
) -> Listed:
    chosen = rng.sample(range(1, feeds + 1), size)
    out: Listed = []
    for f in chosen:
        items = [
            Entry(
                f"http://h/feed/{f}/{i}",
                f"Title {i}",
                f"http://example.org/feed/{f}/{i}",
                f"http://example.org/feed/{f}/{i}",
                SUMMARY,
                "",
                NOW,
                None,
            )
            for i in range(max(0, per_feed - listed + 1), per_feed)
        ]
        guid = f"new-{run}-{f}"
        url = f"http://n.example/{guid}"
        items.append(Entry(guid, "New title", url, url, TEXT, "", NOW, None))
        out.append((f, items))
    return out


def outcomes(
    rng: random.Random, listed: Listed, found: Sequence[dict[str, Any]], stories: int
) -> list[store_entries.PollOutcome]:
    extracted = tuple(claims.extract(TEXT, "en"))
    result = []
    for (feed_id, items), hits in zip(listed, found, strict=True):
        new = []
        for e in items:
            if e.guid in hits:
                continue
            uid, story = uuid.uuid4().hex[:20], f"s-{rng.randrange(1, stories + 1)}"
            new.append(
                store_entries.NewEntry(
                    uid=uid,
                    entry=e,
                    text_hash=uid,
                    published=NOW,
                    assignment=Assignment(item_id=uid, story_id=story, kind="join"),
                    claims=extracted,
                )
            )
        result.append(
            store_entries.PollOutcome(
                feed_id=feed_id,
                now=NOW,
                feed=feed_update(),
                new=tuple(new),
                touched_stories=frozenset(n.assignment.story_id for n in new),
                owner="bench",
            )
        )
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--entries", type=int, default=300_000)
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=200, help="results per group")
    parser.add_argument("--groups", type=int, default=5)
    parser.add_argument("--listed", type=int, default=20, help="entries a feed lists")
    args = parser.parse_args(argv)
    rng = random.Random(3)
    with throwaway(args.engine) as url:
        store = Store.open(url)
        started = time.perf_counter()
        grow(store, args.entries, args.feeds)
        print(
            f"{args.engine}: {args.entries:,} entries over {args.feeds:,} feeds grown in "
            f"{time.perf_counter() - started:.0f} s; groups of {args.size} results, each "
            f"listing {args.listed} entries (one new)"
        )
        per_feed = args.entries // args.feeds
        times: dict[str, list[float]] = {"known": [], "known cpu": [], "save": [], "save cpu": []}
        for g in range(args.groups):
            listed = group(rng, args.feeds, per_feed, args.size, args.listed, f"{g}")
            t0, c0 = time.perf_counter(), time.process_time()
            found = known(store, listed)
            t1, c1 = time.perf_counter(), time.process_time()
            polls = outcomes(rng, listed, found, max(1, args.entries // 5))
            assert sum(len(o.new) for o in polls) == args.size, "known entries were missed"
            t2, c2 = time.perf_counter(), time.process_time()
            with store.session() as session:
                store_entries.save_polls(session, polls, claims.Tracking())
            t3, c3 = time.perf_counter(), time.process_time()
            for key, value in (
                ("known", t1 - t0),
                ("known cpu", c1 - c0),
                ("save", t3 - t2),
                ("save cpu", c3 - c2),
            ):
                times[key].append(1000 * value / args.size)
        for key, values in times.items():
            print(
                f"  {key:<10} {min(values):7.3f} ms/result (median {statistics.median(values):.3f})"
            )
        store.close()


if __name__ == "__main__":
    main()
