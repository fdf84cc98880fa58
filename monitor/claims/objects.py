"""Helpers for implicit counts of one: persons, ages, verbs and victims named as objects.

``object_claim`` reads "accidentally shoots 16-year-old girl", "shot himself",
"killing her friend": a casualty verb in the active voice followed by one
person is a claim of 1 about that person. ``person_after`` finds the singular
person (or bare age) a phrase ends with; ``verb_at`` the casualty verb after a
subject and whether it reads as passive. Pure: touches nothing.
"""

from __future__ import annotations

from monitor.claims import context as ctx
from monitor.claims.conditions import condition_at
from monitor.claims.lang import LangData
from monitor.claims.nouns import is_past_form, noun_lemma, verb_lemma
from monitor.claims.text import LOWER, Tok
from monitor.types import Claim

# Punctuation that starts a headline part: "Police: Man shot", "UPDATE | Teen killed".
HEADLINE_BREAKS = frozenset((":", "|", "—", "–", "-", ",", ";"))
# Canonical age units (codes, the same in every language).
AGE_UNITS = frozenset(("year-old", "month-old", "week-old", "day-old"))
_MAX_MODIFIERS = 7
_MAX_GAP = 4
_MAX_NAME = 4  # words of a name set off by commas
_CLAUSE = 14  # tokens looked at for a later death
_CLAUSE_ENDS = frozenset(",;:|—–!?")
_QUOTES = frozenset(("'", '"', "‘", "’", "“", "”"))


def one(noun: str, predicate: str, text: str, start: int, end: int, sent: str, n: int = 1) -> Claim:
    """An exact claim of ``n`` (one by default) over ``text[start:end]``."""
    return Claim(
        value=float(n),
        low=float(n),
        high=float(n),
        qualifier="exact",
        unit=None,
        noun=noun,
        predicate=predicate,
        text=text[start:end],
        start=start,
        end=end,
        sentence=sent,
    )


def is_possessive(tok: Tok, lang: LangData) -> bool:
    """ "girlfriend's", "family’s": a word in the possessive."""
    return tok.kind == "word" and tok.lower.endswith(lang.possessive_suffixes)


def possessive_stem(tok: Tok, lang: LangData) -> str | None:
    """ "teen's" -> "teen": the lowercase word without its possessive ending; None if none."""
    if tok.kind != "word":
        return None
    for suffix in lang.possessive_suffixes:
        if tok.lower.endswith(suffix):
            return tok.lower[: -len(suffix)]
    return None


def age_end(toks: list[Tok], k: int, lang: LangData) -> int:
    """Index of the last token of an age ('17-year-old', 'Six-Year-Old') from ``k``; -1 if none."""
    if toks[k].kind != "num" and toks[k].lower not in lang.number_words:
        return -1
    unit = ctx.unit_after(toks, k + 1, lang)
    if unit is None or unit[0] not in AGE_UNITS:
        return -1
    return unit[1] - 1


def past_appositive_age(toks: list[Tok], k: int) -> int:
    """'Boy, 3, wounded': the index after an age set off by commas, else ``k``."""
    if k + 3 < len(toks) and toks[k + 1].text == "," and toks[k + 2].kind == "num":
        if toks[k + 3].text == ",":
            return k + 3
    return k


def person_after(toks: list[Tok], k: int, lang: LangData) -> int:
    """Index of the singular person noun (or bare age) that ends the phrase from ``k``."""
    n = len(toks)
    if k >= n:
        return -1
    w = toks[k].lower
    if w in lang.ordinal_words:
        return -1  # "a third worker died": the third death, not a count of one
    numbers = lang.number_words
    if w in numbers and age_end(toks, k, lang) < 0:
        return -1  # "two men": an explicit count
    if is_possessive(toks[k], lang):
        k += 1  # "girlfriend's 9-year-old"
    persons = lang.person_nouns
    stop, aux = lang.stop_words, lang.aux_words
    seen = 0
    age = -1
    while k < n and seen < _MAX_MODIFIERS:
        t = toks[k]
        w = t.lower
        kind = t.kind
        if kind == "word" and w in persons:
            nxt = toks[k + 1] if k + 1 < n else None
            if nxt is not None and nxt.kind == "word" and nxt.lower in persons:
                k += 1
                seen += 1
                continue
            return k
        if kind == "num" or w in numbers:
            end = age_end(toks, k, lang)
            if end < 0:
                return -1
            nxt = toks[end + 1] if end + 1 < n else None
            if nxt is None or nxt.kind != "word" or _ends_phrase(toks, end + 1, lang):
                return end  # "16-year-old shot while playing": the age is the person
            age = k = end
            k += 1
            seen += 1
            continue
        if age >= 0 and kind == "word" and _ends_phrase(toks, k, lang):
            return k - 1  # '17-year-old Elijah Jones killed': the name ends at the verb
        if (kind == "word" and (w in stop or w in aux)) or (kind == "sym" and t.text != "-"):
            # 'shooting 2-year-old nephew', '15-year-old Lavontay Allen was': an age, then
            # the words that name the person
            return k - 1 if age >= 0 else -1
        k += 1
        seen += 1
    return age


