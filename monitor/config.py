"""Settings: config.yaml -> frozen, validated pydantic models.

The only reader of config.yaml and of the environment (MONITOR_DATABASE_URL).
Errors name the offending key and its line in the file and raise ConfigError.
Touches: the config file (read), os.environ (read). Owns PyYAML and pydantic.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from monitor.errors import ConfigError

DATABASE_ENV = "MONITOR_DATABASE_URL"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")


def parse_duration(value: object) -> timedelta:
    """'90s', '60m', '24h', '2d' or a number of seconds -> timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=float(value))
    if isinstance(value, str) and (m := _DURATION.match(value)):
        return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2)])
    raise ValueError(f"expected a duration like '90s', '60m', '24h' or '2d', got {value!r}")


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(_Model):
    url: str = "sqlite:///monitor.db"

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, v: str) -> str:
        if not v.startswith(("sqlite:///", "postgresql")):
            raise ValueError("database.url must start with sqlite:/// or postgresql")
        return v


class FetchSettings(_Model):
    user_agent: str = "monitor/0.1 (+https://example.org/monitor)"
    timeout_s: float = Field(30.0, gt=0)
    connect_timeout_s: float = Field(10.0, gt=0)
    max_body_mb: float = Field(15.0, gt=0)
    max_items: int = Field(2000, gt=0)
    max_redirects: int = Field(10, ge=0)
    per_host_concurrency: int = Field(2, gt=0)
    concurrency: int = Field(50, gt=0)
    allow_private_addresses: bool = False

    @property
    def max_body_bytes(self) -> int:
        return int(self.max_body_mb * 1024 * 1024)


class PollSettings(_Model):
    interval: Duration = timedelta(minutes=60)
    min_interval: Duration = timedelta(minutes=5)
    max_interval: Duration = timedelta(hours=24)
    tick: Duration = timedelta(seconds=60)
    lease: Duration = timedelta(minutes=10)
    batch: int = Field(500, gt=0)
    parse_processes: int = Field(1, ge=0, le=64)  # 0: parse in the ingest thread
    fetch_process: bool = True  # fetch in a child process (false: in the poller's own)
    # fetched results waiting for the ingest, at most: the batch's other fetches wait
    # (a cycle of 10,000 feeds holds no 10,000 bodies at once); 0: no limit
    max_waiting: int = Field(500, ge=0)


class FeedSettings(_Model):
    url: AnyHttpUrl
    name: str = ""
    language: str | None = None


class SmtpSettings(_Model):
    host: str = "localhost"
    port: int = Field(25, gt=0, lt=65536)
    starttls: bool = False
    ssl: bool = False
    username: str | None = None
    password: str | None = None
    timeout_s: float = Field(30.0, gt=0)


