"""Poll-cycle benchmark: a full monitor poll cycle and the Fetcher vs a bare httpx loop.

5,000 feeds on 250 loopback hosts (the farm runs in a child process so it has
its own core) with varied news text (``Feed(text="news")``, see farm_news).
An untimed first poll fills a real SQLite store (temporary directory). Then,
each round: about 30 % of the feeds get a new version with 1-3 more items (the
older ones unchanged and still present), the rest answer 304 to the stored
validators; every request is timed three ways from the same stored validators
and with the same FetchSettings (timeouts, connection limits, global +
per-host semaphores):

* bare: a bare httpx.AsyncClient loop;
* Fetcher: ``monitor.fetch.Fetcher`` alone (the fetch layer);
* full cycle: ``monitor.pipeline.poll_once(deps, now, everything=True)``:
  leasing, fetch, parse, known-entry lookup, clustering, claims, tracks and one
  transaction per feed, with the Deps (warm clusterer) kept across cycles as
  the daemon keeps them.

Prints the wall times, both ratios (goal <= 1.5), peak RSS, and with
``--profile`` a cProfile breakdown of one more (untimed) full cycle.

    .venv/bin/python bench/poll.py [--feeds 5000] [--hosts 250] [--items 6] [--rounds 2]
        [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import pstats
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import workers  # noqa: E402
from farm import Farm, Feed  # noqa: E402

from monitor import pipeline  # noqa: E402
from monitor.config import FetchSettings, PollSettings, Settings  # noqa: E402
from monitor.fetch import Fetcher  # noqa: E402
from monitor.pipeline.ingest import IngestThread  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store import feeds as store_feeds  # noqa: E402
from monitor.types import FeedRequest, FetchResult  # noqa: E402

T = TypeVar("T")


async def poll_monitor(
    requests: Sequence[FeedRequest], settings: FetchSettings, now: datetime
) -> list[FetchResult]:
    """The fetch layer alone: every request through one Fetcher."""
    async with Fetcher(settings) as fetcher:
        return list(await asyncio.gather(*(fetcher.fetch(r, now) for r in requests)))


async def poll_bare(requests: Sequence[FeedRequest], settings: FetchSettings) -> list[int]:
    """The same requests through a bare httpx.AsyncClient with the same limits."""
    limits = httpx.Limits(
        max_connections=settings.concurrency,
        max_keepalive_connections=settings.concurrency,
        keepalive_expiry=5.0,
    )
    timeout = httpx.Timeout(settings.timeout_s, connect=settings.connect_timeout_s)
    overall = asyncio.Semaphore(settings.concurrency)
    hosts: dict[str, asyncio.Semaphore] = collections.defaultdict(
        lambda: asyncio.Semaphore(settings.per_host_concurrency)
    )

    async def one(client: httpx.AsyncClient, req: FeedRequest) -> int:
        url = httpx.URL(req.url)
        headers = {"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"}
        if req.etag:
            headers["If-None-Match"] = req.etag
        if req.last_modified:
            headers["If-Modified-Since"] = req.last_modified
        async with hosts[f"{url.host}:{url.port}"], overall:
            response = await client.get(url, headers=headers)
            return response.status_code

    async with httpx.AsyncClient(limits=limits, timeout=timeout, trust_env=False) as client:
        return list(await asyncio.gather(*(one(client, r) for r in requests)))


@dataclass
class Timing:
    wall: float
    cpu: float


def timed(run: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, Timing]:
    """Wall time, and CPU time of this process plus its parse workers and fetch child
    (not the farm)."""
    started, cpu, helpers = time.perf_counter(), time.process_time(), workers.cpu_s()
    value = run(*args, **kwargs)
    spent = time.process_time() - cpu + workers.cpu_s() - helpers
    return value, Timing(time.perf_counter() - started, spent)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def build_farm(args: argparse.Namespace, now: datetime, rng: random.Random) -> Farm:
    farm = Farm(hosts=args.hosts, process=True)
    stories = args.stories or max(1, args.feeds * args.items // 3)
    for i in range(args.feeds):
        epoch = (now - timedelta(hours=rng.uniform(6, 60))).timestamp()
        feed = Feed(text="news", items=args.items, gzip=i % 3 == 0, stories=stories, epoch=epoch)
        farm.add(f"/feed/{i}", feed, host=i % len(farm.hosts))
    return farm


def open_store(directory: str, feeds: int, urls: Sequence[str], now: datetime) -> Settings:
    url = f"sqlite:///{directory}/bench.db"
    settings = Settings.model_validate(
        {
            "database": {"url": url},
            "fetch": FetchSettings(allow_private_addresses=True),  # the farm is on loopback
            "poll": PollSettings(batch=feeds),  # one cycle leases every feed
        }
    )
    store = Store.open(url)
    with store.session() as session:
        for u in urls:
            store_feeds.add_feed(session, u, "", None, now)
        session.commit()
    store.close()
    return settings


def stored_requests(store: Store) -> list[FeedRequest]:
    """What the poller would send now: each feed's stored validators."""
    with store.session() as session:
        rows = store_feeds.list_feeds(session)
    return [FeedRequest(f.url, f.etag, f.last_modified, f.body_hash) for f in rows]


