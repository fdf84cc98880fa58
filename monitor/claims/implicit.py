"""Implicit counts of one: "a man was shot and killed", "a teen was injured".

Three shapes, each a claim of 1 (exact) with the person as noun and the verb
lemma as predicate:
- subject: an article (or a headline start, where English drops it), up to a
  few modifiers (including ages such as "17-year-old"), a person noun or an
  age, optional auxiliaries and adverbs, then a casualty verb in the passive
  ("Man shot in knee", "16-year-old shot while playing"); an active verb with
  an object ("a man shot his wife") makes the object the victim instead;
- object: a casualty verb then one person ("accidentally shoots 16-year-old
  girl", "shot himself") - see objects.py;
- event: "fatal shooting of a ...", "shooting death of teen driver",
  "teen's shooting", "a double shooting" (two).
Lists count every person ("Man, woman killed" = 2, "Teen, 3 adults shot" = 4);
a later "dies" or "survived" in the clause says how it ended. All words come
from ``LangData``. Pure: touches nothing.
"""

from __future__ import annotations

from collections.abc import Set
from functools import lru_cache

from monitor.claims.lang import LangData, get_lang
from monitor.claims.nouns import is_plural_noun, noun_lemma, predicate_after
from monitor.claims.objects import (
    HEADLINE_BREAKS,
    dies_later,
    group_at,
    object_claim,
    one,
    past_appositive_age,
    person_after,
    person_list,
    possessive_stem,
    survives_later,
    verb_at,
)
from monitor.claims.text import LOWER, Tok
from monitor.types import Claim

_REACH = 24  # tokens from a pattern's start to its casualty word, at most
_EVENT_WORDS = 5  # words from 'of' to the event noun: "of Friday night's shooting"


def implicit_claims(
    toks: list[Tok], hits: list[int], text: str, sent: str, lang: LangData, taken: Set[int]
) -> list[Claim]:
    """Claims of one person for each implicit casualty in the sentence.

    ``hits``: the indexes of its tokens among ``anchor_words`` (``text.tokenize_marked``),
    in order.
    """
    out: list[Claim] = []
    casualty = lang.casualty_words
    if casualty.isdisjoint(map(LOWER, map(toks.__getitem__, hits))):
        return out
    events = _events_by_first(lang.code)
    numbers = lang.number_words
    multiples = _multiple_firsts(lang.code)
    used = -1  # tokens up to here belong to an earlier implicit claim
    for i in _starts(toks, hits, lang):
        t = toks[i]
        if i <= used:
            continue
        w = t.lower
        pair = lang.pair_words.get(w)
        group = group_at(toks, i, lang) if t.kind == "num" or w in numbers or pair else None
        if pair and group is None and _headline_start(toks, i, lang):
            group = pair, i  # 'Both were taken to the hospital'
        if group is not None:  # 'Two men and one woman were wounded': the total
            total = _subject_claim(toks, i, group[1], group[0], text, sent, lang)
            if total is not None and (total[0].value > group[0] or pair):
                out.append(total[0])  # 'both' is a count no figure states
                used = total[1]
            continue
        if t.start in taken:
            continue
        multiple = _multiple_event(toks, i, lang) if w in multiples else None
        if multiple is not None:  # 'a double shooting': two people shot
            (n, pred), end_tok = multiple
            out.append(one("person", pred, text, t.start, toks[end_tok].end, sent, n))
            used = end_tok
            continue
        if w in events:
            event = _event_at(toks, i, lang)
            if event is not None:
                pred, end_tok, n = event
                out.append(one("person", pred, text, t.start, toks[end_tok].end, sent, n))
                used = end_tok
                continue
        if t.kind == "word" and t.lower.endswith(lang.possessive_suffixes):
            pred2 = _possessive_event(toks, i, lang)
            if pred2 is not None:
                out.append(one("person", pred2, text, t.start, t.end, sent))
                used = i
                continue
        if w in lang.casualty_words:
            got = object_claim(toks, i, text, sent, lang)
            if got is not None:
                out.append(got[0])
                used = got[1]
            continue
        head = _subject_head(toks, i, lang)
        if head < 0:
            continue
        got = _subject_claim(toks, i, head, 1, text, sent, lang)
        if got is not None:
            out.append(got[0])
            used = got[1]
    return out


