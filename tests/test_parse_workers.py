"""Parsing in worker processes (poll.parse_processes): same results as inline, a dead
or stuck worker costs only its own feed, and no worker outlives a killed daemon."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from monitor import pipeline
from monitor.demo import DemoFeedServer
from monitor.errors import ParseError
from monitor.pipeline import parsing
from monitor.store import Store
from monitor.store.tables import ClaimRow, EntryRow
from tests.test_pipeline import NOW, _subscribed

ROOT = Path(__file__).resolve().parents[1]


def _rss(items: int, words: int = 40) -> bytes:
    text = " ".join(f"word{n}" for n in range(words))
    body = "".join(
        f"<item><title>Item {i}: 12 people {text}</title><guid>g{i}</guid>"
        f"<link>https://example.org/{i}</link><description>{text} {i}</description></item>"
        for i in range(items)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    return f"{head}{body}</channel></rss>".encode()


Stored = tuple[list[tuple[str, str, str, str]], list[tuple[str, float]]]


def _stored(store: Store) -> Stored:
    # Story ids are left out: they name a story's first entry in arrival order, and the
    # order in which results arrive and are parsed differs between runs.
    with store.session() as session:
        entries = sorted(
            (e.guid, e.title, e.summary, e.content) for e in session.exec(select(EntryRow))
        )
        claims = sorted((c.text, c.value) for c in session.exec(select(ClaimRow)))
    return entries, claims


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoFeedServer]:
    with DemoFeedServer(now=NOW) as s:
        yield s


def test_worker_processes_store_what_inline_parsing_stores(
    demo: DemoFeedServer, tmp_path: Path
) -> None:
    results = []
    for processes in (0, 1):
        settings, store = _subscribed(demo, f"sqlite:///{tmp_path}/p{processes}.db")
        poll = settings.poll.model_copy(update={"parse_processes": processes})
        settings = settings.model_copy(update={"poll": poll})
        deps = pipeline.Deps(settings=settings, store=store, owner="t")
        report = pipeline.poll_once(deps, NOW, True)
        assert report.failed == 0 and report.new_entries > 20, report.errors
        results.append(_stored(store))
        store.close()
    assert results[0] == results[1]


def test_a_killed_worker_costs_no_innocent_feed_its_parse() -> None:
    body = _rss(200, words=20)
    with parsing.ProcessParser(1) as parser:
        parser.start()
        pending = [parser.submit(body, "https://example.org/feed", {}, 2000) for _ in range(3)]
        workers = _children_of_children(os.getpid())
        assert workers, "no parse worker found"
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        # every queued parse died with the worker; each is parsed again alone and succeeds
        for p in pending:
            assert len(p.result().entries) == 200
        after = parser.submit(body, "https://example.org/feed", {}, 2000)
        assert len(after.result().entries) == 200  # a fresh pool took over


def test_a_parse_past_its_time_is_that_feeds_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with parsing.ProcessParser(1) as parser:
        parser.start()
        monkeypatch.setattr(parsing, "PARSE_TIMEOUT_S", 0.05)
        slow = parser.submit(_rss(2000, words=200), "https://example.org/feed", {}, 2000)
        with pytest.raises(ParseError, match="longer than"):
            slow.result()
    monkeypatch.setattr(parsing, "PARSE_TIMEOUT_S", 60.0)
    inline = parsing.InlineParser().submit(b"<rss", "https://example.org/feed", {}, 10)
    with pytest.raises(ParseError):
        inline.result()


def test_no_parse_process_outlives_a_killed_daemon() -> None:
    code = (
        "import time\n"
        "from monitor.pipeline.parsing import ProcessParser\n"
        "p = ProcessParser(1)\n"
        "p.start()\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n"
    )
    assert_no_child_outlives(code)


def assert_no_child_outlives(code: str) -> None:
    """Run ``code`` (it prints "ready" once its children run), SIGKILL it: none of its
    descendants (the fork server and what it forked) may live on."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        helpers = _descendants(proc.pid)
        assert len(helpers) >= 2, helpers  # the fork server and a child (and a tracker)
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_running(p) for p in helpers):
        time.sleep(0.2)
    assert not [p for p in helpers if _running(p)], "child processes outlived the daemon"


def _parents() -> dict[int, int]:
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            table[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return table


def _descendants(pid: int) -> list[int]:
    parents, found, frontier = _parents(), [], [pid]
    while frontier:
        children = [c for c, p in parents.items() if p in frontier]
        found += children
        frontier = children
    return found


def _children_of_children(pid: int) -> list[int]:
    """The pool's workers: children of the fork server, itself a child of ``pid``."""
    parents = _parents()
    servers = [c for c, p in parents.items() if p == pid]
    return [c for c, p in parents.items() if p in servers]


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def test_deps_stop_their_parse_workers_when_closed_or_collected(
    demo: DemoFeedServer, tmp_path: Path
) -> None:
    for how in ("close", "collect"):
        before = set(_children_of_children(os.getpid()))
        settings, store = _subscribed(demo, f"sqlite:///{tmp_path}/{how}.db")
        deps = pipeline.Deps(settings=settings, store=store, owner="t")
        pipeline.poll_once(deps, NOW, True)
        mine = set(_children_of_children(os.getpid())) - before
        assert mine, "the cycle started no parse worker"
        if how == "close":
            deps.close()
        del deps
        gc.collect()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_running(p) for p in mine):
            time.sleep(0.1)
        assert not [p for p in mine if _running(p)], f"workers left after {how}"
        store.close()
