"""Grow a story's stored claim tracks by later reports, without their earlier claims.

``grow(tips, reports)`` takes the stored tracks of one story and family, each as
its last step and ``Tally`` (a ``Tip``), and that family's new reports, and
returns what ``track.tally`` over all of the family's reports would give, as the
steps each track gains (``Growth``). It returns None when that needs the earlier
claims: a new report published no later than a stored step (it would fall
between steps), or claims without a predicate that would move to another track
(they join the family's largest, which the new reports may change). The store
then rebuilds the family from its claims, so the result never depends on which
way it was computed (``tests/test_claims_grow.py`` checks the two agree).
``Tracking`` bundles the windows and a language for the store. Pure: touches
nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from monitor.claims.lang import get_lang
from monitor.claims.track import (
    NONE,
    Key,
    Windows,
    build,
    claim_family,
    largest,
    order,
    predicate_class,
    steps_of,
    tally,
    track,
)
from monitor.types import Claim, ClaimReport, Growth, Tally, Tip, Track


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
    if tips and min(r.published for r in fresh) <= max(t.last.published for t in tips):
        return None
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
        count, since = after.get((story, family, p), (0, min(r.published for r in rs)))
        after[(story, family, p)] = (count + len(rs), since)
    target = largest(after, after)
    if sum(t.tally.loose for t in tips) and largest(before, before) != target:
        return None  # the earlier claims without a predicate change track
    members = {p: len(rs) for p, rs in joins.items()}
    if loose:
        joins[target[2] if target else NONE].extend(loose)
    windows = (conflict_window, rise_window)
    return [
        _grown(stored.get(p), (story, family, p), rs, members.get(p, 0), rising.get(p), windows)
        for p, rs in joins.items()
    ]


def _grown(
    tip: Tip | None,
    key: Key,
    reports: list[ClaimReport],
    members: int,
    rising: bool | None,
    windows: tuple[timedelta, timedelta],
) -> Growth:
    loose = len(reports) - members
    if tip is None:
        up = bool(rising)
        since = min((r.published for r in reports[:members]), default=None)
        t = build(key, reports, Windows(*windows, up))
        return Growth(t.key, t.steps, Tally(members, loose, since, up), t)
    t_ = tip.tally
    ordered = sorted(reports, key=order)
    steps = steps_of(ordered, Windows(*windows, t_.rising).of(), tip.last)
    tally = Tally(t_.members + members, t_.loose + loose, t_.since, t_.rising)
    return Growth(tip.key, tuple(steps), tally)


def _family_of(reports: Sequence[ClaimReport], language: str) -> tuple[str, str]:
    """The one (story, family) of these reports."""
    pairs = {
        (
            r.story_id,
            r.family
            if r.family is not None
            else claim_family(r.claim, get_lang(r.language or language)),
        )
        for r in reports
    }
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
