"""Corrections by hand: `stories merge` and `stories split`, kept as new entries arrive."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from monitor import claims, config, pipeline
from monitor.demo import DemoFeedServer, load_outlets, load_template
from monitor.errors import InputError
from monitor.store import Store, edits
from monitor.store import feeds as store_feeds
from monitor.store.tables import EntryRow, Story, TrackRow

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[DemoFeedServer]:
    with DemoFeedServer(now=NOW) as s:
        yield s


def _polled(server: DemoFeedServer, db_url: str) -> tuple[config.Settings, Store, pipeline.Deps]:
    settings = config.loads(
        f'database: {{url: "{db_url}"}}\nfetch: {{allow_private_addresses: true}}\n'
    )
    store = Store.open(db_url)
    with store.session() as session:
        for url, name, lang in server.feeds():
            store_feeds.add_feed(session, url, name, lang, NOW)
        session.commit()
    deps = pipeline.Deps(settings=settings, store=store, owner="t")
    pipeline.poll_once(deps, NOW, everything=True)
    return settings, store, deps


def _story_of(store: Store, title_part: str) -> str:
    with store.session() as session:
        row = session.exec(select(EntryRow).where(EntryRow.title.contains(title_part))).first()  # type: ignore[attr-defined]
        assert row is not None and row.story_id
        return row.story_id


def _with_new_item(server: DemoFeedServer, guid: str, title: str, body: str) -> None:
    outlet = next(o for o in load_outlets() if o.id == "riverside-daily")
    template = load_template(outlet)
    item = (
        f"<item><title>{title}</title><link>https://riversidedaily.example/n/{guid}</link>"
        f'<guid isPermaLink="false">{guid}</guid><pubDate>{{{{ago:1m}}}}</pubDate>'
        f"<description>{body}</description></item>"
    )
    server.replace(outlet.id, re.sub(r"</channel>", item + "</channel>", template), NOW)


def test_merge_is_kept_when_new_entries_arrive(server: DemoFeedServer, db_url: str) -> None:
    _settings, store, deps = _polled(server, db_url)
    floods = _story_of(store, "Tessa floods: 23 confirmed dead")
    bank = _story_of(store, "Central Bank raises key rate")
    assert floods != bank
    with store.session() as session:
        members = {r.uid for r in session.exec(select(EntryRow)) if r.story_id in (floods, bank)}
        older = min((session.get(Story, s) for s in (floods, bank)), key=lambda s: s.first_seen)  # type: ignore[union-attr,return-value]
        kept = edits.merge(session, floods, bank, NOW, claims.Tracking())
    assert older is not None and kept == older.id
    gone = bank if kept == floods else floods
    with store.session() as session:
        assert session.get(Story, gone) is None
        stories = {r.story_id for r in session.exec(select(EntryRow)) if r.uid in members}
        assert stories == {kept}
        keys = {t.key for t in session.exec(select(TrackRow).where(TrackRow.story_id == kept))}
        assert any("percent" in k for k in keys), keys
    # a new report about the merged-away event arrives: it lands in the kept story
    _with_new_item(
        server,
        "rate-followup",
        "Central Bank rate rise to 6.25% hits mortgage holders",
        "The Central Bank's rise of its key rate to 6.25% from 5.75% will raise "
        "mortgage costs, Governor Ilse Brandt said in Linwick.",
    )
    pipeline.poll_once(deps, NOW + timedelta(hours=2), everything=True)
    with store.session() as session:
        new = session.exec(select(EntryRow).where(EntryRow.guid == "rate-followup")).one()
    assert new.story_id == kept
    store.close()


def test_split_is_kept_when_new_entries_arrive(server: DemoFeedServer, sqlite_url: str) -> None:
    _settings, store, deps = _polled(server, sqlite_url)
    floods = _story_of(store, "Tessa floods: 23 confirmed dead")
    with store.session() as session:
        entry = session.exec(
            select(EntryRow).where(EntryRow.title.contains("Tessa floods: 23 confirmed dead"))
        ).one()  # type: ignore[attr-defined]
        size = session.get(Story, floods).size  # type: ignore[union-attr]
        new_id = edits.split(session, floods, entry.uid, NOW, claims.Tracking())
        assert session.get(Story, floods).size == size - 1  # type: ignore[union-attr]
        assert session.get(Story, new_id).size == 1  # type: ignore[union-attr]
        with pytest.raises(InputError):
            edits.split(session, new_id, entry.uid, NOW, claims.Tracking())
    _with_new_item(
        server,
        "floods-later",
        "Tessa Valley floods: rebuilding begins",
        "Residents of the Tessa Valley began clearing mud from their homes.",
    )
    pipeline.poll_once(deps, NOW + timedelta(hours=2), everything=True)
    with store.session() as session:
        moved = session.exec(select(EntryRow).where(EntryRow.uid == entry.uid)).one()
    assert moved.story_id == new_id  # the split survives the next cycle
    store.close()


def test_split_never_reuses_a_merged_away_id(server: DemoFeedServer, sqlite_url: str) -> None:
    _settings, store, _deps = _polled(server, sqlite_url)
    floods = _story_of(store, "Tessa floods: 23 confirmed dead")
    bank = _story_of(store, "Central Bank raises key rate")
    with store.session() as session:
        kept = edits.merge(session, floods, bank, NOW, claims.Tracking())
        gone = bank if kept == floods else floods
        founder = gone.removeprefix("s-")  # the entry whose id named the merged-away story
        new_id = edits.split(session, kept, founder, NOW, claims.Tracking())
        assert new_id != gone
        assert edits.resolve(session, new_id) == new_id
    store.close()
