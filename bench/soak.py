"""Soak benchmark (issue 7): the poll pipeline on PostgreSQL for a simulated day.

A throwaway PostgreSQL database (dropped at the end) and a feed farm in a child
process (many loopback hosts) with ``--feeds`` feeds of varied news text
(``farm.Feed(text="news")``, see farm_news; each feed serves only its newest
``--window`` items, as real feeds do). The pipeline runs IN THIS PROCESS with a
simulated clock: the day is split into cycles, ``now`` advances by one poll
interval per cycle, and before each cycle every feed gets ``--items-per-cycle``
new items dated inside that interval, so entry dates spread over the day. One
cycle polls every feed in daemon-sized batches of ``--batch`` leases
(``monitor.pipeline.poll_once(deps, now, everything=True)``), keeping the Deps
(warm clusterer) across cycles as the daemon does. The number of cycles follows
from ``--entries``.

Prints, per cycle: entries stored, entries/s, RSS, clusterer window size and
where the ingest thread's time went (wrapping, not editing, monitor functions);
at the end: peak RSS (ru_maxrss, goal <= 300 MB), overall entries/s, the time
of the day's digest query (``store.views.day_stories``, capped as the digest is) and of
``publish.publish_day`` into a temp directory, and the database size.

    .venv/bin/python bench/soak.py [--feeds 10000] [--entries 1000000]
        [--items-per-cycle 1] [--window 20] [--batch FEEDS] [--max-waiting N] [--max-minutes 0]
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import functools
import gc
import math
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import farm as farm_mod  # noqa: E402
import workers  # noqa: E402
from farm import Farm, Feed  # noqa: E402

import monitor.claims  # noqa: E402
import monitor.orphans  # noqa: E402
import monitor.parse  # noqa: E402
import monitor.pipeline.ingest  # noqa: E402
import monitor.pipeline.parsing  # noqa: E402
import monitor.store.entries  # noqa: E402
import monitor.store.feeds  # noqa: E402
import monitor.store.feedstate  # noqa: E402
import monitor.store.tracks  # noqa: E402
from monitor import dedup, pipeline, publish  # noqa: E402
from monitor.config import FetchSettings, PollSettings, Settings  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store import views as store_views  # noqa: E402

PG_ADMIN = os.environ.get("MONITOR_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
DAY = date(2026, 3, 2)  # the simulated day (digest timezone: UTC, the default)
F = TypeVar("F", bound=Callable[..., Any])

# --------------------------------------------------------------------- the farm child


def _child(
    feeds: dict[tuple[str, str], Feed], hosts: list[str], port: int, conn: Any
) -> None:  # pragma: no cover - runs in the child process
    """The farm's server, plus an "advance" command: every feed gets k more items."""

    async def main() -> None:
        server = farm_mod._Server(feeds, hosts, port)
        await server.start()
        conn.send("ready")
        loop = asyncio.get_running_loop()
        while (msg := await loop.run_in_executor(None, conn.recv)) != "stop":
            served = len(server.log)
            for feed in feeds.values():
                feed.version += 1
                feed.items += int(msg)
            server._cache.clear()  # old versions are never asked for again
            server.log.clear()
            conn.send(served)
        await server.stop()
        conn.send("stopped")

    asyncio.run(main())


class SoakFarm:
    """A child-process farm whose feeds all move on by k items on ``advance(k)``."""

    def __init__(self, farm: Farm) -> None:
        self.farm = farm
        self._proc: Any = None
        self._conn: Any = None

    def __enter__(self) -> SoakFarm:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        f = self.farm
        args = (f.feeds, f.hosts, f.port, child)
        self._proc = ctx.Process(target=_child, args=args, daemon=True)
        self._proc.start()
        if self._conn.recv() != "ready":
            raise RuntimeError("farm process did not start")
        return self

    def advance(self, k: int) -> int:
        """Give every feed k new items; return the requests served since the last call."""
        self._conn.send(k)
        return int(self._conn.recv())

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._conn.recv()
        self._proc.join(10)


# --------------------------------------------------------------------- measurement


