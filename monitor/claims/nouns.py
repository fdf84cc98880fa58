"""Counted noun and predicate of a figure, from lemminflect's lexicon.

``noun_after`` walks the words after a figure ("2,000 Russian soldiers have
surrendered") and picks the head noun ("soldier"). ``predicate_near`` finds
the verb said of it: after the head, past auxiliaries and adverbs
("have surrendered" -> "surrender"; "shot and killed" -> "kill"), or else the
verb just before the figure ("control 74 settlements"). Pure: touches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from lemminflect import getAllInflections, getAllLemmas, getLemma

from monitor.claims import lexicon
from monitor.claims.lang import LangData, Words, get_lang
from monitor.claims.text import LOWER, Tok

lexicon.install()  # lemminflect's tables packed (same answers, a tenth of the memory)

_MAX_NOUN_WORDS = 6
_MAX_PRED_GAP = 5


@lru_cache(maxsize=65536)
def lemmas(word: str) -> Mapping[str, tuple[str, ...]]:
    """All lemmas of a lowercase word by part of speech ({} when unknown)."""
    found: Mapping[str, tuple[str, ...]] = getAllLemmas(word)
    return found


@lru_cache(maxsize=65536)
def noun_lemma(word: str) -> str:
    """The noun lemma of a lowercase word ('servicemen' -> 'serviceman')."""
    found = getLemma(word, upos="NOUN")
    return str(found[0]) if found else word


@lru_cache(maxsize=65536)
def is_plural_noun(word: str) -> bool:
    """True for a lowercase plural noun ('soldiers', 'sales')."""
    return "NOUN" in lemmas(word) and noun_lemma(word) != word


@lru_cache(maxsize=65536)
def verb_lemma(word: str) -> str | None:
    """The verb lemma of a lowercase word, or None when it cannot be a verb."""
    verbs = lemmas(word).get("VERB")
    return verbs[0] if verbs else None


@lru_cache(maxsize=4096)
def is_past_form(word: str) -> bool:
    """True when a lowercase word is a past tense or past participle ('shot', 'killed')."""
    lemma = verb_lemma(word)
    if lemma is None:
        return False
    forms: Mapping[str, tuple[str, ...]] = getAllInflections(lemma, "VERB")
    return word in forms.get("VBN", ()) or word in forms.get("VBD", ())


@lru_cache(maxsize=65536)
def _is_verb_only(word: str) -> bool:
    lem = lemmas(word)
    return "VERB" in lem and "NOUN" not in lem and "ADJ" not in lem


def noun_after(toks: list[Tok], j: int, lang: LangData) -> tuple[str | None, int]:
    """Return (noun lemma, index of the head token) for the words from ``j``; (None, -1)."""
    k = j
    if k < len(toks) and toks[k].text == "-" and toks[k].glued:
        k += 1
    if k < len(toks) and toks[k].lower in lang.figure_of:
        k += 1
        if k < len(toks) and toks[k].lower in lang.of_determiners:
            k += 1
    run: list[int] = []
    while k < len(toks) and len(run) < _MAX_NOUN_WORDS:
        t = toks[k]
        w = t.lower
        acronym = len(t.text) > 1 and t.text.isupper()
        if w in lang.conjunctions and run and _joins_nouns(toks, run, k, lang):
            k += 1
            continue
        if t.kind != "word" or (w in lang.stop_words and not acronym):
            break
        if w in lang.predicate_adjectives:
            break
        lem = lemmas(w)
        if lem and "NOUN" not in lem and "ADJ" not in lem and not acronym:
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if not (
                w.endswith(lang.participle_suffixes)
                and nxt is not None
                and nxt.kind == "word"
                and "NOUN" in lemmas(nxt.lower)
            ):
                break
        run.append(k)
        k += 1
        if k < len(toks) and toks[k].text == "-" and toks[k].glued and k + 1 < len(toks):
            k += 1
    head = _head(toks, run)
    if head < 0:
        return None, -1
    return noun_lemma(toks[head].lower), head


def _joins_nouns(toks: list[Tok], run: list[int], k: int, lang: LangData) -> bool:
    """'Kia and Hyundai vehicles', 'digital and physical sales': a shared head follows."""
    if any(is_plural_noun(toks[r].lower) for r in run):
        return False
    for t in toks[k + 1 : k + 4]:
        if t.kind != "word" or t.lower in lang.stop_words:
            return False
        if is_plural_noun(t.lower):
            return True
    return False


def _head(toks: list[Tok], run: list[int]) -> int:
    plural = -1
    last_noun = -1
    for k in run:
        w = toks[k].lower
        lem = lemmas(w)
        if len(w) > 1 and toks[k].text.isupper():
            continue  # an acronym ("US", "VR"): a modifier
        if "NOUN" in lem or not lem:
            if not lem and toks[k].text[:1].isupper():
                continue  # unknown capitalised word: a name or nationality, a modifier
            last_noun = k
            if "NOUN" in lem and noun_lemma(w) != w:
                plural = k
    if plural >= 0:
        return plural
    if last_noun < 0 and run:
        return run[-1]  # only names or acronyms: "millions of Americans", "0.5 WAR"
    return last_noun


def predicate_after(toks: list[Tok], k: int, lang: LangData) -> str | None:
    """The verb said of the noun that ends at token ``k - 1`` ("have surrendered")."""
    gap = 0
    while k < len(toks) and gap < _MAX_PRED_GAP:
        t = toks[k]
        w = t.lower
        if w in (",", "(") and k + 1 < len(toks) and toks[k + 1].lower in lang.part_markers:
            k = _skip_aside(toks, k + 1)
            continue
        if w in lang.predicate_adjectives:
            return _coordinated(toks, k + 1, lang.predicate_adjectives[w], lang)
        if t.kind != "word":
            return None
        if w in lang.raising_verbs and (after := _raised(toks, k + 1, lang)):
            k = after  # 'known to have died', 'feared dead': the next verb is the predicate
            continue
        if w in lang.aux_words or w in lang.skip_adverbs or w.endswith(lang.adverb_suffixes):
            k += 1
            gap += 1
            continue
        verb = verb_lemma(w)
        if verb is None or w in lang.stop_words:
            return None
        return _coordinated(toks, k + 1, verb, lang)
    return None


def _raised(toks: list[Tok], k: int, lang: LangData) -> int:
    """Where the raised predicate starts after a raising verb ending at ``k`` (0: none):
    after the infinitive marker ('known to have died'), or at a predicate adjective
    ('feared dead')."""
    if k + 1 < len(toks) and toks[k].lower in lang.infinitive_markers:
        return k + 1
    if k < len(toks) and toks[k].lower in lang.predicate_adjectives:
        return k
    return 0


def _skip_aside(toks: list[Tok], k: int) -> int:
    """Skip ', including 31 officers,' up to the token after the closing comma."""
    while k < len(toks) and toks[k].text not in (",", ")", ";"):
        k += 1
    return k + 1 if k < len(toks) and toks[k].text in (",", ")") else len(toks)


def _coordinated(toks: list[Tok], k: int, verb: str, lang: LangData) -> str:
    """'shot and killed' -> 'kill', 'shot dead' -> 'die': prefer the more specific word."""
    if k < len(toks) and toks[k].lower in lang.predicate_adjectives:
        # 'found shot dead', 'found shot to death': the last word says the most
        return _coordinated(
            toks, k + 1, _stronger(verb, lang.predicate_adjectives[toks[k].lower], lang), lang
        )
    manner = _manner_at(toks, k, lang)  # 'shot to death'
    if manner is not None:
        return manner
    if k + 1 < len(toks) and toks[k].text == "," and toks[k + 1].lower in lang.casualty_words:
        w = toks[k + 1].lower  # 'Juvenile Shot, Killed': the stronger word says what happened
        other = lang.predicate_adjectives.get(w) or verb_lemma(w)
        return _stronger(verb, other, lang) if other else verb
    if k + 1 < len(toks) and toks[k].lower in lang.conjunctions:
        k += 1
        while k < len(toks) and (
            toks[k].lower in lang.aux_words
            or toks[k].lower.endswith(lang.adverb_suffixes)
            or toks[k].lower in lang.skip_adverbs  # 'shot and later died'
        ):
            k += 1
        if k < len(toks):
            w = toks[k].lower
            if w in lang.predicate_adjectives:
                return _stronger(verb, lang.predicate_adjectives[w], lang)
            if (
                toks[k].kind == "word"
                and _is_verb_only(w)
                or (toks[k].kind == "word" and w.endswith(lang.past_suffixes) and verb_lemma(w))
            ):
                return verb_lemma(w) or verb
    return verb


def _manner_at(toks: list[Tok], k: int, lang: LangData) -> str | None:
    """The predicate of a manner phrase starting at token ``k`` ('to death' -> kill); else None."""
    if k >= len(toks):
        return None
    for phrase, predicate in _manners_by_first(lang.code).get(toks[k].lower, ()):
        end = k + len(phrase)
        if end <= len(toks) and tuple(map(LOWER, toks[k:end])) == phrase:
            return predicate
    return None


@lru_cache(maxsize=16)
def _manners_by_first(code: str) -> Mapping[str, tuple[tuple[Words, str], ...]]:
    """Manner phrases of a language indexed by their first word, in the data's order."""
    index: dict[str, list[tuple[Words, str]]] = {}
    for phrase, predicate in get_lang(code).manner_phrases.items():
        index.setdefault(phrase[0], []).append((phrase, predicate))
    return {w: tuple(v) for w, v in index.items()}


def _stronger(verb: str, other: str, lang: LangData) -> str:
    """'shot dead' -> 'die', 'fatally injured' stays 'kill': the higher-ranked predicate wins."""
    if lang.predicate_rank.get(other, 0) < lang.predicate_rank.get(verb, 0):
        return verb
    return other


def predicate_before(toks: list[Tok], first: int, lang: LangData) -> str | None:
    """The verb right before the figure ('control 74 settlements' -> 'control')."""
    k = first - 1
    steps = 0
    while k >= 0 and steps < 3:
        t = toks[k]
        w = t.lower
        if t.kind != "word":
            return None
        if w in lang.skip_adverbs or w in lang.articles:
            k -= 1
            steps += 1
            continue
        if w in lang.stop_words or w in lang.aux_words:
            return None
        verb = verb_lemma(w)
        if verb is None or t.text[:1].isupper():
            return None
        if "NOUN" in lemmas(w) and noun_lemma(w) != w:
            return None  # a plural noun ("shares"), not a verb
        return verb
    return None
