"""Grow a story's stored claim tracks by later reports, without their earlier claims.

``grow(tips, reports)`` takes the stored tracks of one story and family, each as
its steps and ``Tally`` (a ``Tip``), and that family's new reports, and returns
what ``track.tally`` over all of the family's reports would give, as the steps
each track gains (``Growth``). A report published between a track's steps, or
before them, is merged in and the labels after it are recomputed from the stored
steps (a label depends only on the step before); a track whose first report
changes takes its unit, noun and predicate from the new one (``Growth.track``
then holds the whole track). It returns None when that needs the earlier claims:
a report inside, or before, a track that claims without a predicate joined (its
predicate may change), or such claims that would move to another track (they
join the family's largest, which the new reports may change). The store then
rebuilds the family from its claims, so the result never depends on which way it
was computed (``tests/test_claims_grow.py`` checks the two agree).
``Tracking`` bundles the windows and a language for the store. Pure: touches
nothing.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.claims.lang import get_lang
from monitor.claims.track import (
    NONE,
    Key,
    Windows,
    build,
    claim_family,
    label_of,
    largest,
    order,
    predicate_class,
    report_family,
    steps_of,
    tally,
    track,
)
from monitor.types import Claim, ClaimReport, Growth, StepLabel, Tally, Tip, Track, TrackStep


def grow(
    tips: Sequence[Tip],
    reports: Sequence[ClaimReport],
    conflict_window: timedelta = timedelta(hours=6),
    language: str = "en",
    rise_window: timedelta = timedelta(hours=1),
) -> list[Growth] | None:
    """The growth of one story-family's tracks (``tips``: all of them) by ``reports``
    (later reports of that story and family), or None (see the module docstring)."""
    fresh = [r for r in reports if r.copy_of is None]
    if not fresh:
        return []
    story, family = _family_of(fresh, language)
    joins: dict[str, list[ClaimReport]] = defaultdict(list)
    loose: list[ClaimReport] = []
    rising: dict[str, bool] = {}
    for r in fresh:
        lang = get_lang(r.language or language)
        pred = predicate_class(r.claim, lang)
        if pred == NONE:
            loose.append(r)
            continue
        if pred not in joins:
            rising[pred] = pred in lang.cumulative_predicates
        joins[pred].append(r)
    stored = {t.key.rpartition("|")[2]: t for t in tips}
    before = {
        (story, family, p): (t.tally.members, t.tally.since)
        for p, t in stored.items()
        if p != NONE and t.tally.since is not None
    }
    after = dict(before)
    for p, rs in joins.items():
        first = min(r.published for r in rs)
        count, since = after.get((story, family, p), (0, first))
        after[(story, family, p)] = (count + len(rs), min(since, first))
    target = largest(after, after)
    if sum(t.tally.loose for t in tips) and largest(before, before) != target:
        return None  # the earlier claims without a predicate change track
    members = {p: len(rs) for p, rs in joins.items()}
    if loose:
        joins[target[2] if target else NONE].extend(loose)
    windows = (conflict_window, rise_window)
    growth = []
    for p, rs in joins.items():
        g = _grown(stored.get(p), (story, family, p), rs, members.get(p, 0), rising.get(p), windows)
        if g is None:
            return None
        growth.append(g)
    return growth


def _grown(
    tip: Tip | None,
    key: Key,
    reports: list[ClaimReport],
    members: int,
    rising: bool | None,
    windows: tuple[timedelta, timedelta],
) -> Growth | None:
    loose = len(reports) - members
    if tip is None:
        up = bool(rising)
        since = min((r.published for r in reports[:members]), default=None)
        t = build(key, reports, Windows(*windows, up))
        return Growth(t.key, t.steps, Tally(members, loose, since, up), t)
    t_ = tip.tally
    ordered = sorted(reports, key=order)
    stored = tip.steps
    kept = bisect.bisect_right(stored, _at(ordered[0]), key=_at)
    if t_.loose and kept < len(stored):
        # inside a track that claims without a predicate joined: its predicate may change
        return None
    window = Windows(*windows, t_.rising).of()
    if kept:
        steps = _merged(stored[kept - 1], stored[kept:], ordered, window)
        tally = Tally(t_.members + members, t_.loose + loose, t_.since, t_.rising)
        return Growth(tip.key, tuple(steps), tally, kept=kept)
    if loose or t_.since is None:
        return None  # the track's first claim would be one without a predicate
    # before the first step: the new first report names the track's unit, noun and
    # predicate, and when it came strictly first (claim ids order equal times: the
    # stored one is older), the language whose cumulative predicates decide ``rising``
    first = min(r.published for r in reports)
    up = bool(rising) if first < t_.since else t_.rising
    window = Windows(*windows, up).of()
    steps = _merged(None, stored, ordered, window)
    tally = Tally(t_.members + members, 0, min(first, t_.since), up)
    head = ordered[0].claim
    track = Track(tip.story_id, tip.key, head.unit, head.noun, head.predicate, tuple(steps))
    return Growth(tip.key, track.steps, tally, track)


def _at(x: TrackStep | ClaimReport) -> tuple[datetime, str]:
    """Where a step or report falls in a track (entries differ: the claim's place in
    the text only orders one entry's reports)."""
    return x.published, x.entry_id


def _merged(
    prev: TrackStep | None,
    later: Sequence[TrackStep],
    ordered: Sequence[ClaimReport],
    window: tuple[timedelta, timedelta],
) -> list[TrackStep]:
    """The stored steps ``later`` (after ``prev``) and the steps of the new reports
    ``ordered``, in track order, each labelled against the one before."""
    out: list[TrackStep] = []
    i = 0
    for new in steps_of(ordered, window, prev):  # labels fixed below
        while i < len(later) and _at(later[i]) < _at(new):
            out.append(later[i])
            i += 1
        out.append(new)
    out.extend(later[i:])
    relabelled: list[TrackStep] = []
    for s in out:
        label: StepLabel = (
            "first"
            if prev is None
            else label_of(prev, s.value, s.low, s.high, s.outlet, s.published, window)
        )
        prev = s if s.label == label else dataclasses.replace(s, label=label)
        relabelled.append(prev)
    return relabelled


def _family_of(reports: Sequence[ClaimReport], language: str) -> tuple[str, str]:
    """The one (story, family) of these reports."""
    pairs = {(r.story_id, report_family(r, get_lang(r.language or language))) for r in reports}
    if len(pairs) != 1:
        raise ValueError(f"reports of several story families: {sorted(pairs)}")
    return pairs.pop()


@dataclass(frozen=True, slots=True)
class Tracking:
    """Tracking as the store uses it: a claim's family when it is stored, the tracks
    of a set of reports with their tallies, and tracks grown by later reports
    (``language`` for entries that name none)."""

    conflict_window: timedelta = timedelta(hours=6)
    rise_window: timedelta = timedelta(hours=1)
    language: str = "en"

    def family(self, claim: Claim, language: str | None) -> str:
        return claim_family(claim, get_lang(language or self.language))

    def __call__(self, reports: Sequence[ClaimReport]) -> list[Track]:
        return track(reports, self.conflict_window, self.language, self.rise_window)

    def tally(self, reports: Sequence[ClaimReport]) -> list[tuple[Track, Tally]]:
        return tally(reports, self.conflict_window, self.language, self.rise_window)

    def grow(self, tips: Sequence[Tip], reports: Sequence[ClaimReport]) -> list[Growth] | None:
        return grow(tips, reports, self.conflict_window, self.language, self.rise_window)