def _starts(toks: list[Tok], hits: list[int], lang: LangData) -> list[int]:
    """Tokens a pattern can start at, with a casualty word at most a few tokens on.

    A count, an opener (event, article, pronoun), a casualty word, a headline start,
    a possessive or the first word of a name. Each token is looked at once.
    """
    out: list[int] = []
    append = out.append
    start_words = _start_words(lang.code)
    clause = lang.clause_openers
    possessive = lang.possessive_suffixes
    n = len(toks)
    lo = 0
    for hit in hits:
        i = hit - _REACH if hit - _REACH > lo else lo
        prev = toks[i - 1] if i else None
        for t in toks[i:hit]:  # the tokens before the hit; the hit itself always starts one
            if t.kind != "word":
                if t.kind == "num" or t.lower in start_words:
                    append(i)
            elif t.lower in start_words or prev is None:  # the first token: a headline start
                append(i)
            # _headline_start, and then _name_start, written out (the same tests)
            elif (
                prev.lower in clause
                if prev.kind == "word"
                else prev.kind == "sym"
                and prev.text in HEADLINE_BREAKS
                and (prev.text != "-" or not (prev.glued or t.glued))
            ):
                append(i)
            elif t.lower.endswith(possessive):
                append(i)
            elif (
                t.text[:1].isupper()
                and not t.text.isupper()
                and not (prev.kind == "word" and prev.text[:1].isupper())
                and i + 1 < n
                and toks[i + 1].kind == "word"
                and toks[i + 1].text[:1].isupper()
            ):
                append(i)
            prev = t
            i += 1
        append(hit)
        lo = hit + 1
    return out


def _subject_claim(
    toks: list[Tok], i: int, head: int, count: int, text: str, sent: str, lang: LangData
) -> tuple[Claim, int] | None:
    """The claim for a subject from ``i`` whose first person ends at ``head``, and its end."""
    n, last = person_list(toks, head, lang, count)
    verb = verb_at(toks, _past_event_of(toks, last + 1, lang), lang)
    if verb is None or not verb[1]:
        return None  # no casualty verb, or 'a man shot his wife': the object is the victim
    predicate = verb[2] or predicate_after(toks, verb[0], lang)
    if predicate is None or predicate not in lang.implicit_predicates:
        return None
    rank = lang.predicate_rank
    for t in toks[last + 1 : verb[0]]:  # 'fatally shot': the adverb says more
        adverb = lang.predicate_adjectives.get(t.lower)
        if adverb is not None and rank.get(adverb, 0) > rank.get(predicate, 0):
            predicate = adverb
    if rank.get(predicate, 0) < rank.get("die", 0) and dies_later(toks, verb[0] + 1, lang):
        predicate = "die"  # 'Boy shot while hunting west of Phoenix dies'
    elif rank.get(predicate, 0) < rank.get("injure", 0) and survives_later(toks, verb[0] + 1, lang):
        predicate = "injure"  # 'was also shot in his leg and is expected to recover'
    h = toks[head].lower
    noun = noun_lemma(h) if h in lang.person_nouns and n == 1 else "person"
    pred = lang.implicit_predicates[predicate]
    return one(noun, pred, text, toks[i].start, toks[last].end, sent, n), last


def _past_event_of(toks: list[Tok], k: int, lang: LangData) -> int:
    """After 'of Friday night's shooting' from ``k`` ('Victim of ... shooting dies'); else ``k``."""
    if k >= len(toks) or toks[k].lower not in lang.event_preps:
        return k
    for j in range(k + 1, min(k + 1 + _EVENT_WORDS, len(toks))):
        t = toks[j]
        if t.lower in lang.event_nouns:
            return j + 1
        if t.kind != "word" and t.text != "'" or t.lower in lang.aux_words:
            return k
    return k


def _subject_head(toks: list[Tok], i: int, lang: LangData) -> int:
    """Index of the person a subject pattern starting at ``i`` names; -1 if none."""
    t = toks[i]
    w = t.lower
    head = -1
    if w in lang.clause_pronouns and not (
        _headline_start(toks, i, lang) or (i >= 1 and toks[i - 1].lower in lang.conjunctions)
    ):
        return -1  # 'fired another shot': not a subject
    if w in lang.subject_pronouns or w in lang.clause_pronouns:
        if verb_at(toks, i + 1, lang) is not None:
            return i  # 'he was accidentally shot', 'Teen killed, another injured'
        if w in lang.subject_pronouns and i + 1 < len(toks):
            if toks[i + 1].lower in lang.conjunctions:
                return i  # 'he and four others were shot': a list
        return person_after(toks, i + 1, lang)  # 'another child was hospitalized'
    if w in lang.articles:
        head = person_after(toks, i + 1, lang)
    elif _headline_start(toks, i, lang) and (
        t.text[:1].isupper() or t.kind == "num" or w in lang.person_nouns
    ):
        head = person_after(toks, i, lang)  # 'Pleasantville woman shot in foot'
    if head < 0 and t.text[:1].isupper() and _name_start(toks, i):
        return _name_end(toks, i, lang)
    return head


def _headline_start(toks: list[Tok], i: int, lang: LangData) -> bool:
    """The first token of a sentence or of a headline part ('Police: Man shot')."""
    if i == 0:
        return True
    prev = toks[i - 1]
    if prev.kind == "word" and prev.lower in lang.clause_openers:
        return True  # 'after girl, 15, is killed': headlines drop the article here too
    if prev.kind != "sym" or prev.text not in HEADLINE_BREAKS:
        return False
    return prev.text != "-" or not (prev.glued or toks[i].glued)  # not "year-old"


