"""The imperative shell of one poll cycle: poll_once(deps, now).

Leases due feeds, fetches them concurrently (politely, see monitor.fetch),
and hands each result, as it arrives, to the ingest thread (``ingest``): parse,
new and changed entries, stories, claims, next poll, saved in one transaction.
One bad feed never stops the others: its error is recorded on the feed.
Touches: network (through fetch), database (through store).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta

from monitor.fetch import Fetcher
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
    started = time.monotonic()
    ingest = IngestThread(deps, report, progress, parser)
    try:
        async with Fetcher(s.fetch) as fetcher:
            tasks = {asyncio.create_task(fetcher.fetch(d.request, now)): d for d in due}
            handed = _Handover(deps, ingest, tasks, now, started)
            for task in tasks:
                task.add_done_callback(handed.arrived)
            # one wait for all (a wait per arrival re-registered callbacks on every pending
            # task: quadratic, ~2 M callbacks a cycle at 5,000 feeds)
            await asyncio.wait(tasks)
            handed.check()
    finally:
        await ingest.close()
    return report


class _Handover:
    """Hands each fetch result to the ingest thread as it arrives (a task's done
    callback), judged at its own arrival time; on a stop request, cancels the rest."""

    def __init__(
        self,
        deps: Deps,
        ingest: IngestThread,
        tasks: dict[asyncio.Task[FetchResult], DueFeed],
        now: datetime,
        started: float,
    ) -> None:
        self._deps, self._ingest, self._tasks = deps, ingest, tasks
        self._now, self._started = now, started
        self._error: Exception | None = None

    def arrived(self, task: asyncio.Task[FetchResult]) -> None:
        if task.cancelled():
            return
        feed = self._tasks[task]
        at = self._now + timedelta(seconds=time.monotonic() - self._started)
        try:
            self._ingest.put(feed, _result(task, feed), at)
        except Exception as e:  # raised after the wait, as the loop would have
            self._error = self._error or e
        if self._deps.stop.is_set():
            for other in self._tasks:
                other.cancel()

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


def _result(task: asyncio.Task[FetchResult], feed: DueFeed) -> FetchResult:
    """A fetch task's result; a fetch that raised anyway is that feed's error, not the cycle's."""
    try:
        return task.result()
    except Exception as e:
        log.exception("feed %s: the fetch raised", feed.url)
        return FetchResult(url=feed.url, status=None, error=f"fetch failed: {e}")
