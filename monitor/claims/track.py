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
none), prefixed by "part:" for parts. Pure: touches nothing.
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
    """Return the tracks of ``reports``, ordered by story then first publication."""
    lang = get_lang(language)
    originals = [r for r in reports if r.copy_of is None]
    groups: dict[tuple[str, str, str, str], list[ClaimReport]] = defaultdict(list)
    loose: list[tuple[tuple[str, str, str], ClaimReport]] = []
    for r in originals:
        unit, noun, pred = claim_key(r.claim, lang)
        if pred == _NONE:
            loose.append(((unit, noun, pred), r))
        else:
            groups[(r.story_id, unit, noun, pred)].append(r)
    for (unit, noun, pred), r in loose:
        target = _largest(groups, r.story_id, unit, noun)
        groups[target or (r.story_id, unit, noun, pred)].append(r)
    windows = _Windows(conflict_window, rise_window, lang.cumulative_predicates)
    tracks = [_build(key, members, windows) for key, members in groups.items()]
    return sorted(tracks, key=lambda t: (t.story_id, t.steps[0].published, t.key))


def _largest(
    groups: dict[tuple[str, str, str, str], list[ClaimReport]], story: str, unit: str, noun: str
) -> tuple[str, str, str, str] | None:
    best: tuple[str, str, str, str] | None = None
    for key, members in groups.items():
        if key[:3] == (story, unit, noun) and key[3] != _NONE:
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


def _build(key: tuple[str, str, str, str], members: list[ClaimReport], windows: _Windows) -> Track:
    story, unit, noun, pred = key
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
        key=f"{unit}|{noun}|{pred}",
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
