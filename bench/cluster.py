"""Per-item cost of story clustering at 10,000 and 100,000 generated items.

Generates synthetic news items offline (events with made-up names, places and
numbers, several outlets each rewording a shared fact sheet, some wire copies)
at a steady rate per day, feeds them through ``cluster_batch`` and prints the
per-item cost at both sizes, their ratio (flat cost means ratio near 1) and the
peak resident memory, the memory one item of a dense window costs (tracemalloc),
and the memory one dormant story costs (stories kept as compact signatures beyond
the active window). Needs no network and no eval data.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.dedup import StoryClusterer, cluster_batch  # noqa: E402
from monitor.dedup.dormant import DormantIndex  # noqa: E402
from monitor.types import Assignment, ClusterItem  # noqa: E402

_SYLLABLES = (
    "ka lo mi ra ten vis dor an el sha quin bar mo zet ri cal fen ott ub nor wes gil pra tum "
    "hal bre cor dun fas jo lev nik pol ros sen tav ulm var yor zim bek dal"
).split()
_COMMON = (
    "police said the shooting happened near a home on street after an argument man woman "
    "teen officers arrived found victim hospital condition investigation suspect fled car "
    "witnesses heard shots night morning afternoon neighbors community family friends "
    "charged arrested court county department officials released statement video scene"
).split()
_TOPICS = "shooting fire crash flood robbery protest election strike storm trial".split()


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _event(rng: random.Random) -> dict[str, list[str]]:
    return {
        "people": [f"{_name(rng)} {_name(rng)}" for _ in range(rng.randint(1, 3))],
        "place": [f"{_name(rng)} Street", _name(rng) + "ville"],
        "numbers": [str(rng.randint(2, 99)) for _ in range(3)],
        "topic": [rng.choice(_TOPICS)],
    }


_FILLER = _COMMON + [f"{a}{b}" for a in _SYLLABLES[:20] for b in _SYLLABLES[20:]]
_WEIGHTS = [1.0 / (rank + 1) for rank in range(len(_FILLER))]  # Zipf-like word frequencies


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]  # keep the names' capitals


def _article(rng: random.Random, ev: dict[str, list[str]]) -> tuple[str, str]:
    facts = ev["people"] + ev["place"] + ev["numbers"] + ev["topic"]
    title = _sentence(rng.sample(facts, 3) + rng.choices(_FILLER, _WEIGHTS, k=4))
    sentences = []
    for _ in range(rng.randint(6, 14)):
        words = rng.choices(_FILLER, _WEIGHTS, k=8) + rng.sample(facts, 2)
        rng.shuffle(words)
        sentences.append(_sentence(words) + ".")
    return title, " ".join(sentences)


def generate(n: int, per_day: int = 200, seed: int = 7) -> list[ClusterItem]:
    """``n`` items, ``per_day`` a day, events of 1-6 reports over up to 3 days."""
    rng = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    items: list[ClusterItem] = []
    k = 0
    while len(items) < n:
        day = len(items) // per_day
        ev = _event(rng)
        t0 = start + timedelta(days=day, minutes=rng.randint(0, 1439))
        first: tuple[str, str] | None = None
        for j in range(rng.randint(1, 6)):
            title, text = _article(rng, ev)
            if first is not None and rng.random() < 0.2:
                title, text = first[0], first[1].replace(" the ", " a ", 2)  # wire copy
            first = first or (title, text)
            when = t0 + timedelta(hours=rng.uniform(0, 60))
            source = f"outlet{rng.randint(0, 300)}"
            items.append(ClusterItem(f"e{k}-{j}", title, text, when, source))
        k += 1
    return items[:n]


def purity(assignments: list[Assignment]) -> tuple[float, float]:
    """B-cubed precision and recall against the generating event (sanity check)."""
    by_story: dict[str, list[str]] = defaultdict(list)
    by_event: dict[str, int] = defaultdict(int)
    for a in assignments:
        event = a.item_id.split("-")[0]
        by_story[a.story_id].append(event)
        by_event[event] += 1
    prec = rec = 0.0
    for events in by_story.values():
        counts = Counter(events)
        for event, c in counts.items():
            prec += c * c / len(events)
            rec += c * c / by_event[event]
    return prec / len(assignments), rec / len(assignments)


def measure(n: int) -> tuple[float, float, float, float]:
    """(us per item, peak RSS MiB, B-cubed P, R) for clustering ``n`` generated items.

    Time is measured without tracemalloc (it slows allocation-heavy code
    several-fold); the CPU time of the process is printed too (steadier than the
    wall clock on a shared machine); memory is the process's peak resident set so far.
    """
    items = generate(n)
    t, cpu = time.perf_counter(), time.process_time()
    out = cluster_batch(items)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {n} items: CPU time {cpu / n * 1e6:.0f} us/item", flush=True)
    return (elapsed / n * 1e6, peak, *purity(out))


def window_bytes(n: int) -> tuple[int, float]:
    """(items in the active window, traced bytes each) after clustering ``n`` generated items
    dated within one window (``2 * n`` a day): what the daemon's window holds per entry in a
    dense stream, the fixed-size tables (document and story frequencies, boilerplate) included."""
    items = sorted(generate(n, per_day=2 * n), key=lambda it: (it.published, it.id))
    gc.collect()
    tracemalloc.start()
    c = StoryClusterer()
    for it in items:
        c.add(it)
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return c.active_items, grown / max(c.active_items, 1)


def dormant_bytes(n: int) -> tuple[int, float]:
    """(dormant stories, bytes each) after clustering ``n`` generated items: the memory
    freed by dropping the dormant tier, traced with tracemalloc."""
    items = sorted(generate(n), key=lambda it: (it.published, it.id))
    tracemalloc.start()
    c = StoryClusterer()
    for it in items:
        c.add(it)
    count = c.dormant_stories
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    c._dormant = DormantIndex()  # measurement only
    c._revived.clear()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return count, (before - after) / max(count, 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--large", type=int, default=100_000)
    ap.add_argument("--dormant", type=int, default=20_000, help="items for the dormant size")
    ap.add_argument(
        "--window-items", type=int, default=10_000, help="items for the window's size (0: skip)"
    )
    args = ap.parse_args()
    rows = []
    for n in (args.small, args.large):
        us, mib, p, r = measure(n)
        rows.append(us)
        print(
            f"{n} items: {us:.0f} us/item ({1e6 / us:.0f} items/s), "
            f"peak RSS {mib:.0f} MiB, synthetic B-cubed P={p:.3f} R={r:.3f}"
        )
    small_us, large_us = rows
    print(f"per-item cost ratio large/small: {large_us / small_us:.2f} (goal <= 1.3)")
    if args.window_items:
        active, each = window_bytes(args.window_items)
        print(f"{args.window_items} items in one window: {active} active, {each:.0f} bytes each")
    if args.dormant:
        count, each = dormant_bytes(args.dormant)
        print(f"{args.dormant} items: {count} dormant stories, {each:.0f} bytes each")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
