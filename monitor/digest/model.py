"""The digest's own view model: frozen dataclasses built by ``context.build_day``.

Everything a template needs is precomputed here (worded figures, safe hrefs,
slugs, marks), so templates stay dumb and rendering stays pure.
Datetimes are timezone-aware and already converted to the digest's timezone.
Touches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from monitor.types import AssignmentKind, Qualifier, StepLabel


@dataclass(frozen=True, slots=True)
class EntryCard:
    """One article of a story as shown on a card.

    ``href`` is the article link when it is http(s), else None (then the link
    is only shown as text, ``raw_link``). ``copy_of`` names the outlet whose
    article this one copies (kind copy/exact).
    """

    entry_id: str
    outlet: str
    title: str
    href: str | None
    raw_link: str
    published: datetime
    kind: AssignmentKind
    copy_of: str | None
    on_day: bool

    @property
    def independent(self) -> bool:
        return self.kind in ("new", "join")


@dataclass(frozen=True, slots=True)
class StepView:
    """One report of a tracked figure, worded for display."""

    outlet: str
    published: datetime
    value: float
    low: float | None
    high: float | None
    qualifier: Qualifier
    figure: str
    label: StepLabel
    label_text: str
    text: str
    on_day: bool

    @property
    def conflict(self) -> bool:
        return self.label == "conflicting"


@dataclass(frozen=True, slots=True)
class TrackView:
    """A claim track as a compact table row (and a chart when it moved).

    ``figure`` is the latest report, worded ("more than 2,000");
    ``first_outlet`` said it first; ``changed_today`` means a step on the
    digest day following steps from before it.
    """

    key: str
    noun: str
    predicate: str
    unit: str | None
    figure: str
    first_outlet: str
    steps: tuple[StepView, ...]
    moved: bool
    conflict: bool
    changed_today: bool
    reports: int  # the track's reports up to the day's end (``steps`` may show fewer)

    @property
    def thinned(self) -> bool:
        return self.reports > len(self.steps)


@dataclass(frozen=True, slots=True)
class StoryCard:
    """One story as of the end of the digest day."""

    story_id: str
    slug: str
    headline: str
    summary: str
    first_seen: datetime
    last_seen: datetime
    outlets: tuple[str, ...]
    entries: tuple[EntryCard, ...]
    tracks: tuple[TrackView, ...]
    new_today: bool
    changed_since_yesterday: bool
    # the story's totals up to the day's end (``entries`` and ``outlets`` may list fewer)
    report_count: int
    outlet_count: int
    copy_count: int

    @property
    def independent_outlets(self) -> int:
        return self.outlet_count

    @property
    def copies(self) -> int:
        return self.copy_count

    @property
    def unlisted(self) -> int:
        """Reports not listed (a big story lists its earliest and latest)."""
        return self.report_count - len(self.entries)

    @property
    def moving_tracks(self) -> tuple[TrackView, ...]:
        return tuple(t for t in self.tracks if t.moved)


@dataclass(frozen=True, slots=True)
class HealthRow:
    """One feed that needs attention."""

    name: str
    url: str
    href: str | None
    status: int | None
    error: str | None
    failures: int
    last_success: datetime | None
    next_poll_at: datetime | None


@dataclass(frozen=True, slots=True)
class HealthSection:
    """Feeds failing (failures > 0 or an error) and feeds gone (410 / removed)."""

    failing: tuple[HealthRow, ...]
    gone: tuple[HealthRow, ...]
    total: int

    @property
    def ok(self) -> int:
        return self.total - len(self.failing) - len(self.gone)

    @property
    def all_ok(self) -> bool:
        return not self.failing and not self.gone


@dataclass(frozen=True, slots=True)
class DayDigest:
    """Everything shown for one day: cards most important first, and feed health.

    ``start``/``end`` bound the day in ``tz`` (a zone key such as
    "Europe/Kyiv"); ``end`` is exclusive.
    """

    day: date
    tz: str
    title: str
    start: datetime
    end: datetime
    cards: tuple[StoryCard, ...]
    health: HealthSection
    omitted: int = 0  # stories active that day but left out (digest.max_stories)
