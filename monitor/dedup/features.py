"""Weighted term vectors of one item, with IDF estimated online.

``DocFreq`` counts, in a fixed-size hashed table, how many items contained
each word, so its memory does not grow with the stream. ``featurize`` turns a
``ClusterItem`` into L2-normalised sparse vectors (title, body, names and
numbers) and a few high-weight key words for the inverted index.
Touches nothing.
"""

from __future__ import annotations

import math
import sys
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import mul

from monitor.dedup.dates import recent_dates
from monitor.dedup.lang import LanguageData
from monitor.dedup.text import (
    Names,
    event_days,
    names_and_numbers,
    number_words_of,
    numbers_of,
    strip_title_suffix,
    terms,
)
from monitor.types import ClusterItem

Vector = dict[str, float]

_TABLE_BITS = 20
_PRIOR_DOCS = 50.0  # pseudo-documents: unseen words start rare, common ones earn a low IDF
_BODY_CHARS = 6000  # the lead carries the event; long tails are mostly page furniture
_KEY_TERMS = 24
_CACHED_SLOTS = 16_384  # words whose table slot is remembered (~1 MiB when full)
_DATE_CHARS = 3000  # weekday names this far into a body date the event, later ones other things
# headline, body and names each weigh alike in the item's full vector, whatever their lengths:
# a headline states the event, and a page whose body is only junk still has one (GVA tune half,
# B-cubed F1 with raw counts and the headline twice 0.895, equal parts 0.907; other half 0.890
# -> 0.904)
_FULL_MIX = (1.0, 1.0, 1.0)


class DocFreq:
    """Online document frequencies in a hashed table of fixed size.

    (A prior from general word frequencies, wordfreq, was tried for cold starts: GVA B-cubed
    F1 0.8642 with and without it, the demo's stories identical, so not worth its 58 MB.)"""

    def __init__(self, bits: int = _TABLE_BITS) -> None:
        self._mask = (1 << bits) - 1
        self._counts = array("i", bytes(4 << bits))
        self.docs = 0
        self._slots: dict[str, int] = {}  # word -> its slot, emptied when full

    def _slot(self, word: str) -> int:
        slot = self._slots.get(word)
        if slot is None:
            if len(self._slots) >= _CACHED_SLOTS:
                self._slots.clear()
            slot = self._slots[word] = zlib.crc32(word.encode("utf-8")) & self._mask
        return slot

    def add(self, words: Iterable[str]) -> None:
        """Count one document containing ``words`` (each counted once)."""
        self.docs += 1
        for word in set(words):
            self._counts[self._slot(word)] += 1

    def idf(self, word: str) -> float:
        """Smoothed inverse document frequency of ``word``."""
        df = self._counts[self._slot(word)]
        return math.log((self.docs + _PRIOR_DOCS) / (df + 1.0))

    def weights(self, counts: Mapping[str, int]) -> Vector:
        """``(1 + log count) * idf`` of each word (``idf`` inlined: the hot loop)."""
        docs, table, slot, log = self.docs + _PRIOR_DOCS, self._counts, self._slot, math.log
        return {w: (1.0 + log(c)) * log(docs / (table[slot(w)] + 1.0)) for w, c in counts.items()}


@dataclass(frozen=True, slots=True)
class ItemFeatures:
    """What the clusterer compares: normalised sparse vectors and key words."""

    title: Mapping[str, float]
    body: Mapping[str, float]
    names: Mapping[str, float]
    full: Mapping[str, float]
    keys: tuple[str, ...]
    words: frozenset[str]
    # runs of adjacent name words, officials' left out (see ``text.names_and_numbers``)
    phrases: tuple[tuple[str, ...], ...] = ()
    places: frozenset[str] = frozenset()  # name words used as places ("in Hermitage")
    # days its weekday names ("on Tuesday") and recent dates ("Dec. 7") point to, as
    # ``date.toordinal`` numbers
    days: frozenset[int] = frozenset()


def _mix(parts: Iterable[Vector], weights: Iterable[float]) -> Vector:
    """The normalised weighted sum of normalised vectors (numbers' "#" dropped, so a number in
    the names matches the same number in a headline or a body)."""
    acc: dict[str, float] = {}
    for vec, weight in zip(parts, weights, strict=True):
        for w, v in vec.items():
            key = sys.intern(w.lstrip("#"))
            acc[key] = acc.get(key, 0.0) + weight * v
    total = math.sqrt(sum(v * v for v in acc.values()))
    return {w: v / total for w, v in acc.items()} if total > 0 else {}


def _weigh(counts: Counter[str], df: DocFreq) -> Vector:
    vec = df.weights(counts)
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {w: v / norm for w, v in vec.items()} if norm > 0 else {}


def extract_words(
    item: ClusterItem, lang: LanguageData, body: str
) -> tuple[list[str], list[str], list[str], Names]:
    """Title terms, body terms, name/number terms, and the names found in the body of an
    item (``body``: cleaned text)."""
    title = strip_title_suffix(item.title, item.source)
    body = body[:_BODY_CHARS]
    title_terms = terms(title, lang)
    body_terms = terms(body, lang)
    found = names_and_numbers(body, lang, title)
    name_terms = list(found.names) + [sys.intern("#" + n) for n in found.numbers]
    # numbers in the headline count as evidence too ("3 shot", "4800 block"), spelled out
    # too ("Three shot"; GVA tune half F1 0.9318 -> 0.9319 with number words as terms, check
    # half 0.9290 -> 0.9291, precision of both +0.0003; in the body too: check P -0.0015)
    heads = numbers_of(title) + number_words_of(title, lang)
    name_terms += [sys.intern("#" + n) for n in heads]
    return title_terms, body_terms, name_terms, found


def featurize(item: ClusterItem, lang: LanguageData, df: DocFreq, body: str) -> ItemFeatures:
    """Vectors for ``item`` with ``body`` as its (cleaned) text; counts it in ``df`` first."""
    title_terms, body_terms, name_terms, found = extract_words(item, lang, body)
    words = frozenset(title_terms) | frozenset(body_terms) | frozenset(name_terms)
    df.add(words)
    title = _weigh(Counter(title_terms), df)
    body_vec = _weigh(Counter(body_terms), df)
    names = _weigh(Counter(name_terms), df)
    full = _mix((title, body_vec, names), _FULL_MIX)
    score: dict[str, float] = {}
    for vec, weight in ((title, 1.0), (names, 1.0), (body_vec, 0.5)):
        for w, v in vec.items():
            key = sys.intern(w.lstrip("#"))
            score[key] = score.get(key, 0.0) + weight * v
    keys = tuple(w for w, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:_KEY_TERMS])
    dated = item.title + "\n" + body[:_DATE_CHARS]
    days = event_days(dated, item.published.date(), lang) | recent_dates(
        dated, item.published, lang
    )
    return ItemFeatures(
        title, body_vec, names, full, keys, words, found.phrases, found.places, days
    )


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    # the shared words in ``a``'s order, then one product each, all looped in C: the same
    # sum, term for term, as over all of ``a`` with 0.0 for the words ``b`` lacks
    shared = list(filter(b.__contains__, a))
    total: float = sum(map(mul, map(a.__getitem__, shared), map(b.__getitem__, shared)))
    return total


def add_into(acc: dict[str, float], vec: Mapping[str, float]) -> None:
    """``acc += vec`` for sparse vectors."""
    for w, v in vec.items():
        acc[w] = acc.get(w, 0.0) + v


def norm(vec: Mapping[str, float]) -> float:
    """Euclidean length of a sparse vector."""
    return math.sqrt(sum(v * v for v in vec.values()))
