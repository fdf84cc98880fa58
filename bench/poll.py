"""Poll-cycle benchmark: Fetcher vs a bare httpx loop over 5,000 farm feeds.

5,000 feeds on 250 loopback hosts (the farm runs in a child process so it has
its own core); about 70 % answer 304 to the conditional request, the rest send
a 20-item RSS body (a third of them gzipped). Both sides use the same
FetchSettings: the same timeouts, connection limits and global + per-host
semaphores. Prints the wall time of each, their ratio (goal <= 1.5) and peak
memory. ``poll_monitor`` is the monitor side (one function, so it can later be
routed through the full pipeline).

    .venv/bin/python bench/poll.py [--feeds 5000] [--hosts 250] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
import resource
import sys
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from farm import LAST_MODIFIED, Farm, Feed, etag_of  # noqa: E402

from monitor.config import FetchSettings  # noqa: E402
from monitor.fetch import Fetcher  # noqa: E402
from monitor.types import FeedRequest, FetchResult  # noqa: E402


def build(farm: Farm, feeds: int, share_304: float, seed: int = 1) -> list[FeedRequest]:
    """Register the feeds and return the requests the poller would send."""
    rng = random.Random(seed)
    requests = []
    for i in range(feeds):
        path = f"/feed/{i}"
        feed = Feed(items=20, gzip=i % 3 == 0)
        url = farm.add(path, feed, host=i % len(farm.hosts))
        if rng.random() < share_304:
            requests.append(FeedRequest(url, etag=etag_of(path, feed), last_modified=LAST_MODIFIED))
        else:
            requests.append(FeedRequest(url, etag='"stale"', last_modified=LAST_MODIFIED))
    return requests


async def poll_monitor(
    requests: Sequence[FeedRequest], settings: FetchSettings, now: datetime
) -> list[FetchResult]:
    """The monitor side of a poll cycle."""
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


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--share-304", type=float, default=0.7)
    args = parser.parse_args(argv)
    settings = FetchSettings(allow_private_addresses=True)  # the farm is on loopback
    now = datetime.now(UTC)
    farm = Farm(hosts=args.hosts, process=True)
    requests = build(farm, args.feeds, args.share_304)
    print(
        f"{args.feeds} feeds on {args.hosts} loopback hosts; concurrency {settings.concurrency},"
        f" per host {settings.per_host_concurrency}; farm in a child process"
    )
    bare_times: list[float] = []
    monitor_times: list[float] = []
    bare_cpu: list[float] = []
    monitor_cpu: list[float] = []
    results: list[FetchResult] = []
    with farm:
        asyncio.run(poll_bare(requests[:200], settings))  # warm up both sides
        asyncio.run(poll_monitor(requests[:200], settings, now))
        for n in range(args.rounds):
            started, cpu = time.perf_counter(), time.process_time()
            statuses = asyncio.run(poll_bare(requests, settings))
            bare_times.append(time.perf_counter() - started)
            bare_cpu.append(time.process_time() - cpu)
            started, cpu = time.perf_counter(), time.process_time()
            results = asyncio.run(poll_monitor(requests, settings, now))
            monitor_times.append(time.perf_counter() - started)
            monitor_cpu.append(time.process_time() - cpu)
            bare, monitor = bare_times[-1], monitor_times[-1]
            print(
                f"round {n + 1}: bare httpx {bare:.2f} s (cpu {bare_cpu[-1]:.2f} s),"
                f" Fetcher {monitor:.2f} s (cpu {monitor_cpu[-1]:.2f} s),"
                f" ratio {monitor / bare:.2f}"
            )
        rss_after_timed = peak_rss_mib()
        tracemalloc.start()
        asyncio.run(poll_monitor(requests, settings, now))
        traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    counts = collections.Counter(r.status for r in results)
    errors = collections.Counter(r.error for r in results if r.error)
    bare_counts = collections.Counter(statuses)
    best_bare, best_monitor = min(bare_times), min(monitor_times)
    print(f"Fetcher statuses: {dict(sorted(counts.items(), key=str))}; errors: {dict(errors)}")
    print(f"bare statuses:    {dict(sorted(bare_counts.items(), key=str))}")
    print(f"wall time, bare httpx loop (best of {args.rounds}): {best_bare:.2f} s")
    print(f"wall time, Fetcher poll cycle (best of {args.rounds}): {best_monitor:.2f} s")
    print(f"ratio Fetcher / bare: {best_monitor / best_bare:.2f} (goal <= 1.5)")
    cpu_ratio = min(monitor_cpu) / min(bare_cpu)
    print(f"client CPU ratio Fetcher / bare (best of each): {cpu_ratio:.2f}")
    print(f"peak RSS of the client process after the timed rounds: {rss_after_timed:.0f} MiB")
    print(f"peak traced Python allocations during one Fetcher cycle: {traced_peak:.1f} MiB")
    per_host = max(farm.max_in_flight.values())
    print(
        f"farm saw {len(farm.log)} requests; max requests served at once per host {per_host},"
        f" overall {farm.max_total_in_flight} (answers are instant, so overlap is rare)"
    )


if __name__ == "__main__":
    main()
