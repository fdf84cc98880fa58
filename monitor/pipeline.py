"""The imperative shell of one poll cycle: poll_once(deps, now).

Leases due feeds, fetches them concurrently (politely, see monitor.fetch),
and for each result, as it arrives: parses, finds new and changed entries,
assigns stories, extracts claims, decides the next poll, and saves it all in
one transaction. One bad feed never stops the others: its error is recorded
on the feed. Touches: network (through fetch), database (through store).
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor import claims, dedup, parse, policy
from monitor.config import Settings
from monitor.errors import MonitorError, ParseError
from monitor.fetch import Fetcher
from monitor.store import Store
from monitor.store import edits as store_edits
from monitor.store import entries as store_entries
from monitor.store import feeds as store_feeds
from monitor.store.entries import ChangedEntry, FeedUpdate, NewEntry, PollOutcome
from monitor.store.feeds import DueFeed
from monitor.types import Claim, ClusterItem, Entry, FetchResult, ParsedFeed

log = logging.getLogger("monitor.pipeline")

Progress = Callable[[str, int], None]
FUTURE_SLACK = timedelta(hours=1)
SYNC_OVERLAP = 2000  # entry ids re-read below the sync cursor (late commits of other workers)


@dataclass
class Deps:
    """What a poll cycle needs; built once by the CLI or the daemon."""

    settings: Settings
    store: Store
    owner: str
    rng: random.Random = field(default_factory=random.Random)
    clusterer: dedup.StoryClusterer | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    cursor: int = -1
    own_uids: set[str] = field(default_factory=set)
    seen: dict[str, int] = field(default_factory=dict)
    edit: int = -1


@dataclass
class PollReport:
    feeds: int = 0
    fetched: int = 0
    not_modified: int = 0
    failed: int = 0
    new_entries: int = 0
    changed_entries: int = 0
    errors: list[str] = field(default_factory=list)


def poll_once(
    deps: Deps, now: datetime, everything: bool = False, progress: Progress | None = None
) -> PollReport:
    """Poll the due feeds (all active ones with ``everything``) once."""
    return asyncio.run(poll_once_async(deps, now, everything, progress))


async def poll_once_async(
    deps: Deps, now: datetime, everything: bool = False, progress: Progress | None = None
) -> PollReport:
    s = deps.settings
    with deps.store.session() as session:
        # --all means every active feed, not one batch of them
        limit = store_feeds.count_active(session) if everything else s.poll.batch
        due = store_feeds.lease_due(session, now, deps.owner, s.poll.lease, limit, everything)
    report = PollReport(feeds=len(due))
    if not due:
        return report
    sync_clusterer(deps, now)
    # Parsing, clustering, claims and the database write are CPU and blocking work:
    # they run in one worker thread, in arrival order, so the event loop keeps every
    # other fetch (and its deadline) moving while a heavy feed is being processed.
    loop = asyncio.get_running_loop()
    started = time.monotonic()
    handled: list[asyncio.Future[None]] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="monitor-ingest") as ingest:
        async with Fetcher(s.fetch) as fetcher:
            tasks = {asyncio.create_task(fetcher.fetch(d.request, now)): d for d in due}
            pending: set[asyncio.Task[FetchResult]] = set(tasks)
            while pending:
                finished, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                # each result is judged at its own arrival time, not the cycle's start
                arrived = now + timedelta(seconds=time.monotonic() - started)
                for task in finished:
                    feed = tasks[task]
                    handled.append(
                        loop.run_in_executor(
                            ingest,
                            _handle,
                            deps,
                            feed,
                            _result(task, feed),
                            arrived,
                            report,
                            progress,
                        )
                    )
                if deps.stop.is_set():
                    for task in pending:
                        task.cancel()
                    break
        await asyncio.gather(*handled)
    return report


def _result(task: asyncio.Task[FetchResult], feed: DueFeed) -> FetchResult:
    """A fetch task's result; a fetch that raised anyway is that feed's error, not the cycle's."""
    try:
        return task.result()
    except Exception as e:
        log.exception("feed %s: the fetch raised", feed.url)
        return FetchResult(url=feed.url, status=None, error=f"fetch failed: {e}")


