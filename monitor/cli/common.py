"""What every `monitor` command shares: settings, the opened store, errors, logging.

Touches: stderr, the config file (through monitor.config), the database (through
monitor.store, imported lazily so small commands start fast).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.logging import RichHandler

from monitor import config
from monitor.errors import ConfigError, MonitorError, StoreError

if TYPE_CHECKING:
    from monitor.store import Store

err = Console(stderr=True)
log = logging.getLogger("monitor")


class State:
    config_path: Path = Path("config.yaml")


STATE = State()


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    return typer.Exit(code)


def settings_or_exit() -> config.Settings:
    try:
        return config.load(STATE.config_path)
    except ConfigError as e:
        raise fail(str(e)) from e


@contextmanager
def opened() -> Iterator[tuple[config.Settings, Store]]:
    from monitor.store import Store

    settings = settings_or_exit()
    try:
        store = Store.open(settings.database.url)
    except StoreError as e:
        raise fail(str(e)) from e
    try:
        sync_config_feeds(settings, store)
        yield settings, store
    except MonitorError as e:
        raise fail(str(e), 1) from e
    finally:
        store.close()


def sync_config_feeds(settings: config.Settings, store: Store) -> None:
    from monitor.store import feeds as store_feeds

    now = datetime.now(UTC)
    with store.session() as session:
        for feed in settings.feeds:
            store_feeds.add_feed(session, str(feed.url), feed.name, feed.language, now)
        session.commit()


def setup_logging(verbose: bool) -> None:
    level = logging.DEBUG if verbose else logging.INFO
    handler: logging.Handler
    if sys.stderr.isatty():
        handler = RichHandler(console=err, show_path=False)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def day_or_today(value: str | None, settings: config.Settings) -> date:
    if value is None:
        return datetime.now(settings.digest.tz).date()
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise fail(f"--date must be YYYY-MM-DD, got {value!r}") from e
