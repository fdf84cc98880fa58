"""lemminflect's lookup tables, kept packed: the same answers in about a third of the memory.

lemminflect loads its lemma table (80,000 lines) and its inflection table (40,000)
into nested dicts, one dict and several tuples a word: ~47 MiB traced, the largest
fixed cost of a running pipeline. ``install()`` gives its two singletons tables that
keep each word's raw CSV lines as one string instead and decode them, with
lemminflect's own codecs and merge order, on lookup (``nouns.py`` caches its
lookups, and lemminflect deep-copies what a table returns, so a fresh dict per
lookup is what it sees either way). The files are read on the first lookup, as
lemminflect does. ``tests/test_claims_lexicon.py`` compares every word with
lemminflect's own tables. Touches nothing (reads lemminflect's package data).
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable
from typing import Any

from lemminflect import config
from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
from lemminflect.codecs.LemmaLUCodec import LemmaLUCodec
from lemminflect.core.Inflections import Inflections
from lemminflect.core.Lemmatizer import Lemmatizer
from lemminflect.core.LexicalUtils import categoryToUPos

Forms = dict[str, tuple[str, ...]]


class PackedTable:
    """A read-only ``word -> {tag: forms}`` table over the raw lines of a lemminflect
    lookup file: ``get`` decodes a word's lines as the file's codec and ``load`` would."""

    def __init__(
        self,
        path: str,
        decode: Callable[[str, str], Forms],
        fixed: Callable[[], dict[str, Forms]] | None = None,
    ) -> None:
        self._path = path
        self._decode = decode
        self._fixed_of = fixed
        self._lines: dict[str, str] | None = None
        self._fixed: dict[str, Forms] = {}
        self._lock = threading.Lock()

    def get(self, word: str, default: Any = None) -> Any:
        lines = self._loaded()
        if word in self._fixed:
            return self._fixed[word]
        raw = lines.get(word)
        return default if raw is None else self._decode(word, raw)

    def __contains__(self, word: object) -> bool:
        return word in self._fixed or word in self._loaded()

    def __len__(self) -> int:
        lines = self._loaded()
        return len(lines.keys() | self._fixed.keys())

    def words(self) -> set[str]:
        return set(self._loaded()) | set(self._fixed)

    def _loaded(self) -> dict[str, str]:
        if self._lines is None:
            with self._lock:
                if self._lines is None:
                    self._fixed = self._fixed_of() if self._fixed_of else {}
                    self._lines = _read(self._path)
        return self._lines


def _read(path: str) -> dict[str, str]:
    """word -> the rest of its lines (after "word,"), joined by newlines, in file order."""
    lines: dict[str, str] = {}
    with gzip.open(path, "rb") as f:
        for raw in f:
            line = raw.decode().strip()
            word, _, rest = line.partition(",")
            had = lines.get(word)
            lines[word] = rest if had is None else f"{had}\n{rest}"
    return lines


def _lemmas(word: str, raw: str) -> Forms:
    found: Forms = {}
    for rest in raw.split("\n"):
        _, category, forms = LemmaLUCodec.fromString(f"{word},{rest}")
        found[categoryToUPos(category)] = forms
    return found


def _inflections(word: str, raw: str) -> Forms:
    found: Forms = {}
    for rest in raw.split("\n"):
        _, _, forms = InflectionLUCodec.fromString(f"{word},{rest}")
        found.update(forms)
    return found


def _aux_and_modals() -> dict[str, Forms]:
    fixed: dict[str, Forms] = InflectionLUCodec.updateForAuxMod({})
    return fixed


def lemma_table() -> PackedTable:
    return PackedTable(config.lemma_lu_fn, _lemmas)


def inflection_table() -> PackedTable:
    return PackedTable(config.inflection_lu_fn, _inflections, _aux_and_modals)


def install() -> None:
    """Give lemminflect's singletons the packed tables (unless they loaded theirs)."""
    lemmatizer, inflections = Lemmatizer(), Inflections()
    if not hasattr(lemmatizer, "lemma_dict"):
        lemmatizer.lemma_dict = lemma_table()
    if not hasattr(inflections, "infl_dict"):
        inflections.infl_dict = inflection_table()
