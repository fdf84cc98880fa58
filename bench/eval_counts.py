"""Victim counts on GVA: killed / injured per incident from claims across outlets.

Groups ../shared/eval/gva/articles.jsonl by incident_id, extracts claims from
title + content (via the CLI), builds ClaimReports (story = incident, outlet =
the archived site's host), runs ``monitor.claims.track`` and decides each
incident's killed and injured counts: per track class (kill / injure / shoot)
the most common value over its steps (ties -> the latest); figures of one
person ("a woman was injured", "one man is in critical condition") do not vote
when some report counts several: they name one victim among them. Injured
falls back to shot - killed when no injury figure was given, and is at least
shot - killed when the injury figures only name single persons. A single
injured person in an incident with a death, never said in a sentence with the
death, is taken to be the one who died ("critically injured ... has died").
Suspects count (the Gun Violence Archive counts them too). Prints exact-match
accuracy against num_killed / num_injured.
Touches: the eval files (read), a subprocess (the CLI).
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._claims_cli import EVAL, extract_jsonl, half  # noqa: E402
from monitor.claims import track  # noqa: E402
from monitor.types import Claim, ClaimReport, Track  # noqa: E402

KILL = {"kill", "die", "dead", "murder", "slay", "fatal", "execute"}
INJURE = {"injure", "wound", "hurt", "hospitalize", "hospitalise", "graze", "stab", "treat"}
SHOOT = {"shoot", "hit", "strike"}
NOT_VICTIMS = {
    "shot",
    "round",
    "bullet",
    "gunshot",
    "shell",
    "casing",
    "year",
    "time",
    "day",
    "hour",
    "minute",
    "week",
    "month",
    "gun",
    "arrest",
    "charge",
}


def outlet(uri: str) -> str:
    inner = uri.split("/http", 1)[-1]
    host = urlparse("http" + inner if not inner.startswith("http") else inner).hostname
    return (host or uri).removeprefix("www.")


def claim_of(obj: dict[str, object]) -> Claim:
    return Claim(
        value=float(obj["value"]),  # type: ignore[arg-type]
        low=None if obj["low"] is None else float(obj["low"]),  # type: ignore[arg-type]
        high=None if obj["high"] is None else float(obj["high"]),  # type: ignore[arg-type]
        qualifier=obj["qualifier"],  # type: ignore[arg-type]
        unit=obj["unit"],  # type: ignore[arg-type]
        noun=obj["noun"],  # type: ignore[arg-type]
        predicate=obj["predicate"],  # type: ignore[arg-type]
        text=str(obj["text"]),
        start=int(obj["start"]),  # type: ignore[call-overload]
        end=int(obj["end"]),  # type: ignore[call-overload]
        sentence=str(obj["sentence"]),
    )


def victim_class(c: Claim) -> str | None:
    if c.unit is not None or c.value != int(c.value) or not 0 <= c.value <= 100:
        return None
    if c.noun in NOT_VICTIMS:
        return None
    p = c.predicate or ""
    if p in KILL:
        return "kill"
    if p in INJURE:
        return "injure"
    if p in SHOOT:
        return "shoot"
    return None


def decide(tracks: list[Track]) -> int:
    """Most common value over the steps of the class's tracks (one per entry; ties -> latest).

    When some step counts several, steps of one do not vote.
    """
    several = any(s.value >= 2 for t in tracks for s in t.steps)
    best: dict[str, tuple[float, datetime]] = {}
    for t in tracks:
        for s in t.steps:
            if several and s.value < 2:
                continue
            if s.entry_id not in best or s.value > best[s.entry_id][0]:
                best[s.entry_id] = (s.value, s.published)
    votes: Counter[float] = Counter(v for v, _ in best.values())
    latest: dict[float, datetime] = {}
    for v, when in best.values():
        latest[v] = max(latest.get(v, when), when)
    value = max(votes, key=lambda v: (votes[v], latest[v], v))
    return int(value)


def killed_injured(
    counts: dict[str, int], reports: dict[str, list[ClaimReport]], death_sentences: set[str]
) -> tuple[int, int]:
    """An incident's (killed, injured) from the decided value of each class."""
    killed = counts.get("kill", 0)
    shot_alive = max(0, counts.get("shoot", 0) - killed)
    if "injure" not in counts:
        return killed, shot_alive
    injured = counts["injure"]
    if any(r.claim.value > 1 for r in reports["injure"]):
        return killed, injured
    if killed >= 1 and not any(r.claim.sentence in death_sentences for r in reports["injure"]):
        return killed, shot_alive  # the one injured is the one who died later
    return killed, max(injured, shot_alive)


