"""Tests for monitor.claims.track: grouping, synonyms, parts, copies and step labels."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from monitor.claims import Tracking, extract, track
from monitor.types import ClaimReport

T0 = datetime(2026, 3, 3, 8, 0)


def report(
    text: str, entry: str, outlet: str, hours: float, copy_of: str | None = None, index: int = 0
) -> ClaimReport:
    claim = extract(text)[index]
    return ClaimReport(claim, entry, outlet, T0 + timedelta(hours=hours), "s1", copy_of)


def test_labels_first_consistent_revised_conflicting() -> None:
    reports = [
        report("More than 2,000 Russian soldiers have surrendered.", "e1", "A", 0),
        report("About 2,100 Russian troops have surrendered.", "e2", "B", 1),
        report("3,000 Russian servicemen have surrendered.", "e3", "B", 30),
        report("5,000 Russian soldiers have surrendered.", "e4", "C", 31),
    ]
    tracks = track(reports)
    assert len(tracks) == 1
    labels = [s.label for s in tracks[0].steps]
    assert labels == ["first", "consistent", "revised_up", "conflicting"]
    assert tracks[0].key == "-|soldier|take"
    assert tracks[0].moved


def test_revised_down_outside_window() -> None:
    reports = [
        report("50 people were killed.", "e1", "A", 0),
        report("40 people were killed.", "e2", "B", 12),
    ]
    steps = track(reports)[0].steps
    assert [s.label for s in steps] == ["first", "revised_down"]


def test_copies_make_no_steps() -> None:
    reports = [
        report("50 people were killed.", "e1", "A", 0),
        report("50 people were killed.", "e2", "B", 1, copy_of="e1"),
    ]
    steps = track(reports)[0].steps
    assert [s.entry_id for s in steps] == ["e1"]


def test_part_does_not_join_whole() -> None:
    text = "Officials said 102 prisoners, including 31 prisoners from Kyiv, were taken."
    reports = [report(text, "e1", "A", 0, index=0), report(text, "e1", "A", 0, index=1)]
    tracks = track(reports)
    assert len(tracks) == 2
    assert {t.steps[0].value for t in tracks} == {102, 31}


def test_different_things_do_not_join() -> None:
    reports = [
        report("50 people were killed.", "e1", "A", 0),
        report("80 people were injured.", "e2", "B", 1),
    ]
    assert len(track(reports)) == 2


def test_a_toll_rising_over_hours_is_revised_up_not_conflicting() -> None:
    reports = [
        report("At least 12 people died in the floods.", "e1", "A", 0),
        report("The floods have killed 17 people.", "e2", "B", 4),
        report("23 people died in the floods, officials said.", "e3", "C", 8.5),
    ]
    steps = track(reports)[0].steps
    assert [s.label for s in steps] == ["first", "consistent", "revised_up"]


def test_a_higher_toll_from_another_outlet_at_the_same_moment_conflicts() -> None:
    reports = [
        report("17 people were killed in the attack.", "e1", "A", 0),
        report("23 people were killed in the attack.", "e2", "B", 0.5),
    ]
    assert [s.label for s in track(reports)[0].steps] == ["first", "conflicting"]
    later = [reports[0], report("23 people were killed in the attack.", "e2", "B", 3)]
    assert [s.label for s in track(later)[0].steps] == ["first", "revised_up"]
    narrow = track(later, rise_window=timedelta(hours=4))
    assert [s.label for s in narrow[0].steps] == ["first", "conflicting"]


def test_a_lower_toll_from_another_outlet_within_hours_conflicts() -> None:
    reports = [
        report("23 people were killed in the attack.", "e1", "A", 0),
        report("17 people were killed in the attack.", "e2", "B", 3),
    ]
    assert [s.label for s in track(reports)[0].steps] == ["first", "conflicting"]


def test_figures_that_do_not_only_grow_conflict_for_the_whole_window() -> None:
    reports = [
        report("Unemployment stood at 5.8 percent in March.", "e1", "A", 0),
        report("Unemployment stood at 6.4 percent in March.", "e2", "B", 3),
    ]
    assert [s.label for s in track(reports)[0].steps] == ["first", "conflicting"]


def test_each_report_is_tracked_with_its_entrys_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """A made-up language whose lists fold "troop" into "soldier" and never "serviceman":
    the reports of its entries group by its lists, the others by the tracker's default."""
    import dataclasses

    from monitor.claims import lang

    english = lang.get_lang("en")
    nouns = {k: v for k, v in english.noun_synonyms.items() if k != "serviceman"}
    made_up = dataclasses.replace(english, noun_synonyms={**nouns, "troop": "soldier"})
    monkeypatch.setitem(lang._MODULES, "xx", "made-up")
    monkeypatch.setitem(lang._CACHE, "xx", made_up)
    texts = ["2,000 soldiers surrendered.", "2,100 servicemen surrendered."]
    base = [report(t, f"e{n}", "A", n) for n, t in enumerate(texts)]
    assert len(track(base)) == 1  # English folds servicemen into soldiers
    tagged = [dataclasses.replace(r, language="xx") for r in base]
    assert len(track(tagged)) == 2  # the made-up language does not
    assert len(track(tagged, language="xx")) == 2
    assert len(track(base, language="xx")) == 2  # no language of their own: the default's
    assert Tracking(language="xx").family(base[1].claim, None) != Tracking().family(
        base[1].claim, None
    )
