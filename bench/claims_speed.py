"""Claim extraction time per entry vs feed parsing (feedparser via monitor.parse) per entry.

Builds one RSS document from realistic items (GVA article titles and leads,
NewsQuant sentences when ../shared/eval is present; synthetic text
otherwise), parses it with ``monitor.parse.parse`` (feedparser) and runs
``monitor.claims.extract`` on each parsed entry's title + summary, in one
run: parse and extract rounds alternate and each side keeps its fastest round (the
machine is shared, so the minimum is the least noisy estimate for both). Prints both
per-entry times and the ratio (goal: extraction <= 1/4 of parsing), by wall clock and by
CPU time of the process (less sensitive to other load on a shared machine).

A second part does the same on the real captured feeds of ../shared/eval/feeds (each file
parsed as fetched, its entries' claims extracted from the text the daemon uses, in the
language the feed or entry names), summed over all their entries: feeds as they are
served, with markup, several fields per entry and a feed's own overhead, where the first
part's feed is the cheapest a parser can get and its text the densest in figures.
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
from monitor.pipeline.outcome import claim_text  # noqa: E402

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
    real_feeds()
    return 0


def real_feeds() -> None:
    root = EVAL / "feeds"
    files = sorted(p for p in root.rglob("*") if p.suffix in {".xml", ".rss", ".atom"})
    if not files:
        print(f"real feeds: skipped, no captured feeds under {root}")
        return
    cpu = {"parse": 0.0, "extract": 0.0}
    entries = claims = 0
    per_file: list[tuple[float, int, str]] = []
    for path in files:
        body = path.read_bytes()
        url = "https://example.org/" + path.name
        try:
            first = parse(body, url)
        except Exception:  # noqa: BLE001 - a fixture monitor refuses costs nothing here
            continue
        if not first.entries:
            continue
        feed_lang = first.language or "en"
        best = {"parse": float("inf"), "extract": float("inf")}
        found = 0
        for _ in range(ROUNDS):
            c0 = time.process_time()
            parsed = parse(body, url)
            c1 = time.process_time()
            found = sum(
                len(extract(claim_text(e), e.language or feed_lang)) for e in parsed.entries
            )
            c2 = time.process_time()
            best["parse"] = min(best["parse"], c1 - c0)
            best["extract"] = min(best["extract"], c2 - c1)
        entries += len(first.entries)
        claims += found
        cpu["parse"] += best["parse"]
        cpu["extract"] += best["extract"]
        per_file.append((best["extract"] / best["parse"], len(first.entries), path.name))
    if not entries:
        print(f"real feeds: skipped, none of the {len(files)} files under {root} has entries")
        return
    parse_us, extract_us = cpu["parse"] / entries * 1e6, cpu["extract"] / entries * 1e6
    print(f"real feeds: {len(per_file)} files, {entries} entries, {claims} claims per pass")
    print(
        f"cpu  parse (feedparser via monitor.parse) {parse_us:7.1f} us/entry, "
        f"claims.extract {extract_us:7.1f} us/entry, "
        f"ratio {extract_us / parse_us:.3f} (goal <= 0.25)"
    )
    per_file.sort()
    ratios = [r for r, _, _ in per_file]
    print(
        f"     per file: median ratio {ratios[len(ratios) // 2]:.3f}, "
        f"{sum(r <= 0.25 for r in ratios)} of {len(ratios)} files within the goal; highest: "
        + ", ".join(f"{name} ({n} entries) {r:.2f}" for r, n, name in per_file[-3:])
    )


if __name__ == "__main__":
    raise SystemExit(main())
