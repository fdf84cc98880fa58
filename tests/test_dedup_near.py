"""Near-duplicates: wire copies with light edits are "copy" of the original."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.dedup import StoryClusterer
from monitor.types import ClusterItem

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
WIRE = (
    "MARKSVILLE, La. (AP) - Two deputy city marshals were charged with second-degree murder on "
    "Friday in the shooting death of six-year-old Jeremy Mardis, whose father Chris Few was "
    "critically wounded when the officers fired at his car after a chase. Louisiana State Police "
    "Superintendent Mike Edmonson said body camera video showed the father had his hands up. "
    "Officers Norris Greenhouse Jr. and Derrick Stafford were booked into the Avoyelles Parish "
    "jail. Bond was set at one million dollars each. The boy was buckled into the front seat and "
    "was struck five times in the head and chest, according to the coroner."
)
OTHER = (
    "A water main broke under Elm Avenue in Dayton early Monday, flooding basements on four "
    "blocks and closing the road until Wednesday, city engineers said. Crews from the Dayton "
    "water department replaced a forty-foot section of the 1920s cast iron pipe overnight."
)


def item(i: str, title: str, text: str, hours: float = 0.0) -> ClusterItem:
    return ClusterItem(i, title, text, T0 + timedelta(hours=hours), f"outlet-{i}.example")


def lightly_edited(text: str) -> str:
    return (
        text.replace("MARKSVILLE, La. (AP) - ", "")
        .replace("on Friday", "Friday")
        .replace("one million", "1 million")
        + " Check back for updates."
    )


def test_wire_copy_with_light_edits_is_a_copy() -> None:
    c = StoryClusterer()
    orig = c.add(item("ap", "Marshals charged with murder in shooting of boy, 6", WIRE))
    copy = c.add(
        item(
            "local",
            "2 marshals charged with murder in shooting of 6-year-old",
            lightly_edited(WIRE),
            hours=3,
        )
    )
    assert copy.kind == "copy"
    assert copy.duplicate_of == "ap"
    assert copy.story_id == orig.story_id
    assert copy.scores["jaccard"] >= 0.7


def test_copy_of_a_copy_points_to_the_original() -> None:
    c = StoryClusterer()
    c.add(item("ap", "Marshals charged with murder in shooting of boy, 6", WIRE))
    c.add(item("b", "Marshals charged with murder in shooting of boy", lightly_edited(WIRE), 1))
    third = c.add(item("c", "Marshals charged with murder in boy's shooting", WIRE + " (AP)", 2))
    assert third.kind in ("copy", "exact")
    assert third.duplicate_of == "ap"


def test_unrelated_text_is_not_a_copy() -> None:
    c = StoryClusterer()
    c.add(item("ap", "Marshals charged with murder in shooting of boy, 6", WIRE))
    other = c.add(item("w", "Water main break floods Elm Avenue basements", OTHER, 1))
    assert other.kind == "new"
    assert other.duplicate_of is None


def test_same_page_junk_under_different_headlines_is_not_a_copy() -> None:
    junk = (
        "Just One More Thing... We have sent you a verification email. Please check your email "
        "and click on the link to activate your profile. If you do not receive the verification "
        "message within a few minutes of signing up, please check your Spam or Junk folder."
    )
    c = StoryClusterer()
    c.add(item("1", "Three wounded in Decatur bar shooting", junk))
    b = c.add(item("2", "Ex-deputy killed ex-wife before standoff in Habersham", junk, 5))
    assert b.kind not in ("copy", "exact")
