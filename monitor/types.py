"""Plain data passed between the stages of monitor.

Frozen dataclasses only: no behaviour beyond trivial helpers, no I/O, no clock.
Every stage (fetch, parse, dedup, claims, digest, store) speaks these types,
so each can be tested alone. Touches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

# ---------------------------------------------------------------- fetching


@dataclass(frozen=True, slots=True)
class FeedRequest:
    """What the poller knows about a feed before fetching it."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one polite fetch; never raised, always returned.

    ``status`` is the final HTTP status (None when no response arrived).
    ``body`` is None on 304 and on errors. ``permanent_url`` is set when the
    chain of redirects was permanent (301/308 only) and ends elsewhere.
    ``retry_after`` is an absolute time before which the feed must not be
    requested again (from Retry-After, or a random 1-2 h on 429/503 without it).
    ``error`` is a human-readable reason when the fetch failed.
    """

    url: str
    status: int | None
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    permanent_url: str | None = None
    retry_after: datetime | None = None
    error: str | None = None
    elapsed_s: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300


# ---------------------------------------------------------------- parsing


@dataclass(frozen=True, slots=True)
class Entry:
    """One normalised feed item.

    ``summary`` and ``content`` are plain text (markup removed); ``link`` is
    the absolute http(s) link or "" when the feed gave none usable; ``url`` is
    its canonical form (tracking parameters removed) used for deduplication.
    """

    guid: str
    title: str
    link: str
    url: str
    summary: str
    content: str
    published: datetime | None
    updated: datetime | None
    author: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed document; ``problem`` records recoverable malformation."""

    title: str
    link: str
    language: str | None
    ttl_minutes: int | None
    entries: tuple[Entry, ...]
    problem: str | None = None
    # what the document listed, as digests (None when its items could not be told apart
    # for certain); items of an earlier listing passed to ``parse`` are left out of
    # ``entries`` and only counted in ``skipped``
    listing: Listing | None = None
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class Listing:
    """A parsed document's items as digests, in document order: per item, the digest of
    its raw bytes and of its entry's GUID (empty when the item gave no entry; a later
    copy of a GUID is not listed, so it is parsed every time, as a whole parse would).
    ``context`` digests what an item's entry depends on beyond its bytes (the feed's
    link and language): a listing is reused only while it is the same."""

    context: bytes
    items: tuple[tuple[bytes, bytes], ...]


# ---------------------------------------------------------------- stories


@dataclass(frozen=True, slots=True)
class ClusterItem:
    """One article as the story clusterer sees it (also the batch format)."""

    id: str
    title: str
    text: str
    published: datetime
    source: str
    url: str = ""
    language: str = "en"


AssignmentKind = Literal["new", "join", "copy", "exact"]


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where the clusterer put one item, and why.

    ``kind``: ``new`` started a story, ``join`` joined one as independent
    reporting, ``copy`` is a near-duplicate (wire copy) of ``duplicate_of``,
    ``exact`` is the same text as ``duplicate_of``. ``scores`` holds the
    figures that decided (e.g. {"similarity": 0.71, "entities": 0.5}).
    """

    item_id: str
    story_id: str
    kind: AssignmentKind
    duplicate_of: str | None = None
    scores: Mapping[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------- claims

Qualifier = Literal[
    "exact", "approx", "more_than", "at_least", "less_than", "at_most", "range", "up", "down"
]


@dataclass(frozen=True, slots=True)
class Claim:
    """One number said about one thing in one sentence.

    ``low``/``high`` bound the interval the wording allows (None: unbounded).
    ``start``/``end`` are character offsets of ``text`` in the input text.
    ``noun`` and ``predicate`` are lemmas ("soldier", "surrender") or None.
    """

    value: float
    low: float | None
    high: float | None
    qualifier: Qualifier
    unit: str | None
    noun: str | None
    predicate: str | None
    text: str
    start: int
    end: int
    sentence: str


@dataclass(frozen=True, slots=True)
class ClaimReport:
    """A claim in context: who said it, when, in which story.

    ``language``: the entry's (None: the tracker's default); ``family``: the
    claim's track family as stored with it (None: computed from the claim)."""

    claim: Claim
    entry_id: str
    outlet: str
    published: datetime
    story_id: str
    copy_of: str | None = None
    language: str | None = None
    family: str | None = None


