"""A feed's poll state after a fetch: its row update and its fetch-log row.

``write_states`` writes many results' states inside the caller's transaction (part of
``entries.save_polls``) with executemany statements (each feed's lease cleared in the
same UPDATE). ``save_states`` writes many results that carry no entries (304s, errors,
unchanged bodies: most of a cycle) in a transaction of their own; each result still
lands whole or not at all, because the batch commits or rolls back as one.
Touches: the database.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, String, Update, bindparam, case, or_, update
from sqlmodel import Session, col, select

from monitor.store.bulk import insert_rows
from monitor.store.tables import Feed, FetchLog


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """The feed's state after a poll (computed by the pipeline's policy)."""

    status: int | None
    error: str | None
    next_poll_at: datetime
    failures: int
    gone: bool
    interval_s: float | None
    retry_after: datetime | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    title: str | None
    new_url: str | None
    success: bool
    elapsed_s: float


@dataclass(frozen=True, slots=True)
class FeedState:
    """One result's feed state: which feed, when, by whom."""

    feed_id: int
    now: datetime
    feed: FeedUpdate
    owner: str | None = None
    new_entries: int = 0


def _values(state: FeedState) -> dict[str, Any]:
    """The plain new column values (counters are added in SQL)."""
    u = state.feed
    values: dict[str, Any] = {
        "last_polled_at": state.now,
        "last_status": u.status,
        "last_error": u.error,
        "next_poll_at": u.next_poll_at,
        "failures": u.failures,
        "gone": u.gone,
        "interval_s": u.interval_s,
        "retry_after": u.retry_after,
    }
    if u.success:
        values.update(last_success_at=state.now, etag=u.etag, last_modified=u.last_modified)
        if u.body_hash:
            values["body_hash"] = u.body_hash
        if u.title:
            values["title"] = u.title
    return values


def _log_row(state: FeedState) -> dict[str, Any]:
    u = state.feed
    return {
        "feed_id": state.feed_id,
        "at": state.now,
        "status": u.status,
        "error": u.error,
        "elapsed_s": u.elapsed_s,
        "new_entries": state.new_entries,
    }


def write_feed(session: Session, state: FeedState) -> None:
    """One result's feed state inside the caller's transaction (see ``write_states``)."""
    write_states(session, [state])


def write_states(session: Session, states: Sequence[FeedState]) -> None:
    """Each feed's new poll state inside the caller's transaction: one UPDATE per feed
    (counters incremented in SQL, so overlapping workers never lose a count), sent as
    one executemany per set of changed columns, and all fetch-log rows as one INSERT.
    A moved feed takes its new URL unless another feed already has it."""
    if not states:
        return
    taken: set[str] = set()
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for state in states:
        params = _params(state)
        new_url = state.feed.new_url
        if new_url and new_url not in taken and _free_url(session, new_url):
            params["v_url"] = new_url
            taken.add(new_url)
        groups.setdefault(tuple(sorted(params)), []).append(params)
    for keys, rows in groups.items():
        session.connection().execute(_update_statement(keys), rows)
    insert_rows(session, FetchLog, [_log_row(s) for s in states])


def _free_url(session: Session, url: str) -> bool:
    return session.exec(select(Feed.id).where(Feed.url == url)).first() is None


def batchable(state: FeedState) -> bool:
    """Whether ``save_states`` can write this result (no moved URL to check)."""
    return state.feed.new_url is None


def save_states(session: Session, states: Sequence[FeedState]) -> None:
    """Write many entry-less results in one transaction (all or nothing), then
    release their leases. Results whose URL moved go through ``write_feed``."""
    if not states:
        return
    try:
        if not all(batchable(s) for s in states):
            raise ValueError("save_states: a moved feed needs write_feed")
        write_states(session, states)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _params(state: FeedState) -> dict[str, Any]:
    params = {f"v_{k}": v for k, v in _values(state).items()}
    params["not_modified_inc"] = int(state.feed.status == 304)
    params["fid"] = state.feed_id
    params["own"] = state.owner
    return params


@functools.lru_cache(maxsize=64)
def _update_statement(keys: tuple[str, ...]) -> Update:
    """One UPDATE per set of changed columns, built once (SQLAlchemy caches its SQL)."""
    plain = [k[2:] for k in keys if k.startswith("v_")]
    return (
        update(Feed)
        .where(col(Feed.id) == bindparam("fid"))
        .values(
            requests=Feed.requests + 1,
            not_modified=Feed.not_modified + bindparam("not_modified_inc"),
            **{k: bindparam(f"v_{k}") for k in plain},
            **_released(bindparam("own", type_=String)),
        )
    )


def _released(owner: BindParameter[str]) -> dict[str, Any]:
    """Lease columns cleared when the lease is this result's worker's (or nobody's):
    a late result never frees another worker's live lease."""
    freed = or_(owner.is_(None), col(Feed.lease_owner).is_(None), col(Feed.lease_owner) == owner)
    return {
        "lease_until": case((freed, None), else_=col(Feed.lease_until)),
        "lease_owner": case((freed, None), else_=col(Feed.lease_owner)),
    }
