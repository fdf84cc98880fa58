"""Multi-row writes and bounded IN lists, shared by the store's writers.

Rows go through SQLAlchemy Core on the session's connection: the ORM's bulk
path splits a list of rows into one statement per run of rows that leave the
same columns None (a poll group's claims became hundreds of statements).
Touches: the database (through the caller's session).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

CHUNK = 1000  # ids per IN list (bound parameters stay far below every engine's limit)

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT these rows (each with the same keys) in as few statements as the
    driver allows (psycopg: one pipelined executemany)."""
    if rows:
        table = model.__table__  # type: ignore[attr-defined]
        session.connection().execute(insert(table), list(rows))


def insert_ids(
    session: Session, model: type[SQLModel], rows: Sequence[Mapping[str, Any]]
) -> list[int]:
    """INSERT these rows as multi-row statements (1,000 rows each) and return their
    new ids in the rows' order."""
    if not rows:
        return []
    table = model.__table__  # type: ignore[attr-defined]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.connection().execute(statement, list(rows)).scalars())