def change_some(farm: Farm, share_304: float, rng: random.Random) -> int:
    """Give ~(1 - share_304) of the feeds a new version with 1-3 more items."""
    changed = 0
    for feed in farm.feeds.values():
        if rng.random() >= share_304:
            feed.version += 1
            feed.items += rng.randint(1, 3)
            changed += 1
    return changed


def describe(report: pipeline.PollReport) -> str:
    return (
        f"{report.feeds} feeds, {report.fetched} fetched, {report.not_modified} not modified,"
        f" {report.failed} failed, {report.new_entries} new entries,"
        f" {report.changed_entries} changed"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--feeds", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=250)
    parser.add_argument("--items", type=int, default=6, help="items per feed at the start")
    parser.add_argument("--stories", type=int, default=0, help="events (default feeds*items/3)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--share-304", type=float, default=0.7)
    parser.add_argument("--profile", action="store_true", help="profile one more full cycle")
    parser.add_argument("--top", type=int, default=30, help="rows of the profile listing")
    parser.add_argument("--keep", type=Path, help="keep the SQLite store in this directory")
    args = parser.parse_args(argv)
    rng = random.Random(1)
    start = datetime.now(UTC).replace(microsecond=0)
    farm = build_farm(args, start, rng)
    urls = [farm.url(host, path) for host, path in farm.feeds]
    with tempfile.TemporaryDirectory(prefix="monitor-poll-bench-") as temporary:
        directory = str(args.keep or temporary)
        settings = open_store(directory, args.feeds, urls, start)
        fetch = settings.fetch
        print(
            f"{args.feeds} feeds on {args.hosts} loopback hosts, {args.items} news items each at"
            f" the start; concurrency {fetch.concurrency}, per host {fetch.per_host_concurrency};"
            " farm in a child process; SQLite store in a temp dir"
        )
        store = Store.open(settings.database.url)
        deps = pipeline.Deps(settings=settings, store=store, owner="bench", rng=random.Random(2))
        with farm:
            report, t = timed(pipeline.poll_once, deps, start, everything=True)
        print(f"setup (untimed) first poll: {t.wall:.1f} s, {describe(report)}")
        print(f"RSS after setup: {rss_mib():.0f} MiB (peak {peak_rss_mib():.0f} MiB)")
        results = run_rounds(args, farm, deps, start, rng)
        print_summary(args, results)
        if args.profile:
            profile_round(args, farm, deps, start + timedelta(hours=args.rounds + 1), rng)
        rss = workers.rss_mib()
        print(f"RSS of the child processes (parse workers, fetch child) at the end: {rss:.0f} MiB")
        deps.close()
        cold_sync(settings, store, start + timedelta(hours=args.rounds + 1))
        store.close()


@dataclass
class Round:
    bare: Timing
    fetcher: Timing
    full: Timing
    statuses: collections.Counter[int]
    report: pipeline.PollReport
    rss_before: float
    rss_after: float


def run_rounds(
    args: argparse.Namespace, farm: Farm, deps: pipeline.Deps, start: datetime, rng: random.Random
) -> list[Round]:
    fetch = deps.settings.fetch
    rounds = []
    for n in range(args.rounds):
        now = start + timedelta(hours=n + 1)
        changed = change_some(farm, args.share_304, rng)
        requests = stored_requests(deps.store)
        with farm:
            asyncio.run(poll_bare(requests[:200], fetch))  # warm up both sides
            asyncio.run(poll_monitor(requests[:200], fetch, now))
            statuses, bare = timed(asyncio.run, poll_bare(requests, fetch))
            _, fetcher = timed(asyncio.run, poll_monitor(requests, fetch, now))
            rss_before = rss_mib()
            report, full = timed(pipeline.poll_once, deps, now, everything=True)
            rss_after = rss_mib()
        counts = collections.Counter(statuses)
        rounds.append(Round(bare, fetcher, full, counts, report, rss_before, rss_after))
        print(
            f"round {n + 1}: {changed} feeds changed; bare httpx {bare.wall:.2f} s"
            f" (cpu {bare.cpu:.2f} s), Fetcher {fetcher.wall:.2f} s (cpu {fetcher.cpu:.2f} s),"
            f" full cycle {full.wall:.2f} s (cpu {full.cpu:.2f} s);"
            f" ratios {fetcher.wall / bare.wall:.2f} / {full.wall / bare.wall:.2f}"
        )
        print(f"  bare statuses {dict(sorted(counts.items()))}; full cycle: {describe(report)}")
    return rounds


def print_summary(args: argparse.Namespace, rounds: list[Round]) -> None:
    best_bare = min(r.bare.wall for r in rounds)
    best_fetcher = min(r.fetcher.wall for r in rounds)
    best_full = min(r.full.wall for r in rounds)
    k = f"best of {len(rounds)}"
    print(f"wall time, bare httpx loop ({k}): {best_bare:.2f} s")
    print(f"wall time, Fetcher alone ({k}): {best_fetcher:.2f} s")
    print(f"wall time, full monitor poll cycle ({k}): {best_full:.2f} s")
    print(f"ratio fetch layer / bare: {best_fetcher / best_bare:.2f} (goal <= 1.5)")
    print(f"ratio full cycle / bare: {best_full / best_bare:.2f} (goal <= 1.5)")
    cpu = min(r.full.cpu for r in rounds) / min(r.bare.cpu for r in rounds)
    print(f"CPU ratio full cycle (client + child processes) / bare (best of each): {cpu:.2f}")
    grow = max(r.rss_after - r.rss_before for r in rounds)
    print(
        f"peak RSS of the client process: {peak_rss_mib():.0f} MiB (RSS before/after the last"
        f" full cycle {rounds[-1].rss_before:.0f}/{rounds[-1].rss_after:.0f} MiB,"
        f" largest growth in one cycle {grow:.0f} MiB)"
    )


# where a full cycle's time goes: (label, file suffix, function name); cumulative times
PARTS = (
    ("lease_due (store)", "store/feeds.py", "lease_due"),
    ("sync_clusterer (store read + restore)", "pipeline/window.py", "sync_clusterer"),
    ("Fetcher.fetch (coroutine, all resumes)", "fetch/client.py", "fetch"),
    ("ingest thread (all per-feed work)", "pipeline/ingest.py", "_run"),
    ("  _prepare_all (outcomes of a batch)", "pipeline/ingest.py", "_prepare_all"),
    ("    parse.parse", "monitor/parse/__init__.py", "parse"),
    ("    known_entries_many (store)", "store/known.py", "known_entries_many"),
    ("    StoryClusterer.add", "dedup/clusterer.py", "add"),
    ("    _claims (claims.extract)", "pipeline/outcome.py", "_claims"),
    ("    policy.next_poll", "monitor/policy.py", "next_poll"),
    ("  save_polls (results with entries)", "store/entries.py", "save_polls"),
    ("    _write_stories", "store/entries.py", "_write_stories"),
    ("    _write_entries", "store/entries.py", "_write_entries"),
    ("    _write_changes", "store/entries.py", "_write_changes"),
    ("    write_family_tracks", "store/tracks.py", "write_family_tracks"),
    ("      grow_families", "store/tracks.py", "grow_families"),
    ("        claims.grow", "claims/grow.py", "grow"),
    ("      family_reports (rebuilds: store read)", "store/tracks.py", "family_reports"),
    ("      claims.tally (rebuilds)", "claims/track.py", "tally"),
    ("      write_tracks (whole stories)", "store/tracks.py", "write_tracks"),
    ("    write_states", "store/feedstate.py", "write_states"),
    ("  save_states (entry-less results together)", "store/feedstate.py", "save_states"),
    ("  Session.commit", "orm/session.py", "commit"),
    ("  Session.flush", "orm/session.py", "flush"),
)


def profile_round(
    args: argparse.Namespace, farm: Farm, deps: pipeline.Deps, now: datetime, rng: random.Random
) -> None:
    change_some(farm, args.share_304, rng)
    # CPU time of each thread: wall-clock timers would charge one thread for waiting on
    # the GIL while the other runs
    profiler = cProfile.Profile(time.thread_time)
    ingest = cProfile.Profile(time.thread_time)
    run = IngestThread._run  # the pipeline's ingest thread: profile it there too

    def profiled(self: IngestThread) -> None:
        ingest.runcall(run, self)

    IngestThread._run = profiled  # type: ignore[method-assign]  # bench-only instrumentation
    try:
        with farm:
            started = time.perf_counter()
            report = profiler.runcall(pipeline.poll_once, deps, now, everything=True)
            wall = time.perf_counter() - started
    finally:
        IngestThread._run = run  # type: ignore[method-assign]
    stats = pstats.Stats(profiler)
    if ingest.getstats():
        stats.add(ingest)
    raw = stats.stats  # type: ignore[attr-defined]
    print(f"\nprofile of one more full cycle (cProfile on, {wall:.2f} s): {describe(report)}")
    print("cumulative thread CPU time by part (cProfile inflates Python-heavy parts):")
    for label, suffix, name in PARTS:
        hits = [v for (f, _l, fn), v in raw.items() if fn == name and f.endswith(suffix)]
        calls = sum(v[1] for v in hits)
        cum = sum(v[3] for v in hits)
        print(f"  {label:<44} {cum:7.2f} s  {calls:8d} calls")
    print(f"top {args.top} functions by own time:")
    stats.sort_stats("tottime").print_stats(args.top)


def cold_sync(settings: Settings, store: Store, now: datetime) -> None:
    """A fresh process (CLI ``poll``, daemon restart) first rebuilds the clusterer."""
    deps = pipeline.Deps(settings=settings, store=store, owner="cold")
    _, t = timed(pipeline.sync_clusterer, deps, now)
    items = deps.clusterer.active_items if deps.clusterer else 0
    print(f"cold start: sync_clusterer rebuilt {items} items in {t.wall:.2f} s (not in the ratio)")


if __name__ == "__main__":
    main()