def _ends_phrase(toks: list[Tok], k: int, lang: LangData) -> bool:
    """True when the word at ``k`` cannot continue a noun phrase: an aux, adverb or verb."""
    w = toks[k].lower
    if w in lang.aux_words or w in lang.skip_adverbs or w in lang.predicate_adjectives:
        return True
    if w in lang.stop_words:
        return True
    if w.endswith(lang.adverb_suffixes):
        return True
    return w in lang.casualty_words and verb_lemma(w) is not None


def person_list(
    toks: list[Tok], head: int, lang: LangData, count: int = 1, objects: bool = False
) -> tuple[int, int]:
    """'Man, woman killed', 'himself and son, 10,': (number of persons, index of the last).

    ``count`` is what the first item counts (1 for a person, N for 'two men'). Items
    joined by a bare comma are bare nouns ('Man, woman'); in a list of objects, such an
    item followed by a verb starts a new clause ('shoots himself, father charged').
    """
    last = past_appositive_age(toks, head)
    while last + 2 < len(toks):
        k = last + 1
        if toks[k].text == ",":
            k += 1
        comma_only = toks[k].lower not in lang.conjunctions
        if not comma_only:
            k += 1
        if k == last + 1:
            break
        while k < len(toks) and toks[k].lower in lang.skip_adverbs:
            k += 1
        det = k < len(toks) and (
            toks[k].lower in lang.noun_determiners or toks[k].lower in lang.possessives
        )
        if det and comma_only:
            break  # 'Columbus Police, the girl is...': not a list
        if det:
            k += 1
        if k >= len(toks):
            break
        group = group_at(toks, k, lang)
        if group is not None:  # 'Teen, 3 adults shot': a counted group joins the list
            count, last = count + group[0], group[1]
            continue
        nxt = k if toks[k].lower in lang.reflexives else person_after(toks, k, lang)
        if nxt < 0:
            break
        name = toks[nxt].text[:1].isupper() and toks[nxt].lower not in lang.person_nouns
        if name and comma_only:  # "Allen's mother, Jaton Watts": the same one
            last = past_appositive_age(toks, nxt)
            continue
        after = past_appositive_age(toks, nxt) + 1
        if objects and comma_only and after < len(toks) and verb_lemma(toks[after].lower):
            break
        count, last = count + 1, after - 1
    return count, last


def group_at(toks: list[Tok], k: int, lang: LangData) -> tuple[int, int] | None:
    """'3 adults', 'three other women': (the count, index of the plural person noun)."""
    t = toks[k]
    if t.kind == "num" and t.text.isdecimal():
        n = int(t.text)
    elif t.lower in lang.number_words:
        n = lang.number_words[t.lower]
    elif t.lower in lang.pair_words:
        n = lang.pair_words[t.lower]  # 'both victims'
    else:
        return None
    for j in range(k + 1, min(k + 4, len(toks))):
        w = toks[j].lower
        if toks[j].kind != "word":
            return None
        if w in lang.group_nouns or noun_lemma(w) in lang.person_nouns:
            return n, j
        if w in lang.stop_words or w in lang.time_words or w in lang.number_words:
            return None  # '3:15 a.m. Three men': not one group
    return None


def verb_at(toks: list[Tok], k: int, lang: LangData) -> tuple[int, bool, str | None] | None:
    """(index, passive, predicate) of the casualty word after a subject ending at ``k - 1``.

    Skips auxiliaries, adverbs and quotes. Passive: an auxiliary came first, or the verb
    is a past form with no object after it ('Man shot in knee'), or it is an adjective
    ('dead', 'injured'). A condition ('in critical condition', 'stable') gives its own
    predicate; else it is None (read it with ``predicate_after``). None when no casualty
    word comes within a few words.
    """
    aux = False
    gap = 0
    while k < len(toks) and gap < _MAX_GAP:
        t = toks[k]
        w = t.lower
        if (
            t.kind == "sym"
            and t.text == ","
            and k + 1 < len(toks)
            and toks[k + 1].lower in lang.relative_pronouns
        ):
            k += 1
            continue
        if t.kind == "sym" and t.text == "," and gap == 0:
            after = _appositive_name_end(toks, k)
            if after > k:  # 'The victim, Cortney Smith, was pronounced dead'
                k = after
                continue
        if t.kind == "sym" and t.text in _QUOTES:
            k += 1
            continue
        cond = condition_at(toks, k, lang)  # 'in critical condition', 'taken to a hospital'
        if cond is not None:
            return cond[0], True, cond[1]
        life = _life_taken(toks, k, lang)
        if life >= 0:
            return life, True, "die"  # 'took his own life'
        if t.kind != "word":
            return None
        if w in lang.negations:
            return None  # 'the girl was not injured'
        if w in lang.aux_words:
            aux = True
        elif not (w in lang.skip_adverbs or w.endswith(lang.adverb_suffixes)):
            break
        k += 1
        gap += 1
    if k + 1 < len(toks) and toks[k + 1].lower in lang.predicate_adjectives:
        if is_past_form(toks[k].lower):
            return k, True, None  # 'Man found dead'
    if k >= len(toks) or toks[k].lower not in lang.casualty_words:
        return None
    w = toks[k].lower
    lemma = verb_lemma(w)
    if lemma is not None and lemma in lang.intransitive_predicates:
        return k, True, None
    if w in lang.predicate_adjectives and not is_past_form(w):
        return k, True, None
    if not is_past_form(w):
        return None  # 'shoots', 'shooting': the subject acts
    return k, aux or object_head(toks, k + 1, lang) < 0, None


