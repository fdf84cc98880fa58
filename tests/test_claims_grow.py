"""Tests for monitor.claims.grow: growing stored tracks gives what rebuilding gives.

A simulated store keeps each (story, family)'s tracks with their tallies and, per
batch of new reports, grows them (``grow``) or, when ``grow`` says it cannot,
rebuilds them from every report so far (``tally``). After every batch the kept
tracks must equal ``tally`` over all reports so far: a wrong label, a step in the
wrong track or a stale tally fails.
"""

from __future__ import annotations

import dataclasses
import importlib
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from monitor.claims.grow import grow
from monitor.claims.lang import LangData, get_lang
from monitor.claims.track import claim_family, tally
from monitor.types import Claim, ClaimReport, Tally, Tip, Track

# the modules, not the functions of the same name that ``monitor.claims`` exports
track_module = importlib.import_module("monitor.claims.track")
grow_module = importlib.import_module("monitor.claims.grow")
T0 = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
Pair = tuple[str, str]


def _claim(rng: random.Random, start: int) -> Claim:
    value = float(rng.choice([1, 2, 3, 10, 12, 40, 100]))
    low, high = (value, value) if rng.random() < 0.7 else (value, None)
    return Claim(
        value=value,
        low=low,
        high=high,
        qualifier="exact" if high is not None else "at_least",
        unit=rng.choice([None, None, "percent"]),
        noun=rng.choice([None, "soldier", "person", "troop"]),
        predicate=rng.choice([None, None, "kill", "die", "surrender", "injure", "arrest"]),
        text=f"{value:g}",
        start=start,
        end=start + 2,
        sentence=f"{value:g} of them",
    )


def _stream(rng: random.Random) -> list[list[ClaimReport]]:
    """Batches of reports in published order (later batches mostly later in time)."""
    batches: list[list[ClaimReport]] = []
    minute, n = 0, 0
    for _ in range(rng.randrange(2, 9)):
        batch = []
        for _ in range(rng.randrange(1, 7)):
            n += 1
            # now and then an entry published before the last batch: grow must refuse
            minute += rng.choice([0, 1, 5, 30, 200]) if rng.random() > 0.08 else -40
            story = rng.choice(["s1", "s2"])
            copy = f"e{rng.randrange(1, n)}" if n > 1 and rng.random() < 0.1 else None
            for k in range(rng.randrange(1, 4)):
                batch.append(
                    ClaimReport(
                        _claim(rng, 10 * k),
                        f"e{n}",
                        rng.choice("ABC"),
                        T0 + timedelta(minutes=minute),
                        story,
                        copy,
                        rng.choice(["en", "xx", None]),
                    )
                )
        batch.sort(key=lambda r: r.published)
        batches.append(batch)
    return batches


def _pair(r: ClaimReport) -> Pair:
    return r.story_id, claim_family(r.claim, get_lang(r.language or "en"))


def _tip(t: Track, t_: Tally) -> Tip:
    return Tip(t.story_id, t.key, t.steps, t_)


def _apply(kept: dict[str, tuple[Track, Tally]], growth: list) -> None:
    for g in growth:
        if g.track is not None:  # a new track, or one with a new first step
            kept[g.key] = (g.track, g.tally)
        else:
            t, _ = kept[g.key]
            assert 0 < g.kept <= len(t.steps)
            kept[g.key] = (
                Track(t.story_id, t.key, t.unit, t.noun, t.predicate, t.steps[: g.kept] + g.steps),
                g.tally,
            )


