"""Planner statistics kept fresh as the tables grow.

PostgreSQL plans queries from table statistics that autovacuum normally
refreshes; where autovacuum is off or lags behind a fast-growing store, the
plans stay those of near-empty tables and the per-story reads that every poll
result makes slow down as the data grows (measured in bench/soak.py: 2 ms
with fresh statistics, 19 ms without, at 35,000 entries). ``refresh_statistics``
ANALYZEs the store's tables that changed by more than autovacuum's own default
share since their last analysis. SQLite is left alone: its planner did not show
the problem, and an ANALYZE there takes the write lock that the CLI beside the
daemon may hold (a test caught "database is locked"). Touches: the database.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

TABLES = ("entry", "claim", "claim_track", "story", "story_alias", "feed", "fetch_log")
CHANGED_SHARE = 0.1  # autovacuum_analyze_scale_factor's default
CHANGED_MIN = 1000  # rows: small tables are planned well enough


def refresh_statistics(session: Session) -> list[str]:
    """Analyze the tables whose statistics are stale; return their names."""
    if session.get_bind().dialect.name != "postgresql":
        return []
    rows = session.execute(
        text(
            "SELECT relname, n_live_tup, n_mod_since_analyze FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema() AND relname = ANY(:tables)"
        ),
        {"tables": list(TABLES)},
    ).all()
    stale = [
        str(name)
        for name, live, changed in rows
        if name in TABLES and changed > max(CHANGED_MIN, CHANGED_SHARE * live)
    ]
    for name in stale:
        session.execute(text(f'ANALYZE "{name}"'))  # a name from TABLES, not from input
    session.commit()
    return stale
