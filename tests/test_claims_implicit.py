"""Tests for implicit casualty counts (monitor.claims.implicit, objects): who was shot, how many."""

from __future__ import annotations

import pytest

from monitor.claims import extract


def victims(text: str) -> list[tuple[float, str | None, str | None]]:
    """(value, noun, predicate) of the unitless claims that say what happened."""
    return [(c.value, c.noun, c.predicate) for c in extract(text) if c.unit is None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a participle right after a figure is the predicate, not the counted noun
        ("4 people shot in Montclair", (4, "people", "shoot")),
        ("5 shot on Detroit's west side", (5, None, "shoot")),
        # 'fatally' outranks the verb it modifies
        ("An Oelwein man was fatally injured Saturday.", (1, "man", "kill")),
        ("A man was fatally shot.", (1, "man", "kill")),
        ("Two men were shot dead.", (2, "man", "die")),
        # headlines drop the article; an age or a bare noun names the person
        ("Man shot in knee when boy drops rifle", (1, "man", "shoot")),
        ("Douglas teen shot to death; girl in custody", (1, "teen", "kill")),
        ("17-year-old accidentally shot during target practice", (1, "person", "shoot")),
        ("Six-Year-Old Shot In Finger In Chester", (1, "person", "shoot")),
        ("Mother facing charge after daughter, 7, fatally shot", (1, "daughter", "kill")),
        ("Teen 'accidentally' shot by cousin in Yacolt", (1, "teen", "shoot")),
        ("Cloquet Man Found Dead in Deer Stand", (1, "man", "die")),
        # conditions and survival mean injured
        ("Boy stable after accidental shooting", (1, "boy", "injure")),
        ("Killeen 2-year-old in critical condition from gunshot", (1, "person", "injure")),
        ("Teen survives accidental rifle shot to mouth", (1, "teen", "injure")),
        ("Teen who died playing Russian roulette identified", (1, "teen", "die")),
        # lists of persons and counted groups add up
        ("Man, woman killed in Miami shooting", (2, "person", "kill")),
        ("Mother, 8-Year-Old Son Shot & Killed In New Stanton", (2, "person", "kill")),
        ("Teen, 3 adults shot at Westwood home", (4, "person", "shoot")),
        # victims named as objects, reflexives included
        ("Police: Ohioan shot himself and son, 10, while cleaning gun", (2, "person", "shoot")),
        ("Uncle arrested for shooting 2-year-old nephew", (1, "nephew", "shoot")),
        ("Man, 75, fatally shoots suspect in home invasion", (1, "suspect", "kill")),
        # events said of persons
        ("Shooting death of teen driver prompts charge", (1, "person", "kill")),
        ("Authorities investigate accidental shooting of child, father", (2, "person", "shoot")),
        ("Sheriff: Teen's shooting under investigation", (1, "person", "shoot")),
        ("Restaurant manager charged after bullied teen’s suicide", (1, "person", "die")),
        ("Officer charged after child’s shooting death", (1, "person", "die")),
        ("Accidental shooting takes life of Quapaw man", (1, "person", "kill")),
        ("Teen charged in the shooting that killed Columbia teen Sunday", (1, "teen", "kill")),
        # a double shooting is two people shot
        ("Teen dead after double shooting near ECMC", (2, "person", "shoot")),
        # clause starts, pronouns and 'another'
        ("Husband and wife dead, daughter in hospital", (1, "daughter", "injure")),
        ("Teen killed, another injured in drive-by shooting", (1, "person", "injure")),
        ("A teen was flown to hospital after he was accidentally shot.", (1, "person", "shoot")),
        ("Cole Dead at 25; Shot Himself Playing Russian Roulette", (1, "person", "die")),
        ("Juvenile Shot, Killed in Southeast: Police", (1, "juvenile", "kill")),
        # the main verb later in the clause says what happened in the end
        ("Boy shot while hunting west of Phoenix dies", (1, "boy", "die")),
        ("Officials: Boy, 15, who shot himself accidentally in head dies", (1, "person", "die")),
        ("A woman was also shot, but survived after surgery.", (1, "woman", "injure")),
        # an age, then the name: the name ends at the verb
        ("17-year-old Elijah Jones killed, 21-year-old woman injured", (1, "woman", "injure")),
        # the verb before a figure is what happened to it
        ("The shooting killed one and injured three others.", (3, "other", "injure")),
    ],
)
def test_implicit_counts(text: str, expected: tuple[float, str | None, str]) -> None:
    assert expected in victims(text)


def test_a_total_over_coordinated_groups() -> None:
    got = victims("Two men and one woman were wounded.")
    assert (3, "person", "wound") in got


def test_the_active_subject_is_not_the_victim() -> None:
    assert victims("A man shot his wife.") == [(1, "wife", "shoot")]
    assert victims("Man accidentally shoots 16-year-old girl") == [(1, "girl", "shoot")]


def test_negated_and_noun_uses_are_no_casualty() -> None:
    assert victims("The girl was not injured.") == []
    assert victims("The shooting suspect fled.") == []
    assert victims("They filmed the shooting of a movie.") == []


def test_an_age_after_a_person_noun_is_an_age() -> None:
    (age,) = [c for c in extract("Jefferson County boy, 4, shoots self in groin") if c.unit]
    assert (age.value, age.unit) == (4, "year-old")


def test_who_is_skipped_before_the_predicate() -> None:
    assert victims("Two men who were shot are recovering.")[0] == (2, "man", "shoot")


def test_lists_stop_where_the_list_ends() -> None:
    # a determiner after a bare comma starts a new phrase, not a list item
    got = victims("According to Columbus Police, the girl is in stable condition.")
    assert got == [(1, "girl", "injure")]
    # an object followed by a verb is the subject of a new clause
    assert victims("4-year-old accidentally shoots himself, father charged")[-1] == (
        1,
        "person",
        "shoot",
    )
    assert (2, "person", "kill") not in victims("17-year-old Elijah Jones killed, woman injured")


def test_a_clock_time_is_not_part_of_a_group() -> None:
    got = victims("It happened before 3:15 a.m. Three men and a woman were wounded.")
    assert (4, "person", "wound") in got
    assert all(v < 5 for v, _, _ in got)


def test_another_needs_a_clause_start() -> None:
    assert victims("He fired another shot.") == []


def test_a_possessive_age_is_an_age() -> None:
    claims = extract("13-year-old's toe grazed by bullet")
    assert [(c.value, c.unit) for c in claims if c.value == 13] == [(13, "year-old")]


def test_more_is_skipped_before_the_predicate() -> None:
    got = victims("Two people were found dead and two more who were injured.")
    assert (2, None, "injure") in got
