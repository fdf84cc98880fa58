"""Which steps of a long claim track a reader needs: its first report, each change and
its latest, at most a given number. A story of thousands of reports has tracks of
thousands of steps; the digest shows them thinned (the store thins them as it reads).
Pure: touches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.types import TrackStep


def notable_steps(steps: Sequence[TrackStep], limit: int) -> tuple[TrackStep, ...]:
    """The steps a reader of a long track needs, at most ``limit`` (0: every step; else
    at least 2): the first report, each step whose figure or label says something
    changed (a revision, a conflict, a different value or interval) and the latest
    report. Over the limit: the first, the latest, the conflicts (the newest first: a
    track that had one still shows one), then the newest other changes."""
    marks = [(s.label, s.value, s.low, s.high) for s in steps]
    return tuple(steps[i] for i in notable(marks, limit))


Mark = tuple[str, float, float | None, float | None]


def notable(marks: Sequence[Mark], limit: int) -> list[int]:
    """``notable_steps`` on each step's (label, value, low, high): the indices kept,
    in order (the store thins a stored track before it builds its steps)."""
    n = len(marks)
    if limit <= 0 or n <= limit:
        return list(range(n))
    if limit < 2:
        raise ValueError("a thinned track keeps at least its first and latest steps")
    changes = [
        i
        for i in range(1, n - 1)
        if marks[i][0] not in ("first", "consistent") or marks[i][1:] != marks[i - 1][1:]
    ]
    conflicts = [i for i in reversed(changes) if marks[i][0] == "conflicting"]
    others = [i for i in reversed(changes) if marks[i][0] != "conflicting"]
    return sorted([0, n - 1, *(conflicts + others)[: limit - 2]])
