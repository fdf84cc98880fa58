"""SQLModel tables: the schema of monitor's store.

Uniqueness lives in the database: (feed, guid) and (feed, canonical URL) per
entry, one track per (story, key), one digest run per (day, channel).
Touches nothing by itself (definitions only). Owned by monitor.store.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Dialect, Index, Text, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine (SQLite keeps no zone: we add it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), index=index, nullable=nullable))


def outlet_name(name: str | None, title: str | None, url: str) -> str:
    """How a feed is named to readers: its configured name, else its own title, else its URL."""
    return name or title or url


class Feed(SQLModel, table=True):
    __tablename__ = "feed"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_column=Column(Text, unique=True, nullable=False))
    name: str = ""
    language: str | None = None
    title: str = ""
    active: bool = True
    gone: bool = False
    etag: str | None = Field(default=None, sa_column=Column(Text))
    last_modified: str | None = None
    body_hash: str | None = None
    interval_s: float | None = None
    failures: int = 0
    last_status: int | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    next_poll_at: datetime | None = _ts(index=True)
    retry_after: datetime | None = _ts()
    last_polled_at: datetime | None = _ts()
    last_success_at: datetime | None = _ts()
    lease_until: datetime | None = _ts()
    lease_owner: str | None = None
    requests: int = 0
    not_modified: int = 0
    created_at: datetime | None = _ts()


class Story(SQLModel, table=True):
    __tablename__ = "story"

    id: str = Field(primary_key=True, max_length=64)
    title: str = Field(sa_column=Column(Text, nullable=False))
    first_seen: datetime | None = _ts(index=True)
    last_seen: datetime | None = _ts(index=True)
    size: int = 0


class EntryRow(SQLModel, table=True):
    __tablename__ = "entry"
    __table_args__ = (
        UniqueConstraint("feed_id", "guid", name="uq_entry_feed_guid"),
        UniqueConstraint("feed_id", "canonical_url", name="uq_entry_feed_url"),
        Index("ix_entry_published", "published"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True, max_length=40)
    feed_id: int = Field(foreign_key="feed.id", index=True)
    guid: str = Field(sa_column=Column(Text, nullable=False))
    canonical_url: str | None = Field(default=None, sa_column=Column(Text))
    link: str = Field(default="", sa_column=Column(Text, nullable=False))
    title: str = Field(default="", sa_column=Column(Text, nullable=False))
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    content: str = Field(default="", sa_column=Column(Text, nullable=False))
    text_hash: str = Field(index=True, max_length=64)
    language: str | None = None
    published: datetime | None = _ts()
    fetched_at: datetime | None = _ts()
    story_id: str | None = Field(default=None, foreign_key="story.id", index=True)
    kind: str = "new"
    duplicate_of: str | None = None
    scores: str = "{}"


class EntryVersion(SQLModel, table=True):
    """An earlier title/summary of an entry that the feed later changed."""

    __tablename__ = "entry_version"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    recorded_at: datetime | None = _ts()


class ClaimRow(SQLModel, table=True):
    __tablename__ = "claim"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="entry.id", index=True)
    value: float
    low: float | None = None
    high: float | None = None
    qualifier: str
    unit: str | None = None
    noun: str | None = None
    predicate: str | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    start: int
    end: int
    sentence: str = Field(sa_column=Column(Text, nullable=False))
    # the "unit|noun" start of its track key (claims.Tracking.family); NULL: written
    # before migration 0003, filled in when its story's tracks are next rebuilt
    family: str | None = Field(default=None, sa_column=Column(Text))


class TrackRow(SQLModel, table=True):
    __tablename__ = "claim_track"
    __table_args__ = (UniqueConstraint("story_id", "key", name="uq_track_story_key"),)

    id: int | None = Field(default=None, primary_key=True)
    story_id: str = Field(foreign_key="story.id", index=True)
    key: str = Field(sa_column=Column(Text, nullable=False))
    family: str | None = Field(default=None, sa_column=Column(Text))  # key's "unit|noun"
    unit: str | None = None
    noun: str | None = None
    predicate: str | None = None
    steps: str = Field(sa_column=Column(Text, nullable=False))
    # the track's tally (``claims.Tally``; NULL on rows written before migration 0004)
    members: int | None = None
    loose: int | None = None
    since: datetime | None = _ts()
    rising: bool | None = None


class FetchLog(SQLModel, table=True):
    __tablename__ = "fetch_log"

    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = Field(foreign_key="feed.id", index=True)
    at: datetime | None = _ts(index=True)
    status: int | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))
    elapsed_s: float = 0.0
    new_entries: int = 0


class DigestRun(SQLModel, table=True):
    """Marks a digest channel (site, email) done for a day: e-mail goes out once."""

    __tablename__ = "digest_run"

    day: str = Field(primary_key=True, max_length=10)
    channel: str = Field(primary_key=True, max_length=16)
    done_at: datetime | None = _ts()


class StoryAlias(SQLModel, table=True):
    """A story merged by hand into another: entries assigned to ``alias`` go to ``story_id``."""

    __tablename__ = "story_alias"

    alias: str = Field(primary_key=True, max_length=64)
    story_id: str = Field(max_length=64, index=True)


class StoryEdit(SQLModel, table=True):
    """A correction by hand (merge or split); workers rebuild their story window after one."""

    __tablename__ = "story_edit"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8)
    story_id: str = Field(max_length=64)
    other: str = Field(max_length=64)
    at: datetime | None = _ts()
