"""Tests for monitor.claims.extract: the forms of the issue, non-claims and the JSON contract."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.claims import claim_to_json, extract
from monitor.claims.numbers import parse_digits
from monitor.types import Claim


def one(text: str) -> Claim:
    claims = extract(text)
    assert len(claims) == 1, claims
    return claims[0]


def test_more_than_soldiers_surrendered() -> None:
    c = one("More than 2,000 Russian soldiers have surrendered.")
    assert (c.value, c.qualifier, c.low, c.high) == (2000, "more_than", 2000, None)
    assert (c.noun, c.predicate) == ("soldier", "surrender")
    assert c.text == "More than 2,000"


def test_total_of_servicemen_taken_prisoner() -> None:
    c = extract("A total of 102 Russian servicemen, including 31 officers, were taken prisoner.")[0]
    assert (c.value, c.qualifier, c.noun, c.predicate) == (102, "exact", "serviceman", "take")


def test_number_word_officers_seized() -> None:
    c = one("Fourteen Ukrainian special forces officers seized the stronghold.")
    assert (c.value, c.noun, c.predicate) == (14, "officer", "seize")


def test_predicate_before_figure() -> None:
    c = one("Since then the Ukrainian Armed Forces now control 74 settlements.")
    assert (c.value, c.noun, c.predicate) == (74, "settlement", "control")


@pytest.mark.parametrize(
    "text",
    [
        "They joined the 488th motorized rifle regiment.",
        "He was held in penal colony FKUIK-3 for a year.",
        "The third attempt failed.",
        "COVID-19 spread quickly.",
        "They drove along Route 66 at night.",
        "An F-16 flew over.",
        "It happened in 2022.",
        "It happened on March 3.",
        "The meeting starts at 9:35 PM.",
        "Call 555-123-4567 now.",
        "Page 2 of 5",
        "1 comment",
    ],
)
def test_non_claims(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "low", "high", "unit"),
    [
        ("Nearly 2.5 million people fled.", 2.5e6, "approx", 2.25e6, 2.75e6, None),
        ("The plan cost $3bn last year.", 3e9, "exact", 3e9, 3e9, "USD"),
        ("between 50 and 60 villages were hit", 50, "range", 50, 60, None),
        ("a 50-60 km drive", 50, "range", 50, 60, "km"),
        ("from 50 to 60 tanks arrived", 50, "range", 50, 60, None),
        ("Prices rose 5% in May.", 5, "up", 5, 5, "percent"),
        ("The index fell by 200 points.", 200, "down", 200, 200, None),
        ("at least 12 people were hurt", 12, "at_least", 12, None, None),
        ("up to 400 people will be hired", 400, "at_most", None, 400, None),
        ("fewer than 30 people came", 30, "less_than", None, 30, None),
        ("about 60 fishermen work here", 60, "approx", 54, 66, None),
        ("twenty-one people were rescued", 21, "exact", 21, 21, None),
        ("dozens of people were killed", 12, "range", 12, 120, None),
        ("it is 72.7 metres long", 72.7, "exact", 72.7, 72.7, "m"),
    ],
)
def test_forms(
    text: str, value: float, qualifier: str, low: float | None, high: float | None, unit: str | None
) -> None:
    c = one(text)
    assert c.value == pytest.approx(value)
    assert c.qualifier == qualifier
    assert (c.low is None) == (low is None) and (c.high is None) == (high is None)
    if low is not None:
        assert c.low == pytest.approx(low)
    if high is not None:
        assert c.high == pytest.approx(high)
    assert c.unit == unit


def test_locale_separators() -> None:
    assert parse_digits("2.000", "de_DE") == 2000
    assert parse_digits("2,5", "uk_UA") == 2.5
    assert parse_digits("2,000", "en_US") == 2000
    assert parse_digits("2,5", "en_US") is None


@pytest.mark.parametrize(
    ("text", "value", "noun", "predicate"),
    [
        ("A man was shot and killed on Main Street.", 1, "man", "kill"),
        ("Two people were wounded in the attack.", 2, "people", "wound"),
        ("A teen was injured.", 1, "teen", "injure"),
        ("Clewiston shootings leave 1 dead, 4 injured", 1, None, "die"),
        # a raising verb passes the subject on: the verb after it is what happened
        ("Seventeen people are now known to have died in the floods.", 17, "people", "die"),
        ("Ten soldiers are believed to have been captured.", 10, "soldier", "capture"),
        ("Four miners are feared dead after the blast.", 4, "miner", "die"),
        ("Officials said 30 people are reported to be missing.", 30, "people", "miss"),
    ],
)
def test_casualty_counts(text: str, value: float, noun: str | None, predicate: str) -> None:
    c = extract(text)[0]
    assert (c.value, c.noun, c.predicate) == (value, noun, predicate)


def test_spans_point_into_the_input() -> None:
    text = "Intro line.\n\nOfficials said more than 2,000 soldiers surrendered."
    c = one(text)
    assert text[c.start : c.end] == c.text == "more than 2,000"
    assert c.sentence == "Officials said more than 2,000 soldiers surrendered."


def test_claim_to_json_contract() -> None:
    c = one("More than 2,000 Russian soldiers have surrendered.")
    obj = claim_to_json(c, "e1")
    assert list(obj) == [
        "id",
        "value",
        "low",
        "high",
        "qualifier",
        "unit",
        "noun",
        "predicate",
        "text",
        "start",
        "end",
        "sentence",
    ]
    assert obj["value"] == 2000 and obj["high"] is None and obj["id"] == "e1"
    assert "id" not in claim_to_json(c, None)


@given(st.integers(min_value=1000, max_value=10**12))
def test_grouped_integers_round_trip(n: int) -> None:
    assert parse_digits(f"{n:,}", "en_US") == n
    claims = extract(f"Officials counted {n:,} ballots.")
    assert [c.value for c in claims] == [n]


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_between_gives_ordered_interval(a: int, b: int) -> None:
    c = extract(f"They shipped between {a:,} and {b:,} boxes.")[0]
    assert c.qualifier == "range"
    assert c.low is not None and c.high is not None and c.low <= c.high
    assert {c.low, c.high} == {float(a), float(b)}


def test_an_ordinal_after_the_article_is_not_a_count_of_one() -> None:
    from monitor.claims import extract

    assert [c.value for c in extract("A third worker has died in hospital.")] == []
    assert [(c.value, c.predicate) for c in extract("A man was shot and killed.")] == [
        (1.0, "kill")
    ]


def test_a_death_toll_names_what_a_bare_number_counts() -> None:
    from monitor.claims import extract

    (c,) = extract("The confirmed death toll has reached 23.")
    assert (c.value, c.noun, c.predicate) == (23.0, "death", "die")


def test_years_with_an_era_are_dates() -> None:
    text = "The temple was built between A.D. 1000 and 1260 by 300 workers."
    assert [c.value for c in extract(text)] == [300]
    assert [c.value for c in extract("It fell in 500 BC to 2,000 soldiers.")] == [2000]


def test_an_average_is_approximate() -> None:
    c = one("He has averaged 7.3 points per game.")
    assert (c.value, c.qualifier) == (7.3, "approx")


def test_a_change_with_the_verb_left_out_keeps_its_direction() -> None:
    text = "Shares of Ross were down 2.3%, Burlington by 2.6% before the bell."
    assert [(c.value, c.qualifier) for c in extract(text)] == [(2.3, "down"), (2.6, "down")]


def test_a_hyphenated_to_range() -> None:
    c = one("The coupe needs its 0-to-100-km/h sprint.")
    assert (c.qualifier, c.low, c.high) == ("range", 0, 100)
    c = one("They hired 18-to-24 year olds.")
    assert (c.qualifier, c.low, c.high) == ("range", 18, 24)
