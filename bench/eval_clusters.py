"""Score story clustering on the GVA same-event set (B-cubed P/R/F1, items/s).

Converts ../shared/eval/gva/articles.jsonl to the batch format (id=doc_id,
title, text=content, published=dct, source=outlet domain from the archive.org
uri, url), clusters it with `python -m monitor cluster --input FILE` (or
``cluster_batch`` in-process when that CLI is missing, said in the output) and
prints the scores. ``--sweep`` also prints F1 at neighbouring thresholds and
``--windows`` at other windows (in-process); ``--horizon`` sets how long stories stay
dormant in the in-process runs (the clusterer's default otherwise). ``--halves`` also
scores the two halves of the incidents (split by a CRC32 of the incident id: tune on half
0, check on half 1), each among all articles (B-cubed over that half's articles, stories
keeping all their members, so a join across halves counts against it) and each clustered
alone. Reads the eval data in place.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.dedup import Scoring, StoryClusterer, cluster_batch  # noqa: E402
from monitor.types import ClusterItem  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval" / "gva" / "articles.jsonl"
_ARCHIVED = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(?:https?://)?([^/:?#]+)", re.I)


def outlet(uri: str) -> str:
    """The outlet's domain inside an archive.org URL ("www." dropped)."""
    m = _ARCHIVED.match(uri)
    host = m.group(1) if m else re.sub(r"^https?://", "", uri).split("/", 1)[0]
    return re.sub(r"^www\.", "", host.casefold())


