"""Group claims of one story that count the same thing into labelled tracks.

Claims join a track when they share the story, the unit, the noun class and
the predicate class (synonyms from the language data: soldier/serviceman/
troop, kill/die/dead). A claim with no predicate joins the largest track with
its unit and noun. A part of a larger figure ("102 prisoners, including 31
officers") gets its own track. Syndicated copies (``copy_of`` set) are
dropped, so they never make steps. One step per entry: its first mention.

Labels, against the previous step: ``first``; ``consistent`` when the
intervals overlap; ``conflicting`` when they do not and the two reports come
from different outlets within ``conflict_window``; else ``revised_up`` or
``revised_down``. Tolls only grow as reports come in (deaths, arrests: the
language's cumulative predicates), so a higher toll from another outlet is
``revised_up`` unless it comes within ``rise_window`` (1 h) of the lower one:
two sides' figures at the same moment still conflict, a death toll rising over
a morning does not. ``Track.key`` is "unit|noun|predicate" (classes, "-" for
none), prefixed by "part:" for parts.

A track's *family* is the "unit|noun" part of its key: the tracks of one story
and family depend only on that story's claims of that family (a claim with no
predicate joins the largest track of its own family), so the store can rebuild
just the families a new claim touches. Each report is read with its entry's
language (``ClaimReport.language``) and, when stored, its family; ``Tracking``
bundles the windows for the store. Pure: touches nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from monitor.claims.lang import LangData, get_lang
from monitor.types import Claim, ClaimReport, StepLabel, Track, TrackStep

_NONE = "-"


def claim_key(claim: Claim, lang: LangData) -> tuple[str, str, str]:
    """(unit, noun class, predicate class) with synonyms folded; '-' for missing parts."""
    noun = claim.noun or _NONE
    pred = claim.predicate or _NONE
    noun = lang.noun_synonyms.get(noun, noun)
    pred = lang.predicate_synonyms.get(pred, pred)
    unit = claim.unit or _NONE
    if is_part(claim, lang):
        unit = "part:" + unit
    return unit, noun, pred


def claim_family(claim: Claim, lang: LangData) -> str:
    """The "unit|noun" part of the claim's track key (what ``Track.key`` starts with)."""
    unit, noun, _ = claim_key(claim, lang)
    return f"{unit}|{noun}"


def _predicate_class(claim: Claim, lang: LangData) -> str:
    pred = claim.predicate or _NONE
    return lang.predicate_synonyms.get(pred, pred)


def is_part(claim: Claim, lang: LangData) -> bool:
    """True when the sentence introduces the figure as a subset ('including 31 officers')."""
    at = claim.sentence.find(claim.text)
    if at < 0:
        return False
    before = claim.sentence[:at].rstrip().rsplit(None, 2)
    words = {w.lower().strip(",;:(") for w in before[-2:]}
    return bool(words & lang.part_before)


def track(
    reports: Sequence[ClaimReport],
    conflict_window: timedelta = timedelta(hours=6),
    language: str = "en",
    rise_window: timedelta = timedelta(hours=1),
) -> list[Track]:
    """Return the tracks of ``reports``, ordered by story then first publication.

    ``language`` is for reports whose entry names none."""
    groups: dict[tuple[str, str, str], list[ClaimReport]] = defaultdict(list)
    loose: list[tuple[str, ClaimReport]] = []
    cumulative: dict[tuple[str, str, str], frozenset[str]] = {}
    for r in reports:
        if r.copy_of is not None:
            continue
        lang = get_lang(r.language or language)
        family = r.family if r.family is not None else claim_family(r.claim, lang)
        pred = _predicate_class(r.claim, lang)
        if pred == _NONE:
            loose.append((family, r))
            continue
        key = (r.story_id, family, pred)
        groups[key].append(r)
        cumulative.setdefault(key, lang.cumulative_predicates)
    for family, r in loose:
        key = _largest(groups, r.story_id, family) or (r.story_id, family, _NONE)
        groups[key].append(r)
    tracks = [
        _build(key, members, _Windows(conflict_window, rise_window, cumulative.get(key, _NO)))
        for key, members in groups.items()
    ]
    return sorted(tracks, key=lambda t: (t.story_id, t.steps[0].published, t.key))


_NO: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Tracking:
    """Tracking as the store uses it: a claim's family when it is stored, and the
    tracks of a set of reports (``language`` for entries that name none)."""

    conflict_window: timedelta = timedelta(hours=6)
    rise_window: timedelta = timedelta(hours=1)
    language: str = "en"

    def family(self, claim: Claim, language: str | None) -> str:
        return claim_family(claim, get_lang(language or self.language))

    def __call__(self, reports: Sequence[ClaimReport]) -> list[Track]:
        return track(reports, self.conflict_window, self.language, self.rise_window)


def _largest(
    groups: dict[tuple[str, str, str], list[ClaimReport]], story: str, family: str
) -> tuple[str, str, str] | None:
    best: tuple[str, str, str] | None = None
    for key, members in groups.items():
        if key[:2] == (story, family) and key[2] != _NONE:
            if best is None or len(members) > len(groups[best]):
                best = key
    return best


@dataclass(frozen=True, slots=True)
class _Windows:
    conflict: timedelta
    rise: timedelta
    cumulative: frozenset[str]

    def of(self, predicate: str) -> tuple[timedelta, timedelta]:
        """(window for a lower figure, window for a higher one) in a track of ``predicate``."""
        return self.conflict, self.rise if predicate in self.cumulative else self.conflict


def _build(key: tuple[str, str, str], members: list[ClaimReport], windows: _Windows) -> Track:
    story, family, pred = key
    ordered = sorted(members, key=lambda r: (r.published, r.entry_id, r.claim.start))
    seen: set[str] = set()
    steps: list[TrackStep] = []
    window = windows.of(pred)
    for r in ordered:
        if r.entry_id in seen:
            continue
        seen.add(r.entry_id)
        label = _label(steps[-1], r, window) if steps else "first"
        c = r.claim
        steps.append(
            TrackStep(
                r.entry_id,
                r.outlet,
                r.published,
                c.value,
                c.low,
                c.high,
                c.qualifier,
                c.text,
                label,
            )
        )
    first = ordered[0].claim
    return Track(
        story_id=story,
        key=f"{family}|{pred}",
        unit=first.unit,
        noun=first.noun,
        predicate=next((r.claim.predicate for r in ordered if r.claim.predicate), None),
        steps=tuple(steps),
    )


def _label(prev: TrackStep, r: ClaimReport, window: tuple[timedelta, timedelta]) -> StepLabel:
    """``window``: how close in time another outlet's lower / higher figure conflicts."""
    c = r.claim
    if _overlap(prev.low, prev.high, c.low, c.high):
        return "consistent"
    up = c.value > prev.value
    if r.outlet != prev.outlet and abs(r.published - prev.published) <= window[up]:
        return "conflicting"
    return "revised_up" if up else "revised_down"


def _overlap(
    a_lo: float | None, a_hi: float | None, b_lo: float | None, b_hi: float | None
) -> bool:
    lo_a = float("-inf") if a_lo is None else a_lo
    hi_a = float("inf") if a_hi is None else a_hi
    lo_b = float("-inf") if b_lo is None else b_lo
    hi_b = float("inf") if b_hi is None else b_hi
    return lo_a <= hi_b and lo_b <= hi_a
