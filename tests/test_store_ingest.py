"""The ingest write/read path on SQLite and PostgreSQL: known entries of many results
at once, a group of results written with multi-row statements, tracks of many stories."""

from __future__ import annotations

import dataclasses
import json
import random
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from monitor import claims
from monitor.store import Store
from monitor.store import entries as store_entries
from monitor.store import feeds as store_feeds
from monitor.store import known as store_known
from monitor.store import tracks as store_tracks
from monitor.store.entries import ChangedEntry, NewEntry, PollOutcome
from monitor.store.feedstate import FeedUpdate
from monitor.store.tables import ClaimRow, EntryRow, EntryVersion, Feed, FetchLog, Story, TrackRow
from monitor.types import Assignment, ClaimReport, Entry, Growth, Tally, Tip, Track
from tests.test_store import _update as store_update

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _update() -> FeedUpdate:
    """A 200 answer with validators (the shared 304 update of test_store, changed)."""
    return dataclasses.replace(
        store_update(), status=200, etag='"e"', body_hash="h", title="A title"
    )


def _entry(guid: str, text: str, url: str | None = None) -> Entry:
    link = url if url is not None else f"https://x.example/{guid}"
    return Entry(guid, text, link, link, text, "", NOW, None)


def _new(
    feed_id: int, guid: str, story: str, text: str, when: datetime = NOW, url: str | None = None
) -> NewEntry:
    uid = f"{feed_id}-{guid}"
    return NewEntry(
        uid=uid,
        entry=_entry(guid, text, url),
        text_hash=uid,
        published=when,
        assignment=Assignment(item_id=uid, story_id=story, kind="join"),
        claims=tuple(claims.extract(text, "en")),
    )


def _outcome(feed_id: int, *new: NewEntry, changed: Sequence[ChangedEntry] = ()) -> PollOutcome:
    touched = {n.assignment.story_id for n in new}
    return PollOutcome(
        feed_id=feed_id,
        now=NOW,
        feed=_update(),
        owner="w",
        new=tuple(new),
        changed=tuple(changed),
        touched_stories=frozenset(touched),
    )


def _feeds(store: Store, n: int) -> list[int]:
    with store.session() as session:
        for i in range(n):
            store_feeds.add_feed(session, f"https://f{i}.example/rss", f"F{i}", None, NOW)
        session.commit()
        due = store_feeds.lease_due(session, NOW, "w", timedelta(minutes=10), n)
    return sorted(d.id for d in due)


def _save(store: Store, outcomes: Sequence[PollOutcome]) -> None:
    with store.session() as session:
        store_entries.save_polls(session, outcomes, claims.Tracking())


def test_known_entries_of_many_feeds_match_by_guid_then_canonical_url(store: Store) -> None:
    a, b = _feeds(store, 2)
    _save(
        store,
        [
            _outcome(a, _new(a, "g1", "s-1", "One", url="https://x.example/u1")),
            _outcome(a, _new(a, "g2", "s-1", "Two", url="https://x.example/u2")),
            _outcome(b, _new(b, "g1", "s-2", "Other feed", url="https://x.example/u1")),
        ],
    )
    listed_a = [
        _entry("g1", "One", "https://x.example/u2"),  # GUID wins over another entry's URL
        _entry("moved", "Two again", "https://x.example/u2"),  # new GUID, known URL
        _entry("g9", "Unknown", ""),  # no URL at all
        _entry("g8", "Unknown", "https://x.example/u8"),
    ]
    listed_b = [_entry("g2", "Not this feed's", "https://x.example/u9")]
    with store.reading() as session:
        found_a, found_b, empty = store_entries.known_entries_many(
            session, [(a, listed_a), (b, listed_b), (b, [])]
        )
        single = store_entries.known_entries(session, a, listed_a)
    assert {g: k.uid for g, k in found_a.items()} == {"g1": f"{a}-g1", "moved": f"{a}-g2"}
    assert found_a["moved"].title == "Two" and found_a["moved"].story_id == "s-1"
    assert found_b == {} and empty == {}
    assert single == found_a


