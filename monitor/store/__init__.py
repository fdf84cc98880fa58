"""The store: SQLModel tables on SQLite (embedded) or PostgreSQL (scale-out).

``Store.open(url)`` creates the engine and applies migrations; the functions
of ``feeds``, ``entries`` and ``views`` take a Session. Owns sqlmodel,
SQLAlchemy and Alembic. Touches: the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from monitor.errors import StoreError
from monitor.store import entries, feeds, runs, views
from monitor.store.engine import DaemonLock, is_sqlite, make_engine, migrate, normalise_url

__all__ = ["DaemonLock", "Store", "entries", "feeds", "runs", "views"]

DIGEST_LOCK_ID = 0x6D6F6E69  # "moni": advisory lock key of the daily digest


class Store:
    """An open, migrated database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Store:
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(str(self.engine.url))

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            except SQLAlchemyError as e:
                session.rollback()
                raise StoreError(f"database error: {e.__class__.__name__}: {e}") from e

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads outside a transaction (autocommit): each statement sees
        what is committed, and no BEGIN or ROLLBACK costs a round trip."""
        try:
            with self.engine.connect() as conn:
                auto = conn.execution_options(isolation_level="AUTOCOMMIT")
                with Session(bind=auto, expire_on_commit=False) as session:
                    yield session
        except SQLAlchemyError as e:
            raise StoreError(f"database error: {e.__class__.__name__}: {e}") from e

    @contextmanager
    def exclusive(self, key: int = DIGEST_LOCK_ID) -> Iterator[bool]:
        """Yield True to exactly one holder across workers (PostgreSQL advisory
        lock; SQLite has one daemon, so always True)."""
        if self.is_sqlite:
            yield True
            return
        with self.engine.connect() as conn:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()

    def close(self) -> None:
        self.engine.dispose()


def url_for(url: str) -> str:
    return normalise_url(url)
