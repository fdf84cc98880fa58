"""The imperative shell of the digest: read a day from the store, render it,
write the static site atomically, send the e-mail once per day.

Touches: database (reads; the digest_run marks), files under the output
directory, SMTP (through monitor.digest.send_email).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from monitor import digest
from monitor.config import Settings
from monitor.errors import DigestError
from monitor.store import Store
from monitor.store import feeds as store_feeds
from monitor.store import runs as store_runs
from monitor.store import views as store_views

log = logging.getLogger("monitor.publish")
_DAY_PAGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.html$")


@dataclass(frozen=True, slots=True)
class Published:
    day: date
    out_dir: Path
    stories: int
    files: int
    emailed: bool


def day_bounds(day: date, settings: Settings) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day in the digest timezone, in UTC."""
    start = datetime.combine(day, time(0), tzinfo=settings.digest.tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=settings.digest.tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def publish_day(
    settings: Settings,
    store: Store,
    day: date,
    now: datetime,
    out_dir: Path | None = None,
    email: bool = False,
) -> Published:
    """Render the site for ``day`` (idempotent) and, if asked and enabled, e-mail it once."""
    out = out_dir or settings.digest.out_dir
    start, end = day_bounds(day, settings)
    with store.session() as session:
        stories, active = store_views.day_stories(
            session,
            start,
            end,
            settings.digest.max_stories,
            settings.digest.max_reports,
            settings.digest.max_steps,
        )
        health = store_feeds.health(session)
    built = digest.build_day(
        stories,
        health,
        day,
        settings.digest.tz,
        settings.digest.title,
        omitted=active - len(stories),
    )
    archive = sorted(set(existing_days(out)) | {day}, reverse=True)
    # written as rendered, one page at a time (a day's pages are tens of MB)
    files = write_files(out, digest.site_files(built, archive, digest.default_templates_dir()))
    emailed = False
    if email and settings.digest.email.enabled:
        emailed = _email_once(settings, store, built, day, now)
    log.info("digest %s: %d stories, %d files in %s", day, len(stories), files, out)
    return Published(day=day, out_dir=out, stories=len(stories), files=files, emailed=emailed)


def existing_days(out_dir: Path) -> list[date]:
    days_dir = out_dir / "days"
    if not days_dir.is_dir():
        return []
    found = []
    for p in days_dir.iterdir():
        m = _DAY_PAGE.match(p.name)
        if m:
            try:
                found.append(date.fromisoformat(m.group(1)))
            except ValueError:
                continue
    return found


def write_files(out_dir: Path, files: Iterable[tuple[str, str | Iterable[str]]]) -> int:
    """Write each (relative path, content or its pieces) atomically (temp file + rename):
    a reader never sees half a page. Returns the number of distinct files written."""
    written: set[str] = set()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for rel, content in files:
            target = (out_dir / rel).resolve()
            if out_dir.resolve() not in target.parents:
                raise DigestError(f"refusing to write outside {out_dir}: {rel}")
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    if isinstance(content, str):
                        fh.write(content)
                    else:  # pieces, written as they come
                        fh.writelines(content)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            written.add(rel)
        return len(written)
    except OSError as e:
        raise DigestError(f"cannot write the digest to {out_dir}: {e}") from e


def _email_once(
    settings: Settings, store: Store, built: digest.DayDigest, day: date, now: datetime
) -> bool:
    key = day.isoformat()
    with store.session() as session:
        done = store_runs.done_at(session, key, "email")
    if done is not None:
        log.info("digest %s: e-mail already sent at %s", key, done)
        return False
    cfg = settings.digest.email
    message = digest.render_email(
        built, digest.default_templates_dir(), cfg.from_, cfg.to, cfg.subject.format(date=key)
    )
    asyncio.run(digest.send_email(message, cfg.smtp))
    with store.session() as session:
        store_runs.mark_done(session, key, "email", now)
    return True
