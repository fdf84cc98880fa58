"""Per-item cost of story clustering at 10,000 and 100,000 generated items.

Generates synthetic news items offline (events with made-up names, places and
numbers, several outlets each rewording a shared fact sheet, some wire copies)
at a steady rate per day, feeds them through ``cluster_batch`` and prints the
per-item cost at both sizes, their ratio (flat cost means ratio near 1) and the
peak traced memory. Needs no network and no eval data.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.dedup import cluster_batch  # noqa: E402
from monitor.types import ClusterItem  # noqa: E402

_SYLLABLES = "ka lo mi ra ten vis dor an el sha quin bar mo zet ri cal fen ott ub".split()
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


def _article(rng: random.Random, ev: dict[str, list[str]]) -> tuple[str, str]:
    facts = ev["people"] + ev["place"] + ev["numbers"] + ev["topic"] * 2
    title = " ".join(rng.sample(facts, 3) + rng.sample(_COMMON, 4)).capitalize()
    sentences = []
    for _ in range(rng.randint(6, 14)):
        words = rng.sample(_COMMON, 8) + rng.sample(facts, 2)
        rng.shuffle(words)
        sentences.append(" ".join(words).capitalize() + ".")
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
            items.append(ClusterItem(f"i{k}-{j}", title, text, when, f"outlet{rng.randint(0, 300)}"))
        k += 1
    return items[:n]


def measure(n: int) -> tuple[float, float]:
    """(microseconds per item, peak traced MiB) for clustering ``n`` generated items."""
    items = generate(n)
    tracemalloc.start()
    t = time.perf_counter()
    cluster_batch(items)
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed / n * 1e6, peak / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--large", type=int, default=100_000)
    args = ap.parse_args()
    small_us, small_mb = measure(args.small)
    print(f"{args.small} items: {small_us:.0f} us/item, peak traced memory {small_mb:.1f} MiB")
    large_us, large_mb = measure(args.large)
    print(f"{args.large} items: {large_us:.0f} us/item, peak traced memory {large_mb:.1f} MiB")
    print(f"per-item cost ratio large/small: {large_us / small_us:.2f} (goal <= 1.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
