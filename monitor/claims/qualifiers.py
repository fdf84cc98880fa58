"""Bounds, changes and intervals of a figure: "more than", "rose by", "or more".

``bound_before`` reads the longest bound phrase before a figure,
``change_before`` a rise or fall ("rose 5%", "fell by 200"), ``post_bound``
a bound written after it ("50 or more"); ``interval`` turns a qualifier into
(low, high) as documented in extract.py. Pure: touches nothing.
"""

from __future__ import annotations

from functools import lru_cache

from monitor.claims.lang import LangData, get_lang
from monitor.claims.nouns import verb_lemma
from monitor.claims.text import LOWER, Tok
from monitor.types import Qualifier


def changed(toks: list[Tok], first: int, lang: LangData) -> bool:
    """A change verb (optionally with 'by') right before the figure: 'rose by 5 to 10'."""
    k = first - 1
    if k >= 0 and toks[k].lower in lang.change_preps:
        k -= 1
    if k < 0:
        return False
    w = toks[k].lower
    verb = verb_lemma(w) or w
    return bool({w, verb} & (lang.change_up | lang.change_down))


@lru_cache(maxsize=16)
def _bound_tails(code: str) -> frozenset[str]:
    """Last words of the bound phrases: a bound before a figure must end with one."""
    return frozenset(key[-1] for key in get_lang(code).bounds)


@lru_cache(maxsize=16)
def _post_heads(code: str) -> frozenset[str]:
    """First words of the bounds written after a figure."""
    return frozenset(key[0] for key in get_lang(code).post_bounds)


def bound_before(toks: list[Tok], first: int, lang: LangData) -> tuple[Qualifier, int] | None:
    end = first
    if end >= 2 and toks[end - 1].text == "-" and toks[end - 1].glued and toks[first].glued:
        end -= 1  # "sub-7"
    if end < 1 or toks[end - 1].lower not in _bound_tails(lang.code):
        return None
    for size in (4, 3, 2, 1):
        start = end - size
        if start < 0:
            continue
        key = tuple(map(LOWER, toks[start:end]))
        q = lang.bounds.get(key)
        if q is not None:
            return q, start
    return None


def change_before(
    toks: list[Tok], first: int, unit: str | None, end: int, lang: LangData, q: Qualifier
) -> tuple[Qualifier, int] | None:
    if q in ("at_most",) and first < len(toks):
        w = toks[first].lower
        if w in lang.change_up or w in lang.change_down:
            return None  # 'up to 5%': a bound that starts with a change word
    k = first - 1
    by = False
    if k >= 0 and toks[k].lower in lang.change_preps:
        by, k = True, k - 1
    if k < 0 or toks[k].kind != "word":
        return None
    points = end < len(toks) and toks[end].lower in lang.point_words
    if not (by or points or unit is not None):
        return None
    reach = 4 if by else 1  # "grow sales by 35 per cent"
    for j in range(k, max(-1, k - reach), -1):
        t = toks[j]
        if t.kind != "word" or (j < k and t.lower in lang.stop_words):
            return None
        w = t.lower
        verb = verb_lemma(w) or w
        if w in lang.change_up or verb in lang.change_up:
            return "up", j if j == k else first
        if w in lang.change_down or verb in lang.change_down:
            return "down", j if j == k else first
    return None


def post_bound(toks: list[Tok], end: int, lang: LangData) -> tuple[Qualifier, int] | None:
    if end >= len(toks) or toks[end].lower not in _post_heads(lang.code):
        return None
    for size in (2, 1):
        key = tuple(map(LOWER, toks[end : end + size]))
        q = lang.post_bounds.get(key) if len(key) == size else None
        if q is not None:
            return q, end + size
    return None


def interval(value: float, q: Qualifier) -> tuple[float | None, float | None]:
    if q in ("more_than", "at_least"):
        return value, None
    if q in ("less_than", "at_most"):
        return None, value
    if q == "approx":
        tol = abs(value) * (0.1 if round(value) else 0.05)
        return value - tol, value + tol
    return value, value


def round(value: float) -> bool:
    if value != int(value):
        return False
    v = abs(int(value))
    return v < 10 or v % 10 == 0
