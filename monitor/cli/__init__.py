"""The `monitor` command (typer). The outermost shell.

Loads settings first (a broken config exits 2 before the database is
touched), opens the store, and hands over to pipeline, publish or daemon.
Touches: argv, stdin/stdout/stderr, the clock, files named on the command line.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress

from monitor import config, orphans
from monitor.cli.common import STATE, day_or_today, err, fail, opened, setup_logging
from monitor.cli.feeds import feeds_app
from monitor.cli.stories import stories_app
from monitor.cli_io import read_claim_inputs, read_cluster_items
from monitor.errors import InputError, MonitorError, StoreError

if TYPE_CHECKING:
    from monitor.pipeline import PollReport
    from monitor.store import Store

# Heavy modules (the store, the pipeline, NLP) are imported inside the commands
# that need them, so `monitor --help` and the small commands start fast.

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="monitor: polls news feeds, groups stories, tracks claimed numbers.",
)
claims_app = typer.Typer(no_args_is_help=True, help="Numeric claims.")
app.add_typer(feeds_app, name="feeds")
app.add_typer(claims_app, name="claims")
app.add_typer(stories_app, name="stories")


@app.callback()
def main_options(
    config_path: Annotated[Path, typer.Option("--config", help="config file")] = Path(
        "config.yaml"
    ),
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    STATE.config_path = config_path
    setup_logging(verbose)


@app.command()
def init(force: Annotated[bool, typer.Option(help="overwrite an existing file")] = False) -> None:
    """Write a commented starter config.yaml."""
    path = STATE.config_path
    if path.exists() and not force:
        raise fail(f"{path} exists (use --force to overwrite)", 1)
    path.write_text(config.STARTER, encoding="utf-8")
    typer.echo(f"wrote {path}")


@app.command()
def poll(
    once: Annotated[bool, typer.Option("--once", help="one cycle, then exit")] = False,
    everything: Annotated[bool, typer.Option("--all", help="every active feed now")] = False,
) -> None:
    """Poll due feeds once (the daemon is `monitor run`)."""
    if not once:
        raise fail("use `monitor poll --once` (or `monitor run` for the daemon)")
    with opened() as (settings, store):
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
    try:
        if not sys.stderr.isatty():
            return pipeline.poll_once(deps, now, everything)
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("polling", total=None)
            return pipeline.poll_once(
                deps, now, everything, progress=lambda _url, n: bar.advance(task, n)
            )
    finally:
        deps.close()


@app.command()
def run() -> None:
    """Run the daemon: poll on schedule, digest daily; SIGTERM exits cleanly."""
    from monitor import daemon

    with opened() as (settings, store):
        try:
            daemon.run(settings, store)
        except StoreError as e:
            raise fail(str(e)) from e


@app.command()
def digest(
    day: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default today)")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="output directory")] = None,
    email: Annotated[bool, typer.Option("--email", help="also send the e-mail")] = False,
) -> None:
    """Render the digest of one day into the static site (and e-mail it)."""
    from monitor import publish

    with opened() as (settings, store):
        the_day = day_or_today(day, settings)
        done = publish.publish_day(settings, store, the_day, datetime.now(UTC), out, email)
    typer.echo(
        f"digest of {done.day}: {done.stories} stories -> "
        f"{(done.out_dir / 'index.html').resolve()}{' (e-mailed)' if done.emailed else ''}"
    )


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
        raise fail(str(e)) from e
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
        raise fail(str(e)) from e
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
        raise fail(str(e), 1) from e
    typer.echo(f"\nThe digest is ready: {index}\nOpen it in a browser: file://{index}")


def main() -> None:
    orphans.children_skip_main()  # the console script's children: not the whole CLI again
    app()
