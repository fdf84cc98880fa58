"""Phrases that say how a person fared without a casualty verb.

``condition_at`` reads, after a subject and its auxiliaries:
- a condition: "in critical condition", "in the hospital", "stable";
- a transfer to care: "was taken to a local hospital", "rushed to the hospital";
- a wound: "with a gunshot wound", "suffering from gunshot wounds",
  "suffered non-life-threatening injuries".
All words come from ``LangData`` (conditions, condition_preps, transfer_verbs,
wound_leads, wound_nouns, transfer_preps, care_words). Pure: touches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from monitor.claims.lang import LangData, get_lang
from monitor.claims.text import Tok

_MODIFIERS = 3  # words between the preposition (or lead) and the noun: 'an area hospital'


def condition_at(toks: list[Tok], k: int, lang: LangData) -> tuple[int, str] | None:
    """(index of the last word, predicate) of a condition phrase starting at ``k``; else None."""
    if k >= len(toks) or toks[k].kind != "word":
        return None
    w = toks[k].lower
    if w in lang.conditions:
        return k, lang.conditions[w]
    if w in lang.condition_preps:
        return _noun_within(toks, k + 1, _after_prep(lang.code), lang)
    if w in lang.transfer_verbs and k + 1 < len(toks):
        prep = toks[k + 1].lower  # 'taken to a hospital', 'taken in good condition to'
        if prep in lang.transfer_preps or prep in lang.condition_preps:
            return _noun_within(toks, k + 2, _after_prep(lang.code), lang)
    if w in lang.wound_leads:
        return _noun_within(toks, k + 1, lang.wound_nouns, lang, lang.wound_leads)
    return None


@lru_cache(maxsize=16)
def _after_prep(code: str) -> Mapping[str, str]:
    """Conditions and care words: what may follow 'in' or 'taken to'."""
    lang = get_lang(code)
    return {**lang.conditions, **lang.care_words}


def _noun_within(
    toks: list[Tok],
    k: int,
    nouns: Mapping[str, str],
    lang: LangData,
    skip: frozenset[str] = frozenset(),
) -> tuple[int, str] | None:
    """The first word of ``nouns`` within a few modifiers from ``k``: (index, predicate)."""
    seen = 0
    while k < len(toks) and seen <= _MODIFIERS:
        t = toks[k]
        w = t.lower
        got = nouns.get(w)
        if got is not None and not (toks[k - 1].text == "-" and t.glued):
            return k, got  # 'non-fatal', 'non-life-threatening': a modifier
        if t.kind == "sym":
            if t.text != "-":
                return None  # 'non-life-threatening': a dash joins the modifier
        elif w in lang.noun_determiners or w in skip:
            pass
        elif w in lang.stop_words:
            return None  # 'a man in a car outside the hospital': not a condition
        else:
            seen += 1
        k += 1
    return None
