"""Claim extraction time per entry vs feed parsing (feedparser via monitor.parse) per entry.

Builds one RSS document from realistic items (GVA article titles and leads,
NewsQuant sentences when ../shared/eval is present; synthetic text
otherwise), parses it with ``monitor.parse.parse`` (feedparser) and runs
``monitor.claims.extract`` on each parsed entry's title + summary, in one
run: parse and extract rounds alternate and each side keeps its fastest round (the
machine is shared, so the minimum is the least noisy estimate for both). Prints both
per-entry times and the ratio (goal: extraction <= 1/4 of parsing), by wall clock and by
CPU time of the process (less sensitive to other load on a shared machine).
Touches: the eval files (read), the clock (timing only).
"""

from __future__ import annotations

import json
import sys
import time
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._claims_cli import EVAL  # noqa: E402
from monitor.claims import extract  # noqa: E402
from monitor.parse import parse  # noqa: E402

N_ITEMS = 300
ROUNDS = 7


def texts() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    gva = EVAL / "gva" / "articles.jsonl"
    if gva.exists():
        with gva.open(encoding="utf-8") as f:
            for line in f:
                a = json.loads(line)
                out.append((a["title"], a["content"][:800]))
                if len(out) >= N_ITEMS:
                    break
    while len(out) < N_ITEMS:
        k = len(out)
        out.append(
            (
                f"More than {k + 2},000 people evacuated, {k % 7} dead",
                f"Officials said about {k} homes were damaged and prices rose {k % 9}.5% to "
                f"${k}.20 on Tuesday. A man was shot and killed; two people were wounded.",
            )
        )
    return out


def feed(items: list[tuple[str, str]]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Bench</title><link>https://example.org/</link><description>d</description>"
    ]
    for n, (title, body) in enumerate(items):
        parts.append(
            f"<item><title>{escape(title)}</title><link>https://example.org/a/{n}</link>"
            f"<guid>https://example.org/a/{n}</guid><pubDate>Tue, 03 Mar 2026 10:00:00 GMT"
            f"</pubDate><description>{escape(body)}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def main() -> int:
    items = texts()
    body = feed(items)
    parsed = parse(body, "https://example.org/feed.xml")
    entries = parsed.entries
    n = len(entries)
    docs = [f"{e.title}\n\n{e.summary}" for e in entries]
    for text in docs[:20]:  # warm lemma caches as a running daemon would be
        extract(text)
    wall = {"parse": float("inf"), "extract": float("inf")}
    cpu = dict(wall)
    claims = 0
    for _ in range(ROUNDS):  # interleaved, so both sides see the same machine load
        w0, c0 = time.perf_counter(), time.process_time()
        parse(body, "https://example.org/feed.xml")
        w1, c1 = time.perf_counter(), time.process_time()
        claims = sum(len(extract(text)) for text in docs)
        w2, c2 = time.perf_counter(), time.process_time()
        wall["parse"] = min(wall["parse"], w1 - w0)
        wall["extract"] = min(wall["extract"], w2 - w1)
        cpu["parse"] = min(cpu["parse"], c1 - c0)
        cpu["extract"] = min(cpu["extract"], c2 - c1)
    print(f"entries: {n}, claims per pass: {claims}")
    for name, best in (("wall", wall), ("cpu", cpu)):
        parse_us, extract_us = best["parse"] / n * 1e6, best["extract"] / n * 1e6
        print(
            f"{name:4} parse (feedparser via monitor.parse) {parse_us:7.1f} us/entry, "
            f"claims.extract {extract_us:7.1f} us/entry, "
            f"ratio {extract_us / parse_us:.3f} (goal <= 0.25)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
