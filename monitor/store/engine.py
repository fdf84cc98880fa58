"""Database engines: SQLite (WAL, busy timeout) or PostgreSQL, and migrations.

Creates the SQLAlchemy engine for a URL, applies Alembic migrations on start,
and holds the single-daemon lock for SQLite. Touches: the database, the lock
file next to a SQLite database. Owned by monitor.store.
"""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from monitor.errors import StoreError, StoreLockedError

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
_REVISION = re.compile(r"^(down_)?revision\s*(?::[^=\n]*)?=\s*[\"']([^\"']+)[\"']", re.MULTILINE)


def head_revision() -> str:
    """The newest migration's revision, read from the migration files as Alembic would
    (the one no other revises; ``tests/test_store_migrations.py`` checks it is Alembic's
    head): a database already there is not handed to Alembic, whose modules cost a
    long-running process ~11 MiB for the rest of its life."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (revised if down else revisions).add(value)
    heads = revisions - revised
    if len(heads) != 1:
        raise StoreError(f"the migrations have {len(heads)} heads, not one: {sorted(heads)}")
    return heads.pop()


def normalise_url(url: str) -> str:
    """postgresql:// -> postgresql+psycopg:// (psycopg 3 is the driver we ship)."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path | None:
    if not is_sqlite(url):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return None if path in ("", ":memory:") else Path(path)


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, a busy timeout and foreign keys."""
    url = normalise_url(url)
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_dir(path)
    try:
        if is_sqlite(url):
            engine = create_engine(
                url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
            )
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as e:
        raise StoreError(f"cannot open database {_redact(url)}: {e.__class__.__name__}: {e}") from e
    return engine


def _check_sqlite_dir(path: Path) -> None:
    parent = path.resolve().parent
    if not parent.is_dir():
        raise StoreError(f"database directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise StoreError(f"database {path} is not writable")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def migrate(engine: Engine) -> None:
    """Apply every Alembic migration not yet applied (idempotent; Alembic is imported only
    when one is missing)."""
    if revision(engine) == head_revision():
        return
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except (SQLAlchemyError, CommandError) as e:  # CommandError: a revision we do not know
        raise StoreError(f"cannot migrate database: {e}") from e


def revision(engine: Engine) -> str | None:
    """The database's Alembic revision; None before the first migration."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None  # (asked first: a failed SELECT is an error in the server's log)
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError:
        return None  # no reading it: Alembic will say why
    return found[0] if len(found) == 1 else None


class DaemonLock:
    """One daemon per SQLite file: an exclusive flock on '<db>.lock'.

    PostgreSQL needs no such lock (workers coordinate through leases)."""

    def __init__(self, url: str) -> None:
        self._path = sqlite_path(normalise_url(url))
        self._fh: IO[str] | None = None

    def __enter__(self) -> DaemonLock:
        if self._path is None:
            return self
        lock_path = self._path.with_name(self._path.name + ".lock")
        fh = lock_path.open("a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            fh.close()
            raise StoreLockedError(
                f"another monitor daemon is already running on {self._path} "
                "(SQLite allows one daemon; use PostgreSQL for several workers)"
            ) from e
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
