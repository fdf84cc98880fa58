"""Fetcher against real local servers (the bench feed farm); no mocks of httpx."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import random
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from monitor.config import FetchSettings
from monitor.fetch import Fetcher
from monitor.types import FeedRequest, FetchResult
from tests.timing import within

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from farm import LAST_MODIFIED, Farm, Feed, etag_of, rss  # noqa: E402

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LOCAL = {"allow_private_addresses": True, "timeout_s": 2.0, "connect_timeout_s": 1.0}


@pytest.fixture(scope="module")
def farm() -> Iterator[Farm]:
    with Farm(hosts=4) as f:
        yield f


def settings(**overrides: Any) -> FetchSettings:
    return FetchSettings(**{**LOCAL, **overrides})


def fetch_all(
    reqs: Sequence[FeedRequest | str], rng: random.Random | None = None, **overrides: Any
) -> list[FetchResult]:
    async def run() -> list[FetchResult]:
        async with Fetcher(settings(**overrides), rng=rng) as fetcher:
            return list(
                await asyncio.gather(
                    *(
                        fetcher.fetch(r if isinstance(r, FeedRequest) else FeedRequest(r), NOW)
                        for r in reqs
                    )
                )
            )

    return asyncio.run(run())


def fetch1(req: FeedRequest | str, **overrides: Any) -> FetchResult:
    return fetch_all([req], **overrides)[0]


# ------------------------------------------------------------ identity, conditional GET


def test_identity_headers_sent(farm: Farm) -> None:
    url = farm.add("/ua", Feed())
    result = fetch1(url, user_agent="monitor-test/9 (+http://contact.example)")
    assert result.ok and result.status == 200
    sent = farm.requests("/ua")[-1].headers
    assert sent["user-agent"] == "monitor-test/9 (+http://contact.example)"
    assert "application/rss+xml" in sent["accept"]
    assert "gzip" in sent["accept-encoding"] and "br" not in sent["accept-encoding"]
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_200_returns_body_validators_and_hash(farm: Farm) -> None:
    feed = Feed(items=3)
    url = farm.add("/plain", feed)
    result = fetch1(url)
    assert result.body == rss("/plain", feed)
    assert result.etag == etag_of("/plain", feed) and result.last_modified == LAST_MODIFIED
    assert result.body_hash == hashlib.sha256(result.body).hexdigest()
    assert result.headers["content-type"].startswith("application/rss+xml")
    assert result.error is None and result.permanent_url is None and result.elapsed_s > 0


def test_conditional_get_sends_validators_as_stored_and_handles_304(farm: Farm) -> None:
    feed = Feed()
    url = farm.add("/cond", feed)
    req = FeedRequest(url, etag=etag_of("/cond", feed), last_modified=LAST_MODIFIED, body_hash="h")
    result = fetch1(req)
    sent = farm.requests("/cond")[-1].headers
    assert sent["if-none-match"] == req.etag and sent["if-modified-since"] == LAST_MODIFIED
    assert result.status == 304 and result.not_modified and result.body is None
    assert result.error is None
    assert (result.etag, result.last_modified, result.body_hash) == (req.etag, LAST_MODIFIED, "h")


def test_304_without_validators_keeps_the_requests(farm: Farm) -> None:
    url = farm.add("/bare304", Feed(kind="status", status=304))
    result = fetch1(FeedRequest(url, etag='"old"', last_modified="Tue, 01 Jan 2019 00:00:00 GMT"))
    assert result.status == 304
    assert result.etag == '"old"' and result.last_modified == "Tue, 01 Jan 2019 00:00:00 GMT"


def test_changed_feed_re_stores_new_validators(farm: Farm) -> None:
    feed = Feed(version=2)
    url = farm.add("/changed", feed)
    old = FeedRequest(url, etag='"changed-v1"', body_hash="stale")
    result = fetch1(old)
    assert result.status == 200 and result.etag == '"changed-v2"'
    assert result.body_hash != "stale" and result.body


def test_same_body_gives_same_hash(farm: Farm) -> None:
    url = farm.add("/nohdr", Feed(with_validators=False))
    first, second = fetch_all([url, url])
    assert first.etag is None and first.last_modified is None
    assert first.body_hash == second.body_hash is not None


def test_gzip_body_is_decoded(farm: Farm) -> None:
    feed = Feed(items=40, gzip=True)
    url = farm.add("/gz", feed)
    result = fetch1(url)
    assert result.body == rss("/gz", feed)
    assert result.headers["content-encoding"] == "gzip"


def test_corrupt_gzip_is_an_error(farm: Farm) -> None:
    headers = {"Content-Encoding": "gzip"}
    url = farm.add("/badgz", Feed(kind="status", status=200, headers=headers))
    result = fetch1(url)
    assert result.status == 200 and result.body is None
    assert result.error is not None and "decode" in result.error


# ------------------------------------------------------------ status codes, Retry-After


@pytest.mark.parametrize("code", [500, 404, 403])
def test_error_status(farm: Farm, code: int) -> None:
    url = farm.add(f"/s{code}", Feed(kind="status", status=code))
    result = fetch1(url)
    assert result.status == code and result.error == f"HTTP {code}"
    assert result.body is None and result.retry_after is None and not result.ok


def test_410_gone(farm: Farm) -> None:
    result = fetch1(farm.add("/gone", Feed(kind="status", status=410)))
    assert result.status == 410 and result.error == "HTTP 410"


def test_retry_after_seconds(farm: Farm) -> None:
    url = farm.add("/ra-sec", Feed(kind="status", status=503, headers={"Retry-After": "120"}))
    result = fetch1(url)
    assert result.status == 503 and result.error == "HTTP 503"
    assert result.retry_after is not None
    assert NOW + timedelta(seconds=120) <= result.retry_after <= NOW + timedelta(seconds=132)


def test_retry_after_seconds_count_from_the_answer_not_the_cycle_start(farm: Farm) -> None:
    # the answer comes 1.5 s after the cycle's `now`: a 10 s wait ends 11.5-12.5 s after it
    slow = Feed(kind="status", status=429, headers={"Retry-After": "10"}, delay_s=1.5)
    result = fetch1(farm.add("/ra-slow", slow))
    assert result.status == 429 and result.retry_after is not None
    assert NOW + timedelta(seconds=11.5) <= result.retry_after <= NOW + timedelta(seconds=13)


def test_retry_after_http_date_is_read_against_the_date_header(farm: Farm) -> None:
    headers = {
        "Date": "Wed, 01 Jan 2025 00:00:00 GMT",
        "Retry-After": "Wed, 01 Jan 2025 00:10:00 GMT",
    }
    url = farm.add("/ra-date", Feed(kind="status", status=429, headers=headers))
    result = fetch1(url)
    assert result.retry_after is not None
    assert NOW + timedelta(minutes=10) <= result.retry_after <= NOW + timedelta(minutes=11)


def test_retry_after_missing_is_one_to_two_hours_and_seeded(farm: Farm) -> None:
    url = farm.add("/ra-none", Feed(kind="status", status=429))
    one = fetch_all([url], rng=random.Random(7))[0].retry_after
    two = fetch_all([url], rng=random.Random(7))[0].retry_after
    other = fetch_all([url], rng=random.Random(8))[0].retry_after
    assert one is not None and NOW + timedelta(hours=1) <= one <= NOW + timedelta(hours=2)
    # the same seed gives the same wait (counted from each answer's own arrival)
    same, different = abs(one - two), abs(one - other)
    assert same < timedelta(seconds=1) < different


def test_retry_after_is_capped_at_a_day(farm: Farm) -> None:
    url = farm.add("/ra-huge", Feed(kind="status", status=503, headers={"Retry-After": "9999999"}))
    result = fetch1(url)
    assert result.retry_after is not None
    assert NOW + timedelta(days=1) <= result.retry_after <= NOW + timedelta(days=1, minutes=10)


# ------------------------------------------------------------ redirects


def chain(farm: Farm, name: str, codes: Sequence[int]) -> tuple[str, str]:
    """Redirect hops ``codes`` ending at an RSS feed; returns (first URL, final URL)."""
    final = farm.add(f"/{name}-end", Feed(), host=1)
    target = final
    for i, code in reversed(list(enumerate(codes))):
        target = farm.add(f"/{name}-{i}", Feed(kind="redirect", status=code, location=target))
    return target, final


@pytest.mark.parametrize(
    ("codes", "permanent"),
    [
        ([301], True),
        ([308], True),
        ([301, 308], True),
        ([302], False),
        ([307], False),
        ([301, 302], False),
        ([307, 301], False),
    ],
)
def test_permanent_url_only_when_every_hop_is_permanent(
    farm: Farm, codes: list[int], permanent: bool
) -> None:
    name = "r" + "-".join(map(str, codes)) + ("p" if permanent else "t")
    start, final = chain(farm, name, codes)
    result = fetch1(start)
    assert result.status == 200 and result.body and result.url == start
    assert result.permanent_url == (final if permanent else None)
    sent = farm.requests(f"/{name}-end")[-1].headers
    assert sent["user-agent"] == FetchSettings().user_agent


def test_relative_location(farm: Farm) -> None:
    farm.add("/rel-target", Feed())
    url = farm.add("/rel", Feed(kind="redirect", status=301, location="rel-target"))
    result = fetch1(url)
    assert result.status == 200 and result.permanent_url == farm.url(0, "/rel-target")


def test_redirect_loop(farm: Farm) -> None:
    a, b = farm.url(0, "/loop-a"), farm.url(0, "/loop-b")
    farm.add("/loop-a", Feed(kind="redirect", status=302, location=b))
    farm.add("/loop-b", Feed(kind="redirect", status=302, location=a))
    result = fetch1(a)
    assert result.error is not None and "loop" in result.error and result.body is None


def test_too_many_redirects(farm: Farm) -> None:
    start, _ = chain(farm, "many", [301] * 4)
    result = fetch1(start, max_redirects=3)
    assert result.error is not None and "too many redirects" in result.error
    assert fetch1(start, max_redirects=4).status == 200


def test_each_hop_is_checked(farm: Farm) -> None:
    url = farm.add("/to-file", Feed(kind="redirect", status=301, location="file:///etc/passwd"))
    result = fetch1(url)
    assert result.error is not None and "scheme" in result.error


# ------------------------------------------------------------ timeouts and body cap


def test_slow_drip_is_cut_at_the_overall_deadline(farm: Farm) -> None:
    url = farm.add("/drip", Feed(kind="drip", size=1000, interval_s=0.1))
    started = time.monotonic()
    result = fetch1(url, timeout_s=0.6)
    assert result.error is not None and "timed out" in result.error
    took = time.monotonic() - started
    assert 0.5 < took and within(took, 1.5) and result.body is None, took


def test_never_answering_server(farm: Farm) -> None:
    url = farm.add("/hang", Feed(kind="hang"))
    started = time.monotonic()
    result = fetch1(url, timeout_s=0.5)
    assert result.status is None and result.error is not None and "timed out" in result.error
    took = time.monotonic() - started
    assert within(took, 1.5), took


@pytest.mark.parametrize(
    ("path", "feed"),
    [
        ("/big", Feed(kind="big", size=5 * 1024 * 1024)),
        ("/endless", Feed(kind="endless")),
        ("/bomb", Feed(kind="bomb", size=64 * 1024 * 1024)),
    ],
)
def test_body_cap(farm: Farm, path: str, feed: Feed) -> None:
    url = farm.add(path, feed)
    started = time.monotonic()
    # a generous deadline: the cap, not the clock, must end these (the farm builds its
    # 64 MiB bomb first, which alone can take 2 s on a loaded machine)
    result = fetch1(url, max_body_mb=1, timeout_s=10)
    assert result.error == "body exceeds 1 MiB" and result.body is None
    took = time.monotonic() - started
    assert within(took, 3), took


def test_gzip_bomb_is_counted_decompressed(farm: Farm) -> None:
    compressed = gzip.compress(bytes(3 * 1024 * 1024))
    assert len(compressed) < 1024 * 1024  # small on the wire, 3 MiB inflated
    url = farm.add("/bomb3", Feed(kind="bomb", size=3 * 1024 * 1024))
    assert fetch1(url, max_body_mb=1).error == "body exceeds 1 MiB"
    assert fetch1(url, max_body_mb=4).body == bytes(3 * 1024 * 1024)


# ------------------------------------------------------------ network errors


def test_connection_refused_and_dns_failure_and_protocol_error(farm: Farm) -> None:
    garbage = farm.add("/garbage", Feed(kind="garbage"))
    refused, dns, proto = fetch_all(
        ["http://127.0.0.1:9/feed", "http://no-such-host.invalid/feed", garbage]
    )
    assert refused.status is None and refused.error == "connection refused"
    assert dns.error is not None and dns.error.startswith("DNS lookup failed")
    assert proto.error is not None and "protocol error" in proto.error


def test_outside_context_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError):
        asyncio.run(Fetcher(settings()).fetch(FeedRequest("http://example.org/"), NOW))


# ------------------------------------------------------------ SSRF


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://127.9.9.9:8080/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/feed",
        "http://192.168.1.1/feed",
        "http://[::1]/feed",
        "http://[::ffff:127.0.0.1]/feed",
        "http://0.0.0.0/feed",
        "http://224.0.0.1/feed",
        "ftp://example.org/feed",
        "file:///etc/passwd",
    ],
)
def test_private_targets_are_refused(url: str) -> None:
    result = fetch1(url, allow_private_addresses=False)
    assert result.status is None and result.error is not None
    assert result.error.startswith("refused")


def test_names_resolving_to_loopback_are_refused_unless_allowed(farm: Farm) -> None:
    farm.add("/local", Feed())
    url = f"http://localhost:{farm.port}/local"
    before = len(farm.requests("/local"))
    refused = fetch1(url, allow_private_addresses=False)
    assert refused.error is not None and "loopback" in refused.error
    assert len(farm.requests("/local")) == before  # never connected
    allowed = fetch1(url, allow_private_addresses=True)
    assert allowed.status == 200 and allowed.error is None


def test_injected_transport_is_still_guarded(farm: Farm) -> None:
    url = farm.add("/inj", Feed())

    async def run(allow: bool) -> FetchResult:
        transport = httpx.AsyncHTTPTransport()
        async with Fetcher(settings(allow_private_addresses=allow), transport) as fetcher:
            return await fetcher.fetch(FeedRequest(url.replace("127.0.0.1", "localhost")), NOW)

    assert (asyncio.run(run(False)).error or "").startswith("refused")
    assert asyncio.run(run(True)).status == 200


# ------------------------------------------------------------ concurrency


def test_per_host_and_global_limits(farm: Farm) -> None:
    slow = [farm.add(f"/slow{i}", Feed(delay_s=0.25), host=2) for i in range(6)]
    fast = [farm.add(f"/fast{i}", Feed(), host=3) for i in range(2)]
    farm.reset()

    async def run() -> tuple[list[FetchResult], list[FetchResult], float]:
        async with Fetcher(settings(per_host_concurrency=2, concurrency=10)) as fetcher:
            started = time.monotonic()
            slow_task = asyncio.gather(*(fetcher.fetch(FeedRequest(u), NOW) for u in slow))
            await asyncio.sleep(0.02)
            fast_results = await asyncio.gather(*(fetcher.fetch(FeedRequest(u), NOW) for u in fast))
            fast_done = time.monotonic() - started
            return list(await slow_task), list(fast_results), fast_done

    slow_results, fast_results, fast_done = asyncio.run(run())
    assert all(r.status == 200 for r in slow_results + fast_results)
    assert farm.max_in_flight[farm.hosts[2]] == 2  # reached, never exceeded
    assert fast_done < 0.2  # the slow host (3 rounds of 0.25 s) did not hold the fast one up
    assert max(r.elapsed_s for r in slow_results) >= 0.7


def test_global_limit(farm: Farm) -> None:
    urls = [farm.add(f"/glob{i}", Feed(delay_s=0.1), host=i % 4) for i in range(12)]
    farm.reset()
    results = fetch_all(urls, per_host_concurrency=3, concurrency=3)
    assert all(r.status == 200 for r in results)
    assert farm.max_total_in_flight == 3


def test_tls_failure_is_reported(farm: Farm) -> None:
    url = farm.add("/plain-http", Feed()).replace("http://", "https://")
    result = fetch1(url)
    assert result.status is None and result.error is not None
    assert result.error.startswith("TLS error")


# ------------------------------------------------------------ one connection pool per host


def test_each_host_gets_its_own_pool_and_idle_ones_are_dropped(farm: Farm) -> None:
    from monitor.fetch.guard import HostPools

    urls = [farm.add(f"/pools-{i}", Feed(), host=i) for i in range(len(farm.hosts))]

    async def run(keep: int, keepalive: int) -> tuple[list[int], list[int]]:
        limits = httpx.Limits(max_connections=4, max_keepalive_connections=keepalive)
        pools = HostPools(limits, guarded=False, keep=keep)
        sizes = []
        async with httpx.AsyncClient(transport=pools, trust_env=False) as client:
            statuses = []
            for url in [*urls, *urls]:
                statuses.append((await client.get(url)).status_code)
                sizes.append(len(pools._pools))
        return statuses, sizes

    statuses, sizes = asyncio.run(run(keep=100, keepalive=4))
    assert statuses == [200] * 8
    assert sizes == [1, 2, 3, 4, 4, 4, 4, 4]  # one pool a host, reused on the second round
    # connections not kept alive leave their pools idle: beyond ``keep`` those are dropped
    statuses, sizes = asyncio.run(run(keep=2, keepalive=0))
    assert statuses == [200] * 8
    assert max(sizes) <= 2 and sizes[:3] == [1, 2, 1]
