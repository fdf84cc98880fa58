"""A big story as the store reads it for a digest (earliest and latest reports, totals
counted, a long track thinned) renders with its true counts and says what it leaves out."""

from __future__ import annotations

import dataclasses
from html import unescape

from monitor.digest import build_day, default_templates_dir, render_email, render_site
from monitor.types import ReportCounts, StoryView, Track
from tests.test_digest_sample import DAY, TZ, entry, step, utc

TEMPLATES = default_templates_dir()


def big_story(counts: ReportCounts | None, total_steps: int) -> StoryView:
    entries = (
        entry("a0", "Reuters", utc(24, 6), kind="new"),
        entry("a1", "AP", utc(24, 7)),
        # a copy of a report the store did not list: it names the original's outlet
        dataclasses.replace(
            entry("a2", "Wire Mirror", utc(24, 9), kind="copy", dup="x17"),
            duplicate_outlet="Kyodo",
        ),
        entry("a3", "BBC", utc(24, 10)),
    )
    track = Track(
        story_id="big",
        key="-|people|kill",
        unit=None,
        noun="people",
        predicate="kill",
        steps=(
            step("a0", "Reuters", utc(24, 6), 10, "first"),
            step("a3", "BBC", utc(24, 10), 12, "revised_up"),
        ),
        total_steps=total_steps,
    )
    return StoryView("big", "Big story", utc(24, 6), utc(24, 10), entries, (track,), counts)


def test_a_capped_story_shows_its_totals_and_what_is_not_listed() -> None:
    counts = ReportCounts(reports=412, outlets=97, copies=120)
    [card] = build_day([big_story(counts, total_steps=300)], [], DAY, TZ).cards
    assert (card.report_count, card.independent_outlets, card.copies) == (412, 97, 120)
    assert card.unlisted == 408 and card.tracks[0].reports == 300 and card.tracks[0].thinned
    assert card.entries[2].copy_of == "Kyodo"
    digest = build_day([big_story(counts, total_steps=300)], [], DAY, TZ)
    site = render_site(digest, [DAY], TEMPLATES)
    day = unescape(site[f"days/{DAY.isoformat()}.html"])
    assert "97 outlets + 120 copies" in day
    assert "The earliest and latest of 412 reports" in day
    assert "2 of 300 reports shown: the first, each change and the latest." in day
    # the chart of the thinned track counts all its reports, not the two it plots
    assert "from 10 (Reuters) to 12 (BBC), 300 reports" in day
    page = unescape(site[f"stories/{card.slug}.html"])
    assert "The earliest and latest 4 of 412 reports" in page and "(408 not listed)" in page
    assert "copy of Kyodo" in page
    message = render_email(digest, TEMPLATES, "m@example.org", ["a@example.org"], "digest")
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = unescape(message.get_body(("html",)).get_content())  # type: ignore[union-attr]
    assert "408 more reports between the earliest and the latest not listed" in text
    assert "(2 of 300 reports shown" in text
    assert "408 more reports between the earliest and the latest are not listed." in html
    assert "(2 of 300 reports shown)" in html


def test_an_uncapped_story_counts_what_it_lists_and_says_nothing_is_left_out() -> None:
    [card] = build_day([big_story(None, total_steps=0)], [], DAY, TZ).cards
    assert (card.report_count, card.independent_outlets, card.copies) == (4, 3, 1)
    assert card.unlisted == 0 and not card.tracks[0].thinned
    digest = build_day([big_story(None, total_steps=0)], [], DAY, TZ)
    site = render_site(digest, [DAY], TEMPLATES)
    page = unescape(site[f"stories/{card.slug}.html"])
    assert "All reports up to the end of" in page and "not listed" not in page
    assert "reports shown" not in unescape(site[f"days/{DAY.isoformat()}.html"])
