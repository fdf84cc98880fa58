"""render_site / render_email: golden files, inert hostile content, valid Atom, links resolve.

Update the golden files with UPDATE_GOLDEN=1 (then review the diff).
"""

from __future__ import annotations

import os
import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from email.message import EmailMessage
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from monitor.digest import DayDigest, build_day, default_templates_dir, render_email, render_site
from monitor.errors import DigestError
from tests.test_digest_sample import (
    ARCHIVE,
    DAY,
    HOSTILE_ID,
    PAYLOAD,
    TZ,
    health,
    hostile,
    hostile_health,
    stories,
)

GOLDEN = Path(__file__).resolve().parent / "golden" / "digest"
TEMPLATES = default_templates_dir()
ATOM = "{http://www.w3.org/2005/Atom}"
STRIKE = "strike/2026?port#1"


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def sample_digest() -> DayDigest:
    return build_day(stories(), health(), DAY, TZ)


def email_text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def email_html(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden file; UPDATE_GOLDEN=1 to accept"


def test_golden_files() -> None:
    digest = sample_digest()
    site = render_site(digest, ARCHIVE, TEMPLATES)
    strike = next(c for c in digest.cards if c.story_id == STRIKE)
    message = render_email(digest, TEMPLATES, "Monitor <m@example.org>", ["a@example.org"], "d")
    check_golden("index.html", site["index.html"])
    check_golden("story.html", site[f"stories/{strike.slug}.html"])
    check_golden("feed.xml", site["feed.xml"])
    check_golden("email.txt", email_text(message))


def test_site_files_and_idempotence() -> None:
    digest = sample_digest()
    site = render_site(digest, ARCHIVE, TEMPLATES)
    slugs = [c.slug for c in digest.cards]
    assert set(site) == {
        "index.html",
        "days/2026-11-24.html",
        "feed.xml",
        "style.css",
        *(f"stories/{s}.html" for s in slugs),
    }
    assert site == render_site(sample_digest(), list(reversed(ARCHIVE)), TEMPLATES)


@pytest.mark.parametrize("path", ["index.html", "days/2026-11-24.html"])
def test_day_pages_semantics(path: str) -> None:
    html = render_site(sample_digest(), ARCHIVE, TEMPLATES)[path]
    found = tags(html)
    names = [t for t, _ in found]
    assert ("html", [("lang", "en")]) in found
    assert any(t == "meta" and ("name", "viewport") in a for t, a in found)
    for required in ("header", "main", "nav", "article", "table", "svg"):
        assert required in names, required
    articles = [a for t, a in found if t == "article"]
    assert len(articles) == 3 and all(("class", "story") in a for a in articles)
    assert all(dict(a).get("scope") in ("col", "row") for t, a in found if t == "th")
    assert "<script" not in html.lower()
    # conflicts carry a text marker, not colour alone
    text = unescape(html)
    assert "\u26a0 conflicting reports" in text
    assert "copy of AP" in text and "New today" in text and "Changed since yesterday" in text


def test_story_page_has_every_entry_and_a_chart_per_moving_track() -> None:
    digest = sample_digest()
    site = render_site(digest, ARCHIVE, TEMPLATES)
    for card in digest.cards:
        html = site[f"stories/{card.slug}.html"]
        found = tags(html)
        hrefs = [dict(a).get("href") for t, a in found if t == "a"]
        for e in card.entries:
            assert e.href in hrefs
        svgs = [a for t, a in found if t == "svg"]
        assert len(svgs) == len(card.moving_tracks)
        assert all(("role", "img") in a and dict(a).get("aria-label") for a in svgs)


def is_icon(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """Our own empty favicon (avoids a favicon.ico request)."""
    return tag == "link" and ("rel", "icon") in attrs and ("href", "data:,") in attrs


def internal_links(site: Mapping[str, str]) -> list[tuple[str, str]]:
    out = []
    for path, content in site.items():
        if not path.endswith(".html"):
            continue
        for tag, attrs in tags(content):
            for name, value in attrs:
                if name not in ("href", "src") or not value or is_icon(tag, attrs):
                    continue
                parts = urlsplit(value)
                if not parts.path:  # a fragment in the same page
                    continue
                if parts.scheme or parts.netloc:
                    assert parts.scheme in ("http", "https"), value
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), parts.path))
                out.append((path, target))
    return out


def test_internal_links_resolve_to_rendered_files() -> None:
    site = render_site(sample_digest(), [DAY], TEMPLATES)
    links = internal_links(site)
    assert len(links) > 10
    missing = [(src, dst) for src, dst in links if dst not in site]
    assert not missing


def test_archive_links_point_only_to_archive_days() -> None:
    site = render_site(sample_digest(), ARCHIVE, TEMPLATES)
    days = {f"days/{d.isoformat()}.html" for d in ARCHIVE}
    missing = {dst for _, dst in internal_links(site) if dst not in site}
    assert missing == days - set(site)
    assert all(not dst.startswith("..") for _, dst in internal_links(site))


