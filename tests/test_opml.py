"""OPML import/export round trip and hostile input."""

from __future__ import annotations

import pytest

from monitor.errors import InputError
from monitor.opml import Outline, parse_opml, render_opml


def test_round_trip() -> None:
    outlines = [
        Outline("https://a.example/rss", "A & B <news>", "en"),
        Outline("https://b.example/atom", "", None),
    ]
    back = parse_opml(render_opml(outlines).encode())
    assert back == [
        Outline("https://a.example/rss", "A & B <news>", "en"),
        Outline("https://b.example/atom", "https://b.example/atom", None),
    ]


def test_nested_and_duplicates() -> None:
    doc = b"""<opml version="1.0"><body><outline text="news">
      <outline text="X" xmlUrl="http://x/rss"/><outline text="X2" xmlUrl="http://x/rss"/>
      <outline text="folder only"/></outline></body></opml>"""
    assert parse_opml(doc) == [Outline("http://x/rss", "X")]


def _laughs() -> bytes:
    ents = ['<!ENTITY a "aaaaaaaaaa">'] + [
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(7)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE o [{"".join(ents)}]><opml><body>'
        '<outline title="&h;" xmlUrl="http://x"/></body></opml>'
    ).encode()


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<opml><body><outline title="&x;" xmlUrl="http://x"/></body></opml>'
)


@pytest.mark.parametrize("doc", [b"not xml at all", b"<rss><channel/></rss>", _laughs(), XXE])
def test_bad_or_hostile_opml_is_a_clear_error(doc: bytes) -> None:
    with pytest.raises(InputError):
        parse_opml(doc)
