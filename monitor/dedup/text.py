"""Text normalisation for dedup: hashing, tokens, shingles, entity-like words.

Pure functions over strings; language specifics come from ``lang`` data.
Touches nothing.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.dedup.lang import LanguageData

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# each word with what separates it from the one before (the text between ``_WORD`` matches);
# the end of the text as a last "word", or a long tail of punctuation costs quadratic time
_GAP_WORD = re.compile(r"([\W_]*)([^\W_]+(?:['’][^\W_]+)*|\Z)")
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:•]\s+")
_MAX_SUFFIX_WORDS = 8
_MIN_HEAD_WORDS = 3


_FOLD_MEMO_CHARS = 1_000_000  # texts remembered with their folded form, in characters


class _FoldMemo:
    """The folded form of recent texts: one item's text is folded for its hash, its copy
    shingles and its sentences' boilerplate keys (twice); emptied when it holds too much."""

    def __init__(self) -> None:
        self.folded: dict[str, str] = {}
        self.chars = 0

    def get(self, text: str) -> str:
        found = self.folded.get(text)
        if found is None:
            if self.chars + len(text) > _FOLD_MEMO_CHARS:
                self.folded.clear()
                self.chars = 0
            found = " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))
            self.folded[text] = found
            self.chars += len(text) + len(found)
        return found


_fold_memo = _FoldMemo()


def fold(text: str) -> str:
    """Casefold, NFKC, and reduce punctuation and whitespace runs to one space."""
    return _fold_memo.get(text)


def text_hash(title: str, text: str) -> str:
    """Hash of the normalised title and text, for exact-duplicate detection."""
    return text_digest(title, text).hex()


def text_digest(title: str, text: str) -> bytes:
    """``text_hash`` as its 16 bytes (what the story window keeps: half the size)."""
    key = fold(title) + "\n" + fold(text)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()


def strip_title_suffix(title: str, source: str = "") -> str:
    """Drop a trailing " - Outlet" / " | Site" part of a headline.

    A trailing segment is dropped when it is short and the rest is a headline
    on its own, or when it names the source's domain (e.g. "WKRN News 2" for
    wkrn.com).
    """
    parts = _TITLE_SEPARATORS.split(title.strip())
    domain_words = {w for w in re.split(r"[^a-z0-9]+", source.casefold()) if len(w) > 3}
    while len(parts) > 1:
        last = parts[-1]
        head_words = sum(len(p.split()) for p in parts[:-1])
        last_words = fold(last).split()
        names_source = any(w in domain_words for w in last_words) or any(
            "".join(last_words[i : i + 2]) in domain_words for i in range(len(last_words))
        )
        short = len(last_words) <= _MAX_SUFFIX_WORDS and head_words >= _MIN_HEAD_WORDS
        if not (names_source or (short and len(parts) > 2)):
            break
        parts.pop()
    return " - ".join(parts)


class _WordCache:
    """Per-language results of pure word functions (stems, terms), bounded: emptied when
    full (a daemon runs for months and meets new words all the while)."""

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        self.stems: dict[str, str] = {}
        self.terms: dict[str, str] = {}  # folded word -> its term, "" when it is none
        self.names: dict[str, str] = {}  # capitalised word -> its name term, "" when none


# per table, ~1.5 MiB when full (50,000: ~5 MiB); GVA's articles three times over miss 4.3
# words an item (2.7 at 50,000), a miss costing a few microseconds of an item's milliseconds
_CACHE_WORDS = 16_384
_CACHE_TABLES = 8  # languages cached at once
_caches: dict[int, _WordCache] = {}


def _cache(lang: LanguageData) -> _WordCache:
    found = _caches.get(id(lang))  # (it holds ``lang``: the id cannot be reused meanwhile)
    if found is None:
        if len(_caches) >= _CACHE_TABLES:
            _caches.clear()
        found = _caches[id(lang)] = _WordCache(lang)
    return found


def _stem(word: str, lang: LanguageData) -> str:
    stems = _cache(lang).stems
    stem = stems.get(word)
    if stem is None:
        if len(stems) >= _CACHE_WORDS:
            stems.clear()
        stem = stems[word] = _strip(word, lang)
    return stem


def _strip(word: str, lang: LanguageData) -> str:
    if word.endswith(lang.keep_suffixes):
        return word
    for suffix, min_len in lang.strip_suffixes:
        if len(word) >= min_len and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _term(raw: str, lang: LanguageData) -> str:
    """The term of a folded word; "" when it is none (a stop word, a letter)."""
    if raw in lang.stop_words or (len(raw) < 2 and not raw.isdigit()):
        return ""
    digits = lang.number_words.get(raw)
    if digits is not None:  # "three" is the term "3", as in "3-year-old"
        return sys.intern(digits)
    word = _stem(raw, lang)
    if word and word not in lang.stop_words:
        return sys.intern(word)  # one copy per word, however many stories hold it
    return ""


