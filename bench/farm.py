"""A local feed farm: thousands of feeds on many loopback hosts, for tests and benches.

One asyncio HTTP/1.1 server (raw streams, keep-alive) listens on one port of
many 127.x.y.z addresses (Linux routes all of 127/8 to lo). Each feed, keyed by
(host address, path), is a ``Feed`` spec: generated RSS with validators (304
on a match), any status with headers (429/503 Retry-After, 410, 500),
redirects, slow drip, never answering, oversized, endless chunked, gzip bomb.
Every request is logged with its headers, and the farm tracks how many
requests each host served at once (for politeness assertions).

Run it in a background thread (``with Farm() as farm``, the log is live) or in
a child process (``Farm(process=True)``, spare a core for the client; the log
arrives when it stops). Importable by tests: ``sys.path`` gets ``bench/``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import multiprocessing
import socket
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import formatdate
from types import TracebackType
from typing import Any, Literal
from xml.sax.saxutils import escape

import farm_news

Kind = Literal["rss", "status", "redirect", "drip", "hang", "big", "endless", "bomb", "garbage"]
REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    304: "Not Modified",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
LAST_MODIFIED = "Mon, 02 Jan 2026 03:04:05 GMT"


def host_address(index: int) -> str:
    """The loopback address of farm host ``index`` (0 -> 127.0.0.1, 1 -> 127.0.0.2...)."""
    return f"127.0.{index // 200}.{index % 200 + 1}"


@dataclass
class Feed:
    """What one farm URL does. ``delay_s`` waits before any answer."""

    kind: Kind = "rss"
    items: int = 10
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    location: str = ""
    delay_s: float = 0.0
    size: int = 0  # big/endless/drip: bytes; bomb: decompressed bytes
    interval_s: float = 1.0  # drip: seconds between bytes
    version: int = 1  # changes the body and the ETag
    gzip: bool = False  # rss: gzip when the client accepts it
    conditional: bool = True  # rss: answer 304 when the validators match
    with_validators: bool = True  # rss: send ETag and Last-Modified
    # rss text: "plain" (the default: near-identical items, GUIDs change with the version) or
    # "news" (varied text drawn from ``stories`` events, see farm_news; stable GUIDs, so a new
    # version with more ``items`` keeps the older ones; item i published at epoch + i*spacing_s)
    text: Literal["plain", "news"] = "plain"
    stories: int = 1000
    epoch: float = 0.0
    spacing_s: float = 900.0
    listed: int = 0  # news: serve only the newest ``listed`` items, as real feeds do (0: all)


@dataclass
class Record:
    """One request as the farm saw it (header names lower-case)."""

    host: str
    path: str
    method: str
    headers: dict[str, str]
    started: float
    in_flight: int  # requests this host was serving, this one included
    status: int = 0


def etag_of(path: str, feed: Feed) -> str:
    return f'"{path.strip("/").replace("/", "-")}-v{feed.version}"'


def rss(path: str, feed: Feed) -> bytes:
    if feed.text == "news":
        return _channel(path, _news_items(path, feed))
    items = "".join(
        f"<item><title>Item {i} of {path}</title><link>http://example.org{path}/{i}</link>"
        f"<guid>{path}/{i}/v{feed.version}</guid><pubDate>{LAST_MODIFIED}</pubDate>"
        f"<description>Body {i}: 42 people said 7 things.</description></item>"
        for i in range(feed.items)
    )
    return _channel(path, items)


def _news_items(path: str, feed: Feed) -> str:
    """Newest first, stable GUIDs, varied text (see farm_news)."""
    parts = []
    oldest = max(0, feed.items - feed.listed) if feed.listed else 0
    for i in reversed(range(oldest, feed.items)):
        title, body = farm_news.item_text(path, i, feed.stories)
        when = formatdate(feed.epoch + i * feed.spacing_s, usegmt=True)
        parts.append(
            f"<item><title>{escape(title)}</title><link>http://example.org{path}/{i}</link>"
            f"<guid>{path}/{i}</guid><pubDate>{when}</pubDate>"
            f"<description>{escape(body)}</description></item>"
        )
    return "".join(parts)


def _channel(path: str, items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {path}</title><link>http://example.org{path}</link>"
        f"<description>farm</description>{items}</channel></rss>"
    ).encode()


class _Server:
    """The asyncio side; runs on one event loop (thread or child process)."""

    def __init__(self, feeds: dict[tuple[str, str], Feed], hosts: list[str], port: int) -> None:
        self.feeds = feeds
        self.hosts = hosts
        self.port = port
        self.log: list[Record] = []
        self.in_flight: dict[str, int] = defaultdict(int)
        self.max_in_flight: dict[str, int] = defaultdict(int)
        self.total_in_flight = 0
        self.max_total_in_flight = 0
        self._cache: dict[tuple[str, str, int, bool], bytes] = {}
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._connection, host=self.hosts, port=self.port, reuse_address=True, backlog=4096
        )

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        host = str(writer.get_extra_info("sockname")[0])
        try:
            while await self._request(host, reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        except asyncio.CancelledError:  # the farm is stopping
            pass
        finally:
            self._writers.discard(writer)
            writer.transport.abort() if writer.is_closing() else writer.close()

    async def _request(
        self, host: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        line = await reader.readline()
        if not line.strip():
            return False
        method, target, _version = line.decode("latin-1").split()
        headers: dict[str, str] = {}
        while (raw := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        self.in_flight[host] += 1
        self.total_in_flight += 1
        self.max_total_in_flight = max(self.max_total_in_flight, self.total_in_flight)
        self.max_in_flight[host] = max(self.max_in_flight[host], self.in_flight[host])
        record = Record(host, target, method, headers, time.monotonic(), self.in_flight[host])
        self.log.append(record)
        try:
            return await self._answer(host, target, headers, record, reader, writer)
        finally:
            self.in_flight[host] -= 1
            self.total_in_flight -= 1

    async def _answer(
        self,
        host: str,
        path: str,
        headers: dict[str, str],
        record: Record,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
    ) -> bool:
        feed = self.feeds.get((host, path))
        if feed is None:
            record.status = 404
            await self._send(writer, 404, {}, b"no such feed")
            return True
        if feed.delay_s:
            await asyncio.sleep(feed.delay_s)
        record.status = feed.status if feed.kind in ("status", "redirect") else 200
        if feed.kind == "rss":
            return await self._rss(host, path, feed, headers, record, writer)
        if feed.kind == "status":
            await self._send(writer, feed.status, feed.headers, b"status")
            return True
        if feed.kind == "redirect":
            await self._send(writer, feed.status, {"Location": feed.location, **feed.headers}, b"")
            return True
        if feed.kind == "garbage":
            writer.write(b"THIS IS NOT HTTP\r\n\r\n")
            await writer.drain()
            return False
        if feed.kind == "hang":  # until the client gives up
            while await reader.read(65536):
                pass
            return False
        await self._stream(feed, writer)
        return False

    async def _rss(
        self,
        host: str,
        path: str,
        feed: Feed,
        headers: dict[str, str],
        record: Record,
        writer: asyncio.StreamWriter,
    ) -> bool:
        etag = etag_of(path, feed)
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED} if feed.with_validators else {}
        inm, ims = headers.get("if-none-match"), headers.get("if-modified-since")
        fresh = inm == etag if inm is not None else ims == LAST_MODIFIED
        if feed.conditional and feed.with_validators and fresh:
            record.status = 304
            await self._send(writer, 304, {**validators, **feed.headers}, b"", length=False)
            return True
        zipped = feed.gzip and "gzip" in headers.get("accept-encoding", "")
        key = (host, path, feed.version, zipped)
        body = self._cache.get(key)
        if body is None:
            body = rss(path, feed)
            body = self._cache[key] = gzip.compress(body, 6) if zipped else body
        extra = {"Content-Type": "application/rss+xml; charset=utf-8", **validators}
        if zipped:
            extra["Content-Encoding"] = "gzip"
        await self._send(writer, 200, {**extra, **feed.headers}, body)
        return True

    async def _stream(self, feed: Feed, writer: asyncio.StreamWriter) -> None:
        if feed.kind == "bomb":
            key = ("bomb", "", feed.size, True)
            body = self._cache.get(key)
            if body is None:
                body = self._cache[key] = _bomb(feed.size)
            await self._send(writer, 200, {"Content-Encoding": "gzip"}, body)
            return
        if feed.kind == "endless":
            head = _head(200, {"Transfer-Encoding": "chunked"})
            writer.write(head)
            chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
            while True:
                writer.write(chunk)
                await writer.drain()
        length = {"Content-Length": str(feed.size)}
        writer.write(_head(200, {"Content-Type": "application/rss+xml", **length}))
        if feed.kind == "big":
            block = b"<" * 65536
            for start in range(0, feed.size, len(block)):
                writer.write(block[: min(len(block), feed.size - start)])
                await writer.drain()
            return
        for _ in range(feed.size):  # drip
            writer.write(b"<")
            await writer.drain()
            await asyncio.sleep(feed.interval_s)

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        status: int,
        headers: dict[str, str],
        body: bytes,
        length: bool = True,
    ) -> None:
        if status in (204, 304):
            length, body = False, b""
        extra = {"Content-Length": str(len(body))} if length else {}
        writer.write(_head(status, {**extra, **headers}) + body)
        await writer.drain()


def _head(status: int, headers: dict[str, str]) -> bytes:
    merged = {"Server": "farm", "Date": formatdate(usegmt=True), **headers}
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
    lines += [f"{k}: {v}" for k, v in merged.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _bomb(size: int) -> bytes:
    """gzip of ``size`` zero bytes (about 1 KiB per MiB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    parts.append(compressor.compress(bytes(size % len(block))))
    parts.append(compressor.flush())
    return b"".join(parts)


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _child(
    feeds: dict[tuple[str, str], Feed], hosts: list[str], port: int, conn: Any
) -> None:  # pragma: no cover - runs in the child process
    async def main() -> None:
        server = _Server(feeds, hosts, port)
        await server.start()
        conn.send("ready")
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, conn.recv)
        await server.stop()
        conn.send((server.log, dict(server.max_in_flight), server.max_total_in_flight))

    asyncio.run(main())


