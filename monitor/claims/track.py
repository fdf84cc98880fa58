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
language (``ClaimReport.language``) and, when stored, its family. ``tally`` gives
each track with what growing it later needs (``Tally``, see ``grow``). Pure:
touches nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.claims.lang import LangData, get_lang
from monitor.types import Claim, ClaimReport, StepLabel, Tally, Track, TrackStep

NONE = "-"


def claim_key(claim: Claim, lang: LangData) -> tuple[str, str, str]:
    """(unit, noun class, predicate class) with synonyms folded; '-' for missing parts."""
    noun = claim.noun or NONE
    pred = claim.predicate or NONE
    noun = lang.noun_synonyms.get(noun, noun)
    pred = lang.predicate_synonyms.get(pred, pred)
    unit = claim.unit or NONE
    if is_part(claim, lang):
        unit = "part:" + unit
    return unit, noun, pred


def claim_family(claim: Claim, lang: LangData) -> str:
    """The "unit|noun" part of the claim's track key (what ``Track.key`` starts with)."""
    unit, noun, _ = claim_key(claim, lang)
    return f"{unit}|{noun}"


def report_family(r: ClaimReport, lang: LangData) -> str:
    """The report's family as stored with its claim, else computed from the claim."""
    return r.family if r.family is not None else claim_family(r.claim, lang)


def predicate_class(claim: Claim, lang: LangData) -> str:
    pred = claim.predicate or NONE
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
    return [t for t, _ in tally(reports, conflict_window, language, rise_window)]


Key = tuple[str, str, str]  # (story id, "unit|noun" family, predicate class)


def tally(
    reports: Sequence[ClaimReport],
    conflict_window: timedelta = timedelta(hours=6),
    language: str = "en",
    rise_window: timedelta = timedelta(hours=1),
) -> list[tuple[Track, Tally]]:
    """``track``, each track with its ``Tally``."""
    groups: dict[Key, list[ClaimReport]] = defaultdict(list)
    loose: list[tuple[str, ClaimReport]] = []
    kin: dict[tuple[str, str], list[Key]] = defaultdict(list)
    rising: dict[Key, bool] = {}
    for r in reports:
        if r.copy_of is not None:
            continue
        lang = get_lang(r.language or language)
        family = report_family(r, lang)
        pred = predicate_class(r.claim, lang)
        if pred == NONE:
            loose.append((family, r))
            continue
        key = (r.story_id, family, pred)
        if key not in groups:
            kin[key[:2]].append(key)  # each family's predicate tracks
            rising[key] = pred in lang.cumulative_predicates
        groups[key].append(r)
    counts = {k: (len(v), min(r.published for r in v)) for k, v in groups.items()}
    joined: dict[Key, int] = defaultdict(int)
    for family, r in loose:
        key = largest(counts, kin.get((r.story_id, family), ())) or (r.story_id, family, NONE)
        groups[key].append(r)
        joined[key] += 1
    tracks = []
    for key, members in groups.items():
        count, since = counts.get(key, (0, None))  # None: the family's track without predicate
        up = rising.get(key, False)
        t = build(key, members, Windows(conflict_window, rise_window, up))
        tracks.append((t, Tally(count, joined[key], since, up)))
    return sorted(tracks, key=lambda p: (p[0].story_id, p[0].steps[0].published, p[0].key))


def largest(counts: Mapping[Key, tuple[int, datetime]], keys: Iterable[Key]) -> Key | None:
    """The predicate track that claims without a predicate join, among one family's
    ``keys`` (``counts``: each one's reports with a predicate, and when the first of
    them was published): the one with the most, on a tie the one that began first,
    then the first predicate in alphabetical order. Every such claim of a family
    joins the same one."""
    return min(keys, key=lambda k: (-counts[k][0], counts[k][1], k[2]), default=None)


@dataclass(frozen=True, slots=True)
class Windows:
    conflict: timedelta
    rise: timedelta
    rising: bool

    def of(self) -> tuple[timedelta, timedelta]:
        """(window for a lower figure, window for a higher one) in this track."""
        return self.conflict, self.rise if self.rising else self.conflict


def build(key: Key, members: list[ClaimReport], windows: Windows) -> Track:
    story, family, pred = key
    ordered = sorted(members, key=order)
    first = ordered[0].claim
    return Track(
        story_id=story,
        key=f"{family}|{pred}",
        unit=first.unit,
        noun=first.noun,
        predicate=next((r.claim.predicate for r in ordered if r.claim.predicate), None),
        steps=tuple(steps_of(ordered, windows.of())),
    )


def order(r: ClaimReport) -> tuple[datetime, str, int]:
    """A track's order of its reports: published, then entry, then place in the text."""
    return r.published, r.entry_id, r.claim.start


def steps_of(
    ordered: Sequence[ClaimReport],
    window: tuple[timedelta, timedelta],
    last: TrackStep | None = None,
) -> list[TrackStep]:
    """The steps of these reports (in ``order``) after ``last``: one per entry (its
    first report), each labelled against the one before."""
    seen: set[str] = set()
    steps: list[TrackStep] = []
    prev = last
    for r in ordered:
        if r.entry_id in seen:
            continue
        seen.add(r.entry_id)
        c = r.claim
        label = (
            "first"
            if prev is None
            else label_of(prev, c.value, c.low, c.high, r.outlet, r.published, window)
        )
        prev = TrackStep(
            r.entry_id, r.outlet, r.published, c.value, c.low, c.high, c.qualifier, c.text, label
        )
        steps.append(prev)
    return steps


def label_of(
    prev: TrackStep,
    value: float,
    low: float | None,
    high: float | None,
    outlet: str,
    published: datetime,
    window: tuple[timedelta, timedelta],
) -> StepLabel:
    """The label of a figure after ``prev``; ``window``: how close in time another
    outlet's lower / higher figure conflicts."""
    if _overlap(prev.low, prev.high, low, high):
        return "consistent"
    up = value > prev.value
    if outlet != prev.outlet and abs(published - prev.published) <= window[up]:
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
