"""The `monitor` command as a user runs it: real processes, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.demo import DemoFeedServer

CONTRACT = {
    "value",
    "low",
    "high",
    "qualifier",
    "unit",
    "noun",
    "predicate",
    "text",
    "start",
    "end",
    "sentence",
}


def monitor(
    *args: str, cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    full_env.pop("MONITOR_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
    )


@pytest.fixture
def server() -> Iterator[DemoFeedServer]:
    with DemoFeedServer(now=datetime.now(UTC)) as s:
        yield s


def _config(tmp_path: Path, server: DemoFeedServer) -> Path:
    feeds = "\n".join(f'  - {{url: "{u}", name: "{n}"}}' for u, n, _ in server.feeds())
    path = tmp_path / "config.yaml"
    path.write_text(
        f'database: {{url: "sqlite:///{tmp_path}/m.db"}}\n'
        f"fetch: {{allow_private_addresses: true}}\nfeeds:\n{feeds}\n"
        f'digest: {{out_dir: "{tmp_path}/site"}}\n'
    )
    return path


def test_broken_config_exits_2_naming_the_line_and_touches_no_database(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(
        'database: {url: "sqlite:///m.db"}\nfetch:\n  timeout_s: "soon"\n'
    )
    done = monitor("poll", "--once", cwd=tmp_path)
    assert done.returncode == 2
    assert "config.yaml:3: fetch.timeout_s" in done.stderr
    assert not (tmp_path / "m.db").exists()


def test_missing_database_directory_exits_2(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text('database: {url: "sqlite:///nowhere/m.db"}\n')
    done = monitor("feeds", "list", cwd=tmp_path)
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_read_only_database_directory_exits_2(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root ignores permission bits; /proc refuses new files even to root
        ro = Path("/proc")
    else:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
    (tmp_path / "config.yaml").write_text(f'database: {{url: "sqlite:///{ro}/m.db"}}\n')
    done = monitor("feeds", "list", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "not writable" in done.stderr or "cannot open database" in done.stderr
    assert "Traceback" not in done.stderr


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    assert monitor("init", cwd=tmp_path).returncode == 0
    assert "allow_private_addresses" in (tmp_path / "config.yaml").read_text()
    assert monitor("init", cwd=tmp_path).returncode == 1
    assert monitor("feeds", "list", cwd=tmp_path).returncode == 0


def test_feeds_add_list_remove_import_export(tmp_path: Path) -> None:
    assert monitor("init", cwd=tmp_path).returncode == 0
    assert (
        monitor("feeds", "add", "https://a.example/rss", "--name", "A", cwd=tmp_path).returncode
        == 0
    )
    assert monitor("feeds", "add", "not a url", cwd=tmp_path).returncode == 2
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="B" xmlUrl="https://b.example/'
        'feed"/><outline text="A" xmlUrl="https://a.example/rss"/></body></opml>'
    )
    imported = monitor("feeds", "import", str(opml), cwd=tmp_path)
    assert "imported 2 feeds (1 new)" in imported.stdout
    listed = monitor("feeds", "list", cwd=tmp_path).stdout.splitlines()
    assert [line.split("\t")[0] for line in listed] == [
        "https://a.example/rss",
        "https://b.example/feed",
    ]
    exported = monitor("feeds", "export", cwd=tmp_path).stdout
    assert 'xmlUrl="https://b.example/feed"' in exported
    assert monitor("feeds", "remove", "https://a.example/rss", cwd=tmp_path).returncode == 0
    assert monitor("feeds", "remove", "https://a.example/rss", cwd=tmp_path).returncode == 1
    assert len(monitor("feeds", "list", cwd=tmp_path).stdout.splitlines()) == 1


def test_poll_status_stories_digest(tmp_path: Path, server: DemoFeedServer) -> None:
    cfg = _config(tmp_path, server)
    done = monitor("--config", str(cfg), "poll", "--once", "--all", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "7 feeds polled" in done.stdout
    status = [
        json.loads(line)
        for line in monitor(
            "--config", str(cfg), "feeds", "status", "--json", cwd=tmp_path
        ).stdout.splitlines()
    ]
    assert len(status) == 7
    for row in status:
        assert {"url", "last_status", "error", "next_poll_at", "entries"} <= set(row)
        assert row["last_status"] == 200 and row["error"] is None and row["entries"] > 0
    stories = [
        json.loads(line)
        for line in monitor(
            "--config", str(cfg), "stories", "--json", cwd=tmp_path
        ).stdout.splitlines()
    ]
    assert sum(len(s["outlets"]) >= 2 for s in stories) >= 3
    assert any(s["tracks"] for s in stories)
    # due feeds only: nothing is due right after a poll
    again = monitor("--config", str(cfg), "poll", "--once", cwd=tmp_path)
    assert "0 feeds polled" in again.stdout
    digest = monitor("--config", str(cfg), "digest", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert digest.returncode == 0, digest.stderr
    index = (tmp_path / "out" / "index.html").read_text()
    assert index.count('<article class="story"') >= 3


def test_database_url_from_the_environment(tmp_path: Path) -> None:
    env = {"MONITOR_DATABASE_URL": f"sqlite:///{tmp_path}/env.db"}
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "feeds", "add", "https://e.example/rss"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "env.db").exists()


def test_claims_extract_contract(tmp_path: Path) -> None:
    text = "More than 2,000 Russian soldiers have surrendered, officials said."
    done = monitor("claims", "extract", cwd=tmp_path, stdin=text)
    assert done.returncode == 0, done.stderr
    claims = [json.loads(line) for line in done.stdout.splitlines()]
    assert claims and set(claims[0]) == CONTRACT
    c = claims[0]
    assert (c["value"], c["qualifier"], c["low"], c["high"]) == (2000, "more_than", 2000, None)
    assert text[c["start"] : c["end"]] == c["text"]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text(
        json.dumps({"id": "a", "text": "Fourteen officers seized it."})
        + "\n"
        + json.dumps({"id": "b", "text": "No numbers here."})
        + "\n"
    )
    rows = [
        json.loads(line)
        for line in monitor(
            "claims", "extract", "--input", str(jsonl), cwd=tmp_path
        ).stdout.splitlines()
    ]
    assert [(r["id"], r["value"]) for r in rows] == [("a", 14)]
    assert set(rows[0]) == CONTRACT | {"id"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    failed = monitor("claims", "extract", "--input", str(bad), cwd=tmp_path)
    assert failed.returncode == 2 and "bad.jsonl:1" in failed.stderr


def test_cluster_contract(tmp_path: Path) -> None:
    items = [
        {
            "id": "1",
            "title": "Fire at Halvorsen plastics plant kills two workers in Brennport",
            "text": "Two workers died when fire swept through the Halvorsen Plastics plant on "
            "Kestrel Road in Brennport.",
            "published": "2026-11-24T08:00:00Z",
            "source": "a.example",
            "url": "https://a.example/1",
        },
        {
            "id": "2",
            "title": "Two killed in Brennport factory blaze on Kestrel Road",
            "text": "A blaze at the Halvorsen Plastics factory on Kestrel Road, Brennport, killed "
            "two workers.",
            "published": "2026-11-24T09:00:00+00:00",
            "source": "b.example",
            "url": "https://b.example/2",
        },
        {
            "id": "3",
            "title": "Central bank raises key rate to 6.25%",
            "text": "The central bank raised its key rate by half a point.",
            "published": "2026-11-24",
            "source": "c.example",
            "url": "https://c.example/3",
        },
    ]
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(i) + "\n" for i in items))
    out = tmp_path / "out.jsonl"
    done = monitor("cluster", "--input", str(path), "--output", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = {r["id"]: r["story"] for r in map(json.loads, out.read_text().splitlines())}
    assert set(rows) == {"1", "2", "3"}
    assert rows["1"] == rows["2"] != rows["3"]


def test_stories_merge_and_split_report_bad_ids(tmp_path: Path) -> None:
    assert monitor("init", cwd=tmp_path).returncode == 0
    merged = monitor("stories", "merge", "s-nope", "s-none", cwd=tmp_path)
    assert merged.returncode == 1 and "no such story" in merged.stderr
    split = monitor("stories", "split", "s-nope", "e1", cwd=tmp_path)
    assert split.returncode == 1 and "no such story" in split.stderr
