"""Tests for monitor.claims.track: grouping, synonyms, parts, copies and step labels."""

from __future__ import annotations

from datetime import datetime, timedelta

from monitor.claims import extract, track
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