def terms(text: str, lang: LanguageData) -> list[str]:
    """Content words of ``text``: folded, stop words dropped, lightly stemmed."""
    known = _cache(lang).terms
    out: list[str] = []
    for raw in _WORD.findall(unicodedata.normalize("NFKC", text).casefold()):
        word = known.get(raw)
        if word is None:
            if len(known) >= _CACHE_WORDS:
                known.clear()
            word = known[raw] = _term(raw, lang)
        if word:
            out.append(word)
    return out


def shingles(text: str, size: int = 5) -> set[bytes]:
    """Word ``size``-grams of the folded text (all words kept), as bytes."""
    folded = fold(text)
    words = folded.split()
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    # the same n-grams joined in C: the folded text's words are one space apart
    encoded = folded.encode("utf-8").split(b" ")
    return set(map(b" ".join, zip(*(encoded[i:] for i in range(size)), strict=False)))


@dataclass(frozen=True, slots=True)
class Names:
    """Entity-like words (capitalised mid-sentence) and numbers of a text.

    ``phrases`` groups the names into runs of adjacent capitalised words
    ("Kevin Barbee", "Baton Rouge"), leaving out runs that follow a role word
    of the language ("spokesman Don Aaron", "Sgt. Ann Lee"): officials and
    bylines recur across unrelated events, the people an event is about do not.
    ``places`` holds the words of runs after a locative word ("in Hermitage",
    "at the Burning Tree Apartments"): two events can share a town and a
    hospital, not the people they are about.
    """

    names: tuple[str, ...]
    numbers: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...] = ()
    places: frozenset[str] = frozenset()


def _name_word(raw: str, not_names: set[str], lang: LanguageData) -> str | None:
    if not raw[0].isupper():
        return None
    known = _cache(lang).names
    name = known.get(raw)
    if name is None:  # what the text's own ``not_names`` leave aside
        if len(known) >= _CACHE_WORDS:
            known.clear()
        low = raw.casefold()
        if low in lang.stop_words or low in lang.calendar_words or len(low) < 2:
            name = known[raw] = ""
        else:
            name = known[raw] = sys.intern(_stem(low, lang))
    if not name or raw.casefold() in not_names:
        return None
    return name


_SENTENCE_END = frozenset('.!?:;"“”«»()[]')


def _not_names(seps: list[str], raws: list[str], also: set[str]) -> set[str]:
    """Words of a text that are no names: seen in lower case, or capitalised only where any
    word is (first in a sentence or a line, "Instead", "Yeah"), unless a capitalised word
    follows ("Kevin Barbee was 15.") or it is in ``also``. (``raws``: the text's words,
    ``seps``: what comes before each.)"""
    lower = {raw for raw in raws if raw[0].islower()}
    mid: set[str] = set()
    initial: set[str] = set()
    for k in [k for k, raw in enumerate(raws) if not raw[0].islower()]:
        gap = seps[k]
        before = gap.rstrip()
        # (a gap of spaces follows a word, which ends with no sentence mark)
        first = not k or "\n" in gap or (bool(before) and before[-1] in _SENTENCE_END)
        if first and k + 1 < len(raws):
            first = not (raws[k + 1][0].isupper() and not seps[k + 1].strip())
        (initial if first else mid).add(raws[k].casefold())
    return lower | (initial - mid - also)


# what joins digit groups into one number: "40,000", "40.000"; spaces do not ("in 2019
# 100 people"; NFKC has made no-break and thin spaces plain ones), nor groups of other
# than 3 digits ("40'000" is one word of ``_GAP_WORD``, no number)
_GROUP_SEPARATORS = frozenset({",", "."})


def _numbers(seps: list[str], raws: list[str]) -> list[str]:
    """The digit runs of a text as numbers, groups of thousands joined ("40,000" is
    40000, never 40 and 0), leading zeros dropped."""
    numbers: list[str] = []
    k = 0
    while k < len(raws):
        if not raws[k].isdigit():
            k += 1
            continue
        digits = raws[k]
        k += 1
        while (
            k < len(raws)
            and seps[k] in _GROUP_SEPARATORS
            and len(raws[k]) == 3
            and raws[k].isdigit()
        ):
            digits += raws[k]
            k += 1
        numbers.append(sys.intern(digits.lstrip("0") or "0"))
    return numbers