class Farm:
    """The feed farm. ``add`` feeds, then ``with farm:`` (or start/stop)."""

    def __init__(self, hosts: int = 1, *, process: bool = False) -> None:
        self.hosts = [host_address(i) for i in range(hosts)]
        self.port = _free_port(self.hosts[0])
        self.process = process
        self.feeds: dict[tuple[str, str], Feed] = {}
        self._log: list[Record] = []
        self._max: dict[str, int] = {}
        self._max_total = 0
        self._server: _Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._proc: Any = None
        self._conn: Any = None

    def url(self, host: int | str, path: str) -> str:
        address = self.hosts[host] if isinstance(host, int) else host
        return f"http://{address}:{self.port}{path}"

    def add(self, path: str, feed: Feed | None = None, host: int = 0) -> str:
        """Serve ``feed`` at ``path`` on host ``host``; return its URL."""
        self.feeds[(self.hosts[host], path)] = feed or Feed()
        return self.url(host, path)

    def feed(self, url_or_path: str, host: int = 0) -> Feed:
        path = "/" + url_or_path.split("/", 3)[3] if "://" in url_or_path else url_or_path
        address = url_or_path.split("/")[2].rsplit(":", 1)[0] if "://" in url_or_path else None
        return self.feeds[(address or self.hosts[host], path)]

    @property
    def log(self) -> list[Record]:
        return self._server.log if self._server is not None else self._log

    @property
    def max_in_flight(self) -> dict[str, int]:
        return dict(self._server.max_in_flight) if self._server is not None else self._max

    @property
    def max_total_in_flight(self) -> int:
        """The most requests the whole farm served at once."""
        return self._server.max_total_in_flight if self._server is not None else self._max_total

    def reset(self) -> None:
        """Forget the log and the in-flight maxima (thread mode, between test phases)."""
        if self._server is not None:
            self._server.log.clear()
            self._server.max_in_flight.clear()
            self._server.max_total_in_flight = 0

    def requests(self, path: str) -> list[Record]:
        return [r for r in self.log if r.path == path]

    def start(self) -> Farm:
        if self.process:
            ctx = multiprocessing.get_context("spawn")
            self._conn, child = ctx.Pipe()
            args = (self.feeds, self.hosts, self.port, child)
            self._proc = ctx.Process(target=_child, args=args, daemon=True)
            self._proc.start()
            if self._conn.recv() != "ready":
                raise RuntimeError("farm process did not start")
            return self
        loop = self._loop = asyncio.new_event_loop()
        server = self._server = _Server(self.feeds, self.hosts, self.port)
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(server.start())
            ready.set()
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="farm", daemon=True)
        self._thread.start()
        if not ready.wait(30):
            raise RuntimeError("farm did not start")
        return self

    def stop(self) -> None:
        if self.process and self._proc is not None:
            self._conn.send("stop")
            self._log, self._max, self._max_total = self._conn.recv()
            self._proc.join(10)
            self._proc = None
            return
        if self._loop is None or self._server is None:
            return
        server, loop = self._server, self._loop
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        loop.close()
        self._log, self._max = server.log, dict(server.max_in_flight)
        self._max_total = server.max_total_in_flight
        self._server = self._loop = self._thread = None

    def __enter__(self) -> Farm:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def many(farm: Farm, count: int, feed: Feed | None = None, prefix: str = "/f") -> list[str]:
    """Add ``count`` feeds spread round-robin over the farm's hosts; return their URLs."""
    return [
        farm.add(f"{prefix}{i}", feed or Feed(), host=i % len(farm.hosts)) for i in range(count)
    ]


def hosts_of(records: Iterable[Record]) -> set[str]:
    return {r.host for r in records}


if __name__ == "__main__":  # manual smoke run: python bench/farm.py
    with contextlib.suppress(KeyboardInterrupt), Farm(hosts=3) as demo:
        print(many(demo, 6)[:6])
        time.sleep(3600)
