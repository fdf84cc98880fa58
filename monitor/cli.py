"""The `monitor` command (typer). The outermost shell.

Loads settings first (a broken config exits 2 before the database is
touched), opens the store, and hands over to pipeline, publish or daemon.
Touches: argv, stdin/stdout/stderr, the clock, files named on the command line.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import Progress

from monitor import config
from monitor.cli_io import read_claim_inputs, read_cluster_items, story_json
from monitor.errors import ConfigError, InputError, MonitorError, StoreError

if TYPE_CHECKING:
    from monitor.pipeline import PollReport
    from monitor.store import Store
    from monitor.types import FeedHealth

# Heavy modules (the store, the pipeline, NLP) are imported inside the commands
# that need them, so `monitor --help` and the small commands start fast.

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="monitor: polls news feeds, groups stories, tracks claimed numbers.",
)
feeds_app = typer.Typer(no_args_is_help=True, help="Manage feed subscriptions.")
claims_app = typer.Typer(no_args_is_help=True, help="Numeric claims.")
stories_app = typer.Typer(help="Stories: list them, merge or split them by hand.")
app.add_typer(feeds_app, name="feeds")
app.add_typer(claims_app, name="claims")
app.add_typer(stories_app, name="stories")
err = Console(stderr=True)
log = logging.getLogger("monitor")


class State:
    config_path: Path = Path("config.yaml")


STATE = State()


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    return typer.Exit(code)


def _settings() -> config.Settings:
    try:
        return config.load(STATE.config_path)
    except ConfigError as e:
        raise _fail(str(e)) from e


@contextmanager
def _opened() -> Iterator[tuple[config.Settings, Store]]:
    from monitor.store import Store

    settings = _settings()
    try:
        store = Store.open(settings.database.url)
    except StoreError as e:
        raise _fail(str(e)) from e
    try:
        _sync_config_feeds(settings, store)
        yield settings, store
    except MonitorError as e:
        raise _fail(str(e), 1) from e
    finally:
        store.close()


def _sync_config_feeds(settings: config.Settings, store: Store) -> None:
    from monitor.store import feeds as store_feeds

    now = datetime.now(UTC)
    with store.session() as session:
        for feed in settings.feeds:
            store_feeds.add_feed(session, str(feed.url), feed.name, feed.language, now)
        session.commit()


def _setup_logging(verbose: bool) -> None:
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


@app.callback()
def main_options(
    config_path: Annotated[Path, typer.Option("--config", help="config file")] = Path(
        "config.yaml"
    ),
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    STATE.config_path = config_path
    _setup_logging(verbose)


@app.command()
def init(force: Annotated[bool, typer.Option(help="overwrite an existing file")] = False) -> None:
    """Write a commented starter config.yaml."""
    path = STATE.config_path
    if path.exists() and not force:
        raise _fail(f"{path} exists (use --force to overwrite)", 1)
    path.write_text(config.STARTER, encoding="utf-8")
    typer.echo(f"wrote {path}")


@app.command()
def poll(
    once: Annotated[bool, typer.Option("--once", help="one cycle, then exit")] = False,
    everything: Annotated[bool, typer.Option("--all", help="every active feed now")] = False,
) -> None:
    """Poll due feeds once (the daemon is `monitor run`)."""
    if not once:
        raise _fail("use `monitor poll --once` (or `monitor run` for the daemon)")
    with _opened() as (settings, store):
        report = _poll(settings, store, everything)
    typer.echo(
        f"{report.feeds} feeds polled: {report.new_entries} new entries, "
        f"{report.changed_entries} changed, {report.not_modified} not modified, "
        f"{report.failed} failed"
    )


def _poll(settings: config.Settings, store: Store, everything: bool) -> PollReport:
    from monitor import daemon, pipeline

    deps = pipeline.Deps(settings=settings, store=store, owner=daemon.worker_id())
    now = datetime.now(UTC)
    if not sys.stderr.isatty():
        return pipeline.poll_once(deps, now, everything)
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("polling", total=None)
        return pipeline.poll_once(
            deps, now, everything, progress=lambda _url, n: bar.advance(task, n)
        )


@app.command()
def run() -> None:
    """Run the daemon: poll on schedule, digest daily; SIGTERM exits cleanly."""
    from monitor import daemon

    with _opened() as (settings, store):
        try:
            daemon.run(settings, store)
        except StoreError as e:
            raise _fail(str(e)) from e


@app.command()
def digest(
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default today)")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="output directory")] = None,
    email: Annotated[bool, typer.Option("--email", help="also send the e-mail")] = False,
) -> None:
    """Render the digest of one day into the static site (and e-mail it)."""
    from monitor import publish

    with _opened() as (settings, store):
        the_day = _day(day, settings)
        done = publish.publish_day(settings, store, the_day, datetime.now(UTC), out, email)
    typer.echo(
        f"digest of {done.day}: {done.stories} stories -> "
        f"{(done.out_dir / 'index.html').resolve()}{' (e-mailed)' if done.emailed else ''}"
    )


def _day(value: str | None, settings: config.Settings) -> date:
    if value is None:
        return datetime.now(settings.digest.tz).date()
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise _fail(f"--date must be YYYY-MM-DD, got {value!r}") from e


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

    with _opened() as (settings, store):
        start, end = publish.day_bounds(_day(day, settings), settings)
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

    with _opened() as (_settings, store), store.session() as session:
        try:
            kept = edits.merge(session, a, b, datetime.now(UTC), claims.track)
        except InputError as e:
            raise _fail(str(e), 1) from e
    typer.echo(f"merged {a} and {b} into {kept}")


@stories_app.command("split")
def stories_split(story: str, entry: str) -> None:
    """Move one entry (and its copies) out of a story into a story of its own."""
    from monitor import claims
    from monitor.store import edits

    with _opened() as (_settings, store), store.session() as session:
        try:
            new_id = edits.split(session, story, entry, datetime.now(UTC), claims.track)
        except InputError as e:
            raise _fail(str(e), 1) from e
    typer.echo(f"entry {entry} now forms story {new_id}")


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
        raise _fail(f"not a valid feed URL: {url}") from e
    with _opened() as (_settings, store), store.session() as session:
        added = store_feeds.add_feed(session, str(checked.url), name, language, datetime.now(UTC))
        session.commit()
    typer.echo(("added " if added else "already subscribed: ") + str(checked.url))


@feeds_app.command("remove")
def feeds_remove(url: str) -> None:
    """Unsubscribe (stored entries are kept)."""
    from monitor.store import feeds as store_feeds

    with _opened() as (_settings, store), store.session() as session:
        removed = store_feeds.remove_feed(session, url)
        session.commit()
    if not removed:
        raise _fail(f"no such feed: {url}", 1)
    typer.echo(f"removed {url}")


@feeds_app.command("list")
def feeds_list() -> None:
    """The subscribed feeds."""
    from monitor.store import feeds as store_feeds

    with _opened() as (_settings, store), store.session() as session:
        for feed in store_feeds.list_feeds(session):
            typer.echo(f"{feed.url}\t{feed.name or feed.title}")


@feeds_app.command("status")
def feeds_status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Health of each feed: last status, error, next poll, entries."""
    from monitor.store import feeds as store_feeds

    with _opened() as (_settings, store), store.session() as session:
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
        raise _fail(f"{path}: {e}") from e
    with _opened() as (_settings, store), store.session() as session:
        added = sum(
            store_feeds.add_feed(session, o.url, o.name, o.language, datetime.now(UTC))
            for o in outlines
        )
        session.commit()
    typer.echo(f"imported {len(outlines)} feeds ({added} new)")


