"""The ingest thread: every fetch result of a cycle, processed and saved in arrival order.

Parsing, clustering, claims and the database writes are CPU and blocking work:
they run in one worker thread so the event loop keeps every other fetch (and its
deadline) moving while a heavy feed is being processed. One feed's failure is
recorded on that feed and never stops the others. Touches: the database.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from monitor.errors import MonitorError
from monitor.pipeline.deps import Deps, PollReport, Progress
from monitor.pipeline.outcome import (
    Parsed,
    Plan,
    assign,
    feed_update,
    finish,
    known_of,
    needs_parse,
    parse_result,
    plan_of,
    submit_parse,
)
from monitor.pipeline.parsing import Parser, Pending
from monitor.store import entries as store_entries
from monitor.store import feedstate as store_feedstate
from monitor.store.entries import Known, PollOutcome
from monitor.store.feeds import DueFeed
from monitor.types import FetchResult

log = logging.getLogger("monitor.pipeline")

LIGHT_BATCH = 200  # most results arriving together that the ingest thread takes at once
# a batch takes what arrives within this of the result before it: results arriving
# together meet the story window in published order, whichever feed answered first (the
# demo's first poll merged two same-valley stories in some arrival orders without it)
LINGER_S = 0.05


class IngestThread:
    """Parsing, clustering, claims and the database writes are CPU and blocking work:
    they run in one worker thread, in arrival order, so the event loop keeps every
    other fetch (and its deadline) moving while a heavy feed is being processed.
    Results that queue up while the thread is busy (or arrive within LINGER_S of each
    other) are taken together, their new entries in published order, and written: those with
    entries in one transaction, those without (304s, errors: most of a cycle) in
    another; if a group fails, its results are written one by one."""

    def __init__(
        self,
        deps: Deps,
        report: PollReport,
        progress: Progress | None,
        parser: Parser,
        give: Callable[[int], None] | None = None,
    ) -> None:
        self._deps, self._report, self._progress = deps, report, progress
        self._parser = parser
        self._give = give  # one credit back per result done with (``fetch.batch.Credits``)
        self._queue: queue.SimpleQueue[_Arrival | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="monitor-ingest", daemon=True)
        self._thread.start()

    def put(self, feed: DueFeed, result: FetchResult, arrived: datetime) -> None:
        """Queue a result; a parser that works elsewhere starts on its body right away."""
        pending = None
        if self._parser.eager and needs_parse(feed, result):
            try:
                seen = self._deps.listed.seen(feed.id, feed.request.body_hash)
                pending = submit_parse(self._parser, self._deps.settings, result, seen)
            except Exception:  # no pool to be had: it is parsed in the ingest thread
                log.exception("feed %s: cannot hand the body to a parse worker", feed.url)
        self._queue.put(_Arrival(feed, result, arrived, pending))

    async def close(self) -> None:
        self._queue.put(None)
        await asyncio.to_thread(self._thread.join)

    def _run(self) -> None:
        try:
            self._take_all()
        finally:  # done, or dead: no fetch may wait for this thread any more
            if self._give is not None:
                self._give(-1)

    def _take_all(self) -> None:
        done = False
        while not done:
            batch = [self._queue.get()]
            while len(batch) < LIGHT_BATCH:
                try:
                    batch.append(self._queue.get(timeout=LINGER_S))
                except queue.Empty:
                    break
            arrivals = [a for a in batch if a is not None]
            done = len(arrivals) < len(batch)
            light: list[tuple[_Arrival, PollOutcome]] = []
            heavy: list[tuple[_Arrival, PollOutcome]] = []
            for arrival, outcome in _prepare_all(self._deps, arrivals, self._report, self._parser):
                if outcome is None:
                    self._done(arrival)
                else:
                    (light if _is_light(outcome) else heavy).append((arrival, outcome))
            # with entries: one commit, each touched story's tracks recomputed once
            self._save_together(heavy, _write_polls)
            self._save_together(light, _write_states)

    def _save_together(self, group: list[tuple[_Arrival, PollOutcome]], write: _Writer) -> None:
        """Results that queued up together, in one transaction; if it fails, one by one
        (each in its own transaction), so one bad result loses no other."""
        if len(group) > 1:
            try:
                write(self._deps, [o for _, o in group])
            except Exception as e:
                log.warning(
                    "writing %d poll results together failed (%s); one by one", len(group), e
                )
            else:
                for arrival, outcome in group:
                    _saved(self._deps, arrival, outcome, self._report)
                    self._done(arrival)
                return
        for arrival, outcome in group:
            _save(self._deps, arrival, outcome, self._report)
            self._done(arrival)

    def _done(self, arrival: _Arrival) -> None:
        try:
            if self._progress:
                self._progress(arrival.feed.url, 1)
        finally:  # the credit goes back after the progress count, whatever it does
            if self._give is not None:
                self._give(1)


_Writer = Callable[[Deps, list[PollOutcome]], None]


def _write_polls(deps: Deps, outcomes: list[PollOutcome]) -> None:
    with deps.store.session() as session:
        store_entries.save_polls(session, outcomes, deps.tracker)


def _write_states(deps: Deps, outcomes: list[PollOutcome]) -> None:
    with deps.store.session() as session:
        store_feedstate.save_states(session, [o.state for o in outcomes])


@dataclass(frozen=True, slots=True)
class _Arrival:
    feed: DueFeed
    result: FetchResult
    now: datetime
    pending: Pending | None = None


def _is_light(outcome: PollOutcome) -> bool:
    return (
        not outcome.new
        and not outcome.changed
        and not outcome.touched_stories
        and store_feedstate.batchable(outcome.state)
    )


def _prepare_all(
    deps: Deps, arrivals: list[_Arrival], report: PollReport, parser: Parser
) -> list[tuple[_Arrival, PollOutcome | None]]:
    """Each result's outcome in arrival order (None when computing it failed: recorded
    on the feed). Results whose parse is done are taken together, so their known
    entries are looked up at once; a parse still under way starts a new run (the
    results before it are clustered meanwhile, as the worker parses)."""
    prepared: list[tuple[_Arrival, PollOutcome | None]] = []
    start = 0
    while start < len(arrivals):
        end = start + 1
        while end < len(arrivals) and _parsed_already(arrivals[end]):
            end += 1
        prepared += _prepare_run(deps, arrivals[start:end], report, parser)
        start = end
    return prepared


def _parsed_already(arrival: _Arrival) -> bool:
    return arrival.pending is None or arrival.pending.done()


def _prepare_run(
    deps: Deps, arrivals: list[_Arrival], report: PollReport, parser: Parser
) -> list[tuple[_Arrival, PollOutcome | None]]:
    """Parse, one lookup of known entries for all, the new entries of all given stories
    in published order, then each outcome."""
    parsed: list[tuple[_Arrival, Parsed | None]] = []
    for arrival in arrivals:
        try:
            p = parse_result(deps, arrival.feed, arrival.result, arrival.pending, parser)
        except Exception as e:  # one feed's failure must never stop the cycle
            _failed(deps, arrival, report, e)
            p = None
        parsed.append((arrival, p))
    found: Iterator[dict[str, Known]] | None = None
    try:
        found = iter(known_of(deps, [(a.feed, p) for a, p in parsed if p is not None]))
    except Exception as e:  # then each result looks its own up (and fails alone if it must)
        log.warning("looking up the known entries of %d results failed (%s)", len(parsed), e)
    plans: list[tuple[_Arrival, Plan | None]] = []
    for arrival, p in parsed:
        if p is None:
            plans.append((arrival, None))
        else:
            known = next(found) if found is not None else None
            plans.append((arrival, _plan(deps, arrival, p, known, report)))
    # the new entries of the whole run meet the story window in published order
    ready = [(a, plan) for a, plan in plans if plan is not None]
    errors = dict(zip((id(a) for a, _ in ready), assign(deps, [p for _, p in ready]), strict=True))
    prepared: list[tuple[_Arrival, PollOutcome | None]] = []
    for arrival, plan in plans:
        error = errors.get(id(arrival))
        if plan is None or error is not None:
            if error is not None:
                _failed(deps, arrival, report, error)
            prepared.append((arrival, None))
            continue
        try:
            prepared.append((arrival, finish(deps, plan)))
        except Exception as e:  # one feed's failure must never stop the cycle
            _failed(deps, arrival, report, e)
            prepared.append((arrival, None))
    return prepared


def _plan(
    deps: Deps,
    arrival: _Arrival,
    parsed: Parsed,
    known: dict[str, Known] | None,
    report: PollReport,
) -> Plan | None:
    """The result's plan, or None when computing it failed (recorded on the feed)."""
    try:
        if known is None:
            known = known_of(deps, [(arrival.feed, parsed)])[0]
        return plan_of(deps, arrival.feed, parsed, known, arrival.now)
    except Exception as e:  # one feed's failure must never stop the cycle
        _failed(deps, arrival, report, e)
        return None


