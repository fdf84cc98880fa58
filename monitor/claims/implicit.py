"""Implicit counts of one: "a man was shot and killed", "a teen was injured".

An indefinite article, up to a few modifiers (including ages such as
"17-year-old"), a person noun from the language data, optional auxiliaries
and adverbs, then a casualty verb: that is a claim of 1 (exact) with the
person as noun and the verb lemma as predicate. Pure: touches nothing.
"""

from __future__ import annotations

from collections.abc import Set
from functools import lru_cache

from monitor.claims.lang import LangData, get_lang
from monitor.claims.nouns import is_plural_noun, noun_lemma, predicate_after
from monitor.claims.text import Tok
from monitor.types import Claim

_MAX_MODIFIERS = 7
_ARTICLES = frozenset(("a", "an", "the"))


def implicit_claims(
    toks: list[Tok], text: str, sent: str, lang: LangData, taken: Set[int]
) -> list[Claim]:
    """Claims of one person for each 'a <person> was <casualty verb>' in the sentence."""
    out: list[Claim] = []
    if lang.casualty_words.isdisjoint([t.lower for t in toks]):
        return out
    events = _events_by_first(lang.code)
    openers = _openers(lang.code)
    starts = [  # every pattern starts with a word: an event, an article or a capital
        i
        for i, t in enumerate(toks)
        if t.kind == "word" and (t.lower in openers or t.text[:1].isupper())
    ]
    for i in starts:
        t = toks[i]
        if t.start in taken:
            continue
        w = t.lower
        if w in events:
            event = _event_at(toks, i, lang)
            if event is not None:
                pred, end_tok = event
                start, end = t.start, toks[end_tok].end
                out.append(_one("person", pred, text, start, end, sent))
                continue
        if w in _ARTICLES:
            head = _person_after(toks, i + 1, lang)
        elif t.text[:1].isupper() and _name_start(toks, i):
            head = _name_end(toks, i)
        else:
            continue
        if head < 0:
            continue
        predicate = predicate_after(toks, head + 1, lang)
        if predicate is None or predicate not in lang.implicit_predicates:
            continue
        start, end = t.start, toks[head].end
        noun = noun_lemma(toks[head].lower) if toks[head].lower in lang.person_nouns else "person"
        out.append(_one(noun, lang.implicit_predicates[predicate], text, start, end, sent))
    return out


def _one(noun: str, predicate: str, text: str, start: int, end: int, sent: str) -> Claim:
    return Claim(
        value=1.0,
        low=1.0,
        high=1.0,
        qualifier="exact",
        unit=None,
        noun=noun,
        predicate=predicate,
        text=text[start:end],
        start=start,
        end=end,
        sentence=sent,
    )


@lru_cache(maxsize=16)
def _events_by_first(code: str) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    lang = get_lang(code)
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, pred in lang.implicit_events.items():
        index.setdefault(phrase[0], []).append((phrase, pred))
    return index


@lru_cache(maxsize=16)
def _openers(code: str) -> frozenset[str]:
    """Lowercase words that can open an implicit count: event phrases and articles."""
    return frozenset(_events_by_first(code)) | _ARTICLES


def _event_at(toks: list[Tok], i: int, lang: LangData) -> tuple[str, int] | None:
    """'fatal shooting of a ...' / 'shooting death of Name': (predicate, last phrase token)."""
    for phrase, pred in _events_by_first(lang.code).get(toks[i].lower, ()):
        end = i + len(phrase)
        if end >= len(toks) or tuple(t.lower for t in toks[i:end]) != phrase:
            continue
        nxt = toks[end]
        if nxt.lower in ("a", "an") or (nxt.text[:1].isupper() and nxt.lower not in ("the",)):
            return pred, end - 1
        if nxt.lower in ("his", "her", "their") and end + 1 < len(toks):
            if not is_plural_noun(toks[end + 1].lower):
                return pred, end - 1
    return None


def _name_start(toks: list[Tok], i: int) -> bool:
    """A capitalised word that starts a two-word name ('Kevin Barbee was killed')."""
    t = toks[i]
    if t.kind != "word" or not t.text[:1].isupper() or t.text.isupper():
        return False
    if i >= 1 and toks[i - 1].kind == "word" and toks[i - 1].text[:1].isupper():
        return False
    return i + 1 < len(toks) and toks[i + 1].kind == "word" and toks[i + 1].text[:1].isupper()


def _name_end(toks: list[Tok], i: int) -> int:
    """Index of the last word of the name, past an appositive age ('Kevin Barbee, 15,')."""
    k = i + 1
    while k + 1 < len(toks) and toks[k + 1].kind == "word" and toks[k + 1].text[:1].isupper():
        k += 1
    if k + 3 < len(toks) and toks[k + 1].text == "," and toks[k + 2].kind == "num":
        if toks[k + 3].text == ",":
            return k + 3
    return k


def _person_after(toks: list[Tok], k: int, lang: LangData) -> int:
    if k < len(toks) and toks[k].lower in lang.ordinal_words:
        return -1  # "a third worker died": the third death, not a count of one
    seen = 0
    while k < len(toks) and seen < _MAX_MODIFIERS:
        t = toks[k]
        w = t.lower
        if t.kind == "word" and w in lang.person_nouns:
            if (
                k + 1 < len(toks)
                and toks[k + 1].kind == "word"
                and toks[k + 1].lower in lang.person_nouns
            ):
                k += 1
                seen += 1
                continue
            return k
        if t.kind == "word" and (w in lang.stop_words or w in lang.aux_words):
            return -1
        if t.kind == "sym" and t.text not in ("-",):
            return -1
        k += 1
        seen += 1
    return -1
