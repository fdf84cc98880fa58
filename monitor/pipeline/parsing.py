"""Parsing off the ingest thread: in worker processes, or inline.

feedparser is the heaviest pure step of a cycle (a changed feed is parsed whole,
however few of its items are new), and one Python thread cannot use a second
core. With ``poll.parse_processes`` > 0, a result's body is handed to a process
pool as soon as it arrives, so parsing runs beside fetching, clustering and
the database writes; the ingest thread collects the parsed feed when it gets to
that result. A worker that dies (a crash, the OOM killer) or a parse that runs
past ``PARSE_TIMEOUT_S`` costs only that feed: its error is recorded and the
pool is replaced (the other parses the dead worker took down are run again, each
in a worker of its own). The pool lives as long as the poller's Deps (closed with
them); workers are forked from a fork server (no threads to inherit) and exit
when the process that made them is gone, even after a SIGKILL.
Touches: child processes.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import threading
from collections.abc import Mapping
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from monitor import orphans, parse
from monitor.errors import ParseError
from monitor.types import Listing, ParsedFeed

log = logging.getLogger("monitor.pipeline")

PARSE_TIMEOUT_S = 60.0  # one body's parse; far above any sane feed (2,000 items ~ 1 s)


ParseArgs = tuple[bytes, str, dict[str, str], int, Listing | None]


class Pending:
    """A parse under way (or done): ``result()`` gives the feed or raises ParseError."""

    def __init__(
        self,
        future: cf.Future[ParsedFeed],
        owner: ProcessParser | None = None,
        pool: cf.ProcessPoolExecutor | None = None,
        args: ParseArgs | None = None,
    ) -> None:
        self._future, self._owner, self._pool, self._args = future, owner, pool, args

    def done(self) -> bool:
        """Whether ``result()`` would return (or raise) without waiting."""
        return self._future.done()

    def result(self) -> ParsedFeed:
        try:
            return self._future.result(timeout=PARSE_TIMEOUT_S)
        except BrokenProcessPool:
            # A worker died: every parse queued in that pool fails with it, most of them
            # innocent. Each is parsed again alone, so only the culprit fails twice.
            assert self._owner is not None and self._pool is not None and self._args
            self._owner.retire(self._pool)
            return _alone(self._args)
        except cf.TimeoutError as e:
            if self._owner is not None and self._pool is not None:
                self._owner.retire(self._pool)
            raise ParseError(f"parsing took longer than {PARSE_TIMEOUT_S:g} s") from e


class _Submits:
    """What both parsers take: one body and how to parse it (``seen``: the feed's listing
    of items stored before, see ``parse.parse``)."""

    def submit(
        self,
        body: bytes,
        url: str,
        headers: Mapping[str, str],
        max_items: int,
        seen: Listing | None = None,
    ) -> Pending:
        return self._begin((body, url, dict(headers), max_items, seen))

    def _begin(self, args: ParseArgs) -> Pending:
        raise NotImplementedError


class InlineParser(_Submits):
    """``poll.parse_processes: 0``: parse in the calling thread, when asked."""

    eager = False  # submit only from the ingest thread (it parses right there)

    def start(self) -> None:
        """Nothing to start."""

    def _begin(self, args: ParseArgs) -> Pending:
        future: cf.Future[ParsedFeed] = cf.Future()
        try:
            future.set_result(parse.parse(*args))
        except Exception as e:  # delivered by Pending.result, as a worker's error would be
            future.set_exception(e)
        return Pending(future)


class ProcessParser(_Submits):
    """A pool of parse workers for one cycle (started on first use)."""

    eager = True  # submit as soon as a result arrives: it parses elsewhere

    def __init__(self, processes: int) -> None:
        self._processes = processes
        self._lock = threading.Lock()
        self._pool: cf.ProcessPoolExecutor | None = None
        self._retired: list[cf.ProcessPoolExecutor] = []

    def _begin(self, args: ParseArgs) -> Pending:
        with self._lock:
            if self._pool is None:
                self._pool = _new_pool(self._processes)
            pool = self._pool
        try:
            future = pool.submit(parse.parse, *args)
        except BrokenProcessPool:  # it broke since: the result will be parsed alone
            future = cf.Future()
            future.set_exception(BrokenProcessPool("the parse pool was broken"))
        return Pending(future, self, pool, args)

    def start(self) -> None:
        """Start the pool and its workers unless running (blocking; run it off the event
        loop: a first submit would otherwise start them inside the event loop thread)."""
        with self._lock:
            if self._pool is not None:
                return
            pool = self._pool = _new_pool(self._processes)
        for ready in [pool.submit(int) for _ in range(self._processes)]:
            ready.result(timeout=PARSE_TIMEOUT_S)

    def retire(self, pool: cf.ProcessPoolExecutor) -> None:
        """Stop using ``pool`` (broken or stuck); the next submit starts a new one."""
        with self._lock:
            if self._pool is pool:
                self._pool = None
            if pool in self._retired:
                return
            self._retired.append(pool)
        log.warning("parse worker pool replaced (a worker died or a parse ran too long)")
        _stop(pool)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            _stop(pool)

    def __enter__(self) -> ProcessParser:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _new_pool(processes: int) -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(
        processes,
        mp_context=orphans.forkserver(),
        initializer=orphans.watch_owner,
        initargs=(os.getpid(),),
    )


def _alone(args: ParseArgs) -> ParsedFeed:
    """Parse one body in a worker of its own; its death or hang is this feed's error."""
    pool = _new_pool(1)
    try:
        return pool.submit(parse.parse, *args).result(timeout=PARSE_TIMEOUT_S)
    except BrokenProcessPool as e:
        raise ParseError(f"the parser process died on this feed: {e}") from e
    except cf.TimeoutError as e:
        raise ParseError(f"parsing took longer than {PARSE_TIMEOUT_S:g} s") from e
    finally:
        _stop(pool)


def _stop(pool: cf.ProcessPoolExecutor) -> None:
    """Shut a pool down without waiting on a stuck worker: kill what is left."""
    workers = list(getattr(pool, "_processes", {}).values())  # no public API for this
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.kill()


Parser = InlineParser | ProcessParser


def make_parser(processes: int) -> Parser:
    """Worker processes when ``processes`` > 0 (started by ``start()``), else inline."""
    return ProcessParser(processes) if processes > 0 else InlineParser()
