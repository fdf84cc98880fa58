"""The bundled demo feeds (monitor.demo): data, date placeholders and the local server."""

from __future__ import annotations

import calendar
import http.client
import re
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from difflib import SequenceMatcher
from html import unescape
from typing import Any

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.demo import (
    DemoError,
    DemoFeedServer,
    load_outlets,
    load_template,
    load_truth,
    render_all,
    render_feed,
    window,
)
from monitor.demo.catalog import feeds_dir
from monitor.demo.render import MAX_AGO, offsets, place

NOW = datetime(2025, 3, 4, 15, 20, 33, 250_000, tzinfo=UTC)
OUTLETS = load_outlets()
IDS = [o.id for o in OUTLETS]


def parsed(now: datetime = NOW, **kw: Any) -> dict[str, Any]:
    return {oid: feedparser.parse(body) for oid, body in render_all(now, **kw).items()}


def text_of(entry: Any) -> str:
    """Title, summary and content of a feedparser entry, tags removed."""
    parts = [entry.get("title", ""), entry.get("summary", "")]
    parts += [c.get("value", "") for c in entry.get("content", [])]
    return unescape(re.sub(r"<[^>]+>", " ", " ".join(parts)))


def body_text(entry: Any) -> str:
    """The longest body (content or summary), tags removed, whitespace collapsed."""
    bodies = [entry.get("summary", "")] + [c.get("value", "") for c in entry.get("content", [])]
    best = max(bodies, key=len)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", best)).split())


def when(struct: time.struct_time) -> datetime:
    return datetime.fromtimestamp(calendar.timegm(struct), UTC)


# ---------------------------------------------------------------- manifest and data


def test_manifest_matches_the_feed_files() -> None:
    on_disk = {p.name for p in feeds_dir().iterdir() if p.name.endswith(".xml")}
    assert on_disk == {o.file for o in OUTLETS}
    assert len(OUTLETS) >= 6
    assert {o.format for o in OUTLETS} == {"rss", "atom"}
    assert sum(o.wire for o in OUTLETS) >= 1
    assert len({o.path for o in OUTLETS}) == len(OUTLETS)


@pytest.mark.parametrize("outlet_id", IDS)
def test_feed_parses_cleanly(outlet_id: str) -> None:
    outlet = next(o for o in OUTLETS if o.id == outlet_id)
    doc = parsed()[outlet_id]
    assert doc.bozo == 0, doc.get("bozo_exception")
    assert doc.version == ("rss20" if outlet.format == "rss" else "atom10")
    assert 4 <= len(doc.entries) <= 10
    assert doc.feed.get("language", "").split("-")[0] == outlet.language
    for entry in doc.entries:
        assert entry.get("id") and entry.get("title") and entry.get("link", "").startswith("http")
        sentences = re.findall(r"[.!?](?:\s|$)", body_text(entry))
        assert 2 <= len(sentences) <= 5, (entry.id, body_text(entry))


def test_guids_are_unique() -> None:
    ids = [e.id for doc in parsed().values() for e in doc.entries]
    assert len(ids) == len(set(ids))


def test_feature_coverage() -> None:
    docs = parsed()
    entries = [e for doc in docs.values() for e in doc.entries]
    assert any("utm_source=" in e.link for e in entries)
    assert "content:encoded" in "".join(load_template(o) for o in OUTLETS)
    assert any(e.get("content") and e.get("summary") != e.content[0].value for e in entries)
    assert any("<p>" in e.get("summary", "") or e.get("content") for e in entries)
    joined = " ".join(text_of(e) for e in entries)
    for non_claim in ("488th Regiment", "Route 66", "1998", "12 June"):
        assert non_claim in joined


# ---------------------------------------------------------------- answer key


def test_answer_key_covers_every_item() -> None:
    truth = load_truth()
    served = {(oid, e.id) for oid, doc in parsed().items() for e in doc.entries}
    keyed = {(i.outlet, i.guid) for i in truth.items}
    assert served == keyed
    assert len(keyed) == len(truth.items)


