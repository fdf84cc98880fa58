"""Exact duplicates: text_hash normalisation and the "exact" assignment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.dedup import StoryClusterer, text_hash
from monitor.types import ClusterItem

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
BODY = (
    "A fire destroyed three warehouses on Dock Road in Harwich on Tuesday night, "
    "fire officials said. No one was hurt."
)


def item(i: str, title: str, text: str, hours: float = 0.0) -> ClusterItem:
    return ClusterItem(i, title, text, T0 + timedelta(hours=hours), f"outlet-{i}.example")


def test_hash_folds_case_whitespace_and_punctuation() -> None:
    a = text_hash("Fire on Dock Road", BODY)
    b = text_hash("FIRE on dock road!", "  " + BODY.replace(" ", "   ").replace(",", " ,") + "\n")
    assert a == b


def test_hash_differs_for_different_text() -> None:
    assert text_hash("Fire on Dock Road", BODY) != text_hash("Fire on Dock Road", BODY + " More.")
    assert text_hash("Fire on Dock Road", BODY) != text_hash("Fire on Mill Road", BODY)


def test_hash_keeps_title_and_text_apart() -> None:
    assert text_hash("a b", "c") != text_hash("a", "b c")


def test_exact_duplicate_is_marked_and_shares_the_story() -> None:
    c = StoryClusterer()
    first = c.add(item("1", "Fire on Dock Road", BODY))
    again = c.add(item("2", "fire on DOCK road", BODY.upper(), hours=2))
    assert first.kind == "new" and first.story_id == "s-1"
    assert again.kind == "exact"
    assert again.duplicate_of == "1"
    assert again.story_id == first.story_id


def test_empty_texts_are_not_exact_duplicates_of_each_other() -> None:
    c = StoryClusterer()
    a = c.add(item("1", "en", ""))
    b = c.add(item("2", "en", "", hours=1))
    assert b.kind != "exact"
    assert a.story_id != b.story_id