def _handle(
    deps: Deps,
    feed: DueFeed,
    result: FetchResult,
    now: datetime,
    report: PollReport,
    progress: Progress | None = None,
) -> None:
    try:
        _ingest(deps, feed, result, now, report)
    finally:
        if progress:
            progress(feed.url, 1)


def _ingest(
    deps: Deps, feed: DueFeed, result: FetchResult, now: datetime, report: PollReport
) -> None:
    try:
        outcome = process(deps, feed, result, now)
        with deps.store.session() as session:
            store_entries.save_poll(session, outcome, claims.track)
        since = now - deps.settings.stories.window  # older ones never come back from a sync
        deps.own_uids.update(n.uid for n in outcome.new if n.published >= since)
    except Exception as e:  # one feed's failure must never stop the cycle
        kind = "cannot store the poll result" if isinstance(e, MonitorError) else "internal error"
        log.error("feed %s: %s: %s", feed.url, kind, e, exc_info=not isinstance(e, MonitorError))
        report.failed += 1
        report.errors.append(f"{feed.url}: {kind}: {e}")
        deps.clusterer = None  # memory may be ahead of the database: rebuild next time
        _record_failure(deps, feed, result, now, f"{kind}: {type(e).__name__}: {e}")
        return
    _count(report, outcome)
    if outcome.feed.error:
        log.warning("feed %s: %s", feed.url, outcome.feed.error)