StepLabel = Literal["first", "consistent", "revised_up", "revised_down", "conflicting"]


@dataclass(frozen=True, slots=True)
class TrackStep:
    """One report of a tracked figure, labelled against what came before."""

    entry_id: str
    outlet: str
    published: datetime
    value: float
    low: float | None
    high: float | None
    qualifier: Qualifier
    text: str
    label: StepLabel


@dataclass(frozen=True, slots=True)
class Track:
    """Claims in one story that count the same thing, in published order."""

    story_id: str
    key: str
    unit: str | None
    noun: str | None
    predicate: str | None
    steps: tuple[TrackStep, ...]
    # how many steps the track has when ``steps`` holds only some of them (a digest
    # reads a long track thinned: ``thinning.notable``); 0 when it holds them all
    total_steps: int = 0

    @property
    def moved(self) -> bool:
        return len({s.value for s in self.steps}) > 1

    @property
    def family(self) -> str:
        """The key's "unit|noun" part (predicate classes are words: no "|")."""
        return self.key.rpartition("|")[0]


@dataclass(frozen=True, slots=True)
class Tally:
    """What growing a track needs beyond its steps (``claims.grow``; the store keeps it
    with the track): its reports with a predicate (``members``) and without
    one (``loose``), copies left out; when the first of the former was published
    (None for a track of claims without a predicate); and whether its predicate is
    cumulative in the language of that first report (``rising``: another outlet's
    higher toll is a revision once ``rise_window`` has passed)."""

    members: int
    loose: int
    since: datetime | None
    rising: bool


@dataclass(frozen=True, slots=True)
class Tip:
    """A stored track as growing it needs it: its key, steps and tally (``steps`` may
    be a lazy sequence: growing reads the last few)."""

    story_id: str
    key: str
    steps: Sequence[TrackStep]
    tally: Tally


@dataclass(frozen=True, slots=True)
class Growth:
    """What one track gains: its ``key``, the ``steps`` that follow the first ``kept``
    stored ones (replacing the rest: a report published between stored steps changes
    the labels after it), its new ``tally``, and the whole ``track`` when the track is
    new or its first step changed (``kept`` 0: its unit, noun and predicate may too)."""

    key: str
    steps: tuple[TrackStep, ...]
    tally: Tally
    track: Track | None = None
    kept: int = 0


# ---------------------------------------------------------------- digest input


@dataclass(frozen=True, slots=True)
class EntryView:
    """An entry as the digest shows it (built by the store from its tables)."""

    entry_id: str
    outlet: str
    title: str
    link: str
    summary: str
    published: datetime
    kind: AssignmentKind
    duplicate_of: str | None = None
    duplicate_outlet: str | None = None  # the outlet of ``duplicate_of``, when the store knows


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story with its entries and claim tracks, as stored."""

    id: str
    title: str
    first_seen: datetime
    last_seen: datetime
    entries: tuple[EntryView, ...]
    tracks: tuple[Track, ...] = ()
    # the story's totals when ``entries`` lists only some of its reports (a digest
    # reads the earliest and the latest of a big story); None when it lists them all
    counts: ReportCounts | None = None


@dataclass(frozen=True, slots=True)
class ReportCounts:
    """A story's reports up to a moment, counted by the store: all of them, the
    independent outlets among them (distinct outlet names of kind new/join), and the
    copies (kind copy/exact)."""

    reports: int
    outlets: int
    copies: int


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """The state of one feed for the digest's health section and `feeds status`."""

    url: str
    name: str
    last_status: int | None
    error: str | None
    failures: int
    gone: bool
    last_success: datetime | None
    next_poll_at: datetime | None
    entries: int = 0
    requests: int = 0
    not_modified: int = 0
    retry_after: datetime | None = None