def test_known_entries_of_a_large_batch_are_all_found(store: Store) -> None:
    (a,) = _feeds(store, 1)
    count = 2 * store_known.SQLITE_CHUNK + 7  # several statements on SQLite
    news = [_new(a, f"g{i}", "s-1", f"Item {i}") for i in range(count)]
    _save(store, [_outcome(a, *news)])
    listed = [n.entry for n in news] + [_entry("fresh", "Fresh")]
    with store.reading() as session:
        (found,) = store_entries.known_entries_many(session, [(a, listed)])
    assert set(found) == {f"g{i}" for i in range(count)}


def test_a_group_grows_stories_in_one_upsert_with_the_same_rules(store: Store) -> None:
    a, b, c = _feeds(store, 3)
    early, late = NOW - timedelta(hours=5), NOW + timedelta(hours=5)
    _save(store, [_outcome(a, _new(a, "1", "s-old", "Old story: 3 dead."))])
    _save(
        store,
        [
            _outcome(a, _new(a, "2", "s-old", "Later: 4 dead.", when=late)),
            _outcome(b, _new(b, "1", "s-new", "New story first", when=NOW)),
            _outcome(b, _new(b, "2", "s-old", "Earlier: 2 dead.", when=early)),
            _outcome(c, _new(c, "1", "s-new", "New story second", when=early)),
        ],
    )
    with store.session() as session:
        stories = {s.id: s for s in session.exec(select(Story))}
        sizes = [e.story_id for e in session.exec(select(EntryRow))]
        logs = session.exec(select(FetchLog)).all()
        leases = {f.lease_owner for f in session.exec(select(Feed))}
    old, new = stories["s-old"], stories["s-new"]
    assert (old.size, old.first_seen, old.last_seen) == (3, early, late)
    assert old.title == "Old story: 3 dead."
    assert (new.size, new.first_seen, new.last_seen) == (2, early, NOW)
    assert new.title == "New story first"  # the group's first entry of the story
    assert sizes.count("s-old") == 3 and sizes.count("s-new") == 2
    assert len(logs) == 5 and leases == {None}


def test_changed_entries_of_a_group_keep_versions_and_replace_claims(store: Store) -> None:
    a, b = _feeds(store, 2)
    _save(
        store,
        [
            _outcome(a, _new(a, "1", "s-1", "Storm kills 12 people.")),
            _outcome(b, _new(b, "1", "s-1", "Storm kills 14 people.")),
        ],
    )
    changes = [
        _outcome(a, changed=[ChangedEntry(f"{a}-1", _entry("1", "Storm kills 15 people."), ())]),
        _outcome(b, changed=[ChangedEntry(f"{b}-1", _entry("1", "Storm kills 16 people."), ())]),
    ]
    changes = [
        dataclasses.replace(
            o,
            changed=tuple(
                dataclasses.replace(c, claims=tuple(claims.extract(c.entry.title, "en")))
                for c in o.changed
            ),
            touched_stories=frozenset({"s-1"}),
        )
        for o in changes
    ]
    _save(store, changes)
    with store.session() as session:
        entries = {e.uid: e for e in session.exec(select(EntryRow))}
        versions = {(v.entry_id, v.title) for v in session.exec(select(EntryVersion))}
        values = sorted(c.value for c in session.exec(select(ClaimRow)))
        (track,) = session.exec(select(TrackRow)).all()
    assert entries[f"{a}-1"].title == "Storm kills 15 people."
    assert entries[f"{b}-1"].summary == "Storm kills 16 people."
    ida, idb = entries[f"{a}-1"].id, entries[f"{b}-1"].id
    assert versions == {(ida, "Storm kills 12 people."), (idb, "Storm kills 14 people.")}
    assert values == [15.0, 16.0]  # the earlier claims are gone
    assert sorted(step["value"] for step in json.loads(track.steps)) == [15.0, 16.0]


def test_tracks_of_many_stories_are_those_of_each_story_alone(store: Store) -> None:
    feeds = _feeds(store, 4)
    texts = ["Storm kills {} people.", "Flood: {} dead, 40 homes lost.", "{} soldiers surrendered."]
    outcomes = [
        _outcome(f, _new(f, str(n), f"s-{n % 3}", texts[n % 3].format(10 + n + i)))
        for i, f in enumerate(feeds)
        for n in range(6)
    ]
    _save(store, outcomes)
    with store.session() as session:
        stored = {(t.story_id, t.key): json.loads(t.steps) for t in session.exec(select(TrackRow))}
        alone = {}
        for sid in ("s-0", "s-1", "s-2"):
            for t in claims.track(store_tracks.story_reports(session, sid)):
                alone[(sid, t.key)] = [store_tracks.step_json(s) for s in t.steps]
    assert stored and stored == alone
    assert {sid for sid, _ in stored} == {"s-0", "s-1", "s-2"}