def test_shared_events_hard_negative_and_copies() -> None:
    truth = load_truth()
    outlets_by_story: dict[str, set[str]] = defaultdict(set)
    for item in truth.items:
        outlets_by_story[item.story].add(item.outlet)
    shared = [s for s, outs in outlets_by_story.items() if len(outs) >= 2]
    assert len(shared) >= 4
    assert all(2 <= len(outlets_by_story[s]) <= 5 for s in shared)
    assert len([s for s, outs in outlets_by_story.items() if len(outs) == 1]) >= 3
    assert truth.hard_negatives
    for a, b in truth.hard_negatives:
        assert a != b and len(truth.members(a)) >= 2 and len(truth.members(b)) >= 2

    wire = {o.id for o in OUTLETS if o.wire}
    by_guid = {i.guid: i for i in truth.items}
    copies = [i for i in truth.items if i.copy_of]
    assert len({c.outlet for c in copies}) >= 2
    for copy in copies:
        original = by_guid[copy.copy_of or ""]
        assert original.outlet in wire and original.story == copy.story


def test_copies_are_verbatim_and_independent_reports_are_not() -> None:
    truth = load_truth()
    entries = {e.id: e for doc in parsed().values() for e in doc.entries}
    by_guid = {i.guid: i for i in truth.items}

    def ratio(a: str, b: str) -> float:
        return SequenceMatcher(None, body_text(entries[a]), body_text(entries[b])).ratio()

    for item in truth.items:
        if item.copy_of:
            assert ratio(item.guid, item.copy_of) > 0.85, item.guid
    for story in truth.stories:
        members = [m for m in truth.members(story) if not m.copy_of]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.outlet != b.outlet and by_guid[a.guid].copy_of != b.guid:
                    assert ratio(a.guid, b.guid) < 0.6, (a.guid, b.guid)


def test_figures_appear_in_their_items_and_move() -> None:
    truth = load_truth()
    entries = {e.id: e for doc in parsed().values() for e in doc.entries}
    values: dict[tuple[str, str], set[float]] = defaultdict(set)
    for item in truth.items:
        for fig in item.figures:
            assert fig.text in text_of(entries[item.guid]), (item.guid, fig.text)
            values[(item.story, fig.what)].add(fig.value)
    assert values[("tessa-floods", "deaths")] >= {12, 17, 23}
    assert values[("marovka-surrender", "soldiers surrendered")] >= {1800, 2000, 2300}
    assert values[("marovka-surrender", "settlements controlled")] == {74, 76}
    assert values[("central-bank-rate", "inflation %")] >= {4.8, 4.9}
    assert values[("brennport-factory-fire", "deaths")] == {2, 3}


# ---------------------------------------------------------------- placeholders


def _all_dates(doc: Any) -> list[datetime]:
    """Feed and entry dates; dict() avoids feedparser's updated->published fallback."""
    out: list[datetime] = []
    for node in [doc.feed, *doc.entries]:
        raw = dict(node)
        out += [when(raw[k]) for k in ("published_parsed", "updated_parsed") if raw.get(k)]
    return out


