"""The site is written as it is rendered: ``site_files`` yields one page at a time, in pieces,
the same pages as ``render_site``, and ``publish.write_files`` writes each before asking for
the next."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from monitor.digest import default_templates_dir, render_site, site_files
from monitor.publish import write_files
from tests.test_digest_render import sample_digest
from tests.test_digest_sample import ARCHIVE


def test_site_files_are_render_sites_pages_story_pages_first() -> None:
    digest = sample_digest()
    templates = default_templates_dir()
    streamed = [(path, "".join(pieces)) for path, pieces in site_files(digest, ARCHIVE, templates)]
    assert dict(streamed) == render_site(digest, ARCHIVE, templates)
    paths = [path for path, _ in streamed]
    first = next(pieces for _, pieces in site_files(digest, ARCHIVE, templates))
    assert len(list(first)) > 10  # a page comes in jinja2's pieces, not joined
    stories = [p for p in paths if p.startswith("stories/")]
    assert len(stories) == len(digest.cards) > 1
    assert paths[: len(stories)] == stories  # written before the pages that link to them
    assert paths[-1] == "index.html"


def test_write_files_writes_each_before_the_next_is_rendered(tmp_path: Path) -> None:
    out = tmp_path / "site"
    asked: list[str] = []

    def pages() -> Iterator[tuple[str, str | Iterator[str]]]:
        for n in range(4):
            if asked:  # the previous page is on disk before this one is made
                assert (out / asked[-1]).read_text(encoding="utf-8") == f"page {n - 1}"
            asked.append(f"stories/s{n}.html")
            yield asked[-1], iter(["page ", str(n)]) if n % 2 else f"page {n}"
        yield "stories/s0.html", "page 0 again"  # a path written twice counts once

    assert write_files(out, pages()) == 4
    assert (out / "stories/s0.html").read_text(encoding="utf-8") == "page 0 again"
    assert sorted(p.name for p in (out / "stories").iterdir()) == [f"s{n}.html" for n in range(4)]