@lru_cache(maxsize=16)
def _events_by_first(code: str) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    lang = get_lang(code)
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, pred in lang.implicit_events.items():
        index.setdefault(phrase[0], []).append((phrase, pred))
    return index


@lru_cache(maxsize=16)
def anchor_words(code: str) -> frozenset[str]:
    """Words one of which every pattern reaches: casualty words, conditions, event words."""
    lang = get_lang(code)
    words = set(lang.casualty_words) | set(lang.conditions)
    for phrase in list(lang.implicit_events) + list(lang.multiple_events):
        words.update(w for w in phrase if w not in lang.stop_words and w != "-")
    return frozenset(words)


@lru_cache(maxsize=16)
def _start_words(code: str) -> frozenset[str]:
    """Words a pattern always may start at: openers, number words and pair words."""
    lang = get_lang(code)
    return _openers(code) | frozenset(lang.number_words) | frozenset(lang.pair_words)


@lru_cache(maxsize=16)
def _multiple_firsts(code: str) -> frozenset[str]:
    """First words of the events that count several ('double' of 'double shooting')."""
    return frozenset(phrase[0] for phrase in get_lang(code).multiple_events)


@lru_cache(maxsize=16)
def _openers(code: str) -> frozenset[str]:
    """Lowercase words that can open an implicit count: event phrases and articles."""
    lang = get_lang(code)
    pronouns = lang.subject_pronouns | lang.clause_pronouns
    events = frozenset(_events_by_first(code))
    return events | lang.articles | pronouns | _multiple_firsts(code)


def _event_at(toks: list[Tok], i: int, lang: LangData) -> tuple[str, int, int] | None:
    """'fatal shooting of a ...', 'shooting death of Name', 'shooting of child, father'.

    Returns (predicate, last token of the claim, number of persons).
    """
    for phrase, pred in _events_by_first(lang.code).get(toks[i].lower, ()):
        end = i + len(phrase)
        if end >= len(toks) or tuple(map(LOWER, toks[i:end])) != phrase:
            continue
        nxt = toks[end]
        k = end + 1 if nxt.lower in lang.articles else end
        head = person_after(toks, k, lang)
        if head >= 0:  # 'shooting death of teen driver', 'of a 2-year-old girl'
            n, last = person_list(toks, head, lang)
            return pred, last, n
        if nxt.text[:1].isupper() and nxt.lower not in lang.articles:
            return pred, end - 1, 1  # a name
        if nxt.lower in lang.possessives and end + 1 < len(toks):
            if not is_plural_noun(toks[end + 1].lower):
                return pred, end - 1, 1
    return None


def _multiple_event(toks: list[Tok], i: int, lang: LangData) -> tuple[tuple[int, str], int] | None:
    """'double shooting' -> ((2, 'shoot'), index of its last token); None if not one."""
    for size in (2, 3):
        key = tuple(t.lower for t in toks[i : i + size] if t.text != "-")
        got = lang.multiple_events.get(key)
        if got is not None:
            return got, i + size - 1
    return None


def _possessive_event(toks: list[Tok], i: int, lang: LangData) -> str | None:
    """ "Teen's shooting", "16-year-old's gunshot wound": the predicate, or None."""
    t = toks[i]
    stem = possessive_stem(t, lang)
    if stem is None or i + 1 >= len(toks):
        return None
    if stem not in lang.person_nouns and not (stem in lang.age_ends and t.glued):
        return None
    preds = [lang.event_nouns.get(toks[k].lower) for k in range(i + 1, min(i + 3, len(toks)))]
    found = [p for p in preds if p is not None]  # "child's shooting death": the death
    return max(found, key=lambda p: lang.predicate_rank.get(p, 0)) if found else None


def _name_start(toks: list[Tok], i: int) -> bool:
    """A capitalised word that starts a two-word name ('Kevin Barbee was killed')."""
    t = toks[i]
    if t.kind != "word" or not t.text[:1].isupper() or t.text.isupper():
        return False
    if i >= 1 and toks[i - 1].kind == "word" and toks[i - 1].text[:1].isupper():
        return False
    return i + 1 < len(toks) and toks[i + 1].kind == "word" and toks[i + 1].text[:1].isupper()


def _name_end(toks: list[Tok], i: int, lang: LangData) -> int:
    """Index of the last word of the name, past an appositive age ('Kevin Barbee, 15,')."""
    if toks[i + 1].lower in lang.casualty_words:
        return i  # 'Cole Dead at 25'
    k = i + 1
    while k + 1 < len(toks) and toks[k + 1].kind == "word" and toks[k + 1].text[:1].isupper():
        if toks[k + 1].lower in lang.casualty_words:
            break  # 'Cole Dead at 25', 'Kevin Barbee Killed': title case
        k += 1
    return past_appositive_age(toks, k)
