"""What `make demo` runs: the bundled feeds served locally, polled, digested.

Starts the demo feed server on a free loopback port, writes a demo config
(``<data>/config.yaml``, private addresses allowed for that server only),
polls every feed once into a fresh SQLite database under ``<data>``, and
renders today's digest into ``out``. The server stops with it.
Touches: the clock (passed in), files under ``data`` and ``out``, a loopback socket.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from monitor import config, pipeline, publish
from monitor.demo import DemoFeedServer
from monitor.store import Store
from monitor.store import feeds as store_feeds

log = logging.getLogger("monitor.demo")


def demo_config(server: DemoFeedServer, data: Path, out: Path) -> str:
    feeds = "\n".join(
        f'  - {{url: "{url}", name: "{name}", language: "{lang}"}}'
        for url, name, lang in server.feeds()
    )
    db = (data / "monitor.db").resolve()
    return (
        "# Written by `monitor demo`: the bundled sample feeds on a local server.\n"
        f'database: {{url: "sqlite:///{db}"}}\n'
        "fetch: {allow_private_addresses: true}\n"
        f"feeds:\n{feeds}\n"
        f'digest: {{out_dir: "{out.resolve()}", title: "monitor demo digest"}}\n'
    )


def run_demo(out: Path, data: Path, now: datetime) -> Path:
    """Run the whole demo; returns the path of the digest's index.html."""
    data.mkdir(parents=True, exist_ok=True)
    for old in data.glob("monitor.db*"):
        old.unlink()
    with DemoFeedServer(now=now) as server:
        cfg_path = data / "config.yaml"
        cfg_path.write_text(demo_config(server, data, out), encoding="utf-8")
        settings = config.load(cfg_path, environ={})
        store = Store.open(settings.database.url)
        try:
            with store.session() as session:
                for feed in settings.feeds:
                    store_feeds.add_feed(session, str(feed.url), feed.name, feed.language, now)
                session.commit()
            deps = pipeline.Deps(settings=settings, store=store, owner="demo")
            try:
                report = pipeline.poll_once(deps, now, everything=True)
            finally:
                deps.close()
            log.info(
                "demo: %d feeds, %d entries stored, %d failed",
                report.feeds,
                report.new_entries,
                report.failed,
            )
            for error in report.errors:
                log.error("demo: %s", error)
            day = now.astimezone(settings.digest.tz).date()
            done = publish.publish_day(settings, store, day, now)
        finally:
            store.close()
    print(f"{report.feeds} feeds polled, {report.new_entries} entries, {done.stories} stories")
    return (done.out_dir / "index.html").resolve()
