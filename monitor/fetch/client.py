"""Fetcher: polite, bounded HTTP GETs of feeds (the only user of httpx).

One ``httpx.AsyncClient`` per Fetcher, with a connection pool per host
(``guard.HostPools``); per-host (hostname:port) and global semaphores;
conditional GET; manual redirects with a per-hop address check; Retry-After;
a decompressed body cap; one overall deadline per request.
``fetch`` never raises for network, HTTP or policy problems: it returns a
FetchResult whose ``error`` says what went wrong. Touches: the network.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import TracebackType

import httpx

from monitor.config import FetchSettings
from monitor.errors import FetchError
from monitor.fetch import guard
from monitor.fetch.body import read_capped
from monitor.fetch.headers import request_headers, response_headers, retry_after
from monitor.types import FeedRequest, FetchResult

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
RATE_LIMITED = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class _Redirect:
    status: int
    location: httpx.URL


Gate = Callable[[], Awaitable[None]]


class Fetcher:
    """Async context manager owning one httpx.AsyncClient and the concurrency limits.

    ``transport`` replaces the default (address-guarded) transport, e.g. for tests;
    the address policy is then checked before each hop with its own DNS lookup.
    ``rng`` draws Retry-After jitter and the 1-2 h default (seed it in tests).
    """

    def __init__(
        self,
        settings: FetchSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        rng: random.Random | None = None,
    ) -> None:
        self._settings = settings
        self._rng = rng or random.Random()
        self._custom_transport = transport
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(settings.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        s = self._settings
        limits = httpx.Limits(
            max_connections=s.concurrency,
            max_keepalive_connections=s.concurrency,
            keepalive_expiry=5.0,
        )
        transport = self._custom_transport or guard.build_transport(
            limits, guarded=not s.allow_private_addresses
        )
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(s.timeout_s, connect=s.connect_timeout_s),
            follow_redirects=False,
            trust_env=False,
        )
        await self._client.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.__aexit__(exc_type, exc, tb)

    def _host_slot(self, url: httpx.URL) -> asyncio.Semaphore:
        key = f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"
        slot = self._hosts.get(key)
        if slot is None:
            slot = self._hosts[key] = asyncio.Semaphore(self._settings.per_host_concurrency)
        return slot

    async def fetch(
        self, request: FeedRequest, now: datetime, gate: Gate | None = None
    ) -> FetchResult:
        """GET one feed politely; problems come back as ``FetchResult.error``. ``gate``
        is awaited once the first request holds its host's and the global slot, before
        it is sent (``fetch.batch.Credits``: a consumer's bound; a host whose slots are
        all taken keeps no other host waiting)."""
        if self._client is None:
            raise RuntimeError("Fetcher used outside 'async with'")
        started = time.monotonic()
        status: int | None = None
        try:
            result = await self._follow(self._client, request, _Clock(now, started), gate)
        except _Failed as failed:
            status, message = failed.status, failed.message
            result = FetchResult(url=request.url, status=status, error=message)
        except (
            FetchError,
            httpx.HTTPError,
            httpx.InvalidURL,
            OSError,
            ssl.SSLError,
            ValueError,
        ) as e:
            result = FetchResult(url=request.url, status=None, error=describe(e))
        except asyncio.CancelledError:
            raise
        except Exception as e:  # never let one feed's oddity escape into the cycle
            result = FetchResult(
                url=request.url, status=None, error=f"fetch failed: {type(e).__name__}: {e}"
            )
        return replace(result, elapsed_s=time.monotonic() - started)

    async def _follow(
        self, client: httpx.AsyncClient, request: FeedRequest, clock: _Clock, gate: Gate | None
    ) -> FetchResult:
        url = httpx.URL(request.url)
        seen = {str(url)}
        permanent = True
        budget = self._settings.timeout_s
        for _hop in range(self._settings.max_redirects + 1):
            guard.check_url(url, self._settings.allow_private_addresses)
            async with self._host_slot(url), self._global:
                if gate is not None:
                    await gate()
                    gate = None  # one per fetch: its redirects are the same result
                started = time.monotonic()
                try:
                    async with asyncio.timeout(budget):
                        outcome = await self._hop(client, url, request, clock)
                except TimeoutError:
                    raise _Failed(None, f"timed out after {self._settings.timeout_s:g} s") from None
                budget -= time.monotonic() - started
            if not isinstance(outcome, _Redirect):
                moved = permanent and str(url) != request.url
                return replace(outcome, permanent_url=str(url) if moved else None)
            permanent = permanent and outcome.status in PERMANENT
            url = outcome.location
            if str(url) in seen:
                raise _Failed(outcome.status, f"redirect loop at {url}")
            seen.add(str(url))
        raise _Failed(None, f"too many redirects (more than {self._settings.max_redirects})")

    async def _hop(
        self, client: httpx.AsyncClient, url: httpx.URL, request: FeedRequest, clock: _Clock
    ) -> FetchResult | _Redirect:
        if self._custom_transport is not None and not self._settings.allow_private_addresses:
            port = url.port or (443 if url.scheme == "https" else 80)
            await guard.check_host(url.host, port, self._settings.connect_timeout_s)
        headers = request_headers(request, self._settings.user_agent)
        response = await client.send(client.build_request("GET", url, headers=headers), stream=True)
        try:
            return await self._outcome(response, url, request, clock)
        finally:
            await response.aclose()

    async def _outcome(
        self, response: httpx.Response, url: httpx.URL, request: FeedRequest, clock: _Clock
    ) -> FetchResult | _Redirect:
        code = response.status_code
        headers = response_headers(response.headers)
        if code in REDIRECTS:
            location = headers.get("location", "").strip()
            if not location:
                raise _Failed(code, f"HTTP {code} without Location")
            try:
                return _Redirect(code, url.join(location))
            except httpx.InvalidURL as e:
                raise _Failed(code, f"HTTP {code} to an invalid Location: {e}") from e
        base = FetchResult(url=request.url, status=code, headers=headers)
        if code == 304:
            return replace(
                base,
                etag=headers.get("etag") or request.etag,
                last_modified=headers.get("last-modified") or request.last_modified,
                body_hash=request.body_hash,
            )
        if 200 <= code < 300:
            try:
                body = await read_capped(response, self._settings.max_body_bytes)
            except (FetchError, httpx.HTTPError) as e:
                raise _Failed(code, describe(e)) from e
            return replace(
                base,
                body=body,
                etag=headers.get("etag"),
                last_modified=headers.get("last-modified"),
                body_hash=hashlib.sha256(body).hexdigest(),
            )
        reason = f"HTTP {code}"
        if code in RATE_LIMITED:
            # counted from when the answer came, not from when the cycle started
            until = retry_after(headers, clock.now(), self._rng)
            return replace(base, error=reason, retry_after=until)
        return replace(base, error=reason)


@dataclass(frozen=True, slots=True)
class _Clock:
    """The caller's ``now`` at the start of one fetch, advanced by the time spent since
    (requests wait for connection slots, so a cycle's answers come over many seconds)."""

    start: datetime
    started: float  # time.monotonic() at ``start``

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.started)


class _Failed(Exception):
    """Internal: a failure after (or without) a status, turned into a FetchResult."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _root_causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def describe(error: BaseException) -> str:
    """A short, clear, human-readable reason for a failed fetch."""
    causes = _root_causes(error)
    detail = str(error) or type(error).__name__
    if isinstance(error, FetchError):
        return detail
    if any(isinstance(c, socket.gaierror) for c in causes):
        return f"DNS lookup failed: {detail}"
    if any(isinstance(c, ssl.SSLError | ssl.CertificateError) for c in causes):
        return f"TLS error: {detail}"
    if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
        return "connect timed out"
    if isinstance(error, httpx.TimeoutException):
        return f"timed out ({type(error).__name__})"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused"
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return "connection reset by peer"
    if isinstance(error, httpx.ConnectError):
        return f"connection failed: {detail}"
    if isinstance(error, httpx.RemoteProtocolError | httpx.LocalProtocolError):
        return f"protocol error: {detail}"
    if isinstance(error, httpx.ReadError | httpx.WriteError):
        return f"connection error: {detail}"
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL | ValueError):
        return f"invalid URL: {detail}"
    return f"{type(error).__name__}: {detail}"
