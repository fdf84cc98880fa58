"""A cycle's fetches in a child process of their own (``poll.fetch_process``).

The fetch loop and the ingest (clustering, claims, database writes) are both CPU
work; in one process they take turns on one interpreter lock, so a cycle cost
about their sum. ``FetchProcess`` runs the same fetches (``fetch.batch``: the
same Fetcher, politeness, limits and guards) in a child process that lives as
long as the poller's Deps and sends each result back as it arrives, so the
ingest keeps this process's lock. With a ``limit``, the child holds fetches back
while that many results are out and not yet given back (``give``: the ingest is
done with them), as ``fetch.batch.Credits`` does in one process; a child held back
so is not silent. If the child dies or falls silent, every feed
it had not answered gets an error result (recorded and backed off as any fetch
failure) and the next cycle starts a new child; a stop request ends it too.
The child exits when this process is gone, even after a SIGKILL.
Touches: child processes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from monitor.config import FetchSettings
from monitor.fetch import batch
from monitor.fetch.batch import Arrived
from monitor.orphans import forkserver
from monitor.types import FeedRequest, FetchResult

log = logging.getLogger("monitor.pipeline")

STOP_CHECK_S = 0.2
STOP_WAIT_S = 2.0  # after a stop request, how long the child's last results are awaited
SILENCE_SLACK_S = 60.0  # beyond one request's own deadline: the child is stuck
CREDIT_CHECK_S = 0.05  # with a limit: how soon credits given back reach the child


class _Ledger:
    """The poller's side of one cycle's credits (thread-safe): results received and not
    given back, and credits owed to the child (a lifted limit: -1, sent once)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._out = 0
        self._owed = 0
        self._lifted = False  # given up: the limit no longer holds anything back
        self._lift_sent = False

    def received(self) -> None:
        with self._lock:
            self._out += 1

    def give(self, n: int) -> None:
        with self._lock:
            if n < 0:
                self._lifted = True
            else:
                self._out -= n
                self._owed += n

    def owed(self) -> int:
        """What to send the child now: credits owed, -1 once for a lifted limit, or 0."""
        with self._lock:
            if self.limit <= 0:
                return 0
            if self._lifted:
                if self._lift_sent:
                    return 0
                self._lift_sent = True
                return -1
            owed, self._owed = self._owed, 0
            return owed

    def held_back(self) -> bool:
        """Whether the child waits for us (every credit out): it is not silent then."""
        with self._lock:
            return self.limit > 0 and not self._lifted and self._out >= self.limit


class FetchProcess:
    """The fetch child of one poller (started on first use, replaced when it fails)."""

    def __init__(self, settings: FetchSettings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._child: tuple[BaseProcess, Connection] | None = None
        self._ledger = _Ledger(0)  # the credits of the cycle under way

    @property
    def pid(self) -> int | None:
        """The running child's process id (None before the first cycle, after close)."""
        return self._child[0].pid if self._child is not None else None

    def start(self) -> None:
        """Start the child unless running (blocking: run it off the event loop)."""
        with self._lock:
            if self._child is not None and self._child[0].is_alive():
                return
            self._stop_child()
            ours, theirs = multiprocessing.Pipe()
            child = forkserver().Process(
                target=batch.serve,
                args=(theirs, self._settings, os.getpid()),
                name="monitor-fetch",
                daemon=True,
            )
            child.start()
            theirs.close()
            self._child = (child, ours)

    def fetch(
        self,
        requests: Sequence[FeedRequest],
        now: datetime,
        arrived: Arrived,
        stop: threading.Event,
        limit: int = 0,
    ) -> None:
        """Fetch ``requests`` in the child, reporting each result as it arrives (blocking:
        run it off the event loop), at most ``limit`` of them out and not given back
        (0: any number). On a stop request the rest are not reported."""
        if not requests:
            return
        self.start()
        assert self._child is not None
        child, conn = self._child
        remaining = set(range(len(requests)))
        ledger = self._ledger = _Ledger(limit)

        def counted(n: int, result: FetchResult) -> None:
            ledger.received()
            arrived(n, result)

        try:
            conn.send((list(requests), now, limit))
            reason = _receive(conn, child, remaining, counted, stop, self._silence_s, ledger)
        except OSError as e:
            reason = f"the fetch process is unreachable: {e}"
        if reason or stop.is_set():
            # stopped, dead or stuck: the next cycle starts a new one (a stopped child is
            # not reused: a STOP that crossed the end of its cycle would cancel the next)
            self.close()
        if stop.is_set() or not remaining:
            return
        log.error("%s; %d feeds unanswered", reason, len(remaining))
        for n in sorted(remaining):
            error = f"fetch failed: {reason}"
            arrived(n, FetchResult(url=requests[n].url, status=None, error=error))

    def give(self, n: int = 1) -> None:
        """Give back ``n`` results of the cycle under way (its consumer is done with
        them): the child may fetch as many more (n < 0: any number). Never blocks: the
        cycle's receiving thread sends what is owed (within CREDIT_CHECK_S)."""
        self._ledger.give(n)

    def close(self) -> None:
        with self._lock:
            self._stop_child()

    def _stop_child(self) -> None:
        if self._child is None:
            return
        child, conn = self._child
        self._child = None
        conn.close()  # the child's loop ends; a stuck one is killed
        child.join(timeout=1.0)
        if child.is_alive():
            child.kill()
            child.join()

    @property
    def _silence_s(self) -> float:
        """How long a working child can go without a result: every request in flight has
        its own deadline, so silence beyond the longest of them means it is stuck."""
        s = self._settings
        return s.connect_timeout_s + s.timeout_s + SILENCE_SLACK_S


def _receive(
    conn: Connection,
    child: BaseProcess,
    remaining: set[int],
    arrived: Arrived,
    stop: threading.Event,
    silence_s: float,
    ledger: _Ledger,
) -> str:
    """Hand on the child's results until the cycle ends; "" or why it did not. On a stop
    request the child is told to cancel the rest, and what it sends by the end of the
    cycle (at most STOP_WAIT_S more) is still handed on. A child held back (every
    credit out) is waiting for us, not silent."""
    heard = time.monotonic()
    stopped_at: float | None = None
    wait = CREDIT_CHECK_S if ledger.limit > 0 else STOP_CHECK_S
    while True:
        if stop.is_set() and stopped_at is None:
            stopped_at = time.monotonic()
            conn.send(batch.STOP)
        if stopped_at is not None and time.monotonic() - stopped_at > STOP_WAIT_S:
            return "stopped"
        if owed := ledger.owed():
            conn.send((batch.CREDIT, owed))
        if not conn.poll(wait):
            if not child.is_alive() and not conn.poll(0):
                return f"the fetch process died (exit code {child.exitcode})"
            if ledger.held_back():
                heard = time.monotonic()
            elif time.monotonic() - heard > silence_s:
                return f"the fetch process sent nothing for {silence_s:g} s"
            continue
        try:
            n, message = conn.recv()
        except (EOFError, OSError):
            return f"the fetch process died (exit code {child.exitcode})"
        heard = time.monotonic()
        if n == batch.CYCLE_DONE:
            if remaining and stopped_at is None:
                return "the fetch process skipped some feeds"
            return ""
        if n == batch.FAILED:
            return f"the fetch process failed: {message}"
        remaining.discard(n)
        arrived(n, message)
