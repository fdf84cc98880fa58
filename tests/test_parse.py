"""parse: bytes -> normalised entries (golden files), URL canonicalisation, hostile input."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor import parse
from monitor.errors import ParseError
from tests.conftest import eval_dir

DATA = Path(__file__).parent / "data" / "feeds"
GOLDEN = Path(__file__).parent / "golden" / "parse"
HEADERS = {"content-type": "application/rss+xml"}


def _jsonable(feed: parse.ParsedFeed) -> dict[str, object]:
    def conv(v: object) -> object:
        return v.isoformat() if isinstance(v, datetime) else v

    data = dataclasses.asdict(feed)
    # how many items the raw split found (None: it gave up); the digests themselves are
    # checked in test_listed_items
    data["listing"] = len(feed.listing.items) if feed.listing else None
    data["entries"] = [{k: conv(v) for k, v in e.items()} for e in data["entries"]]
    return data


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir()))
def test_golden(name: str) -> None:
    feed = parse.parse((DATA / name).read_bytes(), f"https://feeds.example/{name}", HEADERS)
    got = json.dumps(_jsonable(feed), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(got, encoding="utf-8")
        if not os.environ.get("UPDATE_GOLDEN"):
            pytest.fail(f"golden file {golden.name} was missing; written, check it in")
    assert got == golden.read_text(encoding="utf-8")


def test_mixed_feed_semantics() -> None:
    feed = parse.parse((DATA / "mixed.rss").read_bytes(), "https://news.example/rss", HEADERS)
    assert feed.language == "en" and feed.ttl_minutes == 45
    flood = feed.entries[0]
    assert flood.title == "Flood toll rises to 17 in Valmora"
    assert "<" not in flood.summary and "alert" not in flood.summary
    assert flood.link.startswith("https://news.example/world/flood")
    assert flood.url == "https://news.example/world/flood?id=7"
    assert flood.published is not None and flood.published.utcoffset() is not None
    assert flood.published.isoformat() == "2026-11-24T07:15:00+00:00"
    assert "3,000 residents" in flood.content
    hostile = next(e for e in feed.entries if e.title == "Hostile link")
    assert hostile.link == "" and hostile.published is None
    assert [e.guid for e in feed.entries].count("flood-17") == 1


def test_latin1_and_bom() -> None:
    latin = parse.parse((DATA / "latin1.rss").read_bytes(), "http://jornal.example/rss")
    assert latin.entries[0].title == "Café com pão"
    bom = parse.parse((DATA / "bom.rss").read_bytes(), "http://b.example/rss", HEADERS)
    assert bom.entries[0].title == "With BOM"


@pytest.mark.parametrize(
    "body",
    [b"", b"\x00\xff\xfe junk \x89PNG", b"<html><body>Hi</body></html>", b'{"not": "a feed"}'],
)
def test_not_a_feed_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError, match="not a feed|unparseable"):
        parse.parse(body, "https://x.example/feed", {"content-type": "text/html"})


def test_entity_expansion_does_not_explode() -> None:
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "'
        + b"a" * 100
        + b'">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b']><rss version="2.0"><channel><title>&i;</title><item><title>&i;</title>'
        b"<guid>x</guid></item></channel></rss>"
    )
    try:
        feed = parse.parse(lol, "https://x.example/feed", HEADERS)
    except ParseError:
        return
    assert len(feed.title) <= parse.MAX_TITLE
    assert all(len(e.title) <= parse.MAX_TITLE for e in feed.entries)


def test_max_items() -> None:
    items = "".join(f"<item><title>t{i}</title><guid>g{i}</guid></item>" for i in range(50))
    body = f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode()
    assert len(parse.parse(body, "https://x.example/", HEADERS, max_items=20).entries) == 20


@pytest.mark.parametrize(
    ("url", "want"),
    [
        ("https://Example.COM/a?utm_source=x&b=2&a=1#frag", "https://example.com/a?a=1&b=2"),
        ("http://example.com/p?fbclid=abc&gclid=d&utm_anything=1", "http://example.com/p"),
        ("javascript:alert(1)", ""),
        ("data:text/html,hi", ""),
        ("ftp://example.com/x", ""),
        ("", ""),
    ],
)
def test_canonical_url(url: str, want: str) -> None:
    assert parse.canonical_url(url) == want


@given(st.text(max_size=200))
def test_canonical_url_never_raises_and_is_idempotent(s: str) -> None:
    once = parse.canonical_url(s)
    assert parse.canonical_url(once) == once
    assert once == "" or once.startswith(("http://", "https://"))


@given(st.binary(max_size=2000))
def test_parse_random_bytes_never_crashes(body: bytes) -> None:
    try:
        parse.parse(body, "https://x.example/feed", HEADERS)
    except ParseError:
        pass


@pytest.mark.slow
@pytest.mark.eval
def test_real_captured_feeds_parse_like_rss_parser() -> None:
    """Every real feed of ../shared/eval/feeds parses; titles and links agree with
    rss-parser's expected output where it gives one."""
    root = eval_dir("feeds")
    checked = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix in (".json", ".md", "") or path.name == "LICENSE":
            continue
        try:
            feed = parse.parse(path.read_bytes(), "https://feed.example/", {})
        except ParseError:
            continue  # a recorded error is the contract for junk
        expected = path.parent.parent / "output" / (path.stem + ".json")
        if not expected.exists():
            continue
        items = json.loads(expected.read_bytes().decode("utf-8", "replace"))["feed"]["items"]
        want_titles = [parse.to_text(i.get("title") or "") for i in items if i.get("title")]
        got_titles = [e.title for e in feed.entries if e.title][: len(want_titles)]
        assert len(got_titles) == len(want_titles), path
        for want, got in zip(want_titles, got_titles, strict=True):
            if "\ufffd" not in want:  # their output decoded a latin-1 feed wrongly; we did not
                assert want == got, path
        checked += 1
    assert checked >= 10


def test_control_characters_never_reach_the_store() -> None:
    body = (
        b'<rss version="2.0"><channel><title>t\x00x</title><item><title>Hello\x00 world\x07'
        b"</title><guid>ab\x00c</guid><description>a\x00b</description></item></channel></rss>"
    )
    entry = parse.parse(body, "https://x.example/feed", HEADERS).entries[0]
    assert entry.title == "Hello world" and entry.summary == "ab"
    assert "\x00" not in entry.guid
