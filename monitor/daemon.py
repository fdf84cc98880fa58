"""The daemon: APScheduler 3.x wiring, signals and clean shutdown.

A poll tick every ``poll.tick`` (one at a time, missed ticks coalesced), the
daily digest at ``digest.time`` in ``digest.timezone`` (for the day before,
e-mailed once; across PostgreSQL workers only the holder of an advisory lock
runs it), and today's pages re-rendered after cycles that stored something.
SIGTERM/SIGINT: the running cycle stops taking new results, saves what it has,
gives back its leases, and the process exits 0.
Touches: the clock, signals, the scheduler; the rest through pipeline/publish.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor import pipeline, publish
from monitor.config import Settings
from monitor.errors import MonitorError
from monitor.store import DaemonLock, Store
from monitor.store import feeds as store_feeds

log = logging.getLogger("monitor.daemon")


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(owner: str) -> bool:
    """Whether the worker ``host:pid`` may still run (always True for other hosts)."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdecimal():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Daemon:
    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.deps = pipeline.Deps(settings=settings, store=store, owner=worker_id())
        self.scheduler = BlockingScheduler(
            executors={"default": ThreadPoolExecutor(2)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
            timezone=settings.digest.tz,
        )
        self._lock = threading.Lock()

    def tick(self) -> None:
        if self.deps.stop.is_set():
            return
        now = datetime.now(UTC)
        with self._lock:
            try:
                report = pipeline.poll_once(self.deps, now)
            except MonitorError as e:
                log.error("poll cycle failed: %s", e)
                return
            if report.feeds:
                log.info(
                    "polled %d feeds: %d new entries, %d not modified, %d failed",
                    report.feeds,
                    report.new_entries,
                    report.not_modified,
                    report.failed,
                )
            if report.new_entries or report.changed_entries:
                self._render(now.astimezone(self.settings.digest.tz).date(), now, email=False)

    def daily(self) -> None:
        now = datetime.now(UTC)
        yesterday = now.astimezone(self.settings.digest.tz).date() - timedelta(days=1)
        with self._lock, self.store.exclusive() as mine:  # never beside a tick's render
            if mine:
                self._render(yesterday, now, email=True)
            else:
                log.info("digest of %s: another worker holds the digest lock", yesterday)

    def _render(self, day: date, now: datetime, email: bool) -> None:
        try:
            publish.publish_day(self.settings, self.store, day, now, email=email)
        except MonitorError as e:
            log.error("digest of %s failed: %s", day, e)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: finishing the current work, then exiting", signum)
        self.deps.stop.set()
        threading.Thread(target=self.scheduler.shutdown, kwargs={"wait": True}, daemon=True).start()

    def run(self) -> None:
        if self.store.is_sqlite:
            # One machine, one daemon per SQLite file (DaemonLock): leases of processes
            # that no longer exist (a killed predecessor, a killed `poll --once`) are freed.
            with self.store.session() as session:
                for owner in store_feeds.lease_owners(session):
                    if not _alive(owner):
                        store_feeds.release_leases(session, owner)
        hour, minute = (int(x) for x in self.settings.digest.time.split(":"))
        self.scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self.settings.poll.tick.total_seconds()),
            id="poll",
            next_run_time=datetime.now(UTC),
        )
        self.scheduler.add_job(
            self.daily,
            CronTrigger(hour=hour, minute=minute, timezone=self.settings.digest.tz),
            id="digest",
        )
        local = datetime.now(self.settings.digest.tz)
        if self.settings.digest.email.enabled and (local.hour, local.minute) >= (hour, minute):
            # started after today's digest time: catch up (e-mail sent only if not sent yet)
            self.scheduler.add_job(
                self.daily,
                id="digest-catch-up",
                next_run_time=datetime.now(UTC) + timedelta(seconds=5),
            )
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        log.info("monitor daemon %s started", self.deps.owner)
        try:
            self.scheduler.start()
        finally:
            self.deps.close()
            with self.store.session() as session:
                store_feeds.release_leases(session, self.deps.owner)
            log.info("monitor daemon %s stopped", self.deps.owner)


def run(settings: Settings, store: Store) -> None:
    """Run until SIGTERM/SIGINT. SQLite: refuses to start beside another daemon."""
    with DaemonLock(settings.database.url):
        Daemon(settings, store).run()