def test_atom_feed_is_valid_xml_with_one_entry_per_day() -> None:
    site = render_site(sample_digest(), ARCHIVE, TEMPLATES)
    root = ET.fromstring(site["feed.xml"].encode("utf-8"))
    assert root.tag == f"{ATOM}feed"
    for child in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{child}") is not None, child
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(ARCHIVE)
    links = sorted(str(e.find(f"{ATOM}link").get("href")) for e in entries)  # type: ignore[union-attr]
    assert links == sorted(f"days/{d.isoformat()}.html" for d in ARCHIVE)
    ids = {e.findtext(f"{ATOM}id") for e in entries}
    assert len(ids) == len(ARCHIVE) and all(i and i.startswith("urn:uuid:") for i in ids)
    for e in entries:
        assert e.findtext(f"{ATOM}updated", "").startswith("2026-11-2")


def assert_inert(html: str) -> None:
    found = tags(html)
    assert found, "nothing parsed"
    for tag, attrs in found:
        assert tag not in ("script", "iframe", "object", "embed", "img"), tag
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "xlink:href") and not is_icon(tag, attrs):
                assert value is not None
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in ("", "http", "https"), value


def test_hostile_content_renders_inert_in_site_and_email() -> None:
    digest = build_day([hostile(), *stories()], hostile_health(), DAY, TZ)
    site = render_site(digest, ARCHIVE, TEMPLATES)
    for path, content in site.items():
        if path.endswith(".html"):
            assert_inert(content)
    evil = next(c for c in digest.cards if c.story_id == HOSTILE_ID)
    for path in ("index.html", "days/2026-11-24.html", f"stories/{evil.slug}.html"):
        text = unescape(site[path])
        assert f"<script>{PAYLOAD}</script>" in text, path  # shown as text, escaped
        assert f"javascript:{PAYLOAD}" not in {dict(a).get("href") for _, a in tags(site[path])}
    assert all(".." not in p and "<" not in p and "?" not in p for p in site)
    message = render_email(digest, TEMPLATES, "m@example.org", ["a@example.org"], "x")
    assert_inert(email_html(message))
    ET.fromstring(site["feed.xml"].encode("utf-8"))


def test_email_parts_and_inlined_css() -> None:
    message = render_email(
        sample_digest(),
        TEMPLATES,
        "Monitor <m@example.org>",
        ["a@example.org", "b@example.org"],
        "monitor digest 2026-11-24",
    )
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "monitor digest 2026-11-24"
    assert message["To"] == "a@example.org, b@example.org"
    html = email_html(message)
    assert "<style" not in html and 'style="' in html
    hrefs = [dict(a)["href"] for t, a in tags(html) if t == "a"]
    assert hrefs and all(h and h.startswith(("http://", "https://")) for h in hrefs)
    assert "Port strike enters third day" in email_text(message)


def test_email_rejects_bad_addresses() -> None:
    with pytest.raises(DigestError):
        render_email(sample_digest(), TEMPLATES, "nobody", ["a@example.org"], "s")
    with pytest.raises(DigestError):
        render_email(sample_digest(), TEMPLATES, "m@example.org", [], "s")
    with pytest.raises(DigestError):
        render_email(sample_digest(), TEMPLATES, "m@example.org", ["a@x.org\r\nBcc: e@x"], "s")


def test_missing_templates_dir_is_a_digest_error(tmp_path: Path) -> None:
    with pytest.raises(DigestError):
        render_site(sample_digest(), ARCHIVE, tmp_path / "nope")


def test_rerendering_an_older_day_keeps_the_index_on_the_latest_day() -> None:
    older = build_day(stories(), health(), ARCHIVE[1], TZ)
    site = render_site(older, ARCHIVE, TEMPLATES)
    index = site["index.html"]
    assert 'class="story"' not in index
    assert 'href="days/2026-11-24.html"' in index and "Tuesday, 24 November 2026" in index
    assert 'class="story"' in site["days/2026-11-23.html"]


def test_stories_left_out_of_a_long_day_are_counted_on_every_page() -> None:
    digest = build_day(stories(), health(), DAY, TZ, omitted=1234)
    site = render_site(digest, ARCHIVE, TEMPLATES)
    message = render_email(digest, TEMPLATES, "Monitor <m@example.org>", ["a@example.org"], "d")
    note = "1234 more reported by fewer outlets are not shown."
    for page in (site["index.html"], site["days/2026-11-24.html"]):
        assert note in unescape(page)
    assert note in email_text(message) and note in unescape(email_html(message))
    assert note not in unescape(render_site(sample_digest(), ARCHIVE, TEMPLATES)["index.html"])
