"""The new entries of results taken together meet the story window in published order."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from monitor import config, dedup
from monitor.pipeline import Deps, PollReport
from monitor.pipeline.ingest import LINGER_S, IngestThread
from monitor.pipeline.outcome import Parsed, assign, finish, plan_of
from monitor.pipeline.parsing import InlineParser
from monitor.store import Store
from monitor.store import feeds as store_feeds
from monitor.store.feeds import DueFeed
from monitor.types import Assignment, ClusterItem, Entry, FeedRequest, FetchResult, ParsedFeed

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class RecordingWindow(dedup.StoryWindow):
    """A real story window that also records the order items reach it."""

    def __init__(self, fail_on: str = "") -> None:
        super().__init__()
        self.order: list[str] = []
        self.fail_on = fail_on

    def add(self, item: ClusterItem) -> Assignment:
        if item.title == self.fail_on:
            raise RuntimeError("bad item")
        self.order.append(item.title)
        return super().add(item)


def _parsed(feed_id: int, titles_hours: list[tuple[str, float]]) -> tuple[DueFeed, Parsed]:
    url = f"https://f{feed_id}.example/rss"
    feed = DueFeed(feed_id, url, f"Feed {feed_id}", "en", FeedRequest(url), 0, None)
    entries = tuple(
        Entry(
            guid=f"{feed_id}-{title}",
            title=title,
            link=f"https://f{feed_id}.example/{n}",
            url=f"https://f{feed_id}.example/{n}",
            summary=f"{title}: a report about a made-up event number {n}.",
            content="",
            published=NOW - timedelta(hours=hours),
            updated=None,
            author=None,
            language="en",
        )
        for n, (title, hours) in enumerate(titles_hours)
    )
    result = FetchResult(url, 200, b"<rss/>")
    return feed, Parsed(result, ParsedFeed(f"Feed {feed_id}", url, "en", None, entries))


def _deps(tmp_path: object, window: dedup.StoryWindow) -> Deps:
    settings = config.loads(f'database: {{url: "sqlite:///{tmp_path}/m.db"}}\n')
    deps = Deps(settings=settings, store=Store.open(settings.database.url), owner="t")
    deps.clusterer = window
    return deps


def test_entries_of_several_results_are_clustered_in_published_order(tmp_path: object) -> None:
    window = RecordingWindow()
    deps = _deps(tmp_path, window)
    # arrival order: feed 1 first, but feed 2's entries are older or interleaved
    one = _parsed(1, [("a-newest", 1.0), ("c-middle", 3.0)])
    two = _parsed(2, [("b-between", 2.0), ("d-oldest", 4.0)])
    plans = [plan_of(deps, f, p, {}, NOW) for f, p in (one, two)]
    assert assign(deps, plans) == [None, None]
    assert window.order == ["d-oldest", "c-middle", "b-between", "a-newest"]
    outcomes = [finish(deps, plan) for plan in plans]
    assert [len(o.new) for o in outcomes] == [2, 2]
    assert all(n.assignment.item_id == n.uid for o in outcomes for n in o.new)
    deps.store.close()


def test_one_results_bad_entry_fails_only_that_result(tmp_path: object) -> None:
    window = RecordingWindow(fail_on="c-middle")
    deps = _deps(tmp_path, window)
    one = _parsed(1, [("a-newest", 1.0), ("c-middle", 3.0)])
    two = _parsed(2, [("b-between", 2.0), ("d-oldest", 4.0)])
    plans = [plan_of(deps, f, p, {}, NOW) for f, p in (one, two)]
    errors = assign(deps, plans)
    assert isinstance(errors[0], RuntimeError) and errors[1] is None
    assert window.order == ["d-oldest", "b-between"]  # feed 1's later entry not tried
    assert len(finish(deps, plans[1]).new) == 2
    deps.store.close()


def _rss(feed_id: int, titles_hours: list[tuple[str, float]]) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><guid>{feed_id}-{title}</guid>"
        f"<link>https://f{feed_id}.example/{title}</link>"
        f"<description>{title}: a report about a made-up event number {n}.</description>"
        f"<pubDate>{format_datetime(NOW - timedelta(hours=hours))}</pubDate></item>"
        for n, (title, hours) in enumerate(titles_hours)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def test_results_arriving_together_are_clustered_in_published_order(tmp_path: object) -> None:
    """A result that arrives within LINGER_S of the one before joins its batch, so their
    entries meet the window in published order even when the ingest thread was idle."""
    window = RecordingWindow()
    deps = _deps(tmp_path, window)
    with deps.store.session() as session:
        for n in (1, 2):
            store_feeds.add_feed(session, f"https://f{n}.example/rss", f"Feed {n}", "en", NOW)
        session.commit()
        due = store_feeds.lease_due(session, NOW, "t", timedelta(minutes=10), 10, True)
    bodies = {1: _rss(1, [("a-newest", 1.0)]), 2: _rss(2, [("b-older", 2.0)])}
    ingest = IngestThread(deps, PollReport(), None, InlineParser())
    for k, feed in enumerate(sorted(due, key=lambda d: d.url)):  # the newest first
        if k:
            time.sleep(LINGER_S / 5)  # the thread has taken the first result by now
        body = bodies[k + 1]
        ingest.put(feed, FetchResult(feed.url, 200, body, body_hash=str(k)), NOW)
    asyncio.run(ingest.close())
    assert window.order == ["b-older", "a-newest"]
    deps.store.close()