@feeds_app.command("export")
def feeds_export() -> None:
    """Print the subscriptions as OPML."""
    from monitor.opml import Outline, render_opml
    from monitor.store import feeds as store_feeds

    with _opened() as (_settings, store), store.session() as session:
        outlines = [
            Outline(f.url, f.name or f.title, f.language) for f in store_feeds.list_feeds(session)
        ]
    typer.echo(render_opml(outlines), nl=False)


@claims_app.command("extract")
def claims_extract(
    input_file: Annotated[Path | None, typer.Option("--input", help="JSONL {id, text}")] = None,
    language: Annotated[str, typer.Option()] = "en",
) -> None:
    """Extract claims from text on stdin, or from JSONL; print JSONL claims."""
    from monitor import claims

    try:
        inputs = read_claim_inputs(input_file, sys.stdin)
    except InputError as e:
        raise _fail(str(e)) from e
    for item_id, text in inputs:
        for claim in claims.extract(text, language):
            typer.echo(json.dumps(claims.claim_to_json(claim, item_id), ensure_ascii=False))


@app.command()
def cluster(
    input_file: Annotated[Path, typer.Option("--input", help="JSONL items")],
    output: Annotated[Path | None, typer.Option("--output")] = None,
) -> None:
    """Batch same-event clustering: prints {"id", "story"} per input item."""
    from monitor import dedup

    try:
        items = read_cluster_items(input_file)
    except InputError as e:
        raise _fail(str(e)) from e
    assignments = dedup.cluster_batch(items)
    lines = (json.dumps({"id": a.item_id, "story": a.story_id}) + "\n" for a in assignments)
    if output is None:
        for line in lines:
            sys.stdout.write(line)
    else:
        output.write_text("".join(lines), encoding="utf-8")


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="where the digest site goes")] = Path("site"),
    data: Annotated[Path, typer.Option(help="demo database directory")] = Path("demo-data"),
) -> None:
    """Serve the bundled sample feeds locally, poll them, and render today's digest."""
    from monitor.demo_run import run_demo

    try:
        index = run_demo(out, data, datetime.now(UTC))
    except MonitorError as e:
        raise _fail(str(e), 1) from e
    typer.echo(f"\nThe digest is ready: {index}\nOpen it in a browser: file://{index}")


def main() -> None:
    app()