@pytest.fixture
def two_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    """ "xx": English without cumulative predicates, so a track's ``rising`` depends on
    the language of its first report (made up: only English ships today)."""
    english = get_lang("en")
    other = dataclasses.replace(english, cumulative_predicates=frozenset())

    def lookup(language: str) -> LangData:
        return other if language == "xx" else english

    monkeypatch.setattr(track_module, "get_lang", lookup)
    monkeypatch.setattr(grow_module, "get_lang", lookup)


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.usefixtures("two_languages")
def test_growing_equals_rebuilding(seed: int) -> None:
    rng = random.Random(seed)
    stored: dict[Pair, dict[str, tuple[Track, Tally]]] = defaultdict(dict)
    seen: list[ClaimReport] = []
    grown = rebuilt = 0
    for _ in range(25):  # 25 streams a seed: 1,000 in all
        stored.clear()
        seen.clear()
        for batch in _stream(rng):
            # the store reads a family's claims in published order (then claim id)
            seen = sorted(seen + batch, key=lambda r: r.published)
            by_pair: dict[Pair, list[ClaimReport]] = defaultdict(list)
            for r in batch:
                by_pair[_pair(r)].append(r)
            for pair, news in by_pair.items():
                tips = [_tip(t, t_) for t, t_ in stored[pair].values()]
                growth = grow(tips, news)
                if growth is None:
                    rebuilt += 1
                    every = [r for r in seen if _pair(r) == pair]
                    stored[pair] = {t.key: (t, t_) for t, t_ in tally(every)}
                else:
                    grown += 1
                    _apply(stored[pair], growth)
            want = sorted(tally(seen), key=lambda p: (p[0].story_id, p[0].key))
            have = sorted(
                (p for tracks in stored.values() for p in tracks.values()),
                key=lambda p: (p[0].story_id, p[0].key),
            )
            assert have == want
    assert grown > 3 * rebuilt  # the test grows far more often than it falls back


def test_reports_before_and_between_the_steps_are_merged() -> None:
    claim = Claim(3.0, 3.0, 3.0, "exact", None, "person", "kill", "3", 0, 1, "3 people")
    first = [
        ClaimReport(claim, "e1", "A", T0 + timedelta(hours=2), "s1"),
        ClaimReport(
            dataclasses.replace(claim, value=900.0, low=900.0, high=900.0),
            "e2",
            "A",
            T0 + timedelta(hours=9),
            "s1",
        ),
    ]
    ((t, t_),) = tally(first)
    assert [s.label for s in t.steps] == ["first", "revised_up"]
    early = ClaimReport(claim, "e3", "B", T0 + timedelta(hours=1), "s1")
    (g,) = grow([_tip(t, t_)], [early]) or []  # a new first step: the whole track anew
    assert g.track is not None and [s.entry_id for s in g.track.steps] == ["e3", "e1", "e2"]
    assert [s.label for s in g.track.steps] == ["first", "consistent", "revised_up"]
    assert g.tally.since == early.published
    between = dataclasses.replace(early, entry_id="e4", published=T0 + timedelta(hours=12))
    between = dataclasses.replace(between, published=T0 + timedelta(hours=5))
    between = dataclasses.replace(
        between, claim=dataclasses.replace(claim, value=900.0, low=900.0, high=900.0)
    )
    (g,) = grow([_tip(t, t_)], [between]) or []
    assert g.kept == 1 and [s.entry_id for s in g.steps] == ["e4", "e2"]
    assert [s.label for s in g.steps] == ["revised_up", "consistent"]  # e2 relabelled


def _report(pred: str | None, entry: str, hours: float) -> ClaimReport:
    claim = Claim(3.0, 3.0, 3.0, "exact", None, "person", pred, "3", 0, 1, "3 people")
    return ClaimReport(claim, entry, "A", T0 + timedelta(hours=hours), "s1")


def test_claims_without_predicate_that_would_move_are_refused() -> None:
    before = [_report("kill", "e1", 0), _report("injure", "e2", 1), _report("injure", "e3", 2)]
    before.append(_report(None, "e4", 3))  # joins "injure", the larger
    tips = [_tip(t, t_) for t, t_ in tally(before)]
    assert {t.key: t.tally.loose for t in tips} == {"-|person|kill": 0, "-|person|injure": 1}
    kills = [_report("kill", "e5", 4), _report("kill", "e6", 5)]  # now "kill" is larger
    assert grow(tips, kills) is None
    assert grow(tips, [_report("injure", "e8", 0.5)]) is None  # before e4's track's steps
    injuries = [_report("injure", "e7", 4)]
    growth = grow(tips, injuries)
    assert growth is not None and [g.key for g in growth] == ["-|person|injure"]
    assert growth[0].tally.members == 3
