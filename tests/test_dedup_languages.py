"""One clusterer per language: in the batch, in the daemon's window, and after a restart."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from monitor.dedup import StoryWindow, cluster_batch
from monitor.dedup.languages import language_key
from monitor.types import ClusterItem

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TITLE = "Harbor crane collapses at Velmont port, 3 workers hurt"
TEXT = (
    "A harbor crane collapsed at the Velmont port on Monday, injuring three workers, "
    "port official Dara Quill said. The crane operator, Mikel Stavros, was rescued."
)


def _item(i: str, language: str, hours: float = 0.0, source: str = "") -> ClusterItem:
    return ClusterItem(
        i, TITLE, TEXT, T0 + timedelta(hours=hours), source or f"{i}.example", "", language
    )


def test_language_keys_share_a_base_code() -> None:
    assert language_key("en-GB") == language_key("EN_us") == language_key("en") == "en"
    assert language_key("uk") != language_key("ru")
    assert language_key("") == "und"


def test_the_same_text_in_two_languages_makes_two_stories() -> None:
    window = StoryWindow()
    a = window.add(_item("a", "en"))
    b = window.add(_item("b", "en-GB", 1, "other.example"))
    c = window.add(_item("c", "de", 1, "third.example"))
    assert b.story_id == a.story_id and b.kind != "new"
    assert c.kind == "new" and c.story_id != a.story_id
    assert sorted(window) == ["de", "en"] and len(window) == 2


def test_the_batch_keeps_languages_apart_as_the_window_does() -> None:
    langs = ["en", "de", "en", "de"]
    items = [_item(f"i{n}", lang, n * 0.5, f"s{n}.example") for n, lang in enumerate(langs)]
    batch = cluster_batch(items)
    story = {a.item_id: a.story_id for a in batch}
    assert story["i0"] == story["i2"] and story["i1"] == story["i3"]
    assert story["i0"] != story["i1"]
    window = StoryWindow()
    assert [window.add(it) for it in items] == batch


def test_restore_puts_each_item_back_in_its_language() -> None:
    first = StoryWindow()
    stored = [(it, first.add(it)) for it in (_item("a", "en"), _item("b", "de", 1, "b2.example"))]
    restarted = StoryWindow()
    for it, assignment in stored:
        restarted.restore(it, assignment)
    late = restarted.add(_item("c", "de", 2, "c.example"))
    assert late.story_id == stored[1][1].story_id
    assert restarted.add(_item("d", "en", 2, "d.example")).story_id == stored[0][1].story_id


def test_the_memory_budget_is_shared_by_share_of_items() -> None:
    window = StoryWindow()
    for n in range(40):
        lang = "en" if n % 4 else "de"  # 30 English items, 10 German
        text = f"Unrelated report number {n} about the council budget and {n} new roads."
        window.add(dataclasses.replace(_item(f"x{n}", lang, n * 0.1), title=f"Item {n}", text=text))
    assert window.active_items == 40
    window.shrink(20)
    en, de = window.clusterer("en").active_items, window.clusterer("de").active_items
    assert en + de <= 20 and en > de > 0
    window.shrink(0)  # no limit: nothing more goes
    assert window.active_items == en + de
