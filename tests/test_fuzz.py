"""Property-based fuzzing of the two pure parsers that eat hostile text (issue 7).

- ``parse.parse`` on random bytes and on mutated real feeds (tests/data/feeds, the hostile
  corpus, the demo feeds: byte flips, truncations, insertions, deletions, spliced chunks):
  it returns a ParsedFeed whose entries keep the contract, or raises ParseError; nothing else.
- ``claims.extract`` on random text and on mutated real sentences: it never raises, every
  span is valid (text[start:end] == claim.text) and low <= value <= high when both are set.

Bounded for CI: max_examples per test, no per-example deadline, a pytest-timeout per test.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor import claims, parse
from monitor.errors import ParseError

ROOT = Path(__file__).resolve().parents[1]
SEED_DIRS = (
    ROOT / "tests" / "data" / "feeds",
    ROOT / "tests" / "hostile",
    ROOT / "monitor" / "demo" / "feeds",
)
HEADERS = (
    {},
    {"content-type": "application/rss+xml; charset=utf-8"},
    {"content-type": "text/html"},
)
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SENTENCES = (
    "At least 17 people were killed and more than 40 injured when the bridge collapsed.",
    "Officials said 3,000 residents had been evacuated by Tuesday evening.",
    "The death toll rose to between 120 and 150, according to the health ministry.",
    "Nearly two dozen soldiers surrendered, a spokesman said on Friday.",
    "Prices climbed 4.5% in March, the fastest pace in a year.",
    "A man was killed and two children were hurt in the blast.",
    "Up to 1.2 million people lost power after the storm; about 300 homes were destroyed.",
    "The company will cut 1,500 jobs, or roughly 8 percent of its workforce.",
    "Some 12 to 15 ships were damaged, and the port said fewer than 100 crew were missing.",
    "Police arrested 42 people; the mayor put the crowd at tens of thousands.",
)


@cache
def seed_feeds() -> tuple[bytes, ...]:
    files = sorted(
        p for d in SEED_DIRS for p in d.iterdir() if p.suffix in (".xml", ".rss", ".atom")
    )
    assert len(files) >= 10
    return tuple(p.read_bytes() for p in files)


@cache
def seed_sentences() -> tuple[str, ...]:
    """The fixed sentences plus the summaries of the demo feeds (real-looking news text)."""
    found = list(SENTENCES)
    for body in seed_feeds():
        try:
            feed = parse.parse(body, "https://seed.example/", {})
        except ParseError:
            continue
        found += [e.summary for e in feed.entries if e.summary][:5]
    return tuple(found)


def check_feed(feed: parse.ParsedFeed) -> None:
    assert len(feed.title) <= parse.MAX_TITLE
    assert len({e.guid for e in feed.entries}) == len(feed.entries)
    for e in feed.entries:
        assert e.guid and len(e.title) <= parse.MAX_TITLE and len(e.content) <= parse.MAX_TEXT
        assert e.link == "" or e.link.startswith(("http://", "https://")), e.link
        assert e.url == "" or e.url.startswith(("http://", "https://")), e.url
        for when in (e.published, e.updated):
            assert when is None or (when.utcoffset() is not None and 1990 <= when.year <= 2100)


def parse_or_parse_error(body: bytes, headers: dict[str, str]) -> None:
    try:
        feed = parse.parse(body, "https://fuzz.example/feed", headers, max_items=50)
    except ParseError:
        return
    check_feed(feed)


# ------------------------------------------------------------ mutations

_INSERTS = (
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"]]>",
    b"<![CDATA[",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"&#0;",
    b"&#x110000;",
    b"<item>",
    b"</item>",
    b"<!ENTITY a 'b'>",
    b"\xc3",
    b"\n",
)


@st.composite
def mutated(draw: st.DrawFn, seeds: tuple[bytes, ...]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(("flip", "truncate", "insert", "delete", "splice", "byte")))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(_INSERTS))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "splice" and data:
            size = draw(st.integers(1, 256))
            chunk = data[at : at + size]
            where = draw(st.integers(0, len(data)))
            data[where:where] = chunk
    return bytes(data)


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    text = list(draw(st.sampled_from(seed_sentences())))
    pieces = st.sampled_from(
        ["0", "1", "12", "1,000", "3.5", "-", "–", "%", " to ", " and ", "about ", "nearly ",
         "dozen", "hundred", "million", "killed", ".", ";", "\n", "\u00a0", "½", "٣", "$", "€"]
    )  # fmt: skip
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(("insert", "delete", "replace", "truncate")))
        at = draw(st.integers(0, len(text)))
        if op == "insert":
            text[at:at] = list(draw(pieces))
        elif op == "delete":
            del text[at : at + draw(st.integers(1, 10))]
        elif op == "replace" and at < len(text):
            text[at] = draw(st.characters())
        elif op == "truncate":
            del text[at:]
    return "".join(text)


# ------------------------------------------------------------ parse


@pytest.mark.timeout(60)
@FUZZ
@given(st.binary(max_size=4000), st.sampled_from(HEADERS))
def test_parse_random_bytes(body: bytes, headers: dict[str, str]) -> None:
    parse_or_parse_error(body, headers)


@pytest.mark.timeout(60)
@FUZZ
@given(st.data(), st.sampled_from(HEADERS))
def test_parse_mutated_feeds(data: st.DataObject, headers: dict[str, str]) -> None:
    parse_or_parse_error(data.draw(mutated(seed_feeds())), headers)


@pytest.mark.timeout(60)
@FUZZ
@given(
    st.lists(
        st.one_of(
            st.sampled_from([b"<rss version='2.0'>", b"<channel>", b"<item>", b"</item>",
                             b"<title>", b"</title>", b"<link>", b"</link>", b"<guid>",
                             b"</guid>", b"<pubDate>", b"</pubDate>", b"<description>",
                             b"</description>", b"<feed xmlns='http://www.w3.org/2005/Atom'>",
                             b"<entry>", b"</entry>", b"<![CDATA[", b"]]>", b"&amp;", b"&lt;",
                             b"javascript:alert(1)", b"http://", b"Mon, 01 Jan 0000"]),
            st.binary(max_size=20),
            st.text(max_size=20).map(str.encode),
        ),
        max_size=60,
    )
)  # fmt: skip
def test_parse_feed_shaped_tokens(parts: list[bytes]) -> None:
    parse_or_parse_error(b"".join(parts), {"content-type": "application/rss+xml"})


# ------------------------------------------------------------ claims.extract


def check_claims(text: str) -> None:
    for c in claims.extract(text, "en"):
        assert 0 <= c.start <= c.end <= len(text), (c.start, c.end, len(text))
        assert text[c.start : c.end] == c.text, (c.text, text[c.start : c.end])
        assert not math.isnan(c.value)
        if c.low is not None and c.high is not None:
            assert c.low <= c.value <= c.high, (c.low, c.value, c.high, c.text)
        elif c.low is not None:
            assert c.low <= c.value or math.isinf(c.value), (c.low, c.value, c.text)
        elif c.high is not None:
            assert c.value <= c.high, (c.value, c.high, c.text)


@pytest.mark.timeout(60)
@FUZZ
@given(st.text(max_size=400))
def test_extract_random_text(text: str) -> None:
    check_claims(text)


@pytest.mark.timeout(60)
@FUZZ
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["12", "1,200", "3.5", "1.2 million", "two dozen", "hundreds",
                             "between", "and", "to", "at least", "nearly", "more than", "killed",
                             "people", "injured", "%", "per cent", "$", "-", ".", ",", " "]),
            st.integers(-10**12, 10**12).map(str),
            st.text(max_size=8),
        ),
        max_size=40,
    ).map(" ".join)
)  # fmt: skip
def test_extract_number_shaped_text(text: str) -> None:
    check_claims(text)


@pytest.mark.timeout(60)
@FUZZ
@given(mutated_text())
def test_extract_mutated_sentences(text: str) -> None:
    check_claims(text)


@pytest.mark.parametrize("text", ["12 ²", "Area: 10²", "12 ³ people", "12 ①"])
def test_extract_superscript_digits_does_not_raise(text: str) -> None:
    claims.extract(text, "en")


def test_seeds_are_real() -> None:
    """The mutation seeds are what they claim: feeds that parse and sentences with claims."""
    parsed = 0
    for body in seed_feeds():
        try:
            check_feed(parse.parse(body, "https://seed.example/", {}))
            parsed += 1
        except ParseError:
            pass
    assert parsed >= 10
    assert sum(1 for s in SENTENCES if claims.extract(s, "en")) >= 8