class EmailSettings(_Model):
    enabled: bool = False
    to: tuple[str, ...] = ()
    from_: str = Field("", alias="from")
    subject: str = "monitor digest {date}"
    smtp: SmtpSettings = SmtpSettings()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DigestSettings(_Model):
    out_dir: Path = Path("site")
    time: str = "07:00"
    timezone: str = "UTC"
    title: str = "monitor digest"
    max_stories: int = Field(default=300, ge=0)  # 0: every story of the day
    # reports listed per story (the earliest and the latest; counts stay exact); 0: all
    max_reports: int = Field(default=50, ge=0)
    # steps shown per claim track (its first report, revisions, conflicts, its latest); 0: all
    max_steps: int = Field(default=12, ge=0)
    email: EmailSettings = EmailSettings()

    @field_validator("max_steps")
    @classmethod
    def _first_and_latest(cls, v: int) -> int:
        if v == 1:
            raise ValueError("digest.max_steps must be 0 (all) or at least 2 (first and latest)")
        return v

    @field_validator("time")
    @classmethod
    def _hh_mm(cls, v: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", v):
            raise ValueError("digest.time must be HH:MM (24-hour)")
        return v

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown timezone {v!r}") from e
        return v

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class StoriesSettings(_Model):
    window: Duration = timedelta(days=3)
    # stories older than the window stay dormant (compact) this long, and a follow-up
    # naming the same people reopens them (after 45 days of silence only one naming the
    # event's date, see dedup.revival); a restart re-reads this many days of entries
    horizon: Duration = timedelta(days=365)
    language: str = "en"
    # memory budget of the story window (0: none): past this many entries in the window
    # its oldest part leaves early (3-17 KB an entry), past max_dormant dormant
    # stories (about 0.8 KB each) the oldest are forgotten
    max_items: int = Field(100_000, ge=0)
    max_dormant: int = Field(200_000, ge=0)
    # a restart re-reads at most this many of the newest entries (0: all back to the
    # horizon): replaying one costs about what clustering it did, and a year of a busy
    # stream would take hours; dormant stories older than those are not rebuilt
    max_restore: int = Field(100_000, ge=0)

    @property
    def memory(self) -> timedelta:
        """How far back the story window's state reaches (window or horizon)."""
        return max(self.window, self.horizon)


class Settings(_Model):
    database: DatabaseSettings = DatabaseSettings()
    fetch: FetchSettings = FetchSettings()
    poll: PollSettings = PollSettings()
    feeds: tuple[FeedSettings, ...] = ()
    digest: DigestSettings = DigestSettings()
    stories: StoriesSettings = StoriesSettings()


def load(path: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate a config file; a missing file gives the defaults."""
    env = os.environ if environ is None else environ
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{path}: cannot read: {e}") from e
        settings = loads(text, source=str(path))
    else:
        settings = Settings()
    return _with_env(settings, env)


def loads(text: str, source: str = "<config>") -> Settings:
    """Validate YAML text; errors name the key and its line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ConfigError(f"{source}: not valid YAML: {e}") from e
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the top level must be a mapping of keys")
    try:
        return Settings.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_describe(e, node, source)) from e


def _with_env(settings: Settings, env: Mapping[str, str]) -> Settings:
    url = env.get(DATABASE_ENV)
    if not url:
        return settings
    try:
        db = DatabaseSettings(url=url)
    except ValidationError as e:
        raise ConfigError(f"{DATABASE_ENV}: {e.errors()[0]['msg']}") from e
    return settings.model_copy(update={"database": db})


def _describe(error: ValidationError, root: yaml.Node | None, source: str) -> str:
    lines = []
    for err in error.errors():
        loc = tuple(err["loc"])
        key = ".".join(str(p) for p in loc)
        line = _line_of(root, loc)
        where = f"{source}:{line}" if line else source
        lines.append(f"{where}: {key}: {err['msg']}")
    return "invalid configuration\n  " + "\n  ".join(lines)


def _line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the YAML node at ``loc`` (or of its nearest parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node = child
        line = child.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, part: int | str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part or (part == "from_" and key.value == "from"):
                return value if not isinstance(value, yaml.ScalarNode) else value
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


STARTER = """\
# monitor configuration. Every key is optional; the values shown are the defaults.
database:
  # SQLite (one daemon) or PostgreSQL (several workers), e.g.
  # postgresql+psycopg://user@127.0.0.1:5432/monitor . MONITOR_DATABASE_URL overrides this.
  url: "sqlite:///monitor.db"
fetch:
  user_agent: "monitor/0.1 (+https://example.org/monitor)"  # name a contact URL
  timeout_s: 30            # whole request, body included
  connect_timeout_s: 10
  max_body_mb: 15          # counted after decompression
  max_items: 2000          # items kept per fetch of one feed
  per_host_concurrency: 2
  concurrency: 50
  allow_private_addresses: false   # true only for feeds on your own network
poll:
  interval: "60m"          # default time between polls of one feed
  min_interval: "5m"
  max_interval: "24h"
  parse_processes: 1       # worker processes parsing feeds beside the poller; 0: none
  fetch_process: true      # fetch in a child process beside the poller; false: in its own
  max_waiting: 500         # fetched feeds waiting for the ingest at most; more fetches wait
feeds: []
#  - {url: "https://example.org/rss.xml", name: "Example News", language: "en"}
stories:
  window: "3d"             # a story takes new entries this long after its latest one
  horizon: "365d"          # then stays dormant: a follow-up naming its people or date reopens it
  max_items: 100000        # memory budget: entries kept in the window (3-17 KB each); 0: none
  max_dormant: 200000      # dormant stories kept (~0.8 KB each); 0: none
  max_restore: 100000      # newest entries re-read into the window after a restart; 0: all
  language: "en"           # for feeds that name no language
digest:
  out_dir: "site"
  time: "07:00"            # when the daemon renders the day before's digest
  timezone: "UTC"
  title: "monitor digest"
  max_stories: 300         # the day's most widely reported stories shown; 0: all
  max_reports: 50          # reports listed per story: the earliest and the latest; 0: all
  max_steps: 12            # steps shown per tracked number: first, revisions, latest; 0: all
  email:
    enabled: false
    to: []
    from: ""
    smtp: {host: "localhost", port: 25, starttls: false}
"""