class Timers:
    """Cumulative seconds (wall, and CPU of the calling thread) and calls of wrapped
    monitor functions (no code edited). Wall much above CPU is waiting: for the
    database, a parse worker, or the GIL held by the event loop thread."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started
                self.cpu[label] += time.thread_time() - cpu
                self.calls[label] += 1

        setattr(owner, name, timed)

    def snapshot(self) -> dict[str, float]:
        return dict(self.seconds)


PARTS = (  # (owner, attribute, label); nesting shown by indentation
    (monitor.store.feeds, "lease_due", "lease_due"),
    (pipeline, "sync_clusterer", "sync_clusterer"),
    (monitor.pipeline.ingest, "_prepare_all", "process"),
    (monitor.parse, "parse", "  parse"),
    (monitor.pipeline.parsing.Pending, "result", "  parse wait"),
    (monitor.store.entries, "known_entries_many", "  known_entries"),
    (dedup.StoryClusterer, "add", "  clusterer.add"),
    (monitor.claims, "extract", "  claims.extract"),
    (monitor.store.entries, "save_polls", "save_polls"),
    (monitor.store.entries, "write_family_tracks", "  write_family_tracks"),
    (monitor.store.tracks, "grow_families", "    grow_families"),
    (monitor.claims.Tracking, "grow", "      claims.grow"),
    (monitor.store.tracks, "family_reports", "    family_reports (rebuilds)"),
    (monitor.claims.Tracking, "tally", "    claims.tally (rebuilds)"),
    (monitor.store.feedstate, "save_states", "save_states"),
)


def install_timers() -> Timers:
    timers = Timers()
    for owner, name, label in PARTS:
        timers.wrap(owner, name, label)
    return timers


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------- setup


@contextmanager
def throwaway_database(admin: str, keep: bool) -> Iterator[str]:
    name = f"monitor_soak_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0]
    url = f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        # migrated by another process, as a restarted daemon finds its database: Alembic's
        # modules (~11 MiB) are imported only by a process that migrates
        migrate = (
            "import os; from monitor.store import Store; Store.open(os.environ['URL']).close()"
        )
        subprocess.run([sys.executable, "-c", migrate], check=True, env={**os.environ, "URL": url})
        yield url
    finally:
        if keep:
            print(f"kept database {name}")
        else:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (name,),
                )
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@dataclass(frozen=True)
class Plan:
    cycles: int
    step: timedelta
    spacing_s: float
    stories: int


def plan(args: argparse.Namespace) -> Plan:
    per_cycle = args.feeds * args.items_per_cycle
    cycles = max(1, math.ceil(args.entries / per_cycle))
    step = timedelta(days=1) / cycles
    stories = args.stories or max(1, args.entries // 5)
    return Plan(cycles, step, step.total_seconds() / args.items_per_cycle, stories)


def build_farm(args: argparse.Namespace, p: Plan, start: datetime) -> Farm:
    """Feeds whose item i is dated start + jitter + i * spacing (item k*c.. in cycle c)."""
    rng = random.Random(7)
    farm = Farm(hosts=args.hosts)
    for i in range(args.feeds):
        epoch = start.timestamp() + rng.uniform(0, p.spacing_s * 0.9)
        feed = Feed(
            text="news",
            items=0,
            gzip=i % 3 == 0,
            stories=p.stories,
            epoch=epoch,
            spacing_s=p.spacing_s,
            listed=args.window,
        )
        farm.add(f"/feed/{i}", feed, host=i % len(farm.hosts))
    return farm


def open_store(url: str, args: argparse.Namespace, farm: Farm, start: datetime) -> Settings:
    settings = Settings.model_validate(
        {
            "database": {"url": url},
            "fetch": FetchSettings(allow_private_addresses=True),
            # batch < feeds: poll_once(everything=True) is called until `feeds` were leased,
            # but lease_due orders by next_poll_at, so once the adaptive interval shrinks a
            # just-polled feed can come before an unpolled one (seen: half the feeds skipped)
            "poll": PollSettings(
                batch=args.batch or args.feeds,
                **({} if args.max_waiting is None else {"max_waiting": args.max_waiting}),
            ),
            "stories": {
                k: v
                for k, v in (("max_items", args.max_items), ("max_dormant", args.max_dormant))
                if v is not None
            },
        }
    )
    store = Store.open(url)
    with store.session() as session:
        for n, (host, path) in enumerate(farm.feeds):
            monitor.store.feeds.add_feed(
                session, farm.url(host, path), f"Outlet {n}", None, start - timedelta(days=1)
            )
        session.commit()
    store.close()
    return settings


# --------------------------------------------------------------------- the run


@dataclass
class CycleResult:
    n: int
    wall: float
    new: int
    total: int
    failed: int
    rss: float
    window_items: int
    dormant: int
    parts: dict[str, float]


def run_cycle(deps: pipeline.Deps, feeds: int, now: datetime) -> tuple[int, int, list[str]]:
    """Poll every feed once, in daemon-sized lease batches; (new entries, failed, errors)."""
    polled = new = failed = 0
    errors: list[str] = []
    while polled < feeds:
        report = pipeline.poll_once(deps, now, everything=True)
        if report.feeds == 0:
            break
        polled += report.feeds
        new += report.new_entries
        failed += report.failed
        errors += report.errors[:3]
    return new, failed, errors


def soak(args: argparse.Namespace, url: str) -> None:
    p = plan(args)
    start = datetime.combine(DAY, datetime.min.time(), tzinfo=UTC)
    farm = build_farm(args, p, start)
    settings = open_store(url, args, farm, start)
    print(
        f"{args.feeds} feeds on {args.hosts} loopback hosts (farm in a child process), "
        f"{args.items_per_cycle} new item(s) per feed per cycle, feeds list their newest "
        f"{args.window}; {p.cycles} cycles of {p.step} simulated (target {args.entries:,} "
        f"entries, {p.stories:,} events); batch {args.batch or args.feeds}; window budget "
        f"stories.max_items {settings.stories.max_items:,}, max_dormant "
        f"{settings.stories.max_dormant:,}; poll.max_waiting {settings.poll.max_waiting:,}; "
        "pipeline in-process, "
        "simulated clock; PostgreSQL throwaway database"
    )
    timers = install_timers()
    store = Store.open(url)
    deps = pipeline.Deps(settings=settings, store=store, owner="soak", rng=random.Random(2))
    results: list[CycleResult] = []
    total = 0
    began, began_cpu = time.perf_counter(), time.process_time()
    with SoakFarm(farm) as sfarm:
        # as the CLI does: the pipeline's children do not import this script again (the
        # farm's child, which runs a function of it, has started by now)
        monitor.orphans.children_skip_main()
        for c in range(p.cycles):
            sfarm.advance(args.items_per_cycle)
            now = start + p.step * (c + 1)
            before = timers.snapshot()
            t0 = time.perf_counter()
            new, failed, errors = run_cycle(deps, args.feeds, now)
            wall = time.perf_counter() - t0
            total += new
            after = timers.snapshot()
            parts = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
            items = deps.clusterer.active_items if deps.clusterer else 0
            dormant = deps.clusterer.dormant_stories if deps.clusterer else 0
            r = CycleResult(c + 1, wall, new, total, failed, rss_mib(), items, dormant, parts)
            results.append(r)
            print_cycle(r, now)
            if args.trace_memory:
                trace_memory(c + 1, args.trace_from)
            if new < args.feeds * args.items_per_cycle:
                print(f"    warning: {new} new < {args.feeds * args.items_per_cycle} expected")
            for e in errors:
                print(f"    error: {e[:300]}")
            elapsed = time.perf_counter() - began
            if args.max_minutes and elapsed > args.max_minutes * 60 and c + 1 < p.cycles:
                print(f"stopped after {c + 1} of {p.cycles} cycles (--max-minutes)")
                break
    ingest = time.perf_counter() - began
    summary(results, ingest, timers, time.process_time() - began_cpu)
    held_memory()
    digest_timing(settings, store, start, now)
    database_size(store)
    store.close()


_traced: list[tracemalloc.Snapshot] = []


def trace_memory(cycle: int, base: int = 2) -> None:
    """Traces from the end of cycle ``base - 1``, takes the baseline at the end of cycle
    ``base`` and from then on prints the lines whose live allocations grew most since."""
    if cycle < base - 1:
        return
    gc.collect()
    if not tracemalloc.is_tracing():
        tracemalloc.start(1)
        return
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )
    if not _traced:
        _traced.append(snap)
        return
    diff = snap.compare_to(_traced[0], "lineno")
    total = sum(d.size_diff for d in diff)
    print(f"    traced growth from cycle {base} to {cycle}: {total / 2**20:.1f} MiB; largest:")
    for d in diff[:25]:
        frame = d.traceback[0]
        where = f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"
        print(f"      {d.size_diff / 2**20:8.2f} MiB {d.count_diff:9d} blocks  {where}")


def print_cycle(r: CycleResult, now: datetime) -> None:
    def part(label: str) -> float:
        return r.parts.get(label, 0.0)

    per = 1000 * sum(r.parts.get(k, 0.0) for k in ("process", "save_polls")) / max(1, r.new)
    rate = r.new / r.wall if r.wall else 0.0
    print(
        f"cycle {r.n:3d} now {now:%H:%M}: {r.new:6d} new, total {r.total:8,d}, "
        f"{r.wall:6.1f} s, {rate:6.0f} entries/s, RSS {r.rss:5.0f} MiB, window "
        f"{r.window_items:7d} items, {r.dormant:7d} dormant, failed {r.failed}; ms/entry "
        f"process+save {per:.2f} "
        f"(sync {part('sync_clusterer'):.1f} s, parse wait {part('  parse wait'):.1f} s, "
        f"known {part('  known_entries'):.1f} s, add {part('  clusterer.add'):.1f} s, "
        f"save {part('save_polls'):.1f} s)"
    )


def summary(results: list[CycleResult], ingest: float, timers: Timers, cpu: float) -> None:
    total = results[-1].total if results else 0
    print(f"\nstored entries: {total:,} in {len(results)} cycles, {ingest:.0f} s of ingest")
    print(f"CPU of the pipeline process (all its threads) during ingest: {cpu:.0f} s")
    print(f"entries per second (overall): {total / ingest:.0f}")
    print(f"peak RSS of the pipeline process after ingest: {peak_rss_mib():.0f} MiB (goal <= 300)")
    print(f"RSS of its child processes (parse, fetch) at the end: {workers.rss_mib():.0f} MiB")
    print(f"  fork server, parse worker(s), fetch child: {workers.memory_line()}")
    parse_cpu = workers.cpu_s()
    print(
        f"CPU of its child processes during the run: {parse_cpu:.0f} s "
        f"({1000 * parse_cpu / max(1, total):.2f} ms/entry)"
    )
    if len(results) >= 4:
        q = len(results) // 4
        first, last = results[1 : 1 + q], results[-q:]  # cycle 1 (cold) left out of the first

        def mean_rate(rs: list[CycleResult]) -> float:
            return sum(r.new for r in rs) / sum(r.wall for r in rs)

        print(
            f"entries/s, early cycles {first[0].n}-{first[-1].n}: {mean_rate(first):.0f}; "
            f"late cycles {last[0].n}-{last[-1].n}: {mean_rate(last):.0f}"
        )
        grow = (last[-1].rss - first[0].rss) / max(1, last[-1].total - first[0].total) * 1e3
        print(
            f"RSS growth from cycle {first[0].n} to {last[-1].n}: {first[0].rss:.0f} -> "
            f"{last[-1].rss:.0f} MiB ({grow:.1f} MiB per 1,000 entries)"
        )
    print(
        "ingest time by part (whole run, wrapped functions; indented = inside the above; "
        "cpu: of the calling thread):"
    )
    for _owner, _name, label in PARTS:
        s, n = timers.seconds.get(label, 0.0), timers.calls.get(label, 0)
        cpu = timers.cpu.get(label, 0.0)
        print(
            f"  {label:<22} {s:8.1f} s {n:9d} calls {1000 * s / max(1, total):7.3f} ms/entry"
            f" (cpu {1000 * cpu / max(1, total):6.3f})"
        )


def pymalloc_stats() -> dict[str, int]:
    """CPython's small-object allocator: arenas held, bytes in live and in free blocks."""
    if not hasattr(sys, "_debugmallocstats"):  # CPython only
        return {}
    with tempfile.TemporaryFile() as out:
        saved = os.dup(2)
        try:
            sys.stderr.flush()
            os.dup2(out.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode(errors="replace")
    found: dict[str, int] = {}
    for line in text.splitlines():
        for key in (
            "arenas allocated current",
            "bytes in allocated blocks",
            "bytes in available blocks",
        ):
            if line.startswith("# " + key):
                found[key] = int(line.rsplit("=", 1)[1].replace(",", ""))
    return found


def held_memory() -> None:
    """How much of the RSS is memory glibc holds free (fragmentation), not live data; with
    ``--trace-memory`` also where the live (traced) memory is, by file."""
    if tracemalloc.is_tracing():
        snap = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, tracemalloc.__file__)]
        )
        by_file = snap.statistics("filename")
        live = sum(st.size for st in by_file)
        print(f"traced live memory (allocated since cycle 1): {live / 2**20:.1f} MiB; by file:")
        for st in by_file[:20]:
            where = "/".join(Path(st.traceback[0].filename).parts[-2:])
            print(f"  {st.size / 2**20:8.2f} MiB {st.count:9d} blocks  {where}")
    stats = pymalloc_stats()
    if stats:
        print(
            f"pymalloc: {stats.get('arenas allocated current', 0)} arenas of 1 MiB, "
            f"{stats.get('bytes in allocated blocks', 0) / 2**20:.0f} MiB in live blocks, "
            f"{stats.get('bytes in available blocks', 0) / 2**20:.0f} MiB in free blocks"
        )
    before = rss_mib()
    gc.collect()
    collected = rss_mib()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return
    print(
        f"RSS after ingest {before:.0f} MiB; after gc.collect {collected:.0f} MiB; after "
        f"malloc_trim(0) {rss_mib():.0f} MiB (the difference: free memory glibc kept)"
    )


