"""Token context around a figure: currency, units, and the non-claim filters.

Decides whether a number is a label or code ("Route 66", "FKUIK-3",
"COVID-19"), an ordinal ("488th"), a date or year used as a date ("March 3",
"in 2022"), a clock time, a phone number or page furniture ("Page 2 of 5",
"1 comment"). All words come from ``LangData``. Pure: touches nothing.
"""

from __future__ import annotations

from functools import lru_cache

from monitor.claims.lang import LangData, get_lang
from monitor.claims.text import LOWER, Tok

_MAX_UNIT = 3


@lru_cache(maxsize=16)
def _currency_tails(code: str) -> frozenset[str]:
    """Every suffix of every currency prefix: the last token of a match must be one."""
    return frozenset(key[n:] for key in get_lang(code).currency_prefix for n in range(len(key)))


@lru_cache(maxsize=16)
def _unit_heads(code: str) -> frozenset[str]:
    """First words of the multi-token units: a unit match must start with one."""
    return frozenset(key[0] for key in get_lang(code).units)


def currency_before(toks: list[Tok], i: int, lang: LangData) -> tuple[str, int] | None:
    """Return (ISO code, first token index) of a currency written just before token ``i``."""
    end = i
    if end >= 2 and toks[end - 1].text in ("-", "−") and toks[end - 1].glued is False:
        end -= 1
    elif end >= 2 and toks[end - 1].text in ("-", "−") and toks[i].glued:
        end -= 1
    if end < 1 or toks[end - 1].text not in _currency_tails(lang.code):
        return None
    for k in (3, 2, 1):
        first = end - k
        if first < 0:
            continue
        seg = toks[first:end]
        s = seg[0].text
        for t in seg[1:]:
            s += t.text if t.glued else " " + t.text
        code = lang.currency_prefix.get(s)
        if code is None:
            continue
        glued = toks[end].glued if end < len(toks) else False
        if s.isalpha() and not glued and not (len(s) == 3 and s.isupper()):
            continue
        return code, first
    return None


def unit_after(toks: list[Tok], j: int, lang: LangData) -> tuple[str, int] | None:
    """Return (canonical unit, index after it) for a unit starting at token ``j``."""
    if j >= len(toks):
        return None
    if toks[j].glued and toks[j].kind == "word":
        unit = lang.unit_suffixes.get(toks[j].lower.rstrip("."))
        if unit is not None:
            return unit, j + 1
    start = j
    if toks[j].text == "-" and toks[j].glued and j + 1 < len(toks) and toks[j + 1].glued:
        start = j + 1
    if toks[start].lower not in _unit_heads(lang.code):
        return None
    for k in range(_MAX_UNIT, 0, -1):
        seg = toks[start : start + k]
        if len(seg) < k:
            continue
        if k > 1 and any(
            t.text not in ("-", "/") and not t.glued and p.text in ("-", "/")
            for p, t in zip(seg, seg[1:], strict=False)
        ):
            continue
        key = tuple(map(LOWER, seg))
        unit = lang.units.get(key)
        if unit is not None:
            single = len(key[0]) == 1 and not seg[0].text.isupper()
            if k == 1 and single and not seg[0].glued and key[0] not in ("%", "'", "°"):
                nxt = toks[start + 1] if start + 1 < len(toks) else None
                if nxt is not None and nxt.kind == "word" and nxt.lower not in lang.stop_words:
                    continue
            return unit, start + k
    return None


def is_ordinal(toks: list[Tok], i: int, last: int, lang: LangData) -> bool:
    """'488th', '22nd': a glued ordinal suffix."""
    return (
        last < len(toks)
        and toks[last].glued
        and toks[last].lower in lang.ordinal_suffixes
        and toks[i].kind == "num"
    )


def is_time(toks: list[Tok], i: int, last: int, lang: LangData) -> bool:
    """'9:35 PM', '10.45pm', '5am', '17:22', 'at 7 p.m.'."""
    nxt = toks[last] if last < len(toks) else None
    if nxt is not None and nxt.text == ":" and nxt.glued and last + 1 < len(toks):
        return toks[last + 1].kind == "num" and toks[last + 1].glued
    if i >= 2 and toks[i - 1].text == ":" and toks[i].glued and toks[i - 2].kind == "num":
        return True
    return nxt is not None and nxt.lower in lang.time_words


def is_date(toks: list[Tok], i: int, last: int, value: float, lang: LangData) -> bool:
    """A day next to a month name ('March 3', 'Aug. 14', '9 May'), a slashed date, or a
    year with its era ('A.D. 1000 and 1260', '500 BC')."""
    if toks[i].kind != "num":
        return False
    if _era_year(toks, i, last, lang):
        return True
    p = i - 1
    if p >= 0 and toks[p].text == "." and p >= 1:
        p -= 1
    day = value == int(value) and 1 <= value <= 31
    if day and p >= 0 and toks[p].lower.rstrip(".") in lang.months and toks[p].kind == "word":
        return True
    if day and last < len(toks) and toks[last].lower.rstrip(".") in lang.months:
        return toks[last].text not in lang.month_homonyms  # '9 may be', not '9 May'
    nxt = toks[last] if last < len(toks) else None
    if nxt is not None and nxt.text == "/" and nxt.glued:
        return True
    return i >= 1 and toks[i - 1].text == "/" and toks[i].glued