def load(path: Path) -> tuple[list[dict[str, str]], dict[int, str]]:
    """Batch records (one per article, in file order) and gold incident per row."""
    rows: list[dict[str, str]] = []
    gold: dict[int, str] = {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            a = json.loads(line)
            rows.append(
                {
                    "id": f"{a['doc_id']}#{n}",  # doc_ids repeat (one article, two incidents)
                    "title": a["title"],
                    "text": a["content"],
                    "published": a["dct"] + "T00:00:00+00:00",
                    "source": outlet(a["uri"]),
                    "url": a["uri"],
                }
            )
            gold[n] = a["incident_id"]
    return rows, gold


def to_item(row: dict[str, str]) -> ClusterItem:
    return ClusterItem(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        published=datetime.fromisoformat(row["published"]).astimezone(UTC),
        source=row["source"],
        url=row["url"],
    )


def bcubed(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``pred`` against ``gold`` labels."""
    pc: dict[str, set[int]] = defaultdict(set)
    gc: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        pc[p].add(i)
        gc[g].add(i)
    prec = rec = 0.0
    for p, g in zip(pred, gold, strict=True):
        inter = len(pc[p] & gc[g])
        prec += inter / len(pc[p])
        rec += inter / len(gc[g])
    prec /= len(pred)
    rec /= len(pred)
    return prec, rec, 2 * prec * rec / (prec + rec)


def ceiling(rows: list[dict[str, str]], gold: dict[int, str], window: timedelta) -> float:
    """F1 of the gold clustering cut wherever an incident is silent > window (best possible)."""
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["published"], rows[i]["id"]))
    last: dict[str, datetime] = {}
    sid: dict[str, str] = {}
    pred = [""] * len(rows)
    for i in order:
        g, t = gold[i], datetime.fromisoformat(rows[i]["published"])
        if g not in last or t - last[g] > window:
            sid[g] = rows[i]["id"]
        last[g] = t
        pred[i] = sid[g]
    return bcubed(pred, [gold[i] for i in range(len(rows))])[2]


def run_cli(rows: list[dict[str, str]]) -> tuple[dict[str, str], float] | None:
    """Cluster through `python -m monitor cluster`; None when that CLI is not there."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "monitor", "cluster", "--input", str(path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"CLI unavailable (exit {proc.returncode}): {proc.stderr.strip()[-200:]}")
        return None
    stories = {}
    for line in proc.stdout.splitlines():
        if line.strip().startswith("{"):
            rec = json.loads(line)
            stories[rec["id"]] = rec["story"]
    return stories, elapsed


def run_direct(
    rows: list[dict[str, str]],
    window: timedelta,
    scoring: Scoring | None = None,
    horizon: timedelta | None = None,
) -> tuple[dict[str, str], float]:
    items = [to_item(r) for r in rows]
    start = time.perf_counter()
    out = cluster_batch(items, window, scoring=scoring, horizon=horizon)
    return {a.item_id: a.story_id for a in out}, time.perf_counter() - start


def report(
    label: str,
    rows: list[dict[str, str]],
    gold: dict[int, str],
    stories: dict[str, str],
    elapsed: float,
) -> float:
    pred = [stories[r["id"]] for r in rows]
    p, r, f = bcubed(pred, [gold[i] for i in range(len(rows))])
    print(
        f"{label}: P={p:.4f} R={r:.4f} F1={f:.4f}  stories={len(set(pred))}  "
        f"{len(rows) / elapsed:.0f} items/s ({elapsed:.1f} s)"
    )
    return f


def half_of(incident: str) -> int:
    """The half (0: tune, 1: check) of an incident: a hash of its id, not its content."""
    return zlib.crc32(incident.encode("utf-8")) % 2


def bcubed_of(
    pred: Sequence[str], gold: Sequence[str], keep: Sequence[int]
) -> tuple[float, float, float]:
    """B-cubed P/R/F1 over the rows ``keep``, clusters taken over all rows."""
    pc: dict[str, set[int]] = defaultdict(set)
    gc: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        pc[p].add(i)
        gc[g].add(i)
    prec = sum(len(pc[pred[i]] & gc[gold[i]]) / len(pc[pred[i]]) for i in keep) / len(keep)
    rec = sum(len(pc[pred[i]] & gc[gold[i]]) / len(gc[gold[i]]) for i in keep) / len(keep)
    return prec, rec, 2 * prec * rec / (prec + rec)


def report_halves(
    rows: list[dict[str, str]],
    gold: dict[int, str],
    stories: dict[str, str],
    window: timedelta,
    horizon: timedelta | None,
) -> None:
    labels = [gold[i] for i in range(len(rows))]
    pred = [stories[r["id"]] for r in rows]
    for h in (0, 1):
        keep = [i for i in range(len(rows)) if half_of(labels[i]) == h]
        p, r, f = bcubed_of(pred, labels, keep)
        alone = [rows[i] for i in keep]
        got, _ = run_direct(alone, window, horizon=horizon)
        pa, ra, fa = bcubed([got[x["id"]] for x in alone], [labels[i] for i in keep])
        print(
            f"  half {h} ({'tune' if h == 0 else 'check'}, {len(keep)} articles): among all "
            f"P={p:.4f} R={r:.4f} F1={f:.4f}; alone P={pa:.4f} R={ra:.4f} F1={fa:.4f}"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sweep", action="store_true", help="F1 at neighbouring thresholds")
    ap.add_argument("--windows", default="", help="extra windows in days, e.g. 7,14")
    ap.add_argument("--direct", action="store_true", help="skip the CLI, call cluster_batch")
    ap.add_argument("--horizon", type=float, default=0.0, help="dormant horizon in days")
    ap.add_argument("--halves", action="store_true", help="score each half of the incidents")
    args = ap.parse_args()
    horizon = timedelta(days=args.horizon) if args.horizon else None
    if not EVAL.exists():
        print(f"skipped: {EVAL} is absent")
        return 0
    rows, gold = load(EVAL)
    window = timedelta(days=3)
    print(f"{len(rows)} articles, {len(set(gold.values()))} incidents")
    print(
        f"singletons F1={bcubed([r['id'] for r in rows], list(gold.values()))[2]:.4f}; "
        f"best possible with a {window.days}-day window F1={ceiling(rows, gold, window):.4f}"
    )
    dormant = (horizon or StoryClusterer().horizon).days
    print(
        f"best possible with stories dormant up to {dormant} days "
        f"F1={ceiling(rows, gold, timedelta(days=dormant)):.4f}"
    )
    got = None if args.direct else run_cli(rows)
    if got is None:
        print("using monitor.dedup.cluster_batch in-process (fallback)")
        got = run_direct(rows, window, horizon=horizon)
        label = "cluster_batch, window 3 d"
    else:
        label = "monitor cluster CLI, window 3 d (items/s include interpreter start)"
    report(label, rows, gold, *got)
    if args.halves:
        report_halves(rows, gold, got[0], window, horizon)
    base = Scoring()
    if args.sweep:
        for factor in (0.67, 0.8, 0.9, 1.1, 1.25, 1.5):
            sc = replace(base, threshold=round(base.threshold * factor, 4))
            report(
                f"  threshold {sc.threshold:.3f} (x{factor})",
                rows,
                gold,
                *run_direct(rows, window, sc, horizon),
            )
    for days in [int(d) for d in args.windows.split(",") if d]:
        w = timedelta(days=days)
        print(f"window {days} d: best possible F1={ceiling(rows, gold, w):.4f}")
        report(
            f"  cluster_batch, window {days} d", rows, gold, *run_direct(rows, w, horizon=horizon)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
