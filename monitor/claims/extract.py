"""Find every numeric claim in a text: value, interval, qualifier, unit, noun, predicate.

Sentences with no digit and no number or casualty word of the language
(prefilter.py) are never tokenised. One pass per sentence over tokens: read a
number (numbers.py), reject non-claims (context.py), join ranges ("between 50
and 60", "50-60", "from 50 to 60"), read the bound or change before it ("more
than", "rose"), the unit after it, then the counted noun and predicate
(nouns.py). Implicit counts ("a man was shot and killed") come from implicit.py.

Interval conventions: exact -> low = high = value; approx -> value +/- 10 %
for round numbers (multiples of ten, single digits) and 5 % otherwise;
more_than / at_least -> [value, None]; less_than / at_most -> [None, value];
range -> [low, high] with value = low (the smallest figure the wording
allows; vague amounts such as "dozens of" are ranges too: 12..120);
up / down -> value is the size of the change, low = high = value.
Pure: touches nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from monitor.claims import context as ctx
from monitor.claims import qualifiers as q
from monitor.claims.implicit import anchor_words, implicit_claims
from monitor.claims.lang import LangData, get_lang
from monitor.claims.nouns import noun_after, predicate_after, predicate_before, verb_lemma
from monitor.claims.numbers import Num, read_number
from monitor.claims.prefilter import starters, worth
from monitor.claims.text import ANCHOR, FIGURE, Tok, sentences, tokenize_marked
from monitor.types import Claim, Qualifier

_CHANGE_UNITS = frozenset(
    "percent|percentage point|basis point|cent|sen|pence|USD|EUR|GBP|JPY|CNY|HKD|INR|MYR|AUD"
    "|CAD|UAH|RUB|CHF|ILS".split("|")
)
_DASHES = ("-", "–", "—")


@dataclass(slots=True)
class _Found:
    value: float
    low: float | None
    high: float | None
    qualifier: Qualifier
    unit: str | None
    first: int  # first token of the surface (bound, currency...)
    end: int  # token index after the figure and its unit


def extract(text: str, language: str = "en") -> list[Claim]:
    """Return every claim in ``text``, in order of their start offset."""
    lang = get_lang(language)
    if not worth(text, lang.code):
        return []  # sentences cover every non-space character: none of them is worth it
    return _extract(text, lang, worth)


def extract_unfiltered(text: str, language: str = "en") -> list[Claim]:
    """``extract`` reading every sentence, with no prefilter: what the prefilter must keep."""
    return _extract(text, get_lang(language), _always)


def _always(sent: str, code: str) -> bool:
    return True


def _extract(text: str, lang: LangData, check: Callable[[str, str], bool]) -> list[Claim]:
    out: list[Claim] = []
    marks = _marks(lang.code)
    for s, e in sentences(text, lang):
        sent = text[s:e]
        if not check(sent, lang.code):
            continue
        toks, figures, anchors = tokenize_marked(sent, s, marks)
        found = _sentence_claims(toks, figures, text, sent, lang)
        if anchors:
            taken = {c.start for c in found if c.unit is None}
            found.extend(implicit_claims(toks, anchors, text, sent, lang, taken))
        out.extend(sorted(found, key=_start))
    return out


@lru_cache(maxsize=16)
def _marks(code: str) -> dict[str, int]:
    """Lowercase words the tokeniser marks: where figures and implicit counts start from."""
    marks = dict.fromkeys(starters(code), FIGURE)
    for w in anchor_words(code):
        marks[w] = marks.get(w, 0) | ANCHOR
    return marks


def _start(c: Claim) -> int:
    return c.start


@lru_cache(maxsize=16)
def _article_rule(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """Indefinite articles and the words after them that can make a number ("a dozen", "a third").

    An article followed by anything else reads as no number (numbers.read_number), so it
    is not worth a look; articles that are number words or start a vague phrase of the
    language always are.
    """
    lang = get_lang(code)
    vague_heads = {p.split()[0] for p in lang.vague}
    articles = frozenset(
        lang.indefinite_articles - vague_heads - set(lang.number_words) - set(lang.scale_words)
    )
    return articles, frozenset(set(lang.scale_words) | set(lang.fractions) | {"-"})


def _sentence_claims(
    toks: list[Tok], figures: list[int], text: str, sent: str, lang: LangData
) -> list[Claim]:
    """The explicit figures of a sentence; ``figures``: its number tokens and starter words
    (``tokenize_marked``), where a figure may start."""
    claims: list[Claim] = []
    prev: _Found | None = None
    articles, after_article = _article_rule(lang.code)
    n = len(toks)
    i = 0  # candidates before ``i`` were consumed by the previous figure
    for c in figures:
        if c < i:
            continue
        low = toks[c].lower
        if low in articles and not (c + 1 < n and toks[c + 1].lower in after_article):
            continue
        i = c
        found, nxt = _read_claim(toks, i, lang)
        if found is not None:
            if prev is not None:
                _inherit(found, prev, toks, lang)
            claims.append(_to_claim(found, toks, text, sent, lang))
            prev = found
        i = max(nxt, i + 1)
    return claims


def _inherit(f: _Found, prev: _Found, toks: list[Tok], lang: LangData) -> None:
    """'more than 100 km (60 miles)' and 'lost 190 points, or 0.6%' share the qualifier."""
    if f.qualifier != "exact" or prev.qualifier in ("exact", "range"):
        return
    between = [t.text for t in toks[prev.end : f.first]]
    if between and toks[prev.end].kind == "word":
        w = between[0].lower()
        if w not in lang.alternative_conjunctions and w not in lang.additive_conjunctions:
            between = between[1:]  # "lost 190 points, or 0.6%"
    aside = between in (["("], ["/"]) and prev.qualifier not in ("up", "down")
    ors = lang.alternative_conjunctions
    alternative = prev.qualifier in ("up", "down") and (
        (len(between) == 1 and between[0] in ors)
        or (len(between) == 2 and between[0] == "," and between[1] in ors)
    )
    # "were down 2.3%, Burlington by 2.6%": the verb is left out before 'by'
    elliptic = (
        prev.qualifier in ("up", "down")
        and 2 <= len(between) <= 4
        and between[0] == ","
        and between[-1] in lang.change_preps
    )
    if aside or alternative or elliptic:
        f.qualifier = prev.qualifier
        f.low, f.high = q.interval(f.value, f.qualifier)


def _read_claim(toks: list[Tok], i: int, lang: LangData) -> tuple[_Found | None, int]:
    cur = ctx.currency_before(toks, i, lang)
    num = read_number(toks, i, lang, cur is not None)
    if num is None:
        return None, i + 1
    if num.kind == "words" and not _word_number_ok(toks, num, lang, i):
        return None, num.last
    value = -num.value if _negative(toks, i, cur is not None, lang) else num.value
    last = num.last
    if num.kind == "digits" and cur is None:
        phone_end = ctx.phone_end(toks, i, last)
        if phone_end >= 0:
            return None, phone_end
    after = ctx.unit_after(toks, last, lang)  # read once: the filters and the unit need it
    money = cur is not None
    if num.kind == "digits" and _rejected_digits(toks, i, last, value, money, after, lang):
        return None, last
    unit, end = _unit(last, cur, after)
    if unit is None and cur is None and ctx.appositive_age(toks, i, last, value, lang):
        unit = "year-old"
    first = cur[1] if cur else i
    if first >= 1 and toks[first - 1].lower in lang.minus_words:
        first -= 1
    low: float | None = value
    high: float | None = value
    qualifier: Qualifier = "exact"
    if num.kind == "vague":
        low, high, qualifier = num.low, num.high, "range"
    rng = _range_after(toks, num, first, end, unit, lang)
    if rng is not None:
        num2, end, unit2, first = rng
        unit = unit or unit2
        spread = num.mult == 1 and num.kind == "digits" and value < num2.value / num2.mult
        a = value * (num2.mult if spread else 1)
        low, high = min(a, num2.value), max(a, num2.value)
        if _is_score(toks, num, num2, a, unit) or _all_years(toks, num, num2, lang):
            return None, num2.last
        value, qualifier = low, "range"
    elif num.kind == "digits" and cur is None and unit is None:
        if ctx.is_year(toks, i, last, False, lang) and q.bound_before(toks, first, lang) is None:
            return None, last
    if qualifier != "range":
        bound = q.bound_before(toks, first, lang)
        if bound is not None:
            qualifier, first = bound
        change = q.change_before(toks, first, unit, end, lang, qualifier)
        if change is not None and qualifier in ("exact", "approx"):
            qualifier, first = change
        post = q.post_bound(toks, end, lang)
        if post is not None and qualifier == "exact":
            qualifier, end = post
        low, high = q.interval(value, qualifier)
    return _Found(value, low, high, qualifier, unit, first, end), end


def _word_number_ok(toks: list[Tok], num: Num, lang: LangData, i: int) -> bool:
    t = toks[i]
    if i >= 1 and t.text[:1].isupper() and toks[i - 1].text[:1].isupper():
        return False  # "the Kick Six", "BBC One": part of a name
    if num.raw != lang.word_for_one:
        return True
    prev = toks[num.first - 1].lower if num.first >= 1 else ""
    nxt = toks[num.last].lower if num.last < len(toks) else ""
    return prev not in lang.one_pronoun_before and nxt not in lang.one_idiom_after and nxt != "-"


def _negative(toks: list[Tok], i: int, money: bool, lang: LangData) -> bool:
    if i == 0:
        return False
    prev = toks[i - 1]
    if i >= 2 and toks[i - 2].lower in lang.label_words:
        return False
    if prev.lower in lang.minus_words:
        return True
    if prev.text not in ("-", "−") or not toks[i].glued:
        return False
    if i == 1 or not prev.glued:
        return True
    return toks[i - 2].lower in lang.minus_words or money


def _rejected_digits(
    toks: list[Tok],
    i: int,
    last: int,
    value: float,
    money: bool,
    unit: tuple[str, int] | None,
    lang: LangData,
) -> bool:
    if ctx.is_ordinal(toks, i, last, lang) or ctx.is_time(toks, i, last, lang):
        return True
    if money:
        return False
    if ctx.is_date(toks, i, last, value, lang) or ctx.is_furniture(toks, i, last, lang):
        return True
    if ctx.is_label(toks, i, i, last, lang, unit is not None):
        return True
    return ctx.is_glued_code(toks, last, unit is not None, lang)


def _unit(
    last: int, cur: tuple[str, int] | None, after: tuple[str, int] | None
) -> tuple[str | None, int]:
    """The unit of a figure ending at ``last``: its currency, else ``after`` (unit_after)."""
    if cur is not None:
        if after is not None and after[0] == cur[0]:
            return cur[0], after[1]
        return cur[0], last
    if after is None:
        return None, last
    return after


def _range_after(
    toks: list[Tok], num: Num, first: int, end: int, unit: str | None, lang: LangData
) -> tuple[Num, int, str | None, int] | None:
    if end + 1 >= len(toks) or num.kind == "vague":
        return None
    j = toks[end]
    opener = toks[first - 1].lower if first >= 1 else ""
    if j.text in _DASHES:
        if j.text == "-" and not (j.glued and toks[end + 1].glued):
            return None
        if _hyphenated_to(toks, end, lang):
            end += 2  # '0-to-60-mph': read on from the second dash
    elif j.lower in lang.range_links:
        if q.changed(toks, first, lang) or ctx.is_year(toks, num.first, num.last, False, lang):
            return None
        if opener not in lang.range_openers and unit is not None:
            nxt_unit = _peek_unit(toks, end + 1, lang)
            if nxt_unit != unit:
                return None
    elif j.lower in lang.additive_conjunctions:
        if opener not in lang.closed_range_openers:
            return None
    else:
        return None
    k = end + 1
    if k < len(toks) and toks[k].text in _DASHES and toks[k].glued:  # "0-to-60"
        k += 1
    cur2 = None
    for c in range(k, min(k + 3, len(toks))):
        got = ctx.currency_before(toks, c, lang)
        if got is not None and got[1] == k and toks[c].kind == "num":
            cur2, k = got, c
            break
    if k >= len(toks):
        return None
    num2 = read_number(toks, k, lang, cur2 is not None or unit in _CHANGE_UNITS)
    if num2 is None or num2.kind not in ("digits", "words"):
        return None
    if num2.kind == "digits" and ctx.is_ordinal(toks, k, num2.last, lang):
        return None
    unit2, end2 = _unit(num2.last, cur2, ctx.unit_after(toks, num2.last, lang))
    new_first = first - 1 if opener in lang.range_openers else first
    return num2, end2, unit2, new_first


def _hyphenated_to(toks: list[Tok], k: int, lang: LangData) -> bool:
    """'0-to-60': a glued dash at ``k``, then a range link and another glued dash."""
    if k + 3 >= len(toks) or toks[k + 1].lower not in lang.range_links:
        return False
    dash = toks[k + 2]
    return dash.text in _DASHES and dash.glued and toks[k + 3].glued


def _peek_unit(toks: list[Tok], k: int, lang: LangData) -> str | None:
    cur: str | None = None
    for c in range(k, min(k + 3, len(toks))):
        got = ctx.currency_before(toks, c, lang)
        if got is not None and got[1] == k:
            return got[0]
    num = read_number(toks, k, lang) if k < len(toks) else None
    if num is None:
        return cur
    after = ctx.unit_after(toks, num.last, lang)
    return after[0] if after else None


def _is_score(toks: list[Tok], a: Num, b: Num, va: float, unit: str | None) -> bool:
    joined = toks[a.last].text == "-"
    return joined and unit is None and va >= b.value and va < 200 and va == int(va)


def _all_years(toks: list[Tok], a: Num, b: Num, lang: LangData) -> bool:
    return ctx.is_year(toks, a.first, a.last, False, lang) and ctx.is_year(
        toks, b.first, b.last, False, lang
    )


def _to_claim(f: _Found, toks: list[Tok], text: str, sent: str, lang: LangData) -> Claim:
    start, end = toks[f.first].start, toks[f.end - 1].end
    noun: str | None = None
    predicate: str | None = None
    if f.qualifier in ("up", "down"):
        w = toks[f.first].lower
        predicate = verb_lemma(w) or (w if toks[f.first].kind == "word" else None)
        if f.unit is None:
            noun = noun_after(toks, f.end, lang)[0]
    elif f.unit is None:
        noun, head = noun_after(toks, f.end, lang)
        predicate = predicate_after(toks, head + 1 if head >= 0 else f.end, lang)
    else:
        predicate = predicate_after(toks, f.end, lang)
    if noun is None and f.unit is None and f.qualifier not in ("up", "down"):
        noun, predicate = ctx.count_head_before(toks, f.first, lang) or (None, predicate)
    before = predicate_before(toks, f.first, lang) if f.unit is None else None
    if before is not None and before in lang.implicit_predicates:
        predicate = before  # 'injured three others': the figure is what the verb acts on
    if predicate is None:
        predicate = before if f.unit is None else predicate_before(toks, f.first, lang)
    return Claim(
        value=f.value,
        low=f.low,
        high=f.high,
        qualifier=f.qualifier,
        unit=f.unit,
        noun=noun,
        predicate=predicate,
        text=text[start:end],
        start=start,
        end=end,
        sentence=sent,
    )
