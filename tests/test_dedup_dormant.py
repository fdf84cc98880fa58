"""Dormant stories: follow-ups weeks later rejoin their story, other events do not.

Also: rare-name evidence inside the window, officials and places in name phrases,
the horizon, restore() into the dormant tier, and the size of a dormant story.
"""

from __future__ import annotations

import sys
from array import array
from datetime import timedelta

from monitor.dedup import StoryClusterer
from monitor.dedup.dormant import Dormant, DormantIndex, make_dormant
from monitor.dedup.lang import language_data
from monitor.dedup.rare import RareNames
from monitor.dedup.text import names_and_numbers
from monitor.types import Assignment, ClusterItem
from tests.test_dedup_cluster import T0, background, item

DAY = 24.0

EVENT = [
    item(
        "e1",
        "Teen killed in shooting at Burning Tree Apartments in Hermitage",
        "Kevin Barbee, 15, was shot in the face inside the Burning Tree Apartments in "
        "Hermitage on Tuesday evening and died at Summit Medical Center, police said. "
        "Police spokesman Don Aaron said detectives are looking for Kaemon Robinson, 17, "
        "a classmate of Barbee at McGavock High School, who fled before officers arrived.",
        0.0,
        "wkrn.com",
    ),
    item(
        "e2",
        "McGavock student dies after apartment shooting; classmate sought",
        "A McGavock High School sophomore died after being shot at an apartment complex in "
        "Hermitage. Kevin Barbee was struck while Kaemon Robinson handled a pistol in a "
        "unit at the Burning Tree Apartments, Metro police said. Robinson left before "
        "police arrived. Spokesman Don Aaron asked anyone who knows where he is to call.",
        3.0,
        "tennessean.com",
    ),
]

FOLLOW_UP = item(
    "f1",
    "Kaemon Robinson pleads guilty in death of Kevin Barbee",
    "A teenager pleaded guilty Monday to reckless homicide in the death of his classmate "
    "Kevin Barbee, who was shot at the Burning Tree Apartments in Hermitage in January. "
    "Robinson, now 18, told the judge the pistol went off while he was showing it to "
    "Barbee. Barbee's mother said outside court that she has forgiven him.",
    21 * DAY,
    "newschannel5.com",
)

SAME_TOWN = item(
    "n1",
    "Man wounded in shooting at Hermitage apartment complex",
    "A 34-year-old man was wounded in a shooting in the parking lot of the Burning Tree "
    "Apartments in Hermitage on Sunday night and was taken to Summit Medical Center, police "
    "spokesman Don Aaron said. Detectives said Marcus Webb was shot after an argument with "
    "a man who drove off in a gray sedan.",
    20 * DAY,
    "wsmv.com",
)


def clusterer(horizon_days: float = 45.0) -> StoryClusterer:
    """A clusterer warmed with a month of unrelated local news before the event."""
    c = StoryClusterer(window=timedelta(days=3), horizon=timedelta(days=horizon_days))
    for it in background():
        c.add(it)
    return c


def test_follow_up_weeks_later_rejoins_the_story() -> None:
    c = clusterer()
    first = c.add(EVENT[0])
    assert c.add(EVENT[1]).story_id == first.story_id
    c.expire(FOLLOW_UP.published)
    assert first.story_id not in {s for s in c._stories}  # left the active window
    assert c.dormant_stories >= 1
    got = c.add(FOLLOW_UP)
    assert got.kind == "join"
    assert got.story_id == first.story_id
    assert got.scores["dormant"] == 1.0
    assert got.scores["rare_names"] >= 2
    # revived: an item the next day joins it through the active window again
    again = item(
        "f2",
        "Sentencing set for teen in Barbee shooting",
        "Kaemon Robinson will be sentenced in March for the death of Kevin Barbee at the "
        "Burning Tree Apartments, a judge ruled.",
        22 * DAY,
        "wkrn.com",
    )
    assert c.add(again).story_id == first.story_id


def test_different_event_in_same_town_weeks_later_stays_apart() -> None:
    c = clusterer()
    first = c.add(EVENT[0])
    c.add(EVENT[1])
    # same complex, town, hospital and police spokesman, other people: places are no evidence
    other = c.add(SAME_TOWN)
    assert other.kind == "new"
    assert other.story_id != first.story_id
    # the story is still there for its own follow-up
    assert c.add(FOLLOW_UP).story_id == first.story_id


def test_follow_up_after_the_horizon_starts_a_new_story() -> None:
    c = clusterer(horizon_days=14)
    first = c.add(EVENT[0])
    c.add(EVENT[1])
    got = c.add(FOLLOW_UP)  # 21 days later, horizon 14 days
    assert got.kind == "new"
    assert got.story_id != first.story_id


def test_horizon_no_longer_than_window_turns_dormancy_off() -> None:
    c = clusterer(horizon_days=3)
    first = c.add(EVENT[0])
    c.add(EVENT[1])
    assert c.add(FOLLOW_UP).story_id != first.story_id
    assert c.dormant_stories == 0