def numbers_of(text: str) -> list[str]:
    """The numbers of ``text`` as ``names_and_numbers`` finds them."""
    pairs = _GAP_WORD.findall(unicodedata.normalize("NFKC", text))
    return _numbers([gap for gap, _ in pairs], [raw for _, raw in pairs])


def number_words_of(text: str, lang: LanguageData) -> list[str]:
    """The numbers ``text`` spells out as words of the language ("Three shot": "3")."""
    table = lang.number_words
    if not table:
        return []
    folded = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    return [sys.intern(table[w]) for w in folded if w in table]


def names_and_numbers(text: str, lang: LanguageData, headline: str = "") -> Names:
    """Names (words always capitalised in ``text``), digit runs and name phrases.

    A word counts as a name when it is capitalised and its folded form never
    occurs in lower case in the same text (so sentence-initial "Police" is not
    a name when "police" also appears), nor only first in sentences unless it is
    capitalised in ``headline`` too ("Robinson, 18, told the judge" under
    "Robinson pleads guilty"). Words are folded and stemmed like ``terms`` so
    they can be compared with term vectors.
    """
    pairs = _GAP_WORD.findall(unicodedata.normalize("NFKC", text))
    while pairs and not pairs[-1][1]:
        pairs.pop()  # the end of the text
    seps = [gap for gap, _ in pairs]
    raws = [raw for _, raw in pairs]
    in_headline = {w.casefold() for w in _WORD.findall(headline) if w[0].isupper()}
    lower_seen = _not_names(seps, raws, in_headline)
    numbers = _numbers(seps, raws)
    names: list[str] = []
    runs: list[tuple[str, tuple[str, ...]]] = []  # (context: "", "official", "place"), words
    run: list[str] = []
    context = ""
    last = -1  # the number of the run's last word
    # only capitalised words can be names: the words between only end runs
    for i in [i for i, raw in enumerate(raws) if raw[0].isupper()]:
        name = _name_word(raws[i], lower_seen, lang)
        if name is None:
            continue
        names.append(name)
        if run:
            gap = bool(seps[last + 1].strip())
            if last + 1 == i and not gap:
                run.append(name)
                last = i
                continue
            context = _run_end(context, run, "" if gap else raws[last + 1], lang)
            runs.append((context, tuple(run)))
            run = []
        prev = raws[i - 1].casefold() if i >= 1 else ""
        context = _context(prev, raws[i - 2].casefold() if i >= 2 else "", lang)
        run.append(name)
        last = i
    if run and last + 1 < len(raws):  # the word after the run ends it
        after = "" if seps[last + 1].strip() else raws[last + 1]
        runs.append((_run_end(context, run, after, lang), tuple(run)))
    elif run:
        runs.append((context if run[-1] not in lang.place_nouns else "place", tuple(run)))
    # "Aaron said" later in a text is still the spokesman named "Don Aaron" before
    officials = {w for c, r in runs if c == "official" for w in r}
    phrases = {tuple(w for w in r if w not in officials) for c, r in runs if c != "official"}
    places = frozenset(w for c, r in runs if c == "place" for w in r).difference(officials)
    kept = tuple(sorted(p for p in phrases if p))
    return Names(tuple(names), tuple(numbers), kept, places)


def _run_end(context: str, run: list[str], after: str, lang: LanguageData) -> str:
    """The context of a name run ended by the word ``after`` ("": a gap): a place noun ending
    the run or right after it makes it a place."""
    after = _stem(after.casefold(), lang) if after else ""
    if context == "" and (run[-1] in lang.place_nouns or after in lang.place_nouns):
        return "place"
    return context


def _context(prev: str, prev2: str, lang: LanguageData) -> str:
    """What the words before a name run make of it: an official, a place or neither."""
    if prev in lang.name_roles:
        return "official"
    if prev in lang.locatives or (prev in lang.stop_words and prev2 in lang.locatives):
        return "place"
    return ""


def event_days(text: str, published: date, lang: LanguageData) -> frozenset[int]:
    """Days (``date.toordinal``) that weekday names in ``text`` point to: each the day of that
    name on or before ``published`` ("Tuesday" in a report of Thursday: two days before)."""
    if not lang.weekdays:
        return frozenset()
    text = text.casefold()
    if not any(w in text for w in lang.weekdays):  # most texts: no need to split them
        return frozenset()
    index = {w: i for i, w in enumerate(lang.weekdays)}
    found = {index[w] for w in _WORD.findall(text) if w in index}
    today = published.weekday()
    return frozenset((published - timedelta(days=(today - wd) % 7)).toordinal() for wd in found)
