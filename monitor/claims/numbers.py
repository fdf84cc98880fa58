"""Parse number surface forms from tokens: digits, words, scales, fractions, vague amounts.

``parse_digits`` reads "2,000" / "2.000" / "2,5" with the separators of the
language's locale (babel CLDR data). ``read_number`` reads the longest number
starting at a token: digits with glued or following scale ("$3bn", "2.5
million"), number words ("Fourteen", "twenty-one", via text2num), fractions
("a third of") and vague amounts ("dozens of" -> 12..120). Pure: touches nothing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from babel.numbers import get_decimal_symbol, get_group_symbol
from text_to_num import text2num

from monitor.claims.lang import LangData, get_lang
from monitor.claims.nouns import is_plural_noun
from monitor.claims.text import LOWER, Tok

_SPACES = ("\u00a0", "\u202f", " ")


class Num(NamedTuple):
    """A number read from tokens ``[first, last)``; ``low``/``high`` set for vague amounts.

    A named tuple built with ``tuple.__new__`` and every field (no Python frame): a
    frozen dataclass cost 2-4 us per number, about 3 % of extraction.
    """

    value: float
    first: int
    last: int
    kind: str  # "digits" | "words" | "fraction" | "vague"
    raw: str
    scaled: bool = False
    low: float | None = None
    high: float | None = None
    mult: float = 1.0


_new = tuple.__new__  # Num(...) without the NamedTuple constructor's Python frame


@lru_cache(maxsize=64)
def separators(locale: str) -> tuple[str, str]:
    """Return (decimal, group) symbols of a babel locale."""
    return get_decimal_symbol(locale), get_group_symbol(locale)


@lru_cache(maxsize=4096)
def parse_digits(s: str, locale: str) -> float | None:
    """Parse a run of digits with separators as the locale writes them.

    A group separator must be followed by exactly three digits; otherwise a
    lone separator that is the other symbol of the pair ("2,5" in en) is read
    as a decimal point only when the locale's decimal symbol matches, and the
    string is rejected (None) when it cannot be a number of this locale.
    """
    dec, group = separators(locale)
    groups = (group,) + (_SPACES if group in _SPACES else ())
    if group in (".", ","):
        groups = (group,)
    body = s
    frac = ""
    if dec in body:
        body, _, frac = body.rpartition(dec)
        if not frac.isdecimal() or any(dec in b for b in (body,)):
            return None
    parts = [body]
    for g in groups:
        parts = [p for chunk in parts for p in chunk.split(g)]
    if len(parts) > 1:
        if not (1 <= len(parts[0]) <= 3) or any(len(p) != 3 for p in parts[1:]):
            return None
    digits = "".join(parts) or ("0" if frac else "")
    if not digits.isdecimal():
        return None
    return float(digits + ("." + frac if frac else ""))


def read_number(toks: list[Tok], i: int, lang: LangData, money: bool = False) -> Num | None:
    """Read the number that starts at token ``i`` or return None."""
    tok = toks[i]
    if tok.kind == "num":
        return _read_digits(toks, i, lang, money)
    if tok.kind != "word":
        return None
    return _read_vague(toks, i, lang) or _read_fraction(toks, i, lang) or _read_words(toks, i, lang)


def _read_digits(toks: list[Tok], i: int, lang: LangData, money: bool) -> Num | None:
    value = parse_digits(toks[i].text, lang.locale)
    if value is None:
        return None
    j = i + 1
    total = 1.0
    if j < len(toks) and toks[j].glued and toks[j].kind == "word":
        mult = lang.scale_suffixes.get(toks[j].text.rstrip("."))
        ambiguous = toks[j].text in lang.ambiguous_scale_suffixes  # '100m': metres or million
        if mult is not None and (not ambiguous or money or _million_context(toks, j, lang)):
            total, j = mult, j + 1
    while j < len(toks) and toks[j].kind == "word" and toks[j].lower in lang.scale_words:
        if lang.scale_words[toks[j].lower] == 100 and total > 1:
            break  # a hundred only multiplies a figure with no scale yet
        total, j = total * lang.scale_words[toks[j].lower], j + 1
    return _new(Num, (value * total, i, j, "digits", toks[i].text, total > 1, None, None, total))


def _million_context(toks: list[Tok], j: int, lang: LangData) -> bool:
    """A glued 'm' is a million before 'of' or a plural noun ('2.7m combined sales')."""
    for t in toks[j + 1 : j + 7]:
        if t.kind != "word":
            return False
        if t.lower in lang.figure_of or (len(t.lower) > 3 and is_plural_noun(t.lower)):
            return True
    return False


def _read_words(toks: list[Tok], i: int, lang: LangData) -> Num | None:
    words: list[str] = []
    j = i
    last_ok = i
    article = toks[i].lower in lang.indefinite_articles
    if article and i + 1 < len(toks):
        nxt = toks[i + 1].lower
        if nxt not in lang.scale_words or nxt in lang.scale_abbreviations:
            return None
        words.append(lang.word_for_one)  # 'a million' = 'one million'
        j = i + 1
    while j < len(toks):
        t = toks[j]
        w = t.lower
        if t.kind == "word" and (w in lang.number_words or w in lang.scale_words):
            words.append(w)
            j += 1
            last_ok = j
        elif w == "-" and t.glued and words and j + 1 < len(toks) and toks[j + 1].glued:
            j += 1
        elif (
            w in lang.number_joiners
            and words
            and j + 1 < len(toks)
            and toks[j + 1].lower in lang.number_words
        ):
            words.append(w)
            j += 1
        else:
            break
    while words and words[-1] in lang.number_joiners:
        words.pop()
    if not words or (len(words) == 1 and words[0] in lang.scale_words and not article):
        return None
    value = _words_value(words, lang)
    if value is None:
        return None
    scaled = any(w in lang.scale_words for w in words)
    return _new(Num, (value, i, last_ok, "words", " ".join(words), scaled, None, None, 1.0))


def _words_value(words: list[str], lang: LangData) -> float | None:
    try:
        return float(text2num(" ".join(words), lang.text2num_lang))
    except (ValueError, TypeError):
        pass
    total = 0.0
    current = 0.0
    for w in words:
        if w in lang.number_joiners:
            continue
        if w in lang.number_words:
            current += lang.number_words[w]
        else:
            scale = lang.scale_words[w]
            if scale == 100:
                current = (current or 1) * scale
            else:
                total += (current or 1) * scale
                current = 0.0
    return total + current


def _read_fraction(toks: list[Tok], i: int, lang: LangData) -> Num | None:
    w = toks[i].lower
    num = 1.0
    j = i
    indefinite = w in lang.indefinite_articles
    if indefinite or w == lang.word_for_one or w in lang.number_words:
        num = 1.0 if indefinite else float(lang.number_words.get(w, 1))
        j = i + 1
        if j < len(toks) and toks[j].text == "-" and toks[j].glued:
            j += 1
    if j >= len(toks) or toks[j].lower not in lang.fractions:
        return None
    frac = toks[j].lower
    if j == i and frac not in lang.bare_fractions:
        return None
    nxt = toks[j + 1].lower if j + 1 < len(toks) else ""
    if nxt not in lang.fraction_followers:
        return None
    return _new(
        Num,
        (num * lang.fractions[frac], i, j + 1, "fraction", toks[i].text, False, None, None, 1.0),
    )


@lru_cache(maxsize=16)
def _vague_by_first(code: str) -> dict[str, list[tuple[tuple[str, ...], str, float, float]]]:
    """Vague phrases of a language indexed by their first word, in the data's order."""
    index: dict[str, list[tuple[tuple[str, ...], str, float, float]]] = {}
    for phrase, (low, high) in get_lang(code).vague.items():
        words = tuple(phrase.split())
        index.setdefault(words[0], []).append((words, phrase, low, high))
    return index


def _read_vague(toks: list[Tok], i: int, lang: LangData) -> Num | None:
    candidates = _vague_by_first(lang.code).get(toks[i].lower)
    if candidates is None:
        return None
    best: Num | None = None
    for words, phrase, low, high in candidates:
        end = i + len(words)
        if end >= len(toks) or toks[end].lower not in lang.figure_of:
            continue
        if tuple(map(LOWER, toks[i:end])) == words:
            if best is None or end > best.last:
                best = _new(Num, (low, i, end, "vague", phrase, True, low, high, 1.0))
    return best
