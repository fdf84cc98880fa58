"""build_day: which stories, in which order, with which marks, and feed health."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from monitor.digest import build_day
from monitor.digest.context import day_bounds
from monitor.digest.text import figure, safe_href, slug, truncate
from monitor.types import StoryView, Track
from tests.test_digest_sample import DAY, TZ, entry, health, step, stories, utc


def ids(stories_: list[StoryView], day: date = DAY, tz: ZoneInfo = TZ) -> list[str]:
    return [c.story_id for c in build_day(stories_, [], day, tz).cards]


def story(sid: str, *entries_: object, tracks: tuple[Track, ...] = ()) -> StoryView:
    es = tuple(entries_)
    times = [e.published for e in es]  # type: ignore[attr-defined]
    return StoryView(sid, sid.title(), min(times), max(times), es, tracks)  # type: ignore[arg-type]


def test_sample_day_order_and_membership() -> None:
    digest = build_day(stories(), health(), DAY, TZ)
    assert [c.story_id for c in digest.cards] == ["strike/2026?port#1", "flood-west", "budget-2027"]
    assert digest.tz == "Europe/Kyiv"
    assert digest.start == datetime(2026, 11, 23, 22, tzinfo=UTC)


def test_more_independent_outlets_first_copies_do_not_count() -> None:
    t = utc(24, 10)
    two = story("two", entry("a", "A", t, "new"), entry("b", "B", t, "join"))
    copies = story(
        "copies",
        entry("c", "C", t, "new"),
        entry("d", "D", t, "copy", dup="c"),
        entry("e", "E", t, "exact", dup="c"),
    )
    same_outlet = story("same", entry("f", "F", t, "new"), entry("g", "F", t, "join"))
    assert ids([copies, same_outlet, two]) == ["two", "copies", "same"]
    card = build_day([copies], [], DAY, TZ).cards[0]
    assert card.independent_outlets == 1 and card.copies == 2


def test_moving_numbers_then_freshness_break_ties() -> None:
    early, late = utc(24, 6), utc(24, 18)
    moving = Track(
        "moving",
        "k",
        None,
        "thing",
        None,
        (step("a", "A", early, 1, "first"), step("a", "A", early, 2, "revised_up")),
    )
    flat = Track("fresh", "k", None, "thing", None, (step("b", "B", late, 1, "first"),))
    s_moving = story("moving", entry("a", "A", early, "new"), tracks=(moving,))
    s_fresh = story("fresh", entry("b", "B", late, "new"), tracks=(flat,))
    s_stale = story("stale", entry("c", "C", early, "new"))
    assert ids([s_stale, s_fresh, s_moving]) == ["moving", "fresh", "stale"]


def test_new_today_and_changed_since_yesterday() -> None:
    cards = {c.story_id: c for c in build_day(stories(), [], DAY, TZ).cards}
    strike, flood = cards["strike/2026?port#1"], cards["flood-west"]
    assert not strike.new_today and strike.changed_since_yesterday
    workers, ships = strike.tracks
    assert workers.changed_today and not ships.changed_today  # ships: all steps today
    assert flood.new_today and not flood.changed_since_yesterday


def test_copies_marked_with_the_original_outlet() -> None:
    card = build_day(stories(), [], DAY, TZ).cards[0]
    copies = {e.outlet: e.copy_of for e in card.entries if not e.independent}
    assert copies == {"Yahoo News": "AP", "MSN": "Reuters"}
    assert card.outlets == ("Reuters", "AP", "BBC", "Kyiv Independent")


def test_track_table_wording_first_outlet_and_conflicts() -> None:
    card = build_day(stories(), [], DAY, TZ).cards[0]
    workers = card.tracks[0]
    assert [s.figure for s in workers.steps] == ["more than 2,000", "about 2,500", "1,800"]
    assert workers.first_outlet == "Reuters" and workers.figure == "1,800"
    assert workers.conflict and workers.moved
    assert [s.conflict for s in workers.steps] == [False, False, True]
    assert [s.label_text for s in workers.steps] == ["first report", "revised up", "conflicts"]
    assert not card.tracks[1].moved


def test_summary_truncated_on_a_word_boundary() -> None:
    card = build_day(stories(), [], DAY, TZ).cards[0]
    assert card.summary.endswith("\u2026") and len(card.summary) <= 281
    assert sample_summary_prefix(card.summary[:-1])
    assert truncate("one two three", 8) == "one two\u2026"
    assert truncate("  short  text ", 80) == "short text"


def sample_summary_prefix(head: str) -> bool:
    from tests.test_digest_sample import STRIKE_SUMMARY

    words = STRIKE_SUMMARY.split()
    return " ".join(words[: len(head.split())]) == head


def test_day_boundaries_in_a_non_utc_timezone() -> None:
    # 00:30 Kyiv on the 24th is 22:30Z on the 23rd; 23:30 Kyiv on the 23rd is not on the 24th.
    cards = build_day(stories(), [], DAY, TZ).cards
    assert "flood-west" in {c.story_id for c in cards}
    assert "old-story" not in {c.story_id for c in cards}
    # In UTC the flood's first entry is on the 23rd, and the old story's second one on the 24th.
    utc_ids = {
        c.story_id for c in build_day(stories(), [], date(2026, 11, 23), ZoneInfo("UTC")).cards
    }
    assert "flood-west" in utc_ids and "old-story" in utc_ids
    next_day = {c.story_id for c in build_day(stories(), [], date(2026, 11, 25), TZ).cards}
    assert next_day == {"old-story"}


def test_later_entries_and_steps_are_left_out_of_a_past_day() -> None:
    old = build_day(stories(), [], date(2026, 11, 23), TZ).cards
    strike = next(c for c in old if c.story_id == "strike/2026?port#1")
    assert [e.entry_id for e in strike.entries] == ["r1"]
    assert [len(t.steps) for t in strike.tracks] == [1]
    assert strike.new_today and not strike.changed_since_yesterday


def test_dst_day_is_23_hours_long() -> None:
    start, end = day_bounds(date(2026, 3, 29), ZoneInfo("Europe/Kyiv"))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
    assert start.hour == end.hour == 0


def test_health_section_failing_and_gone() -> None:
    h = build_day([], health(), DAY, TZ).health
    assert [r.name for r in h.failing] == ["Slow Feed", "Warn Feed"]
    assert [r.name for r in h.gone] == ["Old Feed"]
    assert h.total == 4 and h.ok == 1 and not h.all_ok
    assert build_day([], health()[:1], DAY, TZ).health.all_ok


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((2000, 2000, None, "more_than"), "more than 2,000"),
        ((2.5, 2.5, 2.5, "exact"), "2.5"),
        ((400, 300, 500, "range"), "300\u2013500"),
        ((12, None, None, "approx", "%"), "about 12%"),
        ((5, None, None, "at_most", "$"), "at most $5"),
        ((3, None, None, "up", "km"), "up 3 km"),
    ],
)
def test_figure_wording(args: tuple, expected: str) -> None:  # type: ignore[type-arg]
    assert figure(*args) == expected


def test_safe_href_and_slugs() -> None:
    assert safe_href(" https://x.example/a?b=1 ") == "https://x.example/a?b=1"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        "data:text/html,x",
        "//x.example",
        "http://",
        "java\nscript:x",
        "https://x.example/\x00",
    ):
        assert safe_href(bad) is None, bad
    a, b = slug("a/b?c#d"), slug("a-b-c-d")
    assert a != b and all(ch.isalnum() or ch == "-" for ch in a)
    assert slug("../../etc/passwd").startswith("etc-passwd-")
    assert slug("\u041f\u043e\u0440\u0442") == slug("\u041f\u043e\u0440\u0442")
    assert slug("\u041f\u043e\u0440\u0442").startswith("story-")


def test_tracks_that_count_nothing_named_are_left_out() -> None:
    when = utc(DAY.day, 10)
    e = entry("e1", "Reuters", when)
    bare = Track("s", "-|-|-", None, None, None, (step("e1", "Reuters", when, 7, "first"),))
    unit_only = Track(
        "s", "percent|-|-", "percent", None, None, (step("e1", "Reuters", when, 4.8, "first"),)
    )
    card = build_day([story("s", e, tracks=(bare, unit_only))], [], DAY, TZ).cards[0]
    assert [t.noun for t in card.tracks] == ["percent"]