def _life_taken(toks: list[Tok], k: int, lang: LangData) -> int:
    """Index of the last word of 'took his own life' from ``k``; -1 if not there."""
    words = lang.life_taking.get(toks[k].lower)
    if words is None:
        return -1
    j = k + 1
    if j < len(toks) and toks[j].lower in lang.possessives:
        j += 1
    end = j + len(words)
    if end > len(toks) or tuple(map(LOWER, toks[j:end])) != words:
        return -1
    return end - 1


def _appositive_name_end(toks: list[Tok], k: int) -> int:
    """After ', Name Name,' (a name set off by commas) from the comma at ``k``; else ``k``."""
    j = k + 1
    while j < len(toks) and j - k <= _MAX_NAME and toks[j].kind == "word":
        if not toks[j].text[:1].isupper():
            return k
        j += 1
    if j - k < 3 or j >= len(toks) or toks[j].text != ",":
        return k  # a name has two words at least
    return j + 1


def object_head(toks: list[Tok], k: int, lang: LangData) -> int:
    """Index of the one person a verb acts on from ``k`` ('his 2-year-old son'); -1 if not."""
    gap = 0
    while k < len(toks) and gap < 2:
        w = toks[k].lower
        if not (w.endswith(lang.adverb_suffixes) or w in lang.additive_conjunctions):
            break
        k += 1
        gap += 1
    if k >= len(toks):
        return -1
    t = toks[k]
    if t.lower in lang.reflexives:
        return k
    if t.lower in lang.possessives or t.lower in lang.articles:
        k += 1
    return person_after(toks, k, lang)


def object_claim(
    toks: list[Tok], i: int, text: str, sent: str, lang: LangData
) -> tuple[Claim, int] | None:
    """'accidentally shoots 16-year-old girl': (claim of 1, index of the person) or None."""
    w = toks[i].lower
    lemma = verb_lemma(w)
    if lemma is None or lemma not in lang.implicit_predicates or lemma == w:
        return None
    if i >= 1 and toks[i - 1].lower in lang.aux_words and is_past_form(w):
        return None  # 'was shot': passive, the subject is the victim
    if i >= 1 and (toks[i - 1].lower in lang.noun_markers or toks[i - 1].lower in lang.possessives):
        return None  # 'the shooting suspect': a noun ('a shooting that killed ...' is not)
    head = object_head(toks, i + 1, lang)
    if head < 0:
        return None
    n, last = person_list(toks, head, lang, objects=True)
    predicate = lang.implicit_predicates[lemma]
    first = i
    if i >= 1 and toks[i - 1].lower in lang.predicate_adjectives:
        predicate = lang.predicate_adjectives[toks[i - 1].lower]  # 'fatally shoots'
        first = i - 1
    if last + 1 < len(toks) and toks[last + 1].lower in lang.predicate_adjectives:
        after = lang.predicate_adjectives[toks[last + 1].lower]  # 'shot his wife dead'
        if lang.predicate_rank.get(after, 0) > lang.predicate_rank.get(predicate, 0):
            predicate = after
    reflexive = toks[head].lower in lang.reflexives
    if reflexive and n == 1 and dies_later(toks, last + 1, lang):
        predicate = "die"  # 'Boy, 15, who shot himself accidentally in head dies'
    h = toks[head].lower
    noun = noun_lemma(h) if h in lang.person_nouns and n == 1 else "person"
    return one(noun, predicate, text, toks[first].start, toks[last].end, sent, n), last


def dies_later(toks: list[Tok], k: int, lang: LangData) -> bool:
    """A death verb later in the same clause: 'who had been hospitalized ... has died'."""
    prev = ""
    for j in range(k, min(k + _CLAUSE, len(toks))):
        t = toks[j]
        link = j + 1 < len(toks) and toks[j + 1].lower in lang.death_links
        if t.kind == "sym" and t.text in _CLAUSE_ENDS and not (t.text == "," and link):
            return False  # ', where he died' goes on about the same person
        if t.lower in lang.conjunctions:
            return False
        if t.lower in lang.subject_pronouns and prev not in lang.death_links:
            return False
        if t.lower in lang.later_deaths:
            return True
        prev = t.lower
    return False


def survives_later(toks: list[Tok], k: int, lang: LangData) -> bool:
    """A word of survival later in the sentence: 'was also shot, but survived'."""
    for t in toks[k : k + _CLAUSE]:
        if t.kind == "sym" and t.text in ";:|":
            return False
        if t.lower in lang.later_survivals:
            return True
    return False
