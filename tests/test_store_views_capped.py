"""A digest's read of a big story: the earliest and latest reports listed, the story's
totals counted by the store, long tracks thinned; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from monitor.store import Store
from monitor.store import feeds as store_feeds
from monitor.store import views as store_views
from monitor.store.tables import EntryRow, Feed, Story, TrackRow

DAY = datetime(2026, 11, 24, tzinfo=UTC)
END = DAY + timedelta(days=1)
REPORTS = 40  # reports of the big story on the day, one per outlet, one in four a copy


def _kind(n: int) -> str:
    return "new" if n == 0 else ("copy" if n % 4 == 0 else "join")


def _fill(store: Store) -> None:
    with store.session() as session:
        for n in range(REPORTS + 1):
            store_feeds.add_feed(session, f"https://o{n}.example/rss", f"Outlet {n}", None, DAY)
        # a second feed of one outlet (its name): one outlet, not two
        store_feeds.add_feed(session, "https://o3.example/other.rss", "Outlet 3", None, DAY)
        session.commit()
        feeds = {f.url: f.id for f in session.exec(select(Feed))}
        session.add(Story(id="big", title="Big story", first_seen=DAY, last_seen=END))
        session.flush()
        times = [DAY + timedelta(minutes=20 * n) for n in range(REPORTS)]
        times.append(END + timedelta(hours=2))  # the next day's report: not shown
        for n, when in enumerate(times):
            session.add(
                EntryRow(
                    uid=f"e{n}",
                    # report 6 comes from Outlet 3's second feed
                    feed_id=feeds[
                        "https://o3.example/other.rss" if n == 6 else f"https://o{n}.example/rss"
                    ],
                    guid=f"e{n}",
                    text_hash=f"e{n}",
                    title=f"report {n}",
                    # a report without a date counts at its fetch (both engines, one order)
                    published=None if n == 7 else when,
                    fetched_at=when,
                    story_id="big",
                    kind=_kind(n),
                    duplicate_of="e1" if _kind(n) == "copy" else None,
                )
            )
        steps = [
            {
                "entry_id": f"e{n}",
                "outlet": "an old name",
                "published": when.isoformat(),
                # 10 for a while, revised up to 12 at report 25, the next day's 20
                "value": 20.0 if n == REPORTS else (12.0 if n >= 25 else 10.0),
                "low": None,
                "high": None,
                "qualifier": "exact",
                "text": "people",
                "label": "first"
                if n == 0
                else ("revised_up" if n in (25, REPORTS) else "consistent"),
            }
            for n, when in enumerate(times)
        ]
        session.add(
            TrackRow(
                story_id="big",
                key="-|people|kill",
                unit=None,
                noun="people",
                steps=json.dumps(steps),
            )
        )
        session.commit()


def test_a_big_story_lists_its_earliest_and_latest_reports_with_exact_totals(store: Store) -> None:
    _fill(store)
    with store.session() as session:
        [view], active = store_views.day_stories(session, DAY, END, 10, reports=10)
    assert active == 1
    listed = [e.entry_id for e in view.entries]
    # the earliest fifth (the first report among them) and the latest rest, before the day's end
    assert listed == ["e0", "e1"] + [f"e{n}" for n in range(REPORTS - 8, REPORTS)]
    copies = sum(1 for n in range(REPORTS) if _kind(n) == "copy")
    assert view.counts is not None
    assert (view.counts.reports, view.counts.copies) == (REPORTS, copies)
    assert view.counts.outlets == REPORTS - copies - 1  # reports 3 and 6: both Outlet 3
    # a listed copy names its original's outlet even when the original is not listed
    copy = next(e for e in view.entries if e.kind == "copy")
    assert copy.duplicate_outlet == "Outlet 1"


def test_a_story_read_with_one_report_lists_its_latest_of_the_day(store: Store) -> None:
    _fill(store)
    with store.session() as session:
        [view], _ = store_views.day_stories(session, DAY, END, 10, reports=1)
        [wider], _ = store_views.day_stories(session, DAY, END, 10, reports=REPORTS + 5)
    assert [e.entry_id for e in view.entries] == [f"e{REPORTS - 1}"]
    # everything of the day, in one order on both engines (the undated report at its fetch)
    assert [e.entry_id for e in wider.entries] == [f"e{n}" for n in range(REPORTS)]


def test_a_long_track_is_read_thinned_with_its_total_and_todays_names(store: Store) -> None:
    _fill(store)
    with store.session() as session:
        [view], _ = store_views.day_stories(session, DAY, END, 10, reports=10, steps=5)
    [track] = view.tracks
    assert track.total_steps == REPORTS  # the next day's step is not counted
    # first, the revision and the latest: the steps in between said nothing new
    assert [s.entry_id for s in track.steps] == ["e0", "e25", f"e{REPORTS - 1}"]
    # steps name outlets as the feeds are named now, also for reports not listed
    assert [s.outlet for s in track.steps] == ["Outlet 0", "Outlet 25", f"Outlet {REPORTS - 1}"]


def test_uncapped_reads_keep_every_report_and_step(store: Store) -> None:
    _fill(store)
    with store.session() as session:
        for limit in (0, 10):  # a day's read is as of the day's end, capped or not
            [view], _ = store_views.day_stories(session, DAY, END, limit)
            assert view.counts is None and len(view.entries) == REPORTS
            assert len(view.tracks[0].steps) == REPORTS and view.tracks[0].total_steps == 0
        [whole] = store_views.stories_by_id(session, ["big"])  # the CLI's: everything
        [listed] = store_views.story_views(session, DAY, END)
    assert len(whole.entries) == len(listed.entries) == REPORTS + 1
    assert len(whole.tracks[0].steps) == REPORTS + 1
