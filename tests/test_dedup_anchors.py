"""Anchors: people's full names and street names an item shares with a story, and the second
chance they give an item that joins no story on its scores. Made-up text throughout."""

from __future__ import annotations

import pytest

from monitor.dedup import Scoring, StoryClusterer
from monitor.dedup.anchors import AnchorIndex, item_anchors
from monitor.dedup.boiler import Boilerplate
from monitor.dedup.features import DocFreq, featurize
from monitor.dedup.lang import language_data
from tests.test_dedup_cluster import background, item

EN = language_data("en")


def _anchors(title: str, text: str) -> frozenset[str]:
    it = item("x", title, text)
    feats = featurize(it, EN, DocFreq(), Boilerplate().clean(text))
    return item_anchors(feats, title, text, EN)


def test_full_names_and_streets_are_anchors_officials_and_places_are_not() -> None:
    found = _anchors(
        "Man shot on Copeland Street",
        "Police said Marcus Delaney Whitfield, 24, was shot on Copeland Street late Tuesday. "
        "Spokesman Don Aaron said officers found him near the Riverside Medical Center, and "
        "he was taken to a hospital in Fort Lorne.",
    )
    assert "n:marcus whitfield" in found  # its first and last word
    assert "s:copeland" in found
    assert not any("aaron" in a for a in found)  # an official recurs across events
    assert not any("riverside" in a or "lorne" in a for a in found)  # places


def test_anchor_index_counts_stories_and_forgets_dropped_ones() -> None:
    index = AnchorIndex()
    index.add("s1", ["s:copeland", "n:ann lee"])
    index.add("s1", ["s:copeland"])  # once per story
    index.add("s2", ["s:copeland"])
    assert index.count("s:copeland") == 2 and index.count("n:ann lee") == 1
    assert index.shared("s1", frozenset({"s:copeland", "n:ann lee"}), 1) == ["n:ann lee"]
    index.drop("s1")
    assert index.shared("s1", frozenset({"n:ann lee"}), 1) == [] and len(index) == 1


def test_a_word_other_items_use_as_a_place_makes_no_full_name() -> None:
    index = AnchorIndex()
    it = item("p", "Shooting in North Varden", "A man was hurt in Varden, and later in Varden.")
    feats = featurize(it, EN, DocFreq(), it.text)
    for _ in range(3):
        index.observe_places(feats.places)
    assert index.place_like("varden")
    assert not index.place_like("whitfield")


_FIRST = (
    "Police were called to Brackett Lane around 9 p.m. Tuesday after neighbours reported "
    "gunfire. A man, 31, was found wounded in a driveway and taken to a hospital."
)
_FOLLOW = (
    "Hundreds filled the gym of Westfield Middle, where a basketball coach taught for a decade. "
    "Students wore purple, the team colour, and the choir sang two songs. Principal Gloria "
    "Stanhope read letters from former players, Kareem Oduya and Tessa Lindqvist among them, "
    "who described a patient mentor. Pastor Ike Amadi of Grace Tabernacle led a prayer. A "
    "scholarship fund named for Orlando Pemberton will open next month, and the Tri-Valley "
    "League plans a tournament in his memory. He was shot on Brackett Lane on Tuesday night."
)


def _clusterer(scoring: Scoring | None = None) -> StoryClusterer:
    c = StoryClusterer(scoring=scoring)
    for it in background():
        c.add(it)
    return c


def test_a_shared_street_gives_a_second_chance_on_agreeing_dates() -> None:
    first = item("f1", "Man wounded in evening shooting", _FIRST, 0)
    follow = item("f2", "Family remembers father of two", _FOLLOW, 20)
    without = _clusterer(Scoring(second_chance=None))
    a = without.add(first)
    b = without.add(follow)
    assert b.story_id != a.story_id, b.scores  # too little wording in common
    c = _clusterer()
    a = c.add(first)
    b = c.add(follow)
    assert b.kind == "join" and b.story_id == a.story_id, b.scores
    assert b.scores["anchors"] >= 1.0


def test_restore_rebuilds_the_anchors_of_restored_stories() -> None:
    c = _clusterer()
    first = item("r1", "Man wounded in evening shooting", _FIRST, 0)
    stored = c.add(first)
    again = _clusterer()
    again.restore(first, stored)
    b = again.add(item("r2", "Family remembers father of two", _FOLLOW, 20))
    assert b.story_id == stored.story_id and b.scores["anchors"] >= 1.0, b.scores


_OTHER_VICTIM = (
    "Relatives of Dwayne Kessler say the father of two was coming home from work when he "
    "was gunned down on Marlow Avenue. A vigil is planned for the weekend, his sister said."
)
_OTHER_DAY = (
    "A woman was shot on Brackett Lane on Thursday afternoon, police said. Tanya Moulton, "
    "44, was hit in the arm while walking her dog and is expected to recover."
)


@pytest.mark.parametrize(
    ("title", "text", "hours"),
    [
        ("Family remembers father of two", _OTHER_VICTIM, 6),  # same city, same day
        ("Woman hurt in afternoon shooting", _OTHER_DAY, 60),  # same street, another day
    ],
    ids=["two-shootings-one-city-one-day", "shared-street-other-day"],
)
def test_hard_negatives_get_no_second_chance(title: str, text: str, hours: float) -> None:
    c = _clusterer()
    a = c.add(item("h1", "Man wounded in evening shooting", _FIRST, 0))
    b = c.add(item("h2", title, text, hours))
    assert b.story_id != a.story_id, b.scores


def test_an_anchor_many_stories_held_is_no_evidence() -> None:
    c = _clusterer()
    for n, who in enumerate(["Ada Quarles", "Bo Tindall", "Cy Ferrante"]):
        c.add(
            item(
                f"m{n}",
                f"Crash on Brackett Lane injures {who.split()[0]}",
                f"{who} was hurt in a crash on Brackett Lane, firefighters said on Monday.",
                -30 - n,
            )
        )
    a = c.add(item("m3", "Man wounded in evening shooting", _FIRST, 0))
    other = (
        "Neighbours on Brackett Lane say the street has seen too much. A teenager, Luis "
        "Arbenz, was arrested after a fight at a party, deputies said."
    )
    b = c.add(item("m4", "Teen arrested after party fight", other, 10))
    assert b.story_id != a.story_id, b.scores
