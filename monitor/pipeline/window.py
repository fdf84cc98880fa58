"""The in-memory story window, kept in step with the database.

``sync_clusterer`` rebuilds the clusterer after a restart or a hand edit and
adds entries stored by other workers. Touches: the database (through store).
"""

from __future__ import annotations

from datetime import datetime

from monitor import dedup
from monitor.pipeline.deps import Deps
from monitor.store import edits as store_edits
from monitor.store import restore as store_restore

SYNC_OVERLAP = 2000  # entry ids re-read below the sync cursor (late commits of other workers)


RESTORE_CHUNK = 1000  # restored items between two checks of the window's memory budget


def clusterer(deps: Deps, now: datetime) -> dedup.StoryWindow:
    if deps.clusterer is None:
        sync_clusterer(deps, now)
    assert deps.clusterer is not None
    _keep_budget(deps, deps.clusterer)
    return deps.clusterer


def _keep_budget(deps: Deps, window: dedup.StoryWindow) -> None:
    stories = deps.settings.stories
    window.shrink(stories.max_items, stories.max_dormant)


def sync_clusterer(deps: Deps, now: datetime) -> None:
    """Bring the in-memory story window up to date with the database (entries
    stored by other workers, or everything after a restart)."""
    stories = deps.settings.stories
    with deps.store.session() as session:
        edit = store_edits.last_edit(session)
    if edit != deps.edit:  # a merge or split by hand: rebuild the window from the database
        deps.clusterer, deps.edit = None, edit
    if deps.clusterer is None:
        deps.clusterer = dedup.StoryWindow(window=stories.window, horizon=stories.horizon)
        deps.cursor, deps.own_uids, deps.seen = 0, set(), {}
    window = deps.clusterer
    # Re-read an overlap below the cursor: on PostgreSQL an id is handed out before its
    # transaction commits, so a lower id can appear after a higher one was seen.
    # Items back to the dormant horizon: older stories are rebuilt as dormant ones.
    since = window.restore_since(now)
    after = max(0, deps.cursor - SYNC_OVERLAP)
    with deps.store.session() as session:  # streamed (in a transaction): a chunk in memory
        if deps.cursor <= 0:  # a cold start: at most the newest max_restore entries
            deps.floor = store_restore.restore_floor(session, since, stories.max_restore)
        since = max(since, deps.floor) if deps.floor is not None else since
        rows = store_restore.cluster_items(session, since, after, stories.language)
        for n, (pk, item, assignment) in enumerate(rows, 1):
            if item.id in deps.seen:
                continue
            deps.seen[item.id] = pk
            if item.id in deps.own_uids:
                deps.own_uids.discard(item.id)
            else:
                window.restore(item, assignment)
            deps.cursor = max(deps.cursor, pk)
            if n % RESTORE_CHUNK == 0:
                _keep_budget(deps, window)
    floor = deps.cursor - SYNC_OVERLAP
    deps.seen = {uid: pk for uid, pk in deps.seen.items() if pk > floor}
    deps.clusterer.expire(now)
    _keep_budget(deps, deps.clusterer)
