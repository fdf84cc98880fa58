"""A tiny local HTTP server for the demo feeds (imperative shell of monitor.demo).

``DemoFeedServer`` renders every outlet's feed once for the ``now`` it is
given, then serves them from a stdlib ThreadingHTTPServer on 127.0.0.1 (a free
port) in a daemon thread, with Content-Type, ETag and Last-Modified, 304 for
a matching If-None-Match (or, without one, a satisfied If-Modified-Since),
404 for unknown paths. It records every request for tests.

Touches: a loopback socket and the packaged feed templates (read). No clock.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from monitor.demo.catalog import Outlet, feed_list, load_outlets, load_template
from monitor.demo.render import DemoError, render_feed, window


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the server answered."""

    method: str
    path: str
    headers: Mapping[str, str]
    status: int


@dataclass(frozen=True, slots=True)
class Served:
    """A rendered feed as served: body, headers and validators."""

    outlet: Outlet
    body: bytes
    etag: str
    last_modified: datetime

    @property
    def last_modified_http(self) -> str:
        return format_datetime(self.last_modified, usegmt=True)


def make_served(outlet: Outlet, text: str, last_modified: datetime) -> Served:
    body = text.encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:24] + '"'
    return Served(outlet, body, etag, last_modified.astimezone(UTC).replace(microsecond=0))


def etag_matches(header: str, etag: str) -> bool:
    """Weak comparison of an If-None-Match header against one ETag."""
    if header.strip() == "*":
        return True
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag.removeprefix("W/") in tags


def not_modified(served: Served, inm: str | None, ims: str | None) -> bool:
    """RFC 9110 order: If-None-Match decides when present, else If-Modified-Since."""
    if inm is not None:
        return etag_matches(inm, served.etag)
    if ims is None:
        return False
    try:
        since = parsedate_to_datetime(ims)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return served.last_modified <= since


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        demo = self.server.demo
        path = urlsplit(self.path).path.lstrip("/")
        served = demo.lookup(path)
        if served is None:
            status, body, ctype = 404, b"not found\n", "text/plain; charset=utf-8"
        elif not_modified(
            served, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        ):
            status, body, ctype = 304, b"", served.outlet.content_type
        else:
            status, body, ctype = 200, served.body, served.outlet.content_type
        # record before answering, so a client that has its answer sees it logged
        headers = dict(self.headers.items())
        demo._record(RequestRecord(self.command, self.path, headers, status))
        self.send_response(status)
        if served is not None:
            self.send_header("ETag", served.etag)
            self.send_header("Last-Modified", served.last_modified_http)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet; requests are recorded in DemoFeedServer.requests."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, demo: DemoFeedServer, port: int) -> None:
        self.demo = demo
        super().__init__(("127.0.0.1", port), _Handler)


class DemoFeedServer:
    """Serve the demo feeds on 127.0.0.1:<free port> while the context is open.

    ``now`` fixes the rendered dates (see monitor.demo.render); ``fit_today``
    keeps every item on now's UTC day. ``outlets``/``templates`` default to the
    packaged ones (templates: outlet id -> template text). ``port`` 0 picks a
    free port.
    """

    def __init__(
        self,
        now: datetime,
        *,
        fit_today: bool = True,
        outlets: tuple[Outlet, ...] | None = None,
        templates: Mapping[str, str] | None = None,
        port: int = 0,
    ) -> None:
        self.now = now
        self.requested_port = port
        self.fit_today = fit_today
        self.outlets = outlets if outlets is not None else load_outlets()
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        stamp = window(now, fit_today=False).end
        self._served: dict[str, Served] = {}
        for o in self.outlets:
            text = templates[o.id] if templates is not None else load_template(o)
            self._served[o.path] = make_served(
                o, render_feed(text, now, fit_today=fit_today), stamp
            )
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> DemoFeedServer:
        if self._httpd is None:
            self._httpd = _HTTPServer(self, self.requested_port)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, name="demo-feed-server", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._httpd = None
            self._thread = None

    def __enter__(self) -> DemoFeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------ queries

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise DemoError("the demo feed server is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, outlet_id: str) -> str:
        """The URL of one outlet's feed, by outlet id."""
        for o in self.outlets:
            if o.id == outlet_id:
                return f"{self.base_url}/{o.path}"
        raise DemoError(f"no demo outlet {outlet_id!r}")

    def feeds(self) -> list[tuple[str, str, str]]:
        """(url, name, language) of every served feed."""
        return feed_list(self.base_url, self.outlets)

    def config_snippet(self) -> str:
        """A ``feeds:`` block for config.yaml pointing at this server."""
        lines = ["feeds:"]
        for url, name, language in self.feeds():
            lines += [f"  - url: {url}", f'    name: "{name}"', f"    language: {language}"]
        return "\n".join(lines) + "\n"

    def body(self, outlet_id: str) -> bytes:
        """The rendered body currently served for an outlet."""
        for served in self._served.values():
            if served.outlet.id == outlet_id:
                return served.body
        raise DemoError(f"no demo outlet {outlet_id!r}")

    @property
    def requests(self) -> tuple[RequestRecord, ...]:
        with self._lock:
            return tuple(self._requests)

    # ------------------------------------------------------------ hooks

    def replace(self, outlet_id: str, template: str, now: datetime | None = None) -> None:
        """Serve a new template for an outlet (new ETag; Last-Modified moves forward)."""
        when = now or self.now
        text = render_feed(template, when, fit_today=self.fit_today)
        with self._lock:
            for path, old in self._served.items():
                if old.outlet.id == outlet_id:
                    new = make_served(old.outlet, text, window(when, fit_today=False).end)
                    if new.etag != old.etag and new.last_modified <= old.last_modified:
                        later = old.last_modified + timedelta(seconds=1)
                        new = make_served(old.outlet, text, later)
                    self._served[path] = new
                    return
        raise DemoError(f"no demo outlet {outlet_id!r}")

    def lookup(self, path: str) -> Served | None:
        with self._lock:
            return self._served.get(path)

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._requests.append(record)
