"""Address policy for fetches: which targets monitor may connect to (SSRF guard).

Refuses non-http(s) schemes and hosts that are, or resolve to, private, loopback,
link-local, multicast, reserved or unspecified addresses (IPv4-mapped/6to4 IPv6
forms included). The guard runs where the socket is opened: ``GuardedBackend``
wraps httpcore's network backend, resolves the name once, checks every A/AAAA
record and connects to the checked address itself, so a DNS answer cannot change
between check and connect. Touches: DNS (asyncio getaddrinfo) and TCP sockets.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable

import httpcore
import httpx

from monitor.errors import BlockedAddressError, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL_LENGTH = 2048


class DnsError(FetchError):
    """The host name of a feed does not resolve."""


def blocked_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched from, or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return blocked_reason(embedded)
    for reason, flag in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("site-local", isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local),
        ("not globally routable", not ip.is_global),
    ):
        if flag:
            return reason
    return None


def literal_ip(host: str) -> IPAddress | None:
    """The address when ``host`` is an IP literal (brackets allowed), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def check_address(host: str, ip: IPAddress) -> None:
    """Raise BlockedAddressError when ``ip`` (for ``host``) is not public."""
    reason = blocked_reason(ip)
    if reason is not None:
        shown = host if host == str(ip) else f"{host} ({ip})"
        raise BlockedAddressError(f"refused: {shown} is a {reason} address")


def check_url(url: httpx.URL, allow_private: bool) -> None:
    """Scheme, length and (for IP literals) address checks that need no DNS."""
    if url.scheme not in ("http", "https"):
        raise BlockedAddressError(f"refused: scheme {url.scheme!r} is not http(s)")
    if not url.host:
        raise FetchError("invalid URL: no host")
    if len(str(url)) > MAX_URL_LENGTH:
        raise FetchError(f"URL longer than {MAX_URL_LENGTH} characters")
    ip = literal_ip(url.host)
    if ip is not None and not allow_private:
        check_address(url.host, ip)


async def resolve(host: str, port: int, timeout: float | None) -> list[IPAddress]:
    """All A/AAAA addresses of ``host`` (in resolver order, deduplicated)."""
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError as e:
        raise DnsError(f"DNS lookup for {host} timed out") from e
    except (socket.gaierror, UnicodeError) as e:
        raise DnsError(f"DNS lookup failed for {host}: {e}") from e
    found: list[IPAddress] = []
    for info in infos:
        ip = literal_ip(str(info[4][0]))
        if ip is not None and ip not in found:
            found.append(ip)
    if not found:
        raise DnsError(f"DNS lookup failed for {host}: no addresses")
    return found


async def check_host(host: str, port: int, timeout: float | None) -> list[IPAddress]:
    """Resolve ``host`` and refuse it when ANY of its addresses is not public."""
    addresses = await resolve(host, port, timeout)
    for ip in addresses:
        check_address(host, ip)
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to checked public addresses."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await check_host(host, port, timeout)
        failure: Exception | None = None
        for ip in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                failure = e
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError("refused: unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def build_transport(limits: httpx.Limits, guarded: bool) -> httpx.AsyncBaseTransport:
    """httpx's default transport, one connection pool per host (``HostPools``); with
    ``guarded`` each pool connects via GuardedBackend."""
    return HostPools(limits, guarded)


class HostPools(httpx.AsyncBaseTransport):
    """One httpx transport (connection pool) per scheme, host and port, made when the
    host is first asked for, all sharing one TLS context.

    httpcore's pool scans every connection it holds each time a request is queued,
    sent or closed, so one pool for every host costs O(connections) per request; a
    pool per host holds at most the per-host limit. Concurrency overall is the
    Fetcher's to limit (its semaphores); ``limits.max_connections`` caps each pool.
    Pools left without connections are dropped once there are more than ``keep``."""

    def __init__(self, limits: httpx.Limits, guarded: bool, keep: int = 1024) -> None:
        self._limits, self._guarded, self._keep = limits, guarded, keep
        self._ssl = httpx.create_ssl_context(trust_env=False)
        self._pools: dict[tuple[bytes, bytes, int | None], httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.raw_scheme, url.raw_host, url.port)
        pool = self._pools.get(key)
        if pool is None:
            if len(self._pools) >= self._keep:
                await self._drop_idle()
            pool = self._pools[key] = self._pool()
        return await pool.handle_async_request(request)

    def _pool(self) -> httpx.AsyncHTTPTransport:
        limits = self._limits
        transport = httpx.AsyncHTTPTransport(
            verify=self._ssl, limits=limits, retries=0, trust_env=False
        )
        if self._guarded:
            # httpx has no public hook for the network backend: swap the pool it built
            # for an identical one whose backend checks addresses (httpx 0.2x layout).
            transport._pool = httpcore.AsyncConnectionPool(
                ssl_context=self._ssl,
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                retries=0,
                network_backend=GuardedBackend(httpcore.AnyIOBackend()),
            )
        return transport

    async def _drop_idle(self) -> None:
        for key, pool in list(self._pools.items()):
            if not pool._pool.connections:
                del self._pools[key]
                await pool.aclose()

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()
