"""What one fetch result means, computed before anything is written: parsed
entries, new and changed ones, story assignments, claims, the feed's next poll.

In three steps, so the ingest thread can look up the known entries of every result
it took at once: ``parse_result``, ``known_of`` (one lookup for many results),
``outcome_of``; ``process`` does all three for one result.
Touches: the database (a read of the feeds' known entries, through store).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor import claims, dedup, policy
from monitor.config import Settings
from monitor.errors import ParseError
from monitor.pipeline.deps import Deps
from monitor.pipeline.parsing import InlineParser, Parser, Pending
from monitor.pipeline.window import clusterer
from monitor.store import entries as store_entries
from monitor.store.entries import ChangedEntry, Known, NewEntry, PollOutcome
from monitor.store.feeds import DueFeed
from monitor.store.feedstate import FeedUpdate
from monitor.types import Assignment, Claim, ClusterItem, Entry, FetchResult, Listing, ParsedFeed

FUTURE_SLACK = timedelta(hours=1)


def needs_parse(feed: DueFeed, result: FetchResult) -> bool:
    """A body came, and it is not the one parsed last time (same hash: nothing new)."""
    unchanged = result.body_hash is not None and result.body_hash == feed.request.body_hash
    return result.ok and result.body is not None and not unchanged


def submit_parse(
    parser: Parser, settings: Settings, result: FetchResult, seen: Listing | None
) -> Pending:
    """Start parsing ``result``'s body, leaving out the items in ``seen`` (stored before)."""
    assert result.body is not None
    return parser.submit(result.body, result.url, result.headers, settings.fetch.max_items, seen)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A fetch result with its parsed feed (None: nothing to parse, or a parse error,
    which is then the result's error)."""

    result: FetchResult
    feed: ParsedFeed | None


def process(
    deps: Deps,
    feed: DueFeed,
    result: FetchResult,
    now: datetime,
    pending: Pending | None = None,
    parser: Parser | None = None,
) -> PollOutcome:
    """Everything one fetch result means, computed before anything is written.
    ``pending`` is its parse if already under way (else it is parsed here)."""
    parsed = parse_result(deps, feed, result, pending, parser)
    known = known_of(deps, [(feed, parsed)])[0]
    return outcome_of(deps, feed, parsed, known, now)


def parse_result(
    deps: Deps,
    feed: DueFeed,
    result: FetchResult,
    pending: Pending | None = None,
    parser: Parser | None = None,
) -> Parsed:
    """The result's parsed feed, if its body needs parsing (a parse error becomes the
    result's error)."""
    if not needs_parse(feed, result):
        return Parsed(result, None)
    try:
        if pending is None:
            seen = deps.listed.seen(feed.id, feed.request.body_hash)
            pending = submit_parse(parser or InlineParser(), deps.settings, result, seen)
        return Parsed(result, pending.result())
    except ParseError as e:
        return Parsed(dataclasses.replace(result, error=str(e)), None)


def known_of(deps: Deps, items: Sequence[tuple[DueFeed, Parsed]]) -> list[dict[str, Known]]:
    """The stored entries each parsed result already has, for all of them in one
    lookup outside a transaction (results without a parsed feed get none)."""
    listed = [(feed.id, p.feed.entries) for feed, p in items if p.feed is not None]
    if not listed:
        return [{} for _ in items]
    with deps.store.reading() as session:
        found = iter(store_entries.known_entries_many(session, listed))
    return [next(found) if p.feed is not None else {} for _, p in items]


def outcome_of(
    deps: Deps, feed: DueFeed, parsed: Parsed, known: dict[str, Known], now: datetime
) -> PollOutcome:
    """What a parsed result means, given the entries the store already has."""
    plan = plan_of(deps, feed, parsed, known, now)
    error = assign(deps, [plan])[0]
    if error is not None:
        raise error
    return finish(deps, plan)


@dataclass
class Plan:
    """A parsed result's new and changed entries, before the new ones have stories."""

    feed: DueFeed
    parsed: Parsed
    now: datetime
    fresh: list[tuple[Entry, ClusterItem]] = field(default_factory=list)
    changed: list[ChangedEntry] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    assignments: dict[str, Assignment] = field(default_factory=dict)


def plan_of(
    deps: Deps, feed: DueFeed, parsed: Parsed, known: dict[str, Known], now: datetime
) -> Plan:
    """The result's changed entries (with their claims) and the new ones as the story
    window will see them."""
    plan = Plan(feed, parsed, now)
    if parsed.feed is None:
        return plan
    language = feed.language or parsed.feed.language or deps.settings.stories.language
    seen_urls: set[str] = set()
    for entry in sorted(parsed.feed.entries, key=lambda e: _published(e, now)):
        # the feed's configured language first: feeds often name the wrong one ("en-US" is
        # many a CMS's default), and the operator who set it knows
        lang = feed.language or entry.language or language
        if entry.language != lang:  # stored as clustered: a restart restores it alike
            entry = dataclasses.replace(entry, language=lang)
        hit = known.get(entry.guid)
        if hit is not None:
            if (entry.title, entry.summary) != (hit.title, hit.summary):
                plan.changed.append(ChangedEntry(hit.uid, entry, tuple(_claims(entry, lang))))
                if hit.story_id:
                    plan.touched.add(hit.story_id)
            continue
        if entry.url and entry.url in seen_urls:
            continue
        seen_urls.add(entry.url)
        item = ClusterItem(
            id=entry_uid(feed.id, entry.guid),
            title=entry.title,
            text=entry.summary or entry.content,
            published=_published(entry, now),
            source=feed.name,
            url=entry.link,
            language=lang,
        )
        plan.fresh.append((entry, item))
    return plan


def assign(deps: Deps, plans: Sequence[Plan]) -> list[Exception | None]:
    """Stories for the new entries of all ``plans``, fed to the window in published order
    across them (as ``monitor cluster`` does; arrival order is the network's), and per plan
    the error that stopped one of its entries (None: all assigned)."""
    errors: list[Exception | None] = [None] * len(plans)
    queue = sorted(
        ((item.published, item.id, n, item) for n, p in enumerate(plans) for _, item in p.fresh),
        key=lambda q: (q[0], q[1], q[2]),
    )
    if not queue:
        return errors
    window = clusterer(deps, plans[0].now)
    for _, _, n, item in queue:
        if errors[n] is not None:
            continue
        try:
            plans[n].assignments[item.id] = window.add(item)
        except Exception as e:  # one feed's failure must never stop the others
            errors[n] = e
    return errors


def finish(deps: Deps, plan: Plan) -> PollOutcome:
    """The outcome of a plan whose new entries all have stories."""
    new: list[NewEntry] = []
    for entry, item in plan.fresh:
        assignment = plan.assignments[item.id]
        plan.touched.add(assignment.story_id)
        new.append(
            NewEntry(
                uid=item.id,
                entry=entry,
                text_hash=dedup.text_hash(entry.title, entry.summary),
                published=item.published,
                assignment=assignment,
                claims=tuple(_claims(entry, item.language)),
            )
        )
    parsed = plan.parsed
    update = feed_update(deps, plan.feed, parsed.result, parsed.feed, len(new), plan.now)
    return PollOutcome(
        owner=deps.owner,
        feed_id=plan.feed.id,
        now=plan.now,
        feed=update,
        new=tuple(new),
        changed=tuple(plan.changed),
        touched_stories=frozenset(plan.touched),
        listed=parsed.feed.listing if parsed.feed is not None else None,
    )


def feed_update(
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


def entry_uid(feed_id: int, guid: str) -> str:
    return hashlib.sha1(f"{feed_id}\0{guid}".encode(), usedforsecurity=False).hexdigest()[:20]


def _published(entry: Entry, now: datetime) -> datetime:
    when = entry.published or entry.updated or now
    return now if when > now + FUTURE_SLACK else when


def claim_text(entry: Entry) -> str:
    """The text the daemon extracts an entry's claims from: title, summary and content."""
    text = entry.title + ".\n" + (entry.summary if entry.summary else entry.content)
    if entry.content and entry.content != entry.summary:
        text += "\n" + entry.content
    return text


def _claims(entry: Entry, language: str) -> Sequence[Claim]:
    return claims.extract(claim_text(entry), language)
