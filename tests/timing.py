"""Time budgets for tests that check something happens *quickly* (a deadline is kept, a bomb
is cut off), scaled by how slowly this machine runs right now.

A budget such as "a 0.5 s timeout returns within 1.5 s" holds on a quiet machine but not on
a shared 2-core machine running other work beside the suite. ``slack()`` times a fixed piece
of pure-Python work (median of five short runs) against how long it takes on a quiet
development machine, and budgets are multiplied by that factor (never below 1). A budget is
still a real bound: a regression that makes the work many times slower fails it, but the
load of the moment does not. Call it right after the timed step, so it sees the same load.
"""

from __future__ import annotations

import statistics
import time

# median of ``_work()`` on the development machine at top priority (nice -20: 35.6 ms,
# the same as at normal priority then: one core was free)
NOMINAL_S = 0.035
_CAP = 8.0  # a machine that is 8x slower than nominal is broken, not loaded: fail the budget


def _work() -> int:
    total = 0
    for i in range(300_000):
        total += i * i % 7
    return total


def slack() -> float:
    """How many times slower than nominal this machine runs right now (1.0 to 8.0)."""
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        _work()
        runs.append(time.perf_counter() - started)
    return min(_CAP, max(1.0, statistics.median(runs) / NOMINAL_S))


def within(elapsed: float, budget: float) -> bool:
    """True when ``elapsed`` seconds fit ``budget`` seconds scaled by the current slack."""
    return elapsed < budget or elapsed < budget * slack()