def _record_failure(
    deps: Deps, feed: DueFeed, result: FetchResult, now: datetime, error: str
) -> None:
    """Record a failure that happened after the fetch: backed off, shown, never dropped."""
    failed = dataclasses.replace(result, error=error[:500], body=None)
    try:
        update = _feed_update(deps, feed, failed, None, 0, now)
        with deps.store.session() as session:
            store_entries.save_poll(
                session,
                PollOutcome(feed_id=feed.id, now=now, feed=update, owner=deps.owner),
                claims.track,
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


def process(deps: Deps, feed: DueFeed, result: FetchResult, now: datetime) -> PollOutcome:
    """Everything one fetch result means, computed before anything is written."""
    parsed: ParsedFeed | None = None
    unchanged = (
        result.ok and result.body_hash is not None and result.body_hash == feed.request.body_hash
    )
    if result.ok and result.body is not None and not unchanged:
        try:
            parsed = parse.parse(
                result.body, result.url, result.headers, deps.settings.fetch.max_items
            )
        except ParseError as e:
            result = dataclasses.replace(result, error=str(e))
    new: tuple[NewEntry, ...] = ()
    changed: tuple[ChangedEntry, ...] = ()
    touched: set[str] = set()
    if parsed is not None:
        new, changed, touched = _entries(deps, feed, parsed, now)
    update = _feed_update(deps, feed, result, parsed, len(new), now)
    return PollOutcome(
        owner=deps.owner,
        feed_id=feed.id,
        now=now,
        feed=update,
        new=new,
        changed=changed,
        touched_stories=frozenset(touched),
    )


def _feed_update(
    deps: Deps,
    feed: DueFeed,
    result: FetchResult,
    parsed: ParsedFeed | None,
    new_entries: int,
    now: datetime,
) -> FeedUpdate:
    interval = timedelta(seconds=feed.interval_s) if feed.interval_s else None
    state = policy.PollState(
        failures=feed.failures, interval=interval, entries_per_day=feed.entries_per_day
    )
    decision = policy.next_poll(
        result,
        state,
        deps.settings.poll,
        now,
        deps.rng,
        ttl_minutes=parsed.ttl_minutes if parsed else None,
        new_entries=new_entries,
    )
    success = result.error is None and result.status is not None and result.status < 400
    return FeedUpdate(
        status=result.status,
        error=result.error,
        next_poll_at=decision.next_poll_at,
        failures=decision.failures,
        gone=decision.muted,
        interval_s=decision.interval.total_seconds() if decision.interval else feed.interval_s,
        retry_after=result.retry_after,
        etag=result.etag,
        last_modified=result.last_modified,
        body_hash=result.body_hash,
        title=parsed.title if parsed else None,
        new_url=result.permanent_url,
        success=success,
        elapsed_s=result.elapsed_s,
    )


def _entries(
    deps: Deps, feed: DueFeed, parsed: ParsedFeed, now: datetime
) -> tuple[tuple[NewEntry, ...], tuple[ChangedEntry, ...], set[str]]:
    with deps.store.session() as session:
        known = store_entries.known_entries(session, feed.id, parsed.entries)
    language = feed.language or parsed.language or deps.settings.stories.language
    clusterer = _clusterer(deps, now)
    new: list[NewEntry] = []
    changed: list[ChangedEntry] = []
    touched: set[str] = set()
    seen_urls: set[str] = set()
    for entry in sorted(parsed.entries, key=lambda e: _published(e, now)):
        lang = entry.language or language
        hit = known.get(entry.guid)
        if hit is not None:
            if (entry.title, entry.summary) != (hit.title, hit.summary):
                changed.append(ChangedEntry(hit.uid, entry, tuple(_claims(entry, lang))))
                if hit.story_id:
                    touched.add(hit.story_id)
            continue
        if entry.url and entry.url in seen_urls:
            continue
        seen_urls.add(entry.url)
        uid = entry_uid(feed.id, entry.guid)
        published = _published(entry, now)
        item = ClusterItem(
            id=uid,
            title=entry.title,
            text=entry.summary or entry.content,
            published=published,
            source=feed.name,
            url=entry.link,
            language=lang,
        )
        assignment = clusterer.add(item)
        touched.add(assignment.story_id)
        new.append(
            NewEntry(
                uid=uid,
                entry=entry,
                text_hash=dedup.text_hash(entry.title, entry.summary),
                published=published,
                assignment=assignment,
                claims=tuple(_claims(entry, lang)),
            )
        )
    return tuple(new), tuple(changed), touched


def entry_uid(feed_id: int, guid: str) -> str:
    return hashlib.sha1(f"{feed_id}\0{guid}".encode(), usedforsecurity=False).hexdigest()[:20]


def _published(entry: Entry, now: datetime) -> datetime:
    when = entry.published or entry.updated or now
    return now if when > now + FUTURE_SLACK else when


def _claims(entry: Entry, language: str) -> Sequence[Claim]:
    text = entry.title + ".\n" + (entry.summary if entry.summary else entry.content)
    if entry.content and entry.content != entry.summary:
        text += "\n" + entry.content
    return claims.extract(text, language)


def _clusterer(deps: Deps, now: datetime) -> dedup.StoryClusterer:
    if deps.clusterer is None:
        sync_clusterer(deps, now)
    assert deps.clusterer is not None
    return deps.clusterer


def sync_clusterer(deps: Deps, now: datetime) -> None:
    """Bring the in-memory story window up to date with the database (entries
    stored by other workers, or everything after a restart)."""
    window = deps.settings.stories.window
    with deps.store.session() as session:
        edit = store_edits.last_edit(session)
    if edit != deps.edit:  # a merge or split by hand: rebuild the window from the database
        deps.clusterer, deps.edit = None, edit
    if deps.clusterer is None:
        deps.clusterer = dedup.StoryClusterer(
            window=window, language=deps.settings.stories.language
        )
        deps.cursor, deps.own_uids, deps.seen = 0, set(), {}
    with deps.store.session() as session:
        # Re-read an overlap below the cursor: on PostgreSQL an id is handed out before its
        # transaction commits, so a lower id can appear after a higher one was seen.
        rows = store_entries.cluster_items(
            session, now - window, max(0, deps.cursor - SYNC_OVERLAP)
        )
    for pk, item, assignment in rows:
        if item.id in deps.seen:
            continue
        deps.seen[item.id] = pk
        if item.id in deps.own_uids:
            deps.own_uids.discard(item.id)
        else:
            deps.clusterer.restore(item, assignment)
        deps.cursor = max(deps.cursor, pk)
    floor = deps.cursor - SYNC_OVERLAP
    deps.seen = {uid: pk for uid, pk in deps.seen.items() if pk > floor}
    deps.clusterer.expire(now)