@pytest.mark.parametrize(
    "now",
    [
        NOW,
        datetime(2025, 3, 4, 0, 2, 0, tzinfo=UTC),
        datetime(2025, 3, 4, 0, 6, 30, tzinfo=UTC),
        datetime(2025, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(2025, 6, 1, 2, 0, tzinfo=UTC).astimezone(
            __import__("zoneinfo").ZoneInfo("America/New_York")
        ),
    ],
)
def test_every_date_lands_on_nows_utc_day(now: datetime) -> None:
    day_start = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    for oid, doc in parsed(now).items():
        dates = _all_dates(doc)
        assert len(dates) >= len(doc.entries) + 1, oid
        assert all(day_start <= d <= now for d in dates), (oid, min(dates), max(dates))
        assert all(e.published_parsed for e in doc.entries)


def test_rendering_preserves_order_and_leaves_no_placeholder() -> None:
    for outlet in OUTLETS:
        template = load_template(outlet)
        rendered = render_feed(template, NOW)
        assert "{{" not in rendered and "}}" not in rendered
        doc = feedparser.parse(rendered)
        published = [when(e.published_parsed) for e in doc.entries]
        assert published == sorted(published)  # templates list entries oldest first
        assert len(set(published)) == len(published)
        ago = offsets(template)
        assert len(ago) >= len(doc.entries) and ago[0] > ago[-1], outlet.id


def test_literal_mode_and_same_offset_same_time_across_feeds() -> None:
    text = "<a>{{ago:5h30m}}</a><b>{{ago-iso:45m}}</b><c>{{now-iso}}</c><d>{{ago:3h}}</d>"
    out = render_feed(text, NOW, fit_today=False)
    assert "<a>Tue, 04 Mar 2025 09:50:33 GMT</a>" in out
    assert "<b>2025-03-04T14:35:33Z</b>" in out
    assert "<c>2025-03-04T15:20:33Z</c>" in out
    fitted = render_feed(text + text, NOW)
    first, second = fitted[: len(fitted) // 2], fitted[len(fitted) // 2 :]
    assert first == second


@pytest.mark.parametrize(
    "bad", ["{{ago}}", "{{ago:}}", "{{ago:5x}}", "{{ago:21h}}", "{{then:1h}}", "{{now:1h}}"]
)
def test_bad_placeholders_raise(bad: str) -> None:
    with pytest.raises(DemoError):
        render_feed(f"<x>{bad}</x>", NOW)


def test_naive_now_is_refused() -> None:
    with pytest.raises(DemoError):
        render_feed("{{now}}", datetime(2025, 3, 4, 12, 0))


@given(
    now=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    a=st.integers(min_value=0, max_value=int(MAX_AGO.total_seconds() // 60)),
    b=st.integers(min_value=0, max_value=int(MAX_AGO.total_seconds() // 60)),
)
def test_place_is_monotone_and_inside_the_day(now: datetime, a: int, b: int) -> None:
    win = window(now)
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    pa, pb = place(timedelta(minutes=a), win), place(timedelta(minutes=b), win)
    assert day_start <= pa <= now and day_start <= pb <= now
    if a < b:
        assert pa >= pb
    if now - day_start > timedelta(minutes=6):
        assert win.start == day_start + timedelta(minutes=5)
        assert win.end <= now - timedelta(seconds=59)


# ---------------------------------------------------------------- server


def request(
    server: DemoFeedServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_server_serves_validates_and_logs() -> None:
    with DemoFeedServer(NOW) as server:
        feeds = server.feeds()
        assert [name for _, name, _ in feeds] == [o.name for o in OUTLETS]
        for (url, _name, _lang), outlet in zip(feeds, OUTLETS, strict=True):
            assert url.startswith(server.base_url + "/")
            status, headers, body = request(server, url.removeprefix(server.base_url))
            assert status == 200
            kind = "rss" if outlet.format == "rss" else "atom"
            assert headers["content-type"] == f"application/{kind}+xml; charset=utf-8"
            assert body == render_feed(load_template(outlet), NOW).encode("utf-8")
            assert feedparser.parse(body).bozo == 0
            assert headers["etag"].startswith('"') and headers["last-modified"].endswith("GMT")

        path = "/" + OUTLETS[0].path
        _, first, _ = request(server, path)
        status, headers, body = request(server, path, headers={"If-None-Match": first["etag"]})
        assert (status, body) == (304, b"") and headers["etag"] == first["etag"]
        assert request(server, path, headers={"if-none-match": first["etag"]})[0] == 304
        status, _, _ = request(server, path, headers={"If-None-Match": '"other"'})
        assert status == 200
        ims = {"If-Modified-Since": first["last-modified"]}
        assert request(server, path, headers=ims)[0] == 304
        assert request(server, path + "?utm_source=x")[0] == 200
        status, headers, body = request(server, path, method="HEAD")
        assert status == 200 and body == b"" and int(headers["content-length"]) > 0
        assert request(server, "/no/such/feed.xml")[0] == 404

        log = server.requests
        assert log[-1].status == 404 and log[-1].path == "/no/such/feed.xml"
        assert any(r.status == 304 and "If-None-Match" in r.headers for r in log)
        assert [r.method for r in log].count("HEAD") == 1
        port = server.port
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()


def test_replace_changes_the_etag() -> None:
    outlet = OUTLETS[-1]
    with DemoFeedServer(NOW) as server:
        path = "/" + outlet.path
        _, before, _ = request(server, path)
        server.replace(outlet.id, load_template(outlet).replace("Metro Evening", "Metro Late"))
        status, after, body = request(server, path, headers={"If-None-Match": before["etag"]})
        assert status == 200 and after["etag"] != before["etag"] and b"Metro Late" in body
        assert after["last-modified"] != before["last-modified"]
        with pytest.raises(DemoError):
            server.replace("nobody", "")


def test_config_snippet_lists_every_feed() -> None:
    with DemoFeedServer(NOW) as server:
        snippet = server.config_snippet()
        for url, name, language in server.feeds():
            assert f"url: {url}" in snippet and f'name: "{name}"' in snippet
            assert f"language: {language}" in snippet
