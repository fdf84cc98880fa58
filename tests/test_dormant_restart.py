"""The daemon's story window across a restart: a follow-up weeks later, polled by a
freshly started poller, rejoins the story its event was stored under (the dormant
tier is rebuilt from the database back to ``stories.horizon``)."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlmodel import select

from monitor import config, pipeline
from monitor.store import Store
from monitor.store import feeds as store_feeds
from monitor.store.tables import EntryRow
from monitor.types import ClusterItem
from tests.test_dedup_cluster import background
from tests.test_dedup_dormant import EVENT, FOLLOW_UP, SAME_TOWN


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "www"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def _write_feed(path: Path, items: list[ClusterItem]) -> None:
    body = "".join(
        f"<item><title>{escape(i.title)}</title><guid isPermaLink='false'>{i.id}</guid>"
        f"<link>https://{i.source}/{i.id}</link><description>{escape(i.text)}</description>"
        f"<pubDate>{format_datetime(i.published)}</pubDate></item>"
        for i in items
    )
    path.write_text(f"<rss version='2.0'><channel><title>{path.stem}</title>{body}</channel></rss>")
    later = path.stat().st_mtime + 60  # a new Last-Modified, not a 304 within the same second
    os.utime(path, (later, later))


def _poll(settings: config.Settings, store: Store, when: object) -> pipeline.PollReport:
    deps = pipeline.Deps(settings=settings, store=store, owner="t")  # a fresh start each time
    try:
        return pipeline.poll_once(deps, when, everything=True)  # type: ignore[arg-type]
    finally:
        deps.close()


@pytest.mark.parametrize("horizon, joins", [("45d", True), ("3d", False)])
def test_a_restarted_poller_reopens_a_dormant_story(
    site: tuple[Path, str], tmp_path: Path, horizon: str, joins: bool
) -> None:
    root, base = site
    url = f"sqlite:///{tmp_path}/m.db"
    settings = config.loads(
        f'database: {{url: "{url}"}}\nfetch: {{allow_private_addresses: true, timeout_s: 5}}\n'
        f'stories: {{window: "3d", horizon: "{horizon}"}}\npoll: {{parse_processes: 0}}'
    )
    store = Store.open(url)
    with store.session() as session:
        for name in ("local", "wire", "later"):
            store_feeds.add_feed(session, f"{base}/{name}.xml", name, "en", EVENT[0].published)
        session.commit()
    # a month of local news, then the event in two outlets, stored by a first poller
    _write_feed(root / "local.xml", background())
    _write_feed(root / "wire.xml", EVENT)
    (root / "later.xml").write_text("<rss version='2.0'><channel><title>l</title></channel></rss>")
    first = _poll(settings, store, EVENT[1].published + timedelta(hours=1))
    assert first.failed == 0 and first.new_entries == len(background()) + 2, first.errors
    # three weeks later, after a restart: the follow-up and another shooting in the same town
    _write_feed(root / "later.xml", [SAME_TOWN, FOLLOW_UP])
    later = _poll(settings, store, FOLLOW_UP.published + timedelta(hours=1))
    assert later.failed == 0 and later.new_entries == 2, later.errors
    with store.session() as session:
        story = {e.guid: e.story_id for e in session.exec(select(EntryRow))}
    assert story["e1"] == story["e2"]
    assert (story["f1"] == story["e1"]) is joins
    assert story["n1"] != story["e1"]  # same complex, town and spokesman: a different event
    store.close()
