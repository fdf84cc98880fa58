"""`monitor feeds ...`: subscriptions, health and the politeness audit.

Touches: the database (through monitor.store), OPML files named on the command line, stdout.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from monitor import config
from monitor.cli.common import err, fail, opened
from monitor.errors import InputError

if TYPE_CHECKING:
    from monitor.types import FeedHealth

feeds_app = typer.Typer(no_args_is_help=True, help="Manage feed subscriptions.")


@feeds_app.command("add")
def feeds_add(
    url: str,
    name: Annotated[str, typer.Option()] = "",
    language: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Subscribe to a feed."""
    from monitor.store import feeds as store_feeds

    try:
        checked = config.FeedSettings(url=url, name=name, language=language)
    except ValueError as e:
        raise fail(f"not a valid feed URL: {url}") from e
    with opened() as (_settings, store), store.session() as session:
        added = store_feeds.add_feed(session, str(checked.url), name, language, datetime.now(UTC))
        session.commit()
    typer.echo(("added " if added else "already subscribed: ") + str(checked.url))


@feeds_app.command("remove")
def feeds_remove(url: str) -> None:
    """Unsubscribe (stored entries are kept)."""
    from monitor.store import feeds as store_feeds

    with opened() as (_settings, store), store.session() as session:
        removed = store_feeds.remove_feed(session, url)
        session.commit()
    if not removed:
        raise fail(f"no such feed: {url}", 1)
    typer.echo(f"removed {url}")


@feeds_app.command("list")
def feeds_list() -> None:
    """The subscribed feeds."""
    from monitor.store import feeds as store_feeds

    with opened() as (_settings, store), store.session() as session:
        for feed in store_feeds.list_feeds(session):
            typer.echo(f"{feed.url}\t{feed.name or feed.title}")


@feeds_app.command("status")
def feeds_status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Health of each feed: last status, error, next poll, entries."""
    from monitor.store import feeds as store_feeds

    with opened() as (_settings, store), store.session() as session:
        rows = store_feeds.health(session)
    for h in rows:
        data: dict[str, Any] = {
            "url": h.url,
            "name": h.name,
            "last_status": h.last_status,
            "error": h.error,
            "failures": h.failures,
            "gone": h.gone,
            "last_success": h.last_success.isoformat() if h.last_success else None,
            "next_poll_at": h.next_poll_at.isoformat() if h.next_poll_at else None,
            "entries": h.entries,
            "requests": h.requests,
            "not_modified": h.not_modified,
            "retry_after": h.retry_after.isoformat() if h.retry_after else None,
        }
        if as_json:
            typer.echo(json.dumps(data, ensure_ascii=False))
        else:
            state = "gone" if h.gone else ("FAILING" if h.error else "ok")
            typer.echo(
                f"{state:8} {h.last_status or '-'!s:4} {h.entries:6} {h.url}"
                + (f"  ({h.error})" if h.error else "")
            )
    if not as_json:
        _politeness(rows)


def _politeness(rows: list[FeedHealth]) -> None:
    """Per host: share of conditional requests answered 304, Retry-After in force."""
    from monitor.cli_io import politeness_by_host

    now = datetime.now(UTC)
    typer.echo("\nper host: requests, share answered 304, Retry-After in force")
    for host, requests, share, until in politeness_by_host(rows, now):
        wait = f"  retry after {until.isoformat(timespec='minutes')}" if until else ""
        typer.echo(f"  {host:40} {requests:6} {share:6.0%}{wait}")


@feeds_app.command("import")
def feeds_import(path: Path) -> None:
    """Subscribe to every feed of an OPML file."""
    from monitor.opml import parse_opml
    from monitor.store import feeds as store_feeds

    try:
        outlines = parse_opml(path.read_bytes())
    except (OSError, InputError) as e:
        raise fail(f"{path}: {e}") from e
    valid = []
    for o in outlines:
        try:
            checked = config.FeedSettings(url=o.url, name=o.name, language=o.language)
        except ValueError:
            err.print(f"skipped, not a valid feed URL: {o.url!r}", markup=False, highlight=False)
            continue
        valid.append((str(checked.url), o.name, o.language))
    with opened() as (_settings, store), store.session() as session:
        added = sum(
            store_feeds.add_feed(session, url, name, lang, datetime.now(UTC))
            for url, name, lang in valid
        )
        session.commit()
    typer.echo(f"imported {len(valid)} feeds ({added} new)")


@feeds_app.command("export")
def feeds_export() -> None:
    """Print the subscriptions as OPML."""
    from monitor.opml import Outline, render_opml
    from monitor.store import feeds as store_feeds

    with opened() as (_settings, store), store.session() as session:
        outlines = [
            Outline(f.url, f.name or f.title, f.language) for f in store_feeds.list_feeds(session)
        ]
    typer.echo(render_opml(outlines), nl=False)
