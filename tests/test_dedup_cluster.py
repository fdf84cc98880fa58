"""Same-event clustering: joins, hard negatives, restore, expiry, batch order."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from monitor.dedup import StoryClusterer, cluster_batch
from monitor.types import Assignment, ClusterItem

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)

_FILLER_TOPICS = [
    (
        "Council approves budget for road repairs",
        "The city council voted 7-2 on Monday to "
        "approve a budget that funds road repairs and two new libraries, the mayor said.",
    ),
    (
        "School board delays vote on new calendar",
        "Parents packed the meeting as the school "
        "board postponed a decision on the calendar until next month, officials said.",
    ),
    (
        "Storm knocks out power to thousands",
        "High winds toppled trees and power lines across "
        "the county overnight, leaving thousands of homes without electricity, the utility said.",
    ),
    (
        "Police investigate shooting on the east side",
        "Police said a man was shot and taken to "
        "a hospital in stable condition. No arrests have been made and police asked for tips.",
    ),
    (
        "Man wounded in shooting, police say",
        "A man was wounded in a shooting Sunday night and "
        "police are looking for a suspect who fled in a car, a police spokesman said.",
    ),
]


def item(i: str, title: str, text: str, hours: float = 0.0, source: str = "") -> ClusterItem:
    return ClusterItem(i, title, text, T0 + timedelta(hours=hours), source or f"{i}.example")


_FIRST = ["Ana", "Ben", "Cory", "Dale", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jai", "Kit", "Lou"]
_LAST = ["Ortiz", "Price", "Quinn", "Reyes", "Stone", "Tate", "Ulman", "Vega", "Wolfe", "Young"]
_STREETS = ["Halsted", "Western", "Cicero", "Damen", "Racine", "Kostner", "Laramie", "Austin"]
_CITIES = ["Chicago", "Chicago", "Chicago", "Gary", "Joliet", "Evanston", "Aurora"]


def background(n: int = 60, start_hours: float = -24.0 * 40) -> list[ClusterItem]:
    """A month of a local feed's ordinary news, so word weights are not from a cold start.

    Each item is its own event (distinct people, streets, numbers), many of
    them crime reports from the same city, as in a real local feed.
    """
    rng = random.Random(3)
    out = []
    for k in range(n):
        title, text = _FILLER_TOPICS[k % len(_FILLER_TOPICS)]
        who = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        where = f"{100 * rng.randint(1, 79)} block of {rng.choice(_STREETS)} Avenue"
        city = rng.choice(_CITIES)
        out.append(
            item(
                f"bg{k}",
                f"{title} in {city}",
                f"{text} It happened in the {where} in {city}; {who}, {rng.randint(18, 80)}, "
                f"was among those named by officials on day {k}.",
                start_hours + k * 12,
            )
        )
    return out


def warmed() -> StoryClusterer:
    c = StoryClusterer(window=timedelta(days=10))
    for it in background():
        c.add(it)
    return c


SHOOTING_A1 = item(
    "a1",
    "Teen killed in shooting on Pulaski Road in Chicago",
    "Darnell Hayes, 17, was shot in the chest outside a store in the 3900 block of South Pulaski "
    "Road on Tuesday evening, Chicago police said. Hayes was pronounced dead at Mount Sinai "
    "Hospital. A gunman fired from a gray sedan, and detectives from Area Four are investigating.",
    hours=0,
    source="suntimes.example",
)
SHOOTING_A2 = item(
    "a2",
    "Family mourns 17-year-old Darnell Hayes, shot near Pulaski Road store",
    "Relatives gathered Wednesday where Darnell Hayes was gunned down on South Pulaski Road. "
    "The 17-year-old died at Mount Sinai after someone in a gray car opened fire in the 3900 "
    "block, according to Chicago police. Area Four detectives have no one in custody.",
    hours=20,
    source="tribune.example",
)
SHOOTING_B = item(
    "b1",
    "Woman wounded in shooting on Ashland Avenue in Chicago",
    "Maria Gonzalez, 42, was shot in the leg near West 63rd Street and South Ashland Avenue on "
    "Tuesday afternoon, Chicago police said. She was taken to Christ Medical Center in good "
    "condition. Police said two men argued with her before one of them fired a handgun.",
    hours=2,
    source="suntimes.example",
)
SHOOTING_A_NEXT_WEEK = item(
    "c1",
    "Teen shot dead on Kedzie Avenue in Chicago",
    "Terrell Brooks, 16, was shot in the head in the 2100 block of North Kedzie Avenue on "
    "Wednesday night, Chicago police said. Brooks died at Stroger Hospital. Police said a "
    "gunman walked up and fired before running north; Area Five detectives are investigating.",
    hours=24 * 8,
    source="suntimes.example",
)


def test_same_event_worded_differently_joins() -> None:
    c = warmed()
    first = c.add(SHOOTING_A1)
    second = c.add(SHOOTING_A2)
    assert first.kind == "new" and first.story_id == "s-a1"
    assert second.kind == "join", second.scores
    assert second.story_id == "s-a1"
    assert second.scores["score"] >= c.scoring.threshold


def test_two_shootings_same_city_same_day_stay_apart() -> None:
    c = warmed()
    a = c.add(SHOOTING_A1)
    b = c.add(SHOOTING_B)
    assert b.kind == "new", b.scores
    assert a.story_id != b.story_id


def test_same_topic_next_week_stays_apart() -> None:
    c = warmed()
    a = c.add(SHOOTING_A1)
    c.add(SHOOTING_A2)
    later = c.add(SHOOTING_A_NEXT_WEEK)
    assert later.story_id != a.story_id


def test_scores_explain_the_decision() -> None:
    c = warmed()
    c.add(SHOOTING_A1)
    got = c.add(SHOOTING_A2)
    for key in ("similarity", "title", "names", "gap_days", "time", "score", "runner_up"):
        assert key in got.scores


def test_restore_keeps_ids_and_later_items_join_restored_stories() -> None:
    c = StoryClusterer()
    c.restore(SHOOTING_A1, Assignment("a1", "story-from-db", "new"))
    got = c.add(SHOOTING_A2)
    assert got.story_id == "story-from-db"
    copy = ClusterItem(
        "a1-copy", SHOOTING_A1.title, SHOOTING_A1.text, SHOOTING_A1.published, "other.example"
    )
    assert c.add(copy).story_id == "story-from-db"


def test_restore_copy_keeps_its_story() -> None:
    c = StoryClusterer()
    c.restore(SHOOTING_A1, Assignment("a1", "s-a1", "new"))
    c.restore(SHOOTING_B, Assignment("b1", "s-a1", "join"))  # stored decision is kept as is
    assert len(c) == 1
    assert c.active_items == 2


def test_expire_bounds_memory() -> None:
    c = StoryClusterer(window=timedelta(days=3))
    for k, it in enumerate(background(200, start_hours=0)):
        c.add(ClusterItem(it.id, it.title, it.text, T0 + timedelta(hours=6 * k), it.source))
        assert c.active_items <= 3 * 4 + 1  # 4 items a day over 3 days, plus the boundary
        assert len(c) <= c.active_items
    c.expire(T0 + timedelta(days=400))
    assert len(c) == 0 and c.active_items == 0


def test_add_expires_by_item_time() -> None:
    c = StoryClusterer(window=timedelta(days=3))
    c.add(SHOOTING_A1)
    late = ClusterItem("z", SHOOTING_A2.title, SHOOTING_A2.text, T0 + timedelta(days=5), "x")
    got = c.add(late)
    assert got.kind == "new" and got.story_id == "s-z"
    assert c.active_items == 1


def test_cluster_batch_is_independent_of_input_order() -> None:
    items = background() + [SHOOTING_A1, SHOOTING_A2, SHOOTING_B, SHOOTING_A_NEXT_WEEK]
    want = {a.item_id: a.story_id for a in cluster_batch(items, timedelta(days=10))}
    for seed in range(3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        got = {a.item_id: a.story_id for a in cluster_batch(shuffled, timedelta(days=10))}
        assert got == want
    assert want["a2"] == want["a1"] == "s-a1"
    assert want["b1"] != want["a1"]


def test_repeated_item_id_gets_a_distinct_story() -> None:
    c = warmed()
    a = c.add(SHOOTING_A1)
    twin = ClusterItem("a1", SHOOTING_B.title, SHOOTING_B.text, SHOOTING_B.published, "x")
    b = c.add(twin)
    assert b.kind == "new"
    assert a.story_id == "s-a1" and b.story_id == "s-a1-2"


_SYL = "ka ri mo ten bel sor an vel dra gor lin mar tos ek ul pra ven shi lo dun".split()


def named_events(n: int, step: timedelta) -> list[ClusterItem]:
    """``n`` distinct events: each names two people, a place and a thing no other names."""
    out = []
    for k in range(n):
        u = _SYL[k % 20] + _SYL[k // 20 % 20]  # distinct for each k below 400
        who, other = f"{u.title()}vic {u.title()}son", f"{u.title()}ra {u.title()}lund"
        place, thing = f"{u.title()}ton", f"{u}ite"
        words = " ".join(f"{u}{syl}" for syl in _SYL[:12])
        out.append(
            ClusterItem(
                f"n{k}",
                f"{who} finds {thing} near {place}",
                f"{who} and {other} found {thing} near {place}: {words}.",
                T0 + step * k,
                f"n{k}.example",
            )
        )
    return out


def test_shrink_keeps_the_window_within_its_item_budget() -> None:
    """A stream denser than the budget: the window's start moves forward, the stories that
    leave fall dormant, and recent stories still take follow-ups and copies."""
    c = StoryClusterer(window=timedelta(days=30), horizon=timedelta(days=60))
    stream = named_events(300, timedelta(minutes=1))
    for it in stream:
        c.add(it)
        c.shrink(100)
        assert c.active_items <= 100
    assert 90 <= c.active_items <= 100 and len(c) <= c.active_items
    assert c.dormant_stories >= 150  # the ones that left early are dormant, not lost
    a1 = ClusterItem("a1", SHOOTING_A1.title, SHOOTING_A1.text, T0 + timedelta(hours=6), "x")
    a2 = ClusterItem("a2", SHOOTING_A2.title, SHOOTING_A2.text, T0 + timedelta(hours=7), "y")
    first = c.add(a1)
    assert c.add(a2).story_id == first.story_id
    # an exact copy of an item forgotten by the budget is a new report, never a crash
    old = stream[0]
    again = c.add(ClusterItem("again", old.title, old.text, T0 + timedelta(hours=8), "z"))
    assert again.kind != "exact"


def test_shrink_without_a_budget_or_under_it_changes_nothing() -> None:
    c = StoryClusterer(window=timedelta(days=30))
    for k, it in enumerate(background(50, start_hours=0)):
        c.add(ClusterItem(it.id, it.title, it.text, T0 + timedelta(minutes=k), it.source))
    stories, items = len(c), c.active_items
    c.shrink(0)
    c.shrink(50)
    assert (len(c), c.active_items) == (stories, items)


def test_shrink_forgets_the_oldest_dormant_stories_past_their_budget() -> None:
    c = StoryClusterer(window=timedelta(days=1), horizon=timedelta(days=90))
    for it in named_events(120, timedelta(days=1)):
        c.add(it)
    assert c.dormant_stories > 40
    c.shrink(0, 40)
    assert c.dormant_stories == 40
