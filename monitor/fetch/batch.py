"""A cycle's fetches: ``fetch_all`` in this event loop, or ``serve`` in a fetch child.

``fetch_all`` runs every request of a cycle concurrently through one ``Fetcher``
and reports each result as it arrives. ``serve`` is the main loop of a child
process that does the same for its parent, cycle after cycle, over a pipe
(see ``monitor.pipeline.fetching``): it gets ``(requests, now)``, sends back
``(index, FetchResult)`` per result and ``(CYCLE_DONE, None)`` at the end, and
exits when the pipe closes or its owner process is gone. Kept light (the child
imports only the fetch layer). Touches: the network, the pipe to the parent.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from multiprocessing.connection import Connection

from monitor import orphans
from monitor.config import FetchSettings
from monitor.fetch.client import Fetcher
from monitor.memory import release_free_memory
from monitor.types import FeedRequest, FetchResult

log = logging.getLogger("monitor.fetch")

Arrived = Callable[[int, FetchResult], None]  # (index of the request, its result)
CYCLE_DONE = -1  # index of the message that ends a cycle
FAILED = -2  # index of the message that reports the child's failure (text)
STOP = "stop"  # the parent's message that ends the cycle under way
STOP_CHECK_S = 0.1


async def fetch_all(
    settings: FetchSettings,
    requests: Sequence[FeedRequest],
    now: datetime,
    arrived: Arrived,
    stop: threading.Event,
) -> None:
    """Fetch ``requests`` concurrently, reporting each result as it arrives; on a stop
    request (seen within STOP_CHECK_S) the rest are cancelled and not reported."""
    async with Fetcher(settings) as fetcher:
        tasks = {asyncio.create_task(fetcher.fetch(r, now)): n for n, r in enumerate(requests)}

        def cancel_all() -> None:
            for task in tasks:
                task.cancel()

        def done(task: asyncio.Task[FetchResult]) -> None:
            if not task.cancelled():
                arrived(tasks[task], _result(task, requests[tasks[task]]))

        for task in tasks:
            task.add_done_callback(done)
        watch = asyncio.create_task(_watch(stop, cancel_all))
        try:
            # one wait for all (a wait per arrival re-registered callbacks on every
            # pending task: quadratic, ~2 M callbacks a cycle at 5,000 feeds)
            if tasks:
                await asyncio.wait(tasks)
        finally:
            watch.cancel()


async def _watch(stop: threading.Event, cancel_all: Callable[[], None]) -> None:
    """Cancel the cycle's fetches once ``stop`` is set (by another thread)."""
    while not stop.is_set():
        await asyncio.sleep(STOP_CHECK_S)
    cancel_all()


def serve(conn: Connection, settings: FetchSettings, owner: int) -> None:
    """A fetch child's main loop: one cycle per message until the pipe closes; a STOP
    message cancels the cycle under way (what arrived by then is still sent)."""
    orphans.watch_owner(owner)
    outbox: queue.SimpleQueue[tuple[int, object] | None] = queue.SimpleQueue()
    sender = threading.Thread(target=_send_all, args=(conn, outbox), name="monitor-fetch-send")
    sender.start()
    cycles: queue.SimpleQueue[tuple[list[FeedRequest], datetime] | None] = queue.SimpleQueue()
    stop = threading.Event()
    threading.Thread(
        target=_receive_all, args=(conn, cycles, stop), name="monitor-fetch-recv", daemon=True
    ).start()

    def arrived(n: int, result: FetchResult) -> None:
        outbox.put((n, result))

    try:
        while (cycle := cycles.get()) is not None:
            requests, now = cycle
            try:
                asyncio.run(fetch_all(settings, requests, now, arrived, stop))
            except Exception as e:  # reported to the parent, which records it on each feed
                log.exception("the fetch cycle failed")
                outbox.put((FAILED, f"{type(e).__name__}: {e}"))
            stop.clear()
            outbox.put((CYCLE_DONE, None))
            release_free_memory()  # the cycle's responses: see ``monitor.memory``
    finally:
        outbox.put(None)
        sender.join()


def _receive_all(
    conn: Connection,
    cycles: queue.SimpleQueue[tuple[list[FeedRequest], datetime] | None],
    stop: threading.Event,
) -> None:
    """The parent's messages: cycles to run, or STOP for the one under way."""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent closed the pipe: done
            stop.set()
            cycles.put(None)
            return
        if message == STOP:
            stop.set()
        else:
            cycles.put(message)


def _send_all(conn: Connection, outbox: queue.SimpleQueue[tuple[int, object] | None]) -> None:
    """Send results as they come, off the event loop (a full pipe must not stall it)."""
    while (item := outbox.get()) is not None:
        try:
            conn.send(item)
        except OSError:  # the parent is gone or stopped listening
            return


def _result(task: asyncio.Task[FetchResult], request: FeedRequest) -> FetchResult:
    """A fetch task's result; a fetch that raised anyway is that feed's error."""
    try:
        return task.result()
    except Exception as e:
        log.exception("feed %s: the fetch raised", request.url)
        return FetchResult(url=request.url, status=None, error=f"fetch failed: {e}")