def _era_year(toks: list[Tok], i: int, last: int, lang: LangData) -> bool:
    if (i >= 1 and toks[i - 1].text in lang.era_marks) or (
        last < len(toks) and toks[last].text in lang.era_marks
    ):
        return True
    # the second year of 'A.D. 1000 and 1260'
    return (
        i >= 3
        and toks[i - 1].lower in lang.range_joiners
        and toks[i - 2].kind == "num"
        and toks[i - 3].text in lang.era_marks
    )


def is_year(toks: list[Tok], i: int, last: int, has_unit: bool, lang: LangData) -> bool:
    """A bare four-digit number in the year range with no currency or unit."""
    t = toks[i]
    if t.kind != "num" or last != i + 1 or has_unit or not t.text.isdecimal() or len(t.text) != 4:
        return False
    lo, hi = lang.year_range
    return lo <= int(t.text) <= hi


def is_label(
    toks: list[Tok], i: int, first: int, last: int, lang: LangData, unit: bool = False
) -> bool:
    """A code, model or label number: 'FKUIK-3', 'COVID-19', 'Route 66', 'S&P 500', 'iPhone 11'."""
    t = toks[i]
    if first < i:  # currency or "between"... before the figure
        return False
    prev = toks[i - 1] if i >= 1 else None
    if prev is None:
        return False
    if t.glued and prev.kind == "word":
        return True
    if t.glued and prev.text in ("-", ".", "#") and i >= 2 and prev.glued:
        before = toks[i - 2]
        if before.kind == "word" and before.lower not in lang.bounds_words:
            return True
        if prev.text == "#":
            return True
    if prev.text == "#":
        return True
    if prev.text in ("-", "–") and i >= 2 and toks[i - 2].lower in lang.label_words:
        return True
    if prev.kind == "word" and len(prev.text) == 1 and prev.text.isupper() and i >= 2:
        return True  # "S P 500", "Plan B 2"
    prefix = _glued_prefix(toks, i - 1).lower()
    if prefix in lang.label_words or prev.lower.rstrip(".") in lang.label_words:
        return True
    if prev.kind == "word" and any(c.isupper() for c in prev.text) and i - 1 > 0 and not unit:
        if prev.lower in lang.stop_words or prev.lower.rstrip(".") in lang.months:
            return False
        if i >= 2 and toks[i - 2].lower in lang.definite_articles:
            return True  # "the Fortune 100", "the FTSE 250"
        nxt = toks[last] if last < len(toks) else None
        return nxt is None or nxt.kind != "word" or nxt.text[:1].isupper()
    return False


def _glued_prefix(toks: list[Tok], j: int) -> str:
    s = toks[j].text
    while j > 0 and toks[j].glued:
        j -= 1
        s = toks[j].text + s
    return s


def is_furniture(toks: list[Tok], i: int, last: int, lang: LangData) -> bool:
    """'Page 2 of 5', '1 comment', '3 replies'."""
    if i >= 1 and toks[i - 1].lower in lang.furniture_before:
        return True
    if i >= 2 and toks[i - 1].lower in lang.figure_of and toks[i - 2].kind == "num":
        return i >= 3 and toks[i - 3].lower in lang.furniture_before
    return last < len(toks) and toks[last].lower in lang.furniture_after


def is_glued_code(toks: list[Tok], last: int, unit_found: bool, lang: LangData) -> bool:
    """Letters glued after the digits that are neither a unit nor a scale: '3D', 'S8x'."""
    if unit_found or last >= len(toks):
        return False
    nxt = toks[last]
    return nxt.glued and nxt.kind in ("word", "num") and nxt.lower not in lang.time_words


def appositive_age(toks: list[Tok], i: int, last: int, value: float, lang: LangData) -> bool:
    """'Kieara Green, 18, of Nicholasville', 'a boy, 4, shot': a bare age after a person."""
    if not (i >= 2 and toks[i - 1].text == ","):
        return False
    if not (toks[i - 2].text[:1].isupper() or toks[i - 2].lower in lang.person_nouns):
        return False
    if not (value == int(value) and 0 < value < 120):
        return False
    nxt = toks[last].lower if last < len(toks) else ","
    return (
        nxt in (",", ")", ";")
        or nxt in lang.origin_preps  # ', of Nicholasville'
        or nxt in lang.additive_conjunctions
        or nxt in lang.relative_pronouns  # ', who was shot'
    )


def phone_end(toks: list[Tok], i: int, last: int) -> int:
    """End of '555-123-4567', '(555) 123-4567', '2019-01-03' starting at ``i``; -1 if not."""
    seq = [i]
    k = last
    while k + 1 < len(toks) and toks[k].text in ("-", ".") and toks[k].glued:
        if toks[k + 1].kind != "num" or not toks[k + 1].glued:
            break
        seq.append(k + 1)
        k += 2
    end = seq[-1] + 1
    if len(seq) >= 3:
        return end
    if len(seq) == 2:
        a, b = toks[seq[0]].text, toks[seq[1]].text
        if len(a) == 3 and len(b) == 4 and a.isdecimal() and b.isdecimal():
            return end
    if i >= 2 and toks[i - 1].text == ")" and toks[i - 2].kind == "num" and len(toks[i].text) == 3:
        return end
    return -1


def count_head_before(toks: list[Tok], first: int, lang: LangData) -> tuple[str, str] | None:
    """'the death toll rose to 23': a head word a few words before a bare number."""
    for k in range(first - 1, max(-1, first - 6), -1):
        t = toks[k]
        if t.kind == "sym" and t.text in ".;:!?":
            return None
        if t.kind == "word" and t.lower in lang.count_heads:
            return lang.count_heads[t.lower]
    return None
