"""`monitor stories ...`: list the stories of a day; merge or split them by hand.

Touches: the database (through monitor.store), stdout.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from monitor.cli.common import day_or_today, fail, opened
from monitor.cli_io import story_json
from monitor.errors import InputError

stories_app = typer.Typer(help="Stories: list them, merge or split them by hand.")


@stories_app.callback(invoke_without_command=True)
def stories(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default today)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Stories active on a day, with entries, outlets and claim tracks."""
    if ctx.invoked_subcommand is not None:
        return
    from monitor import publish
    from monitor.store import views as store_views

    with opened() as (settings, store):
        start, end = publish.day_bounds(day_or_today(day, settings), settings)
        with store.session() as session:
            views = store_views.story_views(session, start, end)
    for view in views:
        if as_json:
            typer.echo(json.dumps(story_json(view), ensure_ascii=False))
        else:
            outlets = sorted({e.outlet for e in view.entries})
            typer.echo(
                f"{view.id}  {view.title}  [{len(view.entries)} entries; {', '.join(outlets)}]"
            )


@stories_app.command("merge")
def stories_merge(a: str, b: str) -> None:
    """Merge two stories by hand (the older keeps its id; kept as new entries arrive)."""
    from monitor import claims
    from monitor.store import edits

    with opened() as (settings, store), store.session() as session:
        tracker = claims.Tracking(language=settings.stories.language)
        try:
            kept = edits.merge(session, a, b, datetime.now(UTC), tracker)
        except InputError as e:
            raise fail(str(e), 1) from e
    typer.echo(f"merged {a} and {b} into {kept}")


@stories_app.command("split")
def stories_split(story: str, entry: str) -> None:
    """Move one entry (and its copies) out of a story into a story of its own."""
    from monitor import claims
    from monitor.store import edits

    with opened() as (settings, store), store.session() as session:
        tracker = claims.Tracking(language=settings.stories.language)
        try:
            new_id = edits.split(session, story, entry, datetime.now(UTC), tracker)
        except InputError as e:
            raise fail(str(e), 1) from e
    typer.echo(f"entry {entry} now forms story {new_id}")
