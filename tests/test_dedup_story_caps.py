"""A story followed for a long time keeps bounded sums and key words (``story.MAX_TERMS``,
``MAX_KEYS``): its memory follows the caps, not its history, and it still gathers its
reports."""

from __future__ import annotations

import math
import random
from datetime import timedelta

from monitor.dedup import StoryClusterer
from monitor.dedup.story import MAX_KEYS, MAX_TERMS
from monitor.dedup.sums import FULL, ORDER
from monitor.types import ClusterItem
from tests.test_dedup_cluster import item

SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "ven", "dor", "sel", "pri", "nak", "bo", "zu"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def _report(n: int, rng: random.Random) -> ClusterItem:
    names = " ".join(f"{_name(rng)} {_name(rng)} of {_name(rng)}ville said" for _ in range(5))
    return item(
        f"r{n}",
        "Kharkiv offensive: Ukrainian forces advance near Izium and Balakliia",
        "Ukrainian forces advanced near Izium and Balakliia in the Kharkiv region, the "
        f"general staff said on the offensive's day {n}. {names} it. Officials in Kharkiv "
        "said soldiers surrendered near Izium.",
        n * 0.5,  # hours: a report every half hour, all inside the window
        f"outlet{n % 30}.example",
    )


def test_a_long_followed_story_keeps_bounded_sums_and_key_words() -> None:
    rng = random.Random(7)
    clusterer = StoryClusterer(window=timedelta(days=30))
    stories = {clusterer.add(_report(n, rng)).story_id for n in range(400)}
    assert len(stories) == 1  # every report joined the one story
    [story] = clusterer._stories.values()
    assert story.independent >= 300  # copies aside, hundreds of reports absorbed
    assert story.sums.size(FULL) <= MAX_TERMS * 5 // 4
    assert len(story.keys) <= MAX_KEYS * 5 // 4
    # the key index lists the story under its kept key words only
    postings = clusterer._keys._postings
    listed = {k for k, p in postings.items() if p == story.id or story.id in p}
    assert listed == set(story.keys)
    # the norms follow the pruned sums (cosines stay cosines)
    for part in ORDER:
        values = [v for _, v in story.sums.items(part)]
        assert math.isclose(story.squares[part], sum(v * v for v in values), rel_tol=1e-9)
    again = _report(400, rng)
    assert clusterer.add(again).story_id == story.id


def test_a_small_story_is_not_pruned() -> None:
    rng = random.Random(3)
    clusterer = StoryClusterer()
    for n in range(3):
        clusterer.add(_report(n, rng))
    [story] = clusterer._stories.values()
    before = story.sums.size(FULL)
    assert before < MAX_TERMS and story.trim() == () and story.sums.size(FULL) == before
