"""A long track thinned for reading: first, changes, latest, within a limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.thinning import notable, notable_steps
from monitor.types import StepLabel, TrackStep

T0 = datetime(2026, 11, 24, tzinfo=UTC)


def _step(n: int, value: float, label: StepLabel = "consistent") -> TrackStep:
    return TrackStep(
        entry_id=f"e{n}",
        outlet=f"o{n}",
        published=T0 + timedelta(minutes=n),
        value=value,
        low=None,
        high=None,
        qualifier="exact",
        text=str(value),
        label=label,
    )


def test_repeats_are_dropped_changes_and_ends_kept() -> None:
    values = [10, 10, 10, 12, 12, 12, 12, 9, 9, 9]
    labels: list[StepLabel] = ["first"] + ["consistent"] * 9
    labels[3], labels[7] = "revised_up", "conflicting"
    steps = [_step(n, v, labels[n]) for n, v in enumerate(values)]
    assert [s.entry_id for s in notable_steps(steps, 6)] == ["e0", "e3", "e7", "e9"]


def test_a_consistent_step_with_another_figure_is_a_change() -> None:
    steps = [_step(0, 10, "first"), _step(1, 10), _step(2, 11), _step(3, 11), _step(4, 11)]
    assert [s.entry_id for s in notable_steps(steps, 3)] == ["e0", "e2", "e4"]


def test_over_the_limit_the_first_and_the_latest_changes_stay() -> None:
    steps = [_step(0, 0, "first"), *(_step(n, n, "revised_up") for n in range(1, 20))]
    assert [s.entry_id for s in notable_steps(steps, 4)] == ["e0", "e17", "e18", "e19"]
    with pytest.raises(ValueError):
        notable_steps(steps, 1)


def test_over_the_limit_conflicts_stay_before_other_changes() -> None:
    labels: list[StepLabel] = ["first", *(["revised_up"] * 18), "consistent"]
    labels[3] = labels[5] = "conflicting"
    steps = [_step(n, n, labels[n]) for n in range(20)]
    kept = [s.entry_id for s in notable_steps(steps, 4)]
    assert kept == ["e3", "e5", "e19"][:0] + ["e0", "e3", "e5", "e19"]
    assert [s.entry_id for s in notable_steps(steps, 3)] == ["e0", "e5", "e19"]


def test_no_limit_or_a_short_track_keeps_everything() -> None:
    steps = [_step(n, 5, "first" if n == 0 else "consistent") for n in range(8)]
    assert notable_steps(steps, 0) == tuple(steps)
    assert notable_steps(steps, 8) == tuple(steps)


marks = st.lists(
    st.tuples(
        st.sampled_from(["consistent", "revised_up", "revised_down", "conflicting"]),
        st.sampled_from([1.0, 2.0, 3.0]),
        st.none(),
        st.none(),
    ),
    min_size=1,
    max_size=60,
)


@given(marks, st.integers(min_value=2, max_value=20))
def test_thinned_steps_are_an_ordered_subset_with_the_ends(raw: list, limit: int) -> None:  # type: ignore[type-arg]
    raw[0] = ("first", *raw[0][1:])
    kept = notable(raw, limit)
    assert len(kept) <= limit and kept == sorted(set(kept))
    assert kept[0] == 0 and kept[-1] == len(raw) - 1  # the first and latest always show
    changed = [
        i
        for i in range(1, len(raw) - 1)
        if raw[i][0] != "consistent" or raw[i][1:] != raw[i - 1][1:]
    ]
    if len(changed) + 2 <= limit:
        assert set(changed) <= set(kept)  # within the limit, no change is lost
    if any(raw[i][0] == "conflicting" for i in range(len(raw))) and limit > 2:
        assert any(raw[i][0] == "conflicting" for i in kept)  # a conflict still shows
