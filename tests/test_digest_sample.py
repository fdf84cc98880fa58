"""A fixed, hand-built day of stories for the digest tests (and a check that it is fixed).

Day: 2026-11-24 in Europe/Kyiv (UTC+2), i.e. 2026-11-23 22:00Z to 2026-11-24 22:00Z.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from monitor.types import EntryView, FeedHealth, StoryView, Track, TrackStep

DAY = date(2026, 11, 24)
TZ = ZoneInfo("Europe/Kyiv")
ARCHIVE = (date(2026, 11, 22), date(2026, 11, 23), DAY)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def entry(
    eid: str,
    outlet: str,
    when: datetime,
    kind: str = "join",
    title: str = "",
    dup: str | None = None,
    link: str | None = None,
    summary: str = "",
) -> EntryView:
    return EntryView(
        entry_id=eid,
        outlet=outlet,
        title=title or f"{outlet} report {eid}",
        link=f"https://{outlet.lower().replace(' ', '')}.example/{eid}" if link is None else link,
        summary=summary,
        published=when,
        kind=kind,  # type: ignore[arg-type]
        duplicate_of=dup,
    )


def step(
    eid: str,
    outlet: str,
    when: datetime,
    value: float,
    label: str,
    qualifier: str = "exact",
    low: float | None = None,
    high: float | None = None,
) -> TrackStep:
    return TrackStep(
        entry_id=eid,
        outlet=outlet,
        published=when,
        value=value,
        low=value if low is None and qualifier == "exact" else low,
        high=value if high is None and qualifier == "exact" else high,
        qualifier=qualifier,  # type: ignore[arg-type]
        text=f"{value:g}",
        label=label,  # type: ignore[arg-type]
    )


STRIKE_SUMMARY = (
    "Dock workers at the country's largest port stayed off the job for a third day on Tuesday, "
    "leaving dozens of container ships waiting offshore as talks between the union and port "
    "operators stalled over pay and night-shift rules, officials said. The government urged both "
    "sides to return to the table before exports of grain and steel are disrupted further."
)


def strike() -> StoryView:
    entries = (
        entry(
            "r1", "Reuters", utc(23, 9), "new", "Port strike halts loading", summary=STRIKE_SUMMARY
        ),
        entry("ap1", "AP", utc(24, 6), "join", "Port strike enters third day"),
        entry("bbc1", "BBC", utc(24, 8, 30), "join", "Thousands on strike at the docks"),
        entry("ki1", "Kyiv Independent", utc(24, 10), "join", "Port workers refuse to return"),
        entry("y1", "Yahoo News", utc(24, 6, 20), "copy", "Port strike enters third day", "ap1"),
        entry("m1", "MSN", utc(24, 7), "exact", "Port strike halts loading", "r1"),
    )
    workers = Track(
        story_id="strike/2026?port#1",
        key="worker|strike",
        unit=None,
        noun="worker",
        predicate="strike",
        steps=(
            step("r1", "Reuters", utc(23, 9), 2000, "first", "more_than", low=2000, high=None),
            step("ap1", "AP", utc(24, 6), 2500, "revised_up", "approx", low=2250, high=2750),
            step("bbc1", "BBC", utc(24, 8, 30), 1800, "conflicting"),
        ),
    )
    ships = Track(
        story_id="strike/2026?port#1",
        key="ship|wait",
        unit=None,
        noun="ship",
        predicate="wait",
        steps=(
            step("ap1", "AP", utc(24, 6), 40, "first"),
            step("ki1", "Kyiv Independent", utc(24, 10), 40, "consistent"),
        ),
    )
    return StoryView(
        id="strike/2026?port#1",
        title="Port strike enters third day",
        first_seen=utc(23, 9),
        last_seen=utc(24, 10),
        entries=entries,
        tracks=(workers, ships),
    )


def flood() -> StoryView:
    entries = (
        entry(
            "f1",
            "Ukrinform",
            utc(23, 22, 30),  # 00:30 on the 24th in Kyiv, still the 23rd in UTC
            "new",
            "Flood warnings issued in the west",
            summary="Rescuers evacuated villages along the river after two days of heavy rain.",
        ),
        entry("f2", "Suspilne", utc(24, 12), "join", "Rivers rise in Zakarpattia"),
    )
    evacuated = Track(
        story_id="flood-west",
        key="person|evacuate",
        unit=None,
        noun="person",
        predicate="evacuate",
        steps=(
            step("f1", "Ukrinform", utc(23, 22, 30), 400, "first", "range", low=300, high=500),
            step("f2", "Suspilne", utc(24, 12), 650, "revised_up", "more_than", low=650),
        ),
    )
    rain = Track(
        story_id="flood-west",
        key="rain|percent",
        unit="%",
        noun="rainfall above normal",
        predicate=None,
        steps=(step("f2", "Suspilne", utc(24, 12), 140, "first", "approx", 120, 160),),
    )
    return StoryView(
        id="flood-west",
        title="Flood warnings in the west",
        first_seen=utc(23, 22, 30),
        last_seen=utc(24, 12),
        entries=entries,
        tracks=(evacuated, rain),
    )


def budget() -> StoryView:
    entries = (entry("b1", "Reuters", utc(24, 15), "new", "Parliament passes budget"),)
    return StoryView(
        id="budget-2027",
        title="Parliament passes 2027 budget",
        first_seen=utc(24, 15),
        last_seen=utc(24, 15),
        entries=entries,
    )


def yesterday_only() -> StoryView:
    """Entries at 21:30Z on the 23rd (23:30 Kyiv, the 23rd) and 22:30Z on the 24th (the 25th)."""
    entries = (
        entry("o1", "AP", utc(23, 21, 30), "new", "Old story"),
        entry("o2", "BBC", utc(24, 22, 30), "join", "Old story, next day"),
    )
    return StoryView(
        id="old-story",
        title="Old story",
        first_seen=utc(23, 21, 30),
        last_seen=utc(24, 22, 30),
        entries=entries,
    )


def stories() -> list[StoryView]:
    return [budget(), yesterday_only(), flood(), strike()]


def health() -> list[FeedHealth]:
    return [
        FeedHealth(
            "https://ok.example/rss", "Fine Feed", 200, None, 0, False, utc(24, 9), None, 12
        ),
        FeedHealth(
            "https://slow.example/rss",
            "Slow Feed",
            None,
            "timed out after 30 s",
            3,
            False,
            utc(22, 9),
            utc(24, 23),
            4,
        ),
        FeedHealth("https://old.example/rss", "Old Feed", 410, None, 0, True, utc(1, 9), None, 0),
        FeedHealth("https://warn.example/rss", "Warn Feed", 500, "HTTP 500", 0, False, None, None),
    ]


def test_sample_is_fixed() -> None:
    assert stories() == stories()
    assert health() == health()
    assert {s.id for s in stories()} == {
        "strike/2026?port#1",
        "flood-west",
        "budget-2027",
        "old-story",
    }


PAYLOAD = "window.__pwned=1"
HOSTILE_ID = "../<script>evil</script>?x=1#frag"


def hostile() -> StoryView:
    """A story whose every text field carries markup and script payloads."""
    title = f'<script>{PAYLOAD}</script>" onerror="{PAYLOAD}" x=\''
    summary = f'<img src=x onerror="{PAYLOAD}"><a href="javascript:{PAYLOAD}">click</a>'
    entries = (
        entry(
            "x1",
            "<svg onload=window.__pwned=1>",
            utc(24, 11),
            "new",
            title,
            link=f"javascript:{PAYLOAD}",
            summary=summary,
        ),
        entry(
            "x2",
            'Evil" onmouseover="' + PAYLOAD,
            utc(24, 11, 30),
            "join",
            f"<iframe src=javascript:{PAYLOAD}></iframe>",
            link=f" JaVaScRiPt:{PAYLOAD}",
        ),
        entry(
            "x3",
            "Data Outlet",
            utc(24, 11, 40),
            "copy",
            "data link",
            link=f"data:text/html,<script>{PAYLOAD}</script>",
            dup="x1",
        ),
    )
    track = Track(
        story_id=HOSTILE_ID,
        key="<b>k</b>",
        unit="<i>u</i>",
        noun=f"<script>{PAYLOAD}</script>",
        predicate='" onclick="' + PAYLOAD,
        steps=(
            step("x1", "<svg onload=window.__pwned=1>", utc(24, 11), 1, "first"),
            step("x2", 'Evil" onmouseover="' + PAYLOAD, utc(24, 11, 30), 2, "conflicting"),
        ),
    )
    return StoryView(
        id=HOSTILE_ID,
        title=title,
        first_seen=utc(24, 11),
        last_seen=utc(24, 11, 40),
        entries=entries,
        tracks=(track,),
    )


def hostile_health() -> list[FeedHealth]:
    return [
        FeedHealth(
            f"javascript:{PAYLOAD}",
            f"<script>{PAYLOAD}</script>",
            500,
            f'<img src=x onerror="{PAYLOAD}">',
            2,
            False,
            None,
            None,
        ),
        FeedHealth(
            f'https://gone.example/"><script>{PAYLOAD}</script>', "", 410, None, 0, True, None, None
        ),
    ]