def digest_timing(settings: Settings, store: Store, start: datetime, now: datetime) -> None:
    begin, end = publish.day_bounds(DAY, settings)
    before = rss_mib()
    with store.session() as session:
        t0 = time.perf_counter()
        views, active = store_views.day_stories(
            session,
            begin,
            end,
            settings.digest.max_stories,
            settings.digest.max_reports,
            settings.digest.max_steps,
        )
        query = time.perf_counter() - t0
    entries = sum(len(v.entries) for v in views)
    steps = sum(len(t.steps) for v in views for t in v.tracks)
    d = settings.digest
    print(
        f"\nday's digest query (day_stories {DAY}, digest.max_stories {d.max_stories}, "
        f"max_reports {d.max_reports}, max_steps {d.max_steps}): {query:.2f} s, "
        f"{len(views):,} of {active:,} stories, {entries:,} entries and {steps:,} track steps "
        f"read; RSS {before:.0f} -> {rss_mib():.0f} MiB, peak {peak_rss_mib():.0f} MiB"
    )
    del views
    with tempfile.TemporaryDirectory(prefix="monitor-soak-site-") as out:
        t0 = time.perf_counter()
        done = publish.publish_day(settings, store, DAY, now, out_dir=Path(out))
        wall = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in Path(out).rglob("*") if f.is_file())
    print(
        f"publish_day {DAY}: {wall:.2f} s, {done.stories:,} stories, {done.files} files, "
        f"{size / 2**20:.1f} MiB written; RSS {rss_mib():.0f} MiB, peak {peak_rss_mib():.0f} MiB"
    )


