"""The rendered site in a real headless Chromium (Playwright), from disk and over HTTP.

Needs Debian's /usr/bin/chromium: skipped when absent, unless CI is set (then it fails).
Screenshots go to tmp_path and are copied to /tmp/monitor-screens/ for people to look at.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

import pytest

from monitor.digest import build_day, default_templates_dir, render_email, render_site
from tests.test_digest_sample import DAY, TZ, hostile, hostile_health, stories

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENS = Path("/tmp/monitor-screens")
DAYS = (DAY.replace(day=23), DAY)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two days rendered in order into one folder, as the pipeline does."""
    root = tmp_path_factory.mktemp("site")
    for day in DAYS:
        digest = build_day([hostile(), *stories()], hostile_health(), day, TZ)
        archive = [d for d in DAYS if d <= day]
        for rel, content in render_site(digest, archive, default_templates_dir()).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    return root


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def http_root(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class Watch:
    """Console errors, page errors and dialogs seen by one page."""

    def __init__(self, page: Any) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("dialog", self._dialog)
        page.on("response", self._response)

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.problems.append(f"console error: {msg.text}")

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()


def crawl(page: Any, start: str, watch: Watch) -> set[str]:
    """Follow every relative <a href> from ``start``; every page must load cleanly."""
    seen: set[str] = set()
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        if not url.endswith(".html"):  # feed.xml: fetching it is enough (no XML viewer)
            if url.startswith("http"):
                assert page.request.get(url).ok, url
            else:
                assert Path(url2pathname(urlsplit(url).path)).is_file(), url
            continue
        response = page.goto(url)
        if url.startswith("http"):
            assert response is not None and response.status == 200, url
        assert page.locator("main").count() == 1, f"{url} did not load a page"
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            assert not href.strip().lower().startswith("javascript:"), href
            if urlsplit(href).scheme:
                continue
            target, _ = urldefrag(urljoin(url, href))
            if target not in seen:
                queue.append(target)
    assert not watch.problems, watch.problems
    return seen


@pytest.mark.parametrize("mode", ["file", "http"])
def test_every_link_loads_and_nothing_runs(
    browser: Any, site: Path, mode: str, request: pytest.FixtureRequest
) -> None:
    base = site.as_uri() + "/" if mode == "file" else request.getfixturevalue("http_root")
    page = browser.new_page()
    watch = Watch(page)
    visited = crawl(page, urljoin(base, "index.html"), watch)
    pages = {urlsplit(u).path.rsplit("/", 2)[-2] + "/" + u.rsplit("/", 1)[-1] for u in visited}
    expected_stories = len(list((site / "stories").glob("*.html")))
    assert sum(1 for p in pages if p.startswith("stories/")) == expected_stories
    assert sum(1 for p in pages if p.startswith("days/")) == len(DAYS)
    assert any(p.endswith("feed.xml") for p in pages)
    page.close()


def test_charts_and_inert_payloads_with_screenshots(
    browser: Any, site: Path, tmp_path: Path
) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    watch = Watch(page)
    page.goto((site / "index.html").as_uri())
    assert page.locator("article.story").count() == 4
    assert page.locator("article.story svg[role=img]").count() >= 3
    assert page.locator("svg title").count() >= 3
    # the hostile story is shown as text, and hovering/clicking it runs nothing
    evil = page.locator("article.story", has_text="window.__pwned=1").first
    assert "<script>" in evil.locator("h2").inner_text()
    evil.hover()
    evil.locator("h2").click()  # goes to its story page
    assert page.url.endswith(".html") and "/stories/" in page.url
    for link in page.locator("main a").all():
        link.hover()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    shots = {"index.png": (site / "index.html").as_uri()}
    strike = next(p for p in (site / "stories").glob("strike-*.html"))
    shots["story.png"] = strike.as_uri()
    for name, url in shots.items():
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1000, f"{name}: page scrolls sideways ({width}px)"
        page.screenshot(path=str(tmp_path / name), full_page=True)
    story_svgs = page.locator("svg.chart").count()
    assert story_svgs == 1
    phone = browser.new_page(viewport={"width": 390, "height": 844}, color_scheme="dark")
    phone_watch = Watch(phone)
    phone.goto((site / "index.html").as_uri())
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    phone.screenshot(path=str(tmp_path / "index-phone-dark.png"), full_page=True)
    digest = build_day(stories(), [], DAY, TZ)
    message = render_email(digest, default_templates_dir(), "m@example.org", ["a@x.org"], "d")
    html_part = message.get_body(("html",))
    assert html_part is not None
    (tmp_path / "email.html").write_text(str(html_part.get_content()), encoding="utf-8")
    page.set_viewport_size({"width": 700, "height": 900})
    page.goto((tmp_path / "email.html").as_uri())
    page.screenshot(path=str(tmp_path / "email.png"), full_page=True)
    for name in ("index.png", "story.png", "index-phone-dark.png", "email.png"):
        assert (tmp_path / name).stat().st_size > 10_000
        shutil.copy(tmp_path / name, SCREENS / name)
    assert not watch.problems and not phone_watch.problems, watch.problems + phone_watch.problems
    page.close()
    phone.close()
