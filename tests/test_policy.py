"""Poll-interval policy: examples for each rule and hypothesis properties."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from monitor.config import PollSettings
from monitor.policy import JITTER, RETRY_CAP, PollDecision, PollState, next_poll, server_hint
from monitor.types import FetchResult

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SETTINGS = PollSettings()
FRESH = PollState(failures=0, interval=None, entries_per_day=None)
URL = "http://example.org/feed"


def ok(**kw: object) -> FetchResult:
    return FetchResult(url=URL, status=200, body=b"<rss/>", **kw)  # type: ignore[arg-type]


def err(status: int | None = 503, **kw: object) -> FetchResult:
    reason = f"HTTP {status}" if status else "timed out after 30 s"
    return FetchResult(url=URL, status=status, error=reason, **kw)  # type: ignore[arg-type]


def decide(
    result: FetchResult, state: PollState = FRESH, seed: int = 0, **kw: object
) -> PollDecision:
    return next_poll(result, state, SETTINGS, NOW, random.Random(seed), **kw)  # type: ignore[arg-type]


def wait(decision: PollDecision) -> timedelta:
    return decision.next_poll_at - NOW


def within(value: timedelta, base: timedelta) -> bool:
    return base <= value <= base * (1 + JITTER)


# ------------------------------------------------------------ examples


def test_default_interval_with_jitter_and_reset() -> None:
    d = decide(ok(), PollState(failures=4, interval=None, entries_per_day=None), new_entries=1)
    assert within(wait(d), timedelta(hours=1)) and d.failures == 0 and not d.muted
    assert "ok" in d.reason


def test_jitter_spreads_feeds() -> None:
    waits = {wait(decide(ok(), seed=s, new_entries=1)) for s in range(20)}
    assert len(waits) == 20 and all(within(w, timedelta(hours=1)) for w in waits)


def test_not_modified_is_success() -> None:
    d = decide(FetchResult(url=URL, status=304), PollState(3, timedelta(hours=2), 12.0))
    assert d.failures == 0 and within(wait(d), timedelta(hours=2))


def test_posting_rate_sets_the_interval() -> None:
    assert within(wait(decide(ok(), PollState(0, None, 24.0))), timedelta(hours=1))
    assert within(wait(decide(ok(), PollState(0, None, 4.0))), timedelta(hours=6))
    assert within(wait(decide(ok(), PollState(0, None, 1000.0))), SETTINGS.min_interval)
    assert within(wait(decide(ok(), PollState(0, None, 0.1))), SETTINGS.max_interval)
    assert within(wait(decide(ok(), PollState(0, None, 0.0))), SETTINGS.max_interval)
    assert decide(ok(), PollState(0, None, 4.0)).interval == timedelta(hours=6)


def test_unknown_rate_adapts_to_new_entries() -> None:
    state = PollState(0, timedelta(hours=2), None)
    assert decide(ok(), state, new_entries=0).interval == timedelta(hours=2.5)
    assert decide(ok(), state, new_entries=1).interval == timedelta(hours=2)
    assert decide(ok(), state, new_entries=10).interval == timedelta(hours=1)


def test_server_hints_are_a_floor() -> None:
    fast = PollState(0, None, 100.0)  # rate alone: 14.4 min
    assert within(wait(decide(ok(), fast, ttl_minutes=180)), timedelta(hours=3))
    cached = ok(headers={"cache-control": "public, max-age=7200"})
    assert within(wait(decide(cached, fast)), timedelta(hours=2))
    expires = ok(
        headers={
            "date": "Sun, 01 Mar 2026 12:00:00 GMT",
            "expires": "Sun, 01 Mar 2026 16:00:00 GMT",
        }
    )
    assert within(wait(decide(expires, fast)), timedelta(hours=4))
    assert within(wait(decide(ok(), fast, ttl_minutes=60 * 24 * 30)), SETTINGS.max_interval)
    assert "server hint" in decide(cached, fast).reason


def test_server_hint_parsing() -> None:
    assert server_hint({"Cache-Control": "max-age=600"}, NOW) == timedelta(minutes=10)
    assert server_hint({"cache-control": "no-cache, max-age=0"}, NOW) is None
    assert server_hint({"expires": "Sun, 01 Mar 2026 13:00:00 GMT"}, NOW) == timedelta(hours=1)
    assert server_hint({"expires": "0"}, NOW) is None
    assert server_hint({"expires": "Sun, 01 Mar 2026 11:00:00 GMT"}, NOW) is None
    assert server_hint({}, NOW) is None


def test_errors_back_off_linearly_to_a_day() -> None:
    state = PollState(0, timedelta(hours=1), None)
    for n in range(1, 30):
        d = decide(err(), state)
        assert d.failures == n and not d.muted
        assert within(wait(d), min(timedelta(hours=n), SETTINGS.max_interval))
        state = PollState(d.failures, state.interval, None)
    assert "failure" in d.reason and "HTTP 503" in d.reason


def test_network_error_and_unparseable_body_count_as_failures() -> None:
    assert decide(err(None)).failures == 1
    broken = FetchResult(url=URL, status=200, body=b"junk", error="not a feed")
    assert decide(broken, PollState(2, None, None)).failures == 3


def test_retry_after_is_respected_and_capped() -> None:
    later = NOW + timedelta(hours=5)
    assert decide(err(429, retry_after=later)).next_poll_at == later
    assert decide(ok(retry_after=later)).next_poll_at == later
    far = NOW + timedelta(days=9)
    assert decide(err(503, retry_after=far)).next_poll_at == NOW + RETRY_CAP


def test_410_mutes_but_keeps_a_date() -> None:
    d = decide(err(410))
    assert d.muted and d.next_poll_at > NOW and "410" in d.reason


# ------------------------------------------------------------ properties

durations = st.integers(min_value=1, max_value=3 * 86400).map(lambda s: timedelta(seconds=s))


@st.composite
def poll_settings(draw: st.DrawFn) -> PollSettings:
    bounds = sorted(draw(st.lists(durations, min_size=3, max_size=3)))
    return PollSettings(min_interval=bounds[0], interval=bounds[1], max_interval=bounds[2])


results = st.one_of(
    st.builds(
        FetchResult,
        url=st.just(URL),
        status=st.sampled_from([200, 304, 404, 410, 429, 500, 503, None]),
        error=st.sampled_from([None, "HTTP 500", "timed out", "not a feed"]),
        headers=st.sampled_from(
            [{}, {"cache-control": "max-age=86400"}, {"expires": "Sun, 01 Mar 2026 18:00:00 GMT"}]
        ),
        retry_after=st.one_of(
            st.none(), st.integers(-3600, 5 * 86400).map(lambda s: NOW + timedelta(seconds=s))
        ),
    )
)
states = st.builds(
    PollState,
    failures=st.integers(0, 200),
    interval=st.one_of(st.none(), durations),
    entries_per_day=st.one_of(st.none(), st.floats(0, 5000, allow_nan=False)),
)
ttls = st.one_of(st.none(), st.integers(-5, 100_000))


@given(results, states, poll_settings(), st.integers(0, 2**32), ttls, st.integers(0, 500))
def test_next_poll_is_bounded(
    result: FetchResult, state: PollState, cfg: PollSettings, seed: int, ttl: int | None, new: int
) -> None:
    d = next_poll(result, state, cfg, NOW, random.Random(seed), ttl, new)
    assert d.next_poll_at > NOW
    assert d.next_poll_at <= NOW + max(cfg.max_interval, RETRY_CAP) * (1 + JITTER)
    if result.retry_after is not None:
        assert d.next_poll_at >= min(result.retry_after, NOW + RETRY_CAP)
    success = result.error is None and result.status in (200, 304)
    assert d.failures == (0 if success else state.failures + 1)
    assert d.muted == (result.status == 410)


@given(results, states, poll_settings(), st.integers(0, 2**32), st.integers(0, 50))
def test_more_failures_never_poll_sooner(
    result: FetchResult, state: PollState, cfg: PollSettings, seed: int, extra: int
) -> None:
    worse = PollState(state.failures + extra, state.interval, state.entries_per_day)
    a = next_poll(result, state, cfg, NOW, random.Random(seed))
    b = next_poll(result, worse, cfg, NOW, random.Random(seed))
    assert b.next_poll_at >= a.next_poll_at
