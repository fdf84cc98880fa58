"""Implicit counts of one: "a man was shot and killed", "a teen was injured".

An indefinite article, up to a few modifiers (including ages such as
"17-year-old"), a person noun from the language data, optional auxiliaries
and adverbs, then a casualty verb: that is a claim of 1 (exact) with the
person as noun and the verb lemma as predicate. Pure: touches nothing.
"""

from __future__ import annotations

from collections.abc import Set

from monitor.claims.lang import LangData
from monitor.claims.nouns import noun_lemma, predicate_after
from monitor.claims.text import Tok
from monitor.types import Claim

_MAX_MODIFIERS = 7


def implicit_claims(
    toks: list[Tok], text: str, sent: str, lang: LangData, taken: Set[int]
) -> list[Claim]:
    """Claims of one person for each 'a <person> was <casualty verb>' in the sentence."""
    out: list[Claim] = []
    for i, t in enumerate(toks):
        if t.lower not in ("a", "an") or t.start in taken:
            continue
        head = _person_after(toks, i + 1, lang)
        if head < 0:
            continue
        predicate = predicate_after(toks, head + 1, lang)
        if predicate is None or predicate not in lang.implicit_predicates:
            continue
        start, end = t.start, toks[head].end
        out.append(
            Claim(
                value=1.0,
                low=1.0,
                high=1.0,
                qualifier="exact",
                unit=None,
                noun=noun_lemma(toks[head].lower),
                predicate=lang.implicit_predicates[predicate],
                text=text[start:end],
                start=start,
                end=end,
                sentence=sent,
            )
        )
    return out


def _person_after(toks: list[Tok], k: int, lang: LangData) -> int:
    seen = 0
    while k < len(toks) and seen < _MAX_MODIFIERS:
        t = toks[k]
        w = t.lower
        if t.kind == "word" and w in lang.person_nouns:
            if k + 1 < len(toks) and toks[k + 1].kind == "word" and toks[k + 1].lower in lang.person_nouns:
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
