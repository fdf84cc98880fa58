"""Which steps of a long claim track a reader needs: its first report, each change and
its latest, at most a given number. A story of thousands of reports has tracks of
thousands of steps; the digest shows them thinned (the store thins them as it reads).
Pure: touches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.types import TrackStep


def notable_steps(steps: Sequence[TrackStep], limit: int) -> tuple[TrackStep, ...]:
    """The steps a reader of a long track needs, at most ``limit`` (0: every step):
    the first report, each step whose figure or label says something changed (a
    revision, a conflict, a different value or interval) and the latest report.
    Over the limit, the first report and the latest ``limit - 1`` of those."""
    marks = [(s.label, s.value, s.low, s.high) for s in steps]
    return tuple(steps[i] for i in notable(marks, limit))


Mark = tuple[str, float, float | None, float | None]


def notable(marks: Sequence[Mark], limit: int) -> list[int]:
    """``notable_steps`` on each step's (label, value, low, high): the indices kept,
    in order (the store thins a stored track before it builds its steps)."""
    n = len(marks)
    if limit <= 0 or n <= limit:
        return list(range(n))
    kept = [
        i
        for i, (label, *figure) in enumerate(marks)
        if i in (0, n - 1)
        or label not in ("first", "consistent")
        or figure != list(marks[i - 1][1:])
    ]
    if len(kept) > limit:
        kept = [kept[0], *kept[len(kept) - limit + 1 :]] if limit > 1 else [kept[-1]]
    return kept
