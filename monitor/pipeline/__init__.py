"""The imperative shell of one poll cycle: poll_once(deps, now).

Leases due feeds, fetches them concurrently (politely, see monitor.fetch; in a
child process of their own with ``poll.fetch_process``, see ``fetching``), and
hands each result, as it arrives, to the ingest thread (``ingest``): parse,
new and changed entries, stories, claims, next poll, saved in one transaction.
One bad feed never stops the others: its error is recorded on the feed.
Touches: network (through fetch), database (through store).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from monitor.fetch.batch import Credits, fetch_all
from monitor.memory import release_free_memory
from monitor.pipeline.deps import Deps, PollReport, Progress
from monitor.pipeline.ingest import IngestThread
from monitor.pipeline.outcome import FUTURE_SLACK, entry_uid, process
from monitor.pipeline.window import SYNC_OVERLAP, sync_clusterer
from monitor.store import feeds as store_feeds
from monitor.store import upkeep as store_upkeep
from monitor.store.feeds import DueFeed
from monitor.types import FetchResult

__all__ = [
    "FUTURE_SLACK",
    "SYNC_OVERLAP",
    "Deps",
    "PollReport",
    "Progress",
    "entry_uid",
    "poll_once",
    "poll_once_async",
    "process",
    "sync_clusterer",
]

log = logging.getLogger("monitor.pipeline")


def poll_once(
    deps: Deps, now: datetime, everything: bool = False, progress: Progress | None = None
) -> PollReport:
    """Poll the due feeds (all active ones with ``everything``) once."""
    return asyncio.run(poll_once_async(deps, now, everything, progress))


async def poll_once_async(
    deps: Deps, now: datetime, everything: bool = False, progress: Progress | None = None
) -> PollReport:
    s = deps.settings
    _refresh_statistics(deps)
    with deps.store.session() as session:
        # --all means every active feed, not one batch of them
        limit = store_feeds.count_active(session) if everything else s.poll.batch
        due = store_feeds.lease_due(session, now, deps.owner, s.poll.lease, limit, everything)
    report = PollReport(feeds=len(due))
    if not due:
        return report
    sync_clusterer(deps, now)
    parser = deps.parser()
    await asyncio.to_thread(parser.start)
    fetch_process = deps.fetch_process() if s.poll.fetch_process else None
    if fetch_process is not None:
        await asyncio.to_thread(fetch_process.start)
    started = time.monotonic()
    # at most poll.max_waiting results between the fetches and the ingest's end of them
    # (no credits go back and forth when the batch is no larger: the daemon's default)
    limit = s.poll.max_waiting if len(due) > s.poll.max_waiting else 0
    credits = Credits(limit)  # the in-process fetches' (the child keeps its own)
    give = fetch_process.give if fetch_process is not None else credits.give
    ingest = IngestThread(deps, report, progress, parser, give)
    handed = _Handover(ingest, due, now, started, give)
    requests = [d.request for d in due]
    try:
        if fetch_process is not None:
            await asyncio.to_thread(
                fetch_process.fetch, requests, now, handed.arrived, deps.stop, limit
            )
        else:
            await fetch_all(s.fetch, requests, now, handed.arrived, deps.stop, credits)
        handed.check()
    finally:
        await ingest.close()
        release_free_memory()  # what the batch held: see ``memory``
    return report


class _Handover:
    """Hands each fetch result to the ingest thread as it arrives, judged at its own
    arrival time."""

    def __init__(
        self,
        ingest: IngestThread,
        due: list[DueFeed],
        now: datetime,
        started: float,
        give: Callable[[int], None],
    ) -> None:
        self._ingest, self._due = ingest, due
        self._now, self._started = now, started
        self._give = give
        self._error: Exception | None = None

    def arrived(self, n: int, result: FetchResult) -> None:
        at = self._now + timedelta(seconds=time.monotonic() - self._started)
        try:
            self._ingest.put(self._due[n], result, at)
        except Exception as e:  # raised after the fetches, as the loop would have
            self._error = self._error or e
            self._give(1)  # the ingest never got it

    def check(self) -> None:
        if self._error is not None:
            raise self._error


def _refresh_statistics(deps: Deps) -> None:
    """Fresh planner statistics before the cycle's reads (never fails the cycle)."""
    try:
        with deps.store.session() as session:
            analyzed = store_upkeep.refresh_statistics(session)
    except Exception as e:  # statistics are an optimisation: log and poll anyway
        log.warning("refreshing planner statistics failed: %s", e)
        return
    if analyzed:
        log.info("analyzed %s", ", ".join(analyzed))
