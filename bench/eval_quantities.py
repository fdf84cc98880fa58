"""Score monitor.claims extraction on NewsQuant (../shared/eval/newsquant/NewsQuant.json).

Prints value P/R/F1, value+qualifier F1 and value+unit/noun F1 (lenient unit
comparison: lemmas, lowercase, known aliases). Gold `change`: `=` exact (or a
range), `~` approx, `>` more_than/at_least, `<` less_than/at_most, up, down.
Touches: the eval file (read), a subprocess (the CLI).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._claims_cli import EVAL, extract_jsonl, half  # noqa: E402
from monitor.claims.nouns import noun_lemma  # noqa: E402

QMAP = {
    "exact": "=",
    "range": "=",
    "approx": "~",
    "more_than": ">",
    "at_least": ">",
    "less_than": "<",
    "at_most": "<",
    "up": "up",
    "down": "down",
}
ALIASES: dict[str, set[str]] = {
    "percent": {"%", "percentage", "per cent", "percent-owned", "pc"},
    "USD": {"$", "dollar", "us$", "usd", "dollars"},
    "EUR": {"euro", "€", "eur"},
    "GBP": {"pound sterling", "ps", "£", "sterling"},
    "JPY": {"yen", "y", "japanese yen", "jpy"},
    "CNY": {"yuan", "chinese yuan"},
    "HKD": {"hk$", "hong kong dollar"},
    "INR": {"inr", "indian rupee"},
    "MYR": {"rm", "malaysian ringgit"},
    "ILS": {"shekel"},
    "HRK": {"kn", "croatian kuna"},
    "km": {"kilometre", "kilometer"},
    "m": {"metre", "meter"},
    "cm": {"centimetre"},
    "mm": {"millimetre"},
    "μm": {"micrometre"},
    "nm": {"nanometre", "nanometer"},
    "foot": {"feet", "ft"},
    "l": {"litre", "liter"},
    "hp": {"horsepower", "bhp"},
    "kW": {"kilowatt"},
    "mph": {"mile per hour"},
    "km/h": {"kilometre per hour"},
    "°C": {"celsius"},
    "°F": {"fahrenheit"},
    "pence": {"p", "point"},
    "year-old": {"year of age"},
    "month-old": {"month of age"},
    "sq m": {"square metre"},
    "sq ft": {"square feet"},
    "lb-ft": {"foot pound-force", "pound-foot"},
    "pound": {"pound-mass"},
    "dB": {"decibel"},
    "GWh": {"gigawatt hour"},
    "MW": {"megawatt"},
    "MPa": {"megapascal"},
    "Nm": {"newton metre"},
    "mAh": {"milliampere-hour"},
    "ppb": {"parts-per-billion"},
    "ppm": {"part per million"},
    "V": {"volt"},
    "W": {"watt"},
    "cu ft": {"cubic foot", "cubic feet"},
    "m/s": {"metre per second"},
    "Hz": {"hertz"},
    "GHz": {"gigahertz"},
    "GB": {"gigabyte"},
    "kV/cm": {"kilovolt per centimetre"},
    "A/cm2": {"ampere per square centimetre"},
    "ksi": {"kilopound per square inch"},
    "F": {"farad"},
    "rpm": {"revolutions per minute"},
}
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*-\s*(-?\d+(?:\.\d+)?)\s*$")


def gold_value(s: str) -> tuple[float, float] | float:
    try:
        return float(s)
    except ValueError:
        m = _RANGE.match(s)
        if not m:
            raise
        return float(m.group(1)), float(m.group(2))


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def value_match(gold: tuple[float, float] | float, pred: dict[str, object]) -> bool:
    if isinstance(gold, tuple):
        if pred["qualifier"] != "range" or pred["low"] is None or pred["high"] is None:
            return False
        lo, hi = sorted(gold)
        return close(lo, float(pred["low"])) and close(hi, float(pred["high"]))  # type: ignore[arg-type]
    return close(gold, float(pred["value"]))  # type: ignore[arg-type]


def words(s: str) -> set[str]:
    s = s.lower()
    out = {s}
    for w in re.split(r"[\s/]+", s):
        if w:
            out |= {w, noun_lemma(w)}
    return out


def unit_match(g: dict[str, str], pred: dict[str, object]) -> bool:
    gu, gn = str(g.get("unit", "")), str(g.get("normalized_unit", ""))
    unit, noun = pred.get("unit"), pred.get("noun")
    if gu.strip() in ("-", "") and gn.strip() in ("-", ""):
        return unit is None
    ours: set[str] = set()
    if isinstance(unit, str):
        ours |= {unit.lower()} | ALIASES.get(unit, set())
    if isinstance(noun, str):
        ours |= {noun.lower()}
    gold = words(gu) | words(gn)
    return bool(ours & gold)


def f1(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    path = EVAL / "newsquant" / "NewsQuant.json"
    if not path.exists():
        print(f"skip: {path} not found (../shared/eval is absent)")
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    items = [(str(k), d["text"]) for k, d in enumerate(data)]
    preds, how = extract_jsonl(items)
    verbose = "-v" in sys.argv
    only = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--half=")), None)
    score: dict[str, list[int]] = {h: [0, 0, 0, 0, 0] for h in "AB"}  # npred ngold tp tpq tpu
    for k, d in enumerate(data):
        ps = preds.get(str(k), [])
        golds = d["quantities"]
        h = half(d["text"])
        sc = score[h]
        show = verbose and only in (None, h)
        sc[0] += len(ps)
        sc[1] += len(golds)
        used: set[int] = set()
        for g in golds:
            gv = gold_value(str(g["value"]))
            hit = next((n for n, p in enumerate(ps) if n not in used and value_match(gv, p)), None)
            if hit is None:
                if show:
                    print(f"MISS {g['value']} {g['change']} {g['unit']!r} :: {d['text'][:140]}")
                continue
            used.add(hit)
            sc[2] += 1
            p = ps[hit]
            if QMAP[str(p["qualifier"])] == g["change"]:
                sc[3] += 1
            elif show:
                print(f"QUAL {g['value']} gold {g['change']} got {p['qualifier']} :: {p['text']}")
            if unit_match(g, p):
                sc[4] += 1
            elif show:
                print(
                    f"UNIT {g['value']} gold {g['unit']!r}/{g['normalized_unit']!r} got "
                    f"{p['unit']}/{p['noun']} :: {p['text']}"
                )
        if show:
            for n, p in enumerate(ps):
                if n not in used:
                    print(f"EXTRA {p['value']} {p['qualifier']} {p['text']!r} :: {d['text'][:140]}")
    npred, ngold, tp, tpq, tpu = (a + b for a, b in zip(score["A"], score["B"], strict=True))
    vp, vr, vf = f1(tp, npred, ngold)
    print(f"NewsQuant: {len(data)} sentences, {ngold} gold quantities, {npred} predicted ({how})")
    print(f"value            P={vp:.3f} R={vr:.3f} F1={vf:.3f}")
    print(
        f"value+qualifier  P={f1(tpq, npred, ngold)[0]:.3f} R={f1(tpq, npred, ngold)[1]:.3f} "
        f"F1={f1(tpq, npred, ngold)[2]:.3f}"
    )
    print(
        f"value+unit/noun  P={f1(tpu, npred, ngold)[0]:.3f} R={f1(tpu, npred, ngold)[1]:.3f} "
        f"F1={f1(tpu, npred, ngold)[2]:.3f}"
    )
    for h in "AB":
        np_, ng, t, tq, tu = score[h]
        print(
            f"half {h} ({ng} gold, by a hash of the sentence): value F1={f1(t, np_, ng)[2]:.3f} "
            f"value+qualifier F1={f1(tq, np_, ng)[2]:.3f} "
            f"value+unit/noun F1={f1(tu, np_, ng)[2]:.3f}"
        )
    print("published CQE: value 0.912, value+change 0.880, value+unit 0.842")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
