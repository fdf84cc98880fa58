"""Dates spelled out in reports: parsing, event days in the window, and dated revivals.

Texts are made up. Hard negatives: a shooting in the same town months later that names
another date, and two shootings in one city on one day, stay apart.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from monitor.dedup import StoryClusterer
from monitor.dedup.dates import mentioned_dates, recent_dates
from monitor.dedup.dormant import DormantIndex, make_dormant
from monitor.dedup.lang import language_data
from monitor.dedup.rare import RareNames
from monitor.dedup.revival import Revival, dated, passes
from monitor.types import ClusterItem
from tests.test_dedup_cluster import SHOOTING_A1, SHOOTING_A2, SHOOTING_B, background, item, warmed
from tests.test_dedup_dormant import EVENT

EN = language_data("en")
DAY = 24.0
PUB = date(2016, 12, 20)


def days(text: str, published: date = PUB) -> list[date]:
    return sorted(date.fromordinal(d) for d in mentioned_dates(text, published, EN))


def test_month_and_day_in_either_order_with_an_optional_year() -> None:
    assert days("the shooting on Dec. 7 near the school") == [date(2016, 12, 7)]
    assert days("a party on July 4, 2015, ended in gunfire") == [date(2015, 7, 4)]
    assert days("shot on 7 December outside a bar") == [date(2016, 12, 7)]
    assert days("hearing set for Sept. 3rd") == [date(2016, 9, 3)]
    assert days("Posted: Tuesday, January 28, 2014 8:18 PM") == [date(2014, 1, 28)]


def test_no_date_without_a_capitalised_month_next_to_a_valid_day() -> None:
    assert days("he may 5 times have said so") == []  # the verb, not the month
    assert days("in March 2016 the city hired officers") == []  # a month and a year only
    assert days("Jan 45 and February 30") == []  # no such days
    assert days("room 12 of the hotel") == []


def test_a_date_after_publication_is_last_years() -> None:
    assert days("the Dec. 28 shooting") == [date(2015, 12, 28)]
    assert days("the Dec. 21 shooting") == [date(2016, 12, 21)]  # a day ahead: time zones


def test_a_page_of_many_dates_dates_nothing() -> None:
    timeline = " ".join(f"Jan. {d}: a shooting." for d in range(1, 20))
    assert days(timeline) == []


def test_a_language_without_month_names_finds_no_dates() -> None:
    assert mentioned_dates("Dec. 7", PUB, language_data("xx")) == frozenset()


def test_recent_dates_are_the_last_week_only() -> None:
    when = datetime(2016, 12, 20, 9, tzinfo=UTC)
    found = recent_dates("shot on Dec. 16; charged in the Nov. 2 robbery", when, EN)
    assert found == {date(2016, 12, 16).toordinal()}


def test_revival_rule() -> None:
    rule = Revival()
    first = datetime(2016, 12, 8, tzinfo=UTC)
    assert dated(frozenset({date(2016, 12, 7).toordinal()}), first, rule)
    assert dated(frozenset({date(2016, 12, 5).toordinal()}), first, rule)
    assert not dated(frozenset({date(2016, 12, 9).toordinal()}), first, rule)  # after it
    assert not dated(frozenset({date(2016, 12, 1).toordinal()}), first, rule)
    long = timedelta(days=120)
    # a date and one shared rare name (even a place) with a modest overlap: revived
    assert passes(rule, people=0, entities=1, cosine=0.25, on_date=True, silence=long)
    # a date alone needs more overlap
    assert not passes(rule, people=0, entities=0, cosine=0.25, on_date=True, silence=long)
    assert passes(rule, people=0, entities=0, cosine=0.35, on_date=True, silence=long)
    # long silence without a date: not even two rare names and a large overlap
    assert not passes(rule, people=2, entities=3, cosine=0.6, on_date=False, silence=long)
    # within 45 days the name rules of before hold
    short = timedelta(days=20)
    assert passes(rule, people=1, entities=2, cosine=0.3, on_date=False, silence=short)
    assert not passes(rule, people=0, entities=2, cosine=0.6, on_date=False, silence=short)
    assert not passes(rule, people=1, entities=1, cosine=0.5, on_date=False, silence=short)


def clusterer() -> StoryClusterer:
    c = StoryClusterer(window=timedelta(days=3), horizon=timedelta(days=365))
    for it in background():
        c.add(it)
    return c


# T0 is Wednesday, 1 May 2024; the event's reports say "Tuesday" (30 April)
TRIAL = item(
    "t1",
    "Teen sentenced for classmate's death at Hermitage apartments",
    "A judge sentenced a 17-year-old to eight years on Thursday for the April 30 shooting "
    "at the Burning Tree Apartments in Hermitage that killed a McGavock High School "
    "sophomore. The pistol went off inside a unit, prosecutors said; the victim died at "
    "Summit Medical Center.",
    150 * DAY,
    "tennessean.com",
)

TRIAL_OTHER = item(
    "t2",
    "Man sentenced for Hermitage apartment shooting",
    "A judge sentenced Darnell Pruitt, 41, to 12 years on Thursday for the June 14 shooting "
    "at the Burning Tree Apartments in Hermitage that wounded his neighbor. The neighbor "
    "recovered at Summit Medical Center, prosecutors said.",
    140 * DAY,
    "tennessean.com",
)


def test_a_trial_months_later_naming_the_events_date_rejoins_its_story() -> None:
    c = clusterer()
    first = c.add(EVENT[0])
    c.add(EVENT[1])
    got = c.add(TRIAL)  # 150 days later: past 45 days only a date revives a story
    assert got.kind == "join"
    assert got.story_id == first.story_id
    assert got.scores["dormant"] == 1.0 and got.scores["dated"] == 1.0


def test_a_trial_for_another_shooting_in_the_same_place_stays_apart() -> None:
    c = clusterer()
    first = c.add(EVENT[0])
    c.add(EVENT[1])
    got = c.add(TRIAL_OTHER)  # same complex, town and hospital; another date, other people
    assert got.story_id != first.story_id
    assert got.kind == "new"
    assert c.add(TRIAL).story_id == first.story_id  # the story waits for its own follow-up


def test_without_a_date_a_story_silent_for_months_is_not_reopened() -> None:
    c = clusterer()
    first = c.add(EVENT[0])
    c.add(EVENT[1])
    undated = item(
        "t3",
        "Kaemon Robinson sentenced in death of Kevin Barbee",
        "Kaemon Robinson was sentenced to eight years for the death of his classmate Kevin "
        "Barbee at the Burning Tree Apartments in Hermitage. Robinson told the judge the "
        "pistol went off while he was showing it to Barbee.",
        150 * DAY,
        "newschannel5.com",
    )
    assert c.add(undated).story_id != first.story_id


def dated_on_april_30(it: ClusterItem) -> ClusterItem:
    """``it`` with its weekday ("Tuesday": 30 April, as T0 is Wednesday 1 May) spelled out."""
    return replace(it, text=it.text.replace("Tuesday", "April 30"))


def test_a_spelled_out_date_agrees_with_a_weekday_of_the_same_day() -> None:
    c = warmed()
    first = c.add(SHOOTING_A1)  # "on Tuesday evening"
    later = replace(SHOOTING_A2, text=SHOOTING_A2.text + " He was shot on April 30.")
    got = c.add(later)
    assert got.story_id == first.story_id
    assert got.scores["same_day"] == 1.0


def test_two_shootings_in_one_city_dated_the_same_day_stay_apart() -> None:
    c = warmed()
    first = c.add(SHOOTING_A1)
    other = dated_on_april_30(SHOOTING_B)  # same city and day; other street and people
    assert "April 30" in other.text
    got = c.add(other)
    assert got.kind == "new", got.scores
    assert got.story_id != first.story_id


def test_a_date_alone_finds_the_dormant_story_that_began_that_day() -> None:
    index = DormantIndex()
    terms = {"shooting": 0.6, "porch": 0.5, "grandmother": 0.5, "mercer": 0.4}
    names = [("mercer", False), ("lane", False)]
    first = datetime(2016, 12, 8, tzinfo=UTC)
    other = datetime(2016, 12, 20, tzinfo=UTC)
    for sid, when in (("s-a", first), ("s-b", other)):
        d = make_dormant(sid, when, when + timedelta(days=1), names, terms)
        assert d is not None
        index.add(d)
    nothing = RareNames(frozenset(), frozenset(), ())
    now = datetime(2017, 3, 1, tzinfo=UTC)
    on_dec_7 = frozenset({date(2016, 12, 7).toordinal()})
    found = index.match(nothing, terms, now, on_dec_7)
    assert found is not None and found.story.id == "s-a" and found.on_date
    # another date, or no overlap: nothing
    assert index.match(nothing, terms, now, frozenset({date(2016, 11, 2).toordinal()})) is None
    assert index.match(nothing, {"council": 1.0}, now, on_dec_7) is None
    assert index.match(nothing, terms, now) is None
    # the day index follows the stories out
    index.pop("s-a")
    assert index.match(nothing, terms, now, on_dec_7) is None