def _save(deps: Deps, arrival: _Arrival, outcome: PollOutcome, report: PollReport) -> None:
    try:
        with deps.store.session() as session:
            store_entries.save_poll(session, outcome, deps.tracker)
    except Exception as e:  # one feed's failure must never stop the cycle
        _failed(deps, arrival, report, e)
        return
    _saved(deps, arrival, outcome, report)


def _saved(deps: Deps, arrival: _Arrival, outcome: PollOutcome, report: PollReport) -> None:
    """Bookkeeping once a result is committed."""
    since = outcome.now - deps.settings.stories.memory  # older ones never come back
    deps.own_uids.update(n.uid for n in outcome.new if n.published >= since)
    if outcome.listed is not None:
        deps.listed.record(outcome.feed_id, outcome.feed.body_hash, outcome.listed)
    _count(report, outcome)
    if outcome.feed.error:
        log.warning("feed %s: %s", arrival.feed.url, outcome.feed.error)


def _failed(deps: Deps, arrival: _Arrival, report: PollReport, e: Exception) -> None:
    feed = arrival.feed
    kind = "cannot store the poll result" if isinstance(e, MonitorError) else "internal error"
    log.error("feed %s: %s: %s", feed.url, kind, e, exc_info=not isinstance(e, MonitorError))
    report.failed += 1
    report.errors.append(f"{feed.url}: {kind}: {e}")
    deps.clusterer = None  # memory may be ahead of the database: rebuild next time
    error = f"{kind}: {type(e).__name__}: {e}"
    _record_failure(deps, feed, arrival.result, arrival.now, error)


def _record_failure(
    deps: Deps, feed: DueFeed, result: FetchResult, now: datetime, error: str
) -> None:
    """Record a failure that happened after the fetch: backed off, shown, never dropped."""
    failed = dataclasses.replace(result, error=error[:500], body=None)
    try:
        update = feed_update(deps, feed, failed, None, 0, now)
        with deps.store.session() as session:
            store_entries.save_poll(
                session,
                PollOutcome(feed_id=feed.id, now=now, feed=update, owner=deps.owner),
                deps.tracker,
            )
    except Exception:  # the database itself is failing; the lease expires on its own
        log.exception("feed %s: cannot record the failure either", feed.url)


def _count(report: PollReport, outcome: PollOutcome) -> None:
    if outcome.feed.status == 304:
        report.not_modified += 1
    elif outcome.feed.error:
        report.failed += 1
        report.errors.append(outcome.feed.error)
    else:
        report.fetched += 1
    report.new_entries += len(outcome.new)
    report.changed_entries += len(outcome.changed)
