"""Tests for how a person fared without a casualty verb (monitor.claims.conditions).

Made-up sentences: a transfer to care, a wound, a hospital condition.
"""

from __future__ import annotations

import pytest

from monitor.claims import extract


def victims(text: str) -> list[tuple[float, str | None, str | None]]:
    """(value, noun, predicate) of the unitless claims that say what happened."""
    return [(c.value, c.noun, c.predicate) for c in extract(text) if c.unit is None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # taken to a hospital: hurt, outcome unknown
        ("A motorist was taken to a local hospital.", (1, "motorist", "injure")),
        ("The clerk was rushed to the hospital.", (1, "clerk", "injure")),
        ("He was airlifted to an area hospital on Friday.", (1, "person", "injure")),
        ("The boy was taken in good condition to the hospital.", (1, "boy", "injure")),
        ("A woman was driven to the hospital with minor injuries.", (1, "woman", "injure")),
        # a wound or injuries after the subject
        ("A neighbor suffered a gunshot wound to the arm.", (1, "neighbor", "shoot")),
        ("Deputies found a man with a gunshot wound in the yard.", (1, "man", "shoot")),
        ("A driver sustained minor injuries.", (1, "driver", "injure")),
        ("A guard suffered a fatal gunshot wound.", (1, "guard", "kill")),
        ("A guard suffered a non-fatal gunshot wound.", (1, "guard", "shoot")),
        ("A teen was in fair condition at the hospital.", (1, "teen", "injure")),
    ],
)
def test_care_and_wounds_are_casualties(text: str, expected: tuple[float, str, str]) -> None:
    assert expected in victims(text)


def test_a_death_at_the_hospital_is_a_death() -> None:
    assert (1, "man", "die") in victims("A man was taken to a hospital, where he died.")
    assert (1, "man", "die") in victims("A man was rushed to the hospital where he was dead.")
    assert all(p != "injure" for _, _, p in victims("The man died at Lakeview Hospital."))


def test_a_place_is_no_condition() -> None:
    assert victims("A man in a car outside the hospital waved.") == []
    assert victims("Officials visited Riverside Hospital on Monday.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Both drivers were taken to the hospital.", (2, "person", "injure")),
        ("Both were rushed to the hospital in serious condition.", (2, "person", "injure")),
        ("Both brothers were shot near the park.", (2, "person", "shoot")),
    ],
)
def test_both_counts_two(text: str, expected: tuple[float, str, str]) -> None:
    assert expected in victims(text)


def test_both_without_a_casualty_is_no_count() -> None:
    assert victims("Both were released after questioning.") == []


def test_a_pronoun_heads_a_list_of_victims() -> None:
    got = victims("The owner died after he and three others were shot at a bar.")
    assert (4, "person", "shoot") in got
    assert (2, "person", "wound") in victims("She and her nephew were wounded.")
    assert victims("He and his brother were arrested.") == []


def test_found_shot_dead_is_a_death() -> None:
    assert (3, "man", "kill") in victims("Three men were found shot to death in a van.")
    assert (2, None, "die") in victims("2 found shot dead near lake")
    assert (2, None, "shoot") in victims("2 found shot near lake")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name set off by commas between the subject and its verb
        ("The victim, Dana Whitfield, was pronounced dead.", (1, "victim", "die")),
        ("The driver, Leo Marsh, was shot in the arm.", (1, "driver", "shoot")),
        # succumbing, and a death said later in the coordination
        ("The clerk succumbed to his injuries on Sunday.", (1, "clerk", "die")),
        ("The cashier was shot and later succumbed at the hospital.", (1, "cashier", "die")),
        ("The guard was shot and later died.", (1, "guard", "die")),
        # taking one's own life
        ("A soldier took his own life at the base.", (1, "soldier", "die")),
        ("Teacher Takes Own Life After Standoff", (1, "teacher", "die")),
    ],
)
def test_more_death_wordings(text: str, expected: tuple[float, str, str]) -> None:
    assert expected in victims(text)


def test_a_lowercase_aside_is_no_name() -> None:
    assert (1, "man", "shoot") not in victims("The man, police said, shot at officers.")


def test_the_event_a_victim_is_of_comes_before_the_verb() -> None:
    assert (1, "victim", "die") in victims("Victim of Saturday night shooting dies")
    assert (1, "victim", "injure") in victims("A victim of the shooting was taken to a hospital.")
    assert victims("The victim of Sunday's shooting was identified.") == []


def test_deceased_is_dead() -> None:
    assert (1, "driver", "die") in victims("The driver was deceased when medics arrived.")
    assert (2, "man", "die") in victims("Two men were found deceased.")
