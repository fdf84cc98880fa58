"""A cycle's fetches: ``fetch_all`` in this event loop, or ``serve`` in a fetch child.

``fetch_all`` runs every request of a cycle concurrently through one ``Fetcher``
and reports each result as it arrives. With ``Credits`` it holds fetches back
while the consumer has too many results on its hands: a request starts only
with a credit, and the consumer gives one back per result it is done with, so
a cycle of 10,000 feeds never holds 10,000 bodies waiting for the ingest.
``serve`` is the main loop of a child process that does the same for its parent,
cycle after cycle, over a pipe (see ``monitor.pipeline.fetching``): it gets
``(requests, now, limit)``, sends back ``(index, FetchResult)`` per result and
``(CYCLE_DONE, None)`` at the end, takes ``(CREDIT, n)`` (n < 0: no more limit)
for the cycle under way, and exits when the pipe closes or its owner process is
gone. Kept light (the child imports only the fetch layer). Touches: the network,
the pipe to the parent.
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
CREDIT = "credit"  # the parent's (CREDIT, n): n more results may be out (n < 0: any number)
STOP_CHECK_S = 0.1


class Credits:
    """How many results may be out: being fetched, or handed on and not yet done with
    by the consumer (``limit`` > 0; 0: any number). ``take`` (in the fetching event
    loop) waits for a credit; ``give`` (from any thread) returns credits, or with n < 0
    lifts the limit (the consumer is gone: nothing may wait for it). A feed refused
    before its request (an address the guard refuses) takes none, and its result gives
    one back anyway: the bound loosens by one per such feed, never tightens."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._free: asyncio.Semaphore | None = None
        self._early = 0  # given before the fetching loop took them in
        self._waiting = 0  # takes waiting (in the loop)
        self._open = limit <= 0

    def bind(self) -> None:
        """Start taking credits in the running event loop (once, before the first take)."""
        with self._lock:
            self._loop = asyncio.get_running_loop()
            self._free = asyncio.Semaphore(self.limit + self._early if self.limit > 0 else 0)

    async def take(self) -> None:
        if self._open:
            return
        assert self._free is not None, "bind() first"
        self._waiting += 1
        try:
            await self._free.acquire()
        finally:
            self._waiting -= 1

    def give(self, n: int = 1) -> None:
        if self.limit <= 0:
            return  # nothing was ever held back
        with self._lock:
            if n < 0:
                self._open = True
            loop = self._loop
            if loop is None:
                self._early += max(n, 0)
                return
        try:
            loop.call_soon_threadsafe(self._release, n)
        except RuntimeError:  # the cycle's loop is closed: nothing waits any more
            pass

    def _release(self, n: int) -> None:
        assert self._free is not None
        for _ in range(self._waiting if n < 0 else n):  # lifted: wake every waiter
            self._free.release()


async def fetch_all(
    settings: FetchSettings,
    requests: Sequence[FeedRequest],
    now: datetime,
    arrived: Arrived,
    stop: threading.Event,
    credits: Credits | None = None,
) -> None:
    """Fetch ``requests`` concurrently, reporting each result as it arrives (each
    request takes one of ``credits`` once it holds its connection slots: see
    ``Fetcher.fetch``); on a stop request (seen within STOP_CHECK_S) the rest are
    cancelled and not reported."""
    gate = None
    if credits is not None:
        credits.bind()
        gate = credits.take
    async with Fetcher(settings) as fetcher:
        tasks = {
            asyncio.create_task(fetcher.fetch(r, now, gate)): n for n, r in enumerate(requests)
        }

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
    cycles: queue.SimpleQueue[_Cycle | None] = queue.SimpleQueue()
    stop = threading.Event()
    threading.Thread(
        target=_receive_all, args=(conn, cycles, stop), name="monitor-fetch-recv", daemon=True
    ).start()

    def arrived(n: int, result: FetchResult) -> None:
        outbox.put((n, result))

    try:
        while (cycle := cycles.get()) is not None:
            requests, now, credits = cycle
            try:
                asyncio.run(fetch_all(settings, requests, now, arrived, stop, credits))
            except Exception as e:  # reported to the parent, which records it on each feed
                log.exception("the fetch cycle failed")
                outbox.put((FAILED, f"{type(e).__name__}: {e}"))
            stop.clear()
            outbox.put((CYCLE_DONE, None))
            release_free_memory()  # the cycle's responses: see ``monitor.memory``
    finally:
        outbox.put(None)
        sender.join()


_Cycle = tuple[list[FeedRequest], datetime, Credits]


def _receive_all(
    conn: Connection, cycles: queue.SimpleQueue[_Cycle | None], stop: threading.Event
) -> None:
    """The parent's messages: cycles to run, STOP for the one under way, or credits
    for it (sent while the cycle runs: a credit never reaches the next one)."""
    credits = Credits(0)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent closed the pipe: done
            stop.set()
            credits.give(-1)
            cycles.put(None)
            return
        if message == STOP:
            stop.set()
        elif message[0] == CREDIT:
            credits.give(message[1])
        else:
            requests, now, limit = message
            credits = Credits(limit)
            cycles.put((requests, now, credits))


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
