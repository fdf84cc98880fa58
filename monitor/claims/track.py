"""Placeholder, replaced below."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from monitor.types import ClaimReport, Track


def track(reports: Sequence[ClaimReport], conflict_window: timedelta = timedelta(hours=6)) -> list[Track]:
    return []
