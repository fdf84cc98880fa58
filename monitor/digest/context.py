"""Build a day's digest from stored stories: pure, no clock, no I/O.

A story is on the day's digest when any of its entries was published that
day in the digest timezone. Each card shows the story as of the end of that
day (later entries and track steps are left out), so re-rendering an old day
gives the same page. Cards are ordered most important first: more independent
outlets (entries of kind new/join, one per distinct outlet), then moving
numbers, then freshness (the latest entry of the day), then headline and id.
Touches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from monitor.digest import text, words
from monitor.digest.model import (
    DayDigest,
    EntryCard,
    HealthRow,
    HealthSection,
    StepView,
    StoryCard,
    TrackView,
)
from monitor.types import EntryView, FeedHealth, ReportCounts, StoryView, Track, TrackStep

SUMMARY_CHARS = 280


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnight to the next local midnight (DST-aware); the end is exclusive."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


def build_day(
    stories: Sequence[StoryView],
    health: Sequence[FeedHealth],
    day: date,
    tz: ZoneInfo,
    title: str = "monitor digest",
    omitted: int = 0,
) -> DayDigest:
    """The digest of ``day``: cards for the stories active that day, and feed health;
    ``omitted`` counts the day's stories the caller left out (shown as a note)."""
    start, end = day_bounds(day, tz)
    # Compare in UTC: same-zone datetimes compare by wall clock in Python.
    start_u, end_u = start.astimezone(UTC), end.astimezone(UTC)
    cards = [
        _card(story, start_u, end_u, tz) for story in stories if _active(story, start_u, end_u)
    ]
    cards.sort(key=_importance)
    return DayDigest(
        day=day,
        tz=tz.key,
        title=title,
        start=start,
        end=end,
        cards=tuple(cards),
        health=build_health(health, tz),
        omitted=omitted,
    )


def _active(story: StoryView, start: datetime, end: datetime) -> bool:
    return any(start <= text.aware(e.published) < end for e in story.entries)


def _importance(card: StoryCard) -> tuple[int, int, float, str, str]:
    fresh = max((e.published for e in card.entries if e.on_day), default=card.last_seen)
    return (
        -card.independent_outlets,
        -len(card.moving_tracks),
        -fresh.timestamp(),
        card.headline.casefold(),
        card.story_id,
    )


def _card(story: StoryView, start: datetime, end: datetime, tz: ZoneInfo) -> StoryCard:
    visible = sorted(
        (e for e in story.entries if text.aware(e.published) < end),
        key=lambda e: (text.aware(e.published), e.entry_id),
    )
    entries = _entry_cards(visible, start, end, tz)
    outlets = tuple(dict.fromkeys(e.outlet for e in entries if e.independent))
    counts = story.counts or ReportCounts(
        reports=len(entries),
        outlets=len(outlets),
        copies=sum(1 for e in entries if not e.independent),
    )
    tracks = tuple(
        view for track in story.tracks if (view := _track(track, start, end, tz)) is not None
    )
    first_seen = text.local(story.first_seen, tz)
    last_seen = entries[-1].published if entries else text.local(story.last_seen, tz)
    summary = next((e.summary for e in visible if e.summary.strip()), "")
    return StoryCard(
        story_id=story.id,
        slug=text.slug(story.id),
        headline=text.oneline(story.title) or (entries[0].title if entries else story.id),
        summary=text.truncate(summary, SUMMARY_CHARS),
        first_seen=first_seen,
        last_seen=max(last_seen, first_seen),
        outlets=outlets,
        entries=entries,
        report_count=counts.reports,
        outlet_count=counts.outlets,
        copy_count=counts.copies,
        tracks=tracks,
        new_today=start <= first_seen < end,
        changed_since_yesterday=any(t.changed_today for t in tracks),
    )


def _entry_cards(
    visible: Sequence[EntryView], start: datetime, end: datetime, tz: ZoneInfo
) -> tuple[EntryCard, ...]:
    outlet_of = {e.entry_id: e.outlet for e in visible}
    cards = []
    for e in visible:
        copy_of = None
        if e.kind in ("copy", "exact"):
            original = e.duplicate_of or ""
            named = e.duplicate_outlet or outlet_of.get(original, original)
            copy_of = text.oneline(named or "another report")
        published = text.local(e.published, tz)
        cards.append(
            EntryCard(
                entry_id=e.entry_id,
                outlet=text.oneline(e.outlet),
                title=text.oneline(e.title),
                href=text.safe_href(e.link),
                raw_link=e.link,
                published=published,
                kind=e.kind,
                copy_of=copy_of,
                on_day=start <= published < end,
            )
        )
    return tuple(cards)


def _track(track: Track, start: datetime, end: datetime, tz: ZoneInfo) -> TrackView | None:
    steps = tuple(
        _step(s, track.unit, start, end, tz)
        for s in sorted(track.steps, key=lambda s: text.aware(s.published))
        if text.aware(s.published) < end
    )
    if not steps or not (track.noun or track.unit):
        return None  # a bare number that counts nothing named says nothing to a reader
    before = any(s.published < start for s in steps)
    return TrackView(
        key=track.key,
        noun=text.oneline(track.noun or track.unit or ""),
        predicate=text.oneline(track.predicate or ""),
        unit=track.unit,
        figure=steps[-1].figure,
        first_outlet=steps[0].outlet,
        steps=steps,
        moved=len({s.value for s in steps}) > 1,
        reports=track.total_steps or len(steps),
        conflict=any(s.conflict for s in steps),
        changed_today=before and any(s.on_day for s in steps),
    )


def _step(s: TrackStep, unit: str | None, start: datetime, end: datetime, tz: ZoneInfo) -> StepView:
    published = text.local(s.published, tz)
    return StepView(
        outlet=text.oneline(s.outlet),
        published=published,
        value=s.value,
        low=s.low,
        high=s.high,
        qualifier=s.qualifier,
        figure=text.figure(s.value, s.low, s.high, s.qualifier, unit),
        label=s.label,
        label_text=words.label_text(s.label),
        text=s.text,
        on_day=start <= published < end,
    )


def build_health(health: Sequence[FeedHealth], tz: ZoneInfo) -> HealthSection:
    """Feeds gone, and feeds failing (failures > 0 or an error), sorted by name."""

    def row(h: FeedHealth) -> HealthRow:
        return HealthRow(
            name=text.oneline(h.name or h.url),
            url=h.url,
            href=text.safe_href(h.url),
            status=h.last_status,
            error=text.oneline(h.error) if h.error else None,
            failures=h.failures,
            last_success=text.local(h.last_success, tz) if h.last_success else None,
            next_poll_at=text.local(h.next_poll_at, tz) if h.next_poll_at else None,
        )

    def order(h: FeedHealth) -> tuple[int, str, str]:
        return (-h.failures, (h.name or h.url).casefold(), h.url)

    gone = tuple(row(h) for h in sorted(health, key=order) if h.gone)
    failing = tuple(
        row(h) for h in sorted(health, key=order) if not h.gone and (h.failures > 0 or h.error)
    )
    return HealthSection(failing=failing, gone=gone, total=len(health))