def main() -> int:
    base = EVAL / "gva"
    if not (base / "articles.jsonl").exists():
        print(f"skip: {base} not found (../shared/eval is absent)")
        return 0
    articles = [json.loads(line) for line in (base / "articles.jsonl").open(encoding="utf-8")]
    gold = {}
    for line in (base / "incidents.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        gold[d["incident_id"]] = (int(d["num_killed"]), int(d["num_injured"]))
    articles = [a for a in articles if a["incident_id"] in gold]
    items = [(a["doc_id"], f"{a['title']}\n\n{a['content']}") for a in articles]
    claims, how = extract_jsonl(items)
    by_incident: dict[str, dict[str, list[ClaimReport]]] = defaultdict(lambda: defaultdict(list))
    death_sentences: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        published = datetime.fromisoformat(a["dct"])
        per_article: dict[str, Claim] = {}
        for obj in claims.get(a["doc_id"], []):
            c = claim_of(obj)
            cls = victim_class(c)
            if cls is not None:
                per_article.setdefault(cls, c)
            if cls == "kill":
                death_sentences[a["incident_id"]].add(c.sentence)
        for cls, c in per_article.items():
            # one figure per article and class: the first it states (title, then lead)
            by_incident[a["incident_id"]][cls].append(
                ClaimReport(c, a["doc_id"], outlet(a["uri"]), published, a["incident_id"])
            )
    verbose = "-v" in sys.argv
    only = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--half=")), None)
    ok: dict[str, Counter[str]] = {h: Counter() for h in "AB"}
    incidents = sorted({a["incident_id"] for a in articles})
    for inc in incidents:
        counts: dict[str, int] = {}
        for cls, reports in by_incident[inc].items():
            counts[cls] = decide(track(reports))
        killed, injured = killed_injured(counts, by_incident[inc], death_sentences[inc])
        gk, gi = gold[inc]
        h = half(inc)
        show = verbose and only in (None, h)
        if show and (killed != gk or injured != gi):
            print(f"--- {inc} gold k={gk} i={gi} got k={killed} i={injured} {dict(counts)}")
            for cls, reports in by_incident[inc].items():
                for r in reports:
                    print(
                        f"    {cls} {r.claim.value:g} {r.claim.noun}/{r.claim.predicate} "
                        f"{r.claim.sentence[:110]!r}"
                    )
        ok[h].update(n=1, k=killed == gk, i=injured == gi, both=killed == gk and injured == gi)
    tot = ok["A"] + ok["B"]
    n = tot["n"]
    print(f"GVA: {n} incidents, {len(articles)} articles ({how})")
    print(f"killed  exact-match accuracy {tot['k'] / n:.3f} ({tot['k']}/{n})")
    print(f"injured exact-match accuracy {tot['i'] / n:.3f} ({tot['i']}/{n})")
    print(f"both    exact-match accuracy {tot['both'] / n:.3f}")
    for h in "AB":
        c = ok[h]
        print(
            f"half {h} ({c['n']} incidents, by a hash of incident_id): "
            f"killed {c['k'] / c['n']:.3f} injured {c['i'] / c['n']:.3f} "
            f"both {c['both'] / c['n']:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