def database_size(store: Store) -> None:
    from sqlalchemy import text  # the store owns SQLAlchemy; a bench may read through it

    with store.engine.connect() as conn:
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        rows = conn.execute(
            text(
                "SELECT relname, n_live_tup FROM pg_stat_user_tables "
                "WHERE relname IN ('entry', 'story', 'claim', 'claim_track', 'fetch_log') "
                "ORDER BY relname"
            )
        ).all()
    counts = ", ".join(f"{name} {n:,}" for name, n in rows)
    print(f"database size: {int(size or 0) / 2**20:.0f} MiB ({counts})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=250)
    parser.add_argument("--entries", type=int, default=1_000_000, help="target stored entries")
    parser.add_argument("--items-per-cycle", type=int, default=1, help="new items per feed")
    parser.add_argument("--window", type=int, default=20, help="items listed by a feed")
    parser.add_argument("--stories", type=int, default=0, help="events (default entries/5)")
    parser.add_argument(
        "--batch", type=int, default=0, help="leases per poll_once (default: every feed)"
    )
    parser.add_argument(
        "--max-items", type=int, default=None, help="stories.max_items (default: the config's)"
    )
    parser.add_argument(
        "--max-dormant", type=int, default=None, help="stories.max_dormant (default: the config's)"
    )
    parser.add_argument(
        "--max-waiting",
        type=int,
        default=None,
        help="poll.max_waiting (default: the config's; 0: no limit)",
    )
    parser.add_argument("--max-minutes", type=float, default=0, help="stop ingest after this")
    parser.add_argument("--pg", default=PG_ADMIN, help="admin URL of the PostgreSQL server")
    parser.add_argument("--keep-db", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="tracemalloc from cycle 2: print the lines whose allocations grew (slow)",
    )
    parser.add_argument(
        "--trace-from", type=int, default=2, help="--trace-memory's baseline cycle (>= 2)"
    )
    args = parser.parse_args(argv)
    with throwaway_database(args.pg, args.keep_db) as url:
        soak(args, url)


if __name__ == "__main__":
    main()
