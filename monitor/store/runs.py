"""Marks of once-a-day work (an e-mail is sent once per day, across restarts).

Touches: the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from monitor.store.tables import DigestRun


def done_at(session: Session, day: str, channel: str) -> datetime | None:
    run = session.get(DigestRun, (day, channel))
    return run.done_at if run is not None else None


def mark_done(session: Session, day: str, channel: str, now: datetime) -> None:
    session.merge(DigestRun(day=day, channel=channel, done_at=now))
    session.commit()
