"""Tracks grown or rebuilt per (story, family) on the poll path give exactly what a
rebuild of every track from all claims gives (steps and tallies), on SQLite and
PostgreSQL; claims stored before families were (NULL) get theirs, tracks stored
before tallies were get theirs; the migrated schema is the tables' schema."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import timedelta
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import update
from sqlmodel import SQLModel, col, select

from monitor import claims
from monitor.store import Store, views
from monitor.store import entries as store_entries
from monitor.store import tracks as store_tracks
from monitor.store.entries import ChangedEntry, NewEntry, PollOutcome
from monitor.store.tables import ClaimRow, EntryRow, Feed, TrackRow
from monitor.types import Assignment, AssignmentKind
from tests.test_store_ingest import NOW, _entry, _feeds, _outcome, _update

# made-up sentences: several families (killed people, surrendered soldiers, percent, money,
# distances), a figure with no predicate (joins its family's largest track) and a part
_TEXTS = [
    "{n} people were killed in the blast.",
    "The toll rose to {n} dead.",
    "{n} soldiers surrendered near the town.",
    "Officials counted {n} soldiers.",
    "Prices rose {n}% this month.",
    "The fund lost ${n} million.",
    "The column moved {n} km east.",
    "{n} prisoners were taken, including {m} officers.",
    "Nothing to count here.",
]
_STORIES = ["s-a", "s-b", "s-c"]
HOUR = timedelta(hours=1)


def _text(rng: random.Random) -> str:
    picked = rng.sample(_TEXTS, rng.randint(1, 3))
    return " ".join(t.format(n=rng.randint(2, 900), m=rng.randint(1, 9)) for t in picked)


def _new(
    feed: int, n: int, story: str, text: str, kind: AssignmentKind, of: str | None
) -> NewEntry:
    uid = f"{feed}-{n}"
    return NewEntry(
        uid=uid,
        entry=_entry(str(n), text),
        text_hash=uid,
        published=NOW + timedelta(minutes=7 * n),
        assignment=Assignment(item_id=uid, story_id=story, kind=kind, duplicate_of=of),
        claims=tuple(claims.extract(text, "en")),
    )


def _write(store: Store, feed: int, *new: NewEntry, owner: str | None = None) -> None:
    """One poll result of ``feed`` with these new entries, saved."""
    with store.session() as session:
        outcome = PollOutcome(feed, NOW, _update(), tuple(new), owner=owner)
        store_entries.save_polls(session, [outcome], claims.Tracking())


def _stored(store: Store) -> dict[tuple[str, str], tuple[object, ...]]:
    with store.session() as session:
        return {
            (t.story_id, t.key): (
                t.family,
                (t.unit, t.noun, t.predicate),
                json.loads(t.steps),
                t.members,
                t.loose,
                t.since and t.since.isoformat(),
                t.rising,
            )
            for t in session.exec(select(TrackRow))
        }


def _rebuilt(store: Store) -> dict[tuple[str, str], tuple[object, ...]]:
    """Every track recomputed from all claims of every story (what a full rebuild gives)."""
    out = {}
    with store.session() as session:
        for sid in _STORIES:
            for t, n in claims.Tracking().tally(store_tracks.story_reports(session, sid)):
                out[(sid, t.key)] = (
                    t.family,
                    (t.unit, t.noun, t.predicate),
                    [store_tracks.step_json(s) for s in t.steps],
                    n.members,
                    n.loose,
                    n.since and n.since.isoformat(),
                    n.rising,
                )
    return out


def test_family_rebuilds_equal_full_rebuilds_over_random_polls(store: Store) -> None:
    feeds = _feeds(store, 3)
    rng = random.Random(20261201)
    uids: dict[str, str] = {}  # uid -> story
    n = 0
    for _ in range(25):
        outcomes = []
        for feed in rng.sample(feeds, rng.randint(1, 3)):
            new = []
            for _ in range(rng.randint(0, 3)):
                n += 1
                story = rng.choice(_STORIES)
                same_story = [u for u, s in uids.items() if s == story]
                if same_story and rng.random() < 0.2:
                    entry = _new(feed, n, story, _text(rng), "copy", rng.choice(same_story))
                else:
                    entry = _new(feed, n, story, _text(rng), "join", None)
                if rng.random() < 0.15:  # published before the stored steps: a rebuild
                    entry = dataclasses.replace(entry, published=entry.published - HOUR * 5)
                uids[entry.uid] = story
                new.append(entry)
            mine = [u for u in uids if u.startswith(f"{feed}-") and u not in {e.uid for e in new}]
            changed = []
            for uid in rng.sample(mine, min(len(mine), rng.randint(0, 2))):
                text = _text(rng) if rng.random() < 0.8 else "No figures any more."
                guid = uid.split("-", 1)[1]
                found = claims.extract(text, "en")
                changed.append(ChangedEntry(uid, _entry(guid, text), tuple(found)))
            touched = {e.assignment.story_id for e in new} | {uids[c.uid] for c in changed}
            outcome = _outcome(feed, *new, changed=changed)
            outcomes.append(dataclasses.replace(outcome, touched_stories=frozenset(touched)))
        with store.session() as session:
            store_entries.save_polls(session, outcomes, claims.Tracking())
        assert _stored(store) == _rebuilt(store)
    assert len(_stored(store)) >= 10  # the polls built a fair number of tracks


def test_a_new_claim_rebuilds_only_its_family(store: Store) -> None:
    (feed,) = _feeds(store, 1)
    first = _new(feed, 1, "s-a", "12 people were killed. Prices rose 4%.", "join", None)
    _write(store, feed, first, owner="w")
    before = {t.key: (t.id, t.steps) for t in _rows(store)}
    later = _new(feed, 2, "s-a", "The toll rose to 15 dead.", "join", None)
    _write(store, feed, later)
    after = {t.key: (t.id, t.steps) for t in _rows(store)}
    (percent,) = [k for k in before if k.startswith("percent|")]
    (killed,) = [k for k in before if not k.startswith("percent|")]
    assert after[percent] == before[percent]  # untouched family: the same row
    assert after[killed][0] == before[killed][0]  # touched family: grown in place
    assert len(json.loads(after[killed][1])) == 2
    assert _stored(store) == _rebuilt(store)
    earlier = _new(feed, 3, "s-a", "At least 14 people died.", "join", None)
    _write(store, feed, dataclasses.replace(earlier, published=NOW - HOUR))
    again = {t.key: (t.id, t.steps) for t in _rows(store)}
    assert again[killed][0] == before[killed][0]  # published before its steps: the row anew
    assert [s["value"] for s in json.loads(again[killed][1])] == [14, 12, 15]
    assert _stored(store) == _rebuilt(store)


def test_tracks_stored_without_a_tally_are_rebuilt_and_get_one(store: Store) -> None:
    (feed,) = _feeds(store, 1)
    _write(store, feed, _new(feed, 1, "s-a", "12 people were killed.", "join", None), owner="w")
    with store.session() as session:  # as written before migration 0004
        session.execute(update(TrackRow).values(members=None, loose=None, since=None, rising=None))
        session.commit()
    _write(store, feed, _new(feed, 2, "s-a", "The toll rose to 15 dead.", "join", None))
    (row,) = _rows(store)
    assert (row.members, row.loose, row.rising) == (2, 0, True)
    assert _stored(store) == _rebuilt(store)


def _rows(store: Store) -> list[TrackRow]:
    with store.session() as session:
        return list(session.exec(select(TrackRow)))


def test_claims_stored_without_a_family_get_one_when_their_story_is_next_written(
    store: Store,
) -> None:
    (feed,) = _feeds(store, 1)
    old = [
        _new(feed, 1, "s-a", "12 people were killed. Officials counted 40 soldiers.", "join", None),
        _new(feed, 2, "s-a", "40 soldiers surrendered. Prices rose 4%.", "join", None),
        _new(feed, 3, "s-b", "The fund lost $3 million.", "join", None),
    ]
    _write(store, feed, *old, owner="w")
    with store.session() as session:  # as written before migration 0003: no families anywhere
        session.execute(update(ClaimRow).values(family=None))
        session.execute(update(TrackRow).values(family=None))
        session.commit()
    later = _new(feed, 4, "s-a", "The toll rose to 15 dead.", "join", None)
    _write(store, feed, later)
    with store.session() as session:
        in_a = (
            select(ClaimRow.family)
            .join(EntryRow, col(ClaimRow.entry_id) == col(EntryRow.id))
            .where(EntryRow.story_id == "s-a")
        )
        assert None not in set(session.exec(in_a))  # the story written to is filled in
        in_b = select(ClaimRow.family).join(EntryRow).where(EntryRow.story_id == "s-b")
        assert set(session.exec(in_b)) == {None}  # an untouched story waits for its turn
    stored = {k: v for k, v in _stored(store).items() if k[0] == "s-a"}
    assert stored == {k: v for k, v in _rebuilt(store).items() if k[0] == "s-a"}
    assert all(v[0] is not None for v in stored.values())


def test_the_migrated_schema_is_the_tables_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert compare_metadata(context, SQLModel.metadata) == []


def test_the_family_read_finds_its_rows_through_the_story_index(tmp_path: Path) -> None:
    """A pair IN list alone made SQLite scan every claim of the database on every write."""
    store = Store.open(f"sqlite:///{tmp_path / 'plan.db'}")
    query = store_tracks.family_query([("s-a", "-|people"), ("s-b", "percent|-")])
    with store.engine.connect() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    store.close()
    assert any("ix_entry_story_id" in step for step in plan), plan
    assert not any(step.startswith("SCAN claim") for step in plan), plan


def test_tracks_without_a_family_beside_familied_claims_are_rebuilt_not_collided(
    store: Store,
) -> None:
    """Track rows written by older code (no family) in a story whose claims all have one:
    the next write rebuilds the story instead of inserting a key that is still there."""
    (feed,) = _feeds(store, 1)
    first = _new(feed, 1, "s-a", "12 people were killed.", "join", None)
    _write(store, feed, first, owner="w")
    with store.session() as session:
        session.execute(update(TrackRow).values(family=None))
        session.commit()
    later = _new(feed, 2, "s-a", "The toll rose to 15 dead.", "join", None)
    _write(store, feed, later)
    assert _stored(store) == _rebuilt(store)


def test_the_first_poll_names_its_outlet_by_the_title_it_brought(store: Store) -> None:
    """A feed added without a name gets its title from its first poll, in the same write
    as its tracks: the steps name it so, as a later full rebuild does."""
    (feed,) = _feeds(store, 1)
    with store.session() as session:
        session.execute(update(Feed).values(name=""))
        session.commit()
    one = _new(feed, 1, "s-a", "12 people were killed. Prices rose 4%.", "join", None)
    _write(store, feed, one, owner="w")
    outlets = {s["outlet"] for v in _stored(store).values() for s in v[2]}  # type: ignore[attr-defined]
    assert outlets == {"A title"}
    assert _stored(store) == _rebuilt(store)


def test_a_renamed_feed_is_named_so_in_the_tracks_it_wrote_before(store: Store) -> None:
    """Track rows keep the outlet name of their last rebuild; the stories read for the
    digest and the CLI name each step's outlet as its feed is named now."""
    (feed,) = _feeds(store, 1)
    one = _new(feed, 1, "s-a", "12 people were killed. Prices rose 4%.", "join", None)
    _write(store, feed, one, owner="w")
    with store.session() as session:
        session.execute(update(Feed).values(name="Renamed Wire"))
        session.commit()
        (view,) = views.stories_by_id(session, ["s-a"])
    steps = [step for t in view.tracks for step in t.steps]
    assert len(steps) == 2 and {s.outlet for s in steps} == {"Renamed Wire"}
    assert {e.outlet for e in view.entries} == {"Renamed Wire"}
