"""Benchmark the digest: build_day + render_site for 200 and 2,000 synthetic stories.

Prints the per-story cost at each size and their ratio (goal: <= 1.3, i.e. linear).
Run: .venv/bin/python bench/digest.py
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from monitor.digest import build_day, default_templates_dir, render_email, render_site
from monitor.types import (
    EntryView,
    FeedHealth,
    Qualifier,
    StepLabel,
    StoryView,
    Track,
    TrackStep,
)

DAY = date(2026, 11, 24)
TZ = ZoneInfo("Europe/Kyiv")
OUTLETS = [f"Outlet {i}" for i in range(40)]
LABELS: tuple[StepLabel, ...] = ("consistent", "revised_up", "revised_down", "conflicting")
QUALIFIERS: tuple[Qualifier, ...] = ("exact", "approx", "more_than")


def synthetic(n: int, seed: int = 7) -> list[StoryView]:
    rng = random.Random(seed)
    base = datetime(2026, 11, 23, 12, tzinfo=UTC)
    out = []
    for i in range(n):
        sid = f"story/{i}?x"
        count = rng.randint(3, 8)
        times = sorted(base + timedelta(minutes=rng.randint(0, 36 * 60)) for _ in range(count))
        entries = []
        for j, t in enumerate(times):
            kind = "new" if j == 0 else rng.choice(("join", "join", "copy"))
            entries.append(
                EntryView(
                    entry_id=f"{i}-{j}",
                    outlet=rng.choice(OUTLETS),
                    title=f"Headline {i} from report {j} about events",
                    link=f"https://news{j}.example/{i}/{j}",
                    summary="Words of the summary go here " * 12,
                    published=t,
                    kind=kind,  # type: ignore[arg-type]
                    duplicate_of=f"{i}-0" if kind == "copy" else None,
                )
            )
        tracks = []
        for k in range(2):
            value = float(rng.randint(10, 5000))
            steps = []
            for j, e in enumerate(entries[:3]):
                label: StepLabel = "first" if j == 0 else rng.choice(LABELS)
                value = value * rng.choice((1.0, 1.0, 1.2, 0.9))
                steps.append(
                    TrackStep(
                        e.entry_id,
                        e.outlet,
                        e.published,
                        round(value),
                        None,
                        None,
                        rng.choice(QUALIFIERS),
                        "x",
                        label,
                    )
                )
            tracks.append(Track(sid, f"k{k}", None, f"noun{k}", "verb", tuple(steps)))
        out.append(
            StoryView(sid, f"Story number {i}", times[0], times[-1], tuple(entries), tuple(tracks))
        )
    return out


HEALTH = [
    FeedHealth(
        f"https://f{i}.example/rss",
        f"Feed {i}",
        200,
        None,
        1 if i % 7 == 0 else 0,
        False,
        None,
        None,
    )
    for i in range(50)
]


def measure(n: int, repeat: int = 3) -> tuple[float, float, int]:
    """(seconds per story for build_day + render_site, for render_email, cards on the day)."""
    stories = synthetic(n)
    templates = default_templates_dir()
    archive = [DAY - timedelta(days=d) for d in range(30)]
    site_best = mail_best = float("inf")
    cards = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        digest = build_day(stories, HEALTH, DAY, TZ)
        render_site(digest, archive, templates)
        t1 = time.perf_counter()
        render_email(digest, templates, "m@example.org", ["a@example.org"], "digest")
        t2 = time.perf_counter()
        site_best, mail_best = min(site_best, t1 - t0), min(mail_best, t2 - t1)
        cards = len(digest.cards)
    return site_best / n, mail_best / n, cards


def main() -> None:
    results = {}
    for n in (200, 2000):
        site, mail, cards = measure(n)
        results[n] = (site, mail)
        print(
            f"{n:>5} stories ({cards} on the day): site {site * 1e3:.3f} ms/story, "
            f"e-mail {mail * 1e3:.3f} ms/story"
        )
    site_ratio = results[2000][0] / results[200][0]
    mail_ratio = results[2000][1] / results[200][1]
    print(f"ratio 2000/200 per story: site {site_ratio:.2f}, e-mail {mail_ratio:.2f} (goal <= 1.3)")


if __name__ == "__main__":
    main()