def test_restore_over_the_horizon_rebuilds_dormant_stories() -> None:
    live = clusterer()
    stored: list[tuple[ClusterItem, Assignment]] = []
    for it in EVENT:
        stored.append((it, live.add(it)))
    now = T0 + timedelta(days=20)
    rebuilt = clusterer()
    since = rebuilt.restore_since(now)
    assert since == now - timedelta(days=45)
    for it, a in stored:
        if it.published >= since:
            rebuilt.restore(it, a)
    rebuilt.expire(now)
    got = rebuilt.add(FOLLOW_UP)
    assert got.story_id == stored[0][1].story_id
    assert got.scores.get("dormant") == 1.0


def test_restore_of_a_dormant_storys_item_revives_it() -> None:
    c = clusterer()
    first = c.add(EVENT[0])
    c.add(EVENT[1])
    c.expire(FOLLOW_UP.published)
    before = c.dormant_stories
    # another worker revived the story and stored the follow-up: this one restores it
    c.restore(FOLLOW_UP, Assignment("f1", first.story_id, "join", None, {}))
    assert c.dormant_stories == before - 1
    assert first.story_id in c._stories


def test_rare_name_in_window_lowers_the_bar_but_places_do_not() -> None:
    names = names_and_numbers(SAME_TOWN.text, language_data("en"))
    words = {w for p in names.phrases for w in p}
    assert "webb" in words and "hermitage" in words
    assert "aaron" not in words and "don" not in words  # the spokesman is an official
    assert {"hermitage", "burning", "apartment", "summit", "medical", "center"} <= names.places
    assert "webb" not in names.places
    rare = RareNames(
        frozenset(words), frozenset(), tuple(frozenset(p) for p in names.phrases), names.places
    )
    assert rare.entities(["hermitage", "summit", "medical"]) == 2
    assert rare.people(["hermitage", "summit", "medical"]) == 0
    assert rare.people(["marcus", "webb", "hermitage"]) == 1


def test_dormant_story_is_compact() -> None:
    names = [(f"name{k}", k < 2) for k in range(40)]
    full = {f"term{k}": 1.0 / (k + 1) for k in range(300)}
    d = make_dormant("s-" + "x" * 20, T0, T0, names, full)
    assert d is not None
    size = sys.getsizeof(d) + sys.getsizeof(d.hashes) + sys.getsizeof(d.weights)
    assert size < 600
    assert d.names == 16 and d.headline == 2
    index = DormantIndex()
    index.add(d)
    assert len(index) == 1
    index.expire(T0 + timedelta(seconds=1))
    assert len(index) == 0


def test_too_few_rare_names_are_not_kept_dormant() -> None:
    assert make_dormant("s-1", T0, T0, [("hermitage", True)], {"shot": 1.0}) is None


def test_name_table_is_a_multimap_that_survives_rebuilds() -> None:
    from monitor.dedup.nametable import NameTable

    table = NameTable()
    pairs = [(h * 2654435761 % (1 << 32), h % 7) for h in range(5000)]
    for h, v in pairs:
        table.add(h, v)
    table.add(pairs[0][0], 99)  # a second value under one key
    assert sorted(table.get(pairs[0][0])) == sorted([pairs[0][1], 99])
    for h, v in pairs[::2]:
        table.remove(h, v)
    assert len(table) == 2501
    for h, v in pairs[1::2]:
        assert v in table.get(h)
    assert table.get(pairs[2][0]) == []
    for h, v in pairs[::2]:  # reuse tombstones, then rebuild as it fills
        table.add(h, v + 1)
    assert table.get(pairs[2][0]) == [pairs[2][1] + 1]


def test_a_repeated_id_never_takes_a_dormant_storys_id() -> None:
    """An item whose id made a story that is now dormant starts a story of another id, so
    reviving the dormant one later cannot replace it (nor leave key words pointing to it)."""
    c = clusterer()
    first = c.add(EVENT[0])
    c.add(EVENT[1])
    c.expire(SAME_TOWN.published)
    assert first.story_id not in c._stories and c.dormant_stories >= 1
    twin = c.add(ClusterItem("e1", SAME_TOWN.title, SAME_TOWN.text, SAME_TOWN.published, "x"))
    assert twin.kind == "new"
    assert twin.story_id == f"{first.story_id}-2"
    revived = c.add(FOLLOW_UP)
    assert revived.story_id == first.story_id
    assert {first.story_id, twin.story_id} <= set(c._stories)
    c.expire(FOLLOW_UP.published + timedelta(days=10))  # both leave the window cleanly
    assert not c._stories and not len(c._keys)


def test_revived_stories_leave_few_stale_entries_in_the_expiry_queue() -> None:
    """A story revived and fallen dormant again leaves its old entry in the queue (and its
    whole signature alive): they are dropped once they make a fifth of it."""
    index = DormantIndex()
    n = 1000

    def dormant(k: int, round_: int) -> Dormant:
        when = T0 + timedelta(hours=round_)
        return Dormant(f"s{k}", when, when, array("I", [k, k + 1, 7]), 2, 1, b"\x80")

    for k in range(n):
        index.add(dormant(k, 0))
    for k in range(n):  # each revived (popped) and dormant again later
        index.pop(f"s{k}")
        index.add(dormant(k, 1))
    index.trim(n)
    index.expire(T0 - timedelta(days=1))
    assert len(index) == n
    assert index.queued <= n * 5 // 4 + 64, index.queued  # 2,000 with the former rule
    index.trim(n // 2)  # the oldest go first, stale entries skipped
    assert len(index) == n // 2 and all(f"s{k}" in index for k in range(n // 2, n))