def test_the_tracker_sees_only_the_claims_of_the_touched_families(store: Store) -> None:
    (a,) = _feeds(store, 1)
    seen: list[list[ClaimReport]] = []

    class Recording(claims.Tracking):
        def tally(self, reports: Sequence[ClaimReport]) -> list[tuple[Track, Tally]]:
            seen.append(list(reports))
            return super().tally(reports)

        def grow(self, tips: Sequence[Tip], reports: Sequence[ClaimReport]) -> list[Growth] | None:
            seen.append(list(reports))
            return super().grow(tips, reports)

    with store.session() as session:
        store_entries.save_polls(
            session,
            [_outcome(a, _new(a, "1", "s-1", "No numbers here"), _new(a, "2", "s-2", "12 dead"))],
            Recording(),
        )
        store_entries.save_polls(
            session, [_outcome(a, _new(a, "3", "s-2", "Rain fell 40 mm."))], Recording()
        )
    # the story without claims is never tracked; the second poll reads only its family
    assert [[r.claim.value for r in reports] for reports in seen] == [[12], [40]]


@pytest.mark.postgres
def test_overlapping_groups_on_postgres_lose_no_track_and_never_deadlock(pg_url: str) -> None:
    """Two writers whose groups touch the same stories in every order, with new entries
    and with changed ones (which grow no story row): each locks its stories (in id
    order, so neither waits on the other in a cycle) before it reads their claims, so
    no track misses the other writer's claims."""
    store = Store.open(pg_url)
    feeds = _feeds(store, 2)
    stories = [f"s-{i}" for i in range(6)]
    seed = [_outcome(f, *(_new(f, s, s, "Seed: 1 dead") for s in stories)) for f in feeds]
    _save(store, seed)
    errors: list[BaseException] = []

    class SlowTracking(claims.Tracking):
        def tally(self, reports: Sequence[ClaimReport]) -> list[tuple[Track, Tally]]:
            time.sleep(0.002)  # widen the window between the locks and the commit
            return super().tally(reports)

        def grow(self, tips: Sequence[Tip], reports: Sequence[ClaimReport]) -> list[Growth] | None:
            time.sleep(0.002)
            return super().grow(tips, reports)

    slow_tracker = SlowTracking()

    def writer(n: int) -> None:
        rng, feed = random.Random(n), feeds[n]
        try:
            for g in range(15):
                picked = rng.sample(stories, 4)
                rng.shuffle(picked)
                grown, edited = picked[:2], picked[2:]
                text = f"Now {10 * g + n + 2} dead"
                changes = [ChangedEntry(f"{feed}-{s}", _entry(s, text), ()) for s in edited]
                changes = [
                    dataclasses.replace(c, claims=tuple(claims.extract(text, "en")))
                    for c in changes
                ]
                group = [
                    _outcome(feed, *(_new(feed, f"{g}-{s}", s, "3 dead") for s in grown)),
                    dataclasses.replace(
                        _outcome(feed, changed=changes), touched_stories=frozenset(edited)
                    ),
                ]
                with store.session() as session:
                    store_entries.save_polls(session, group, slow_tracker)
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    with store.session() as session:
        chosen = select(Story).where(col(Story.id).in_(stories))
        assert sum(s.size for s in session.exec(chosen)) == 2 * len(stories) + 2 * 15 * 2
        for sid in stories:
            rows = session.exec(select(TrackRow).where(TrackRow.story_id == sid))
            stored = sorted(json.dumps(json.loads(t.steps)) for t in rows)
            fresh = claims.track(store_tracks.story_reports(session, sid))
            steps = [json.dumps([store_tracks.step_json(x) for x in t.steps]) for t in fresh]
            assert stored == sorted(steps), f"{sid}: a track missed the other writer's claims"
    store.close()
