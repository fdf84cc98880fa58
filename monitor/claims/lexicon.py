"""lemminflect's lookup tables, kept packed: the same answers in a tenth of the memory.

lemminflect loads its lemma table (80,000 lines) and its inflection table (40,000)
into nested dicts, one dict and several tuples a word: ~47 MiB traced, the largest
fixed cost of a running pipeline. ``install()`` gives its two singletons tables that
keep the raw CSV lines instead, sorted in one byte string searched by bisection
(~4 MB; a dict of one string a word was ~15 MiB), and decode a word's lines, with
lemminflect's own codecs and merge order, on lookup (``nouns.py`` caches its
lookups, and lemminflect deep-copies what a table returns, so a fresh dict per
lookup is what it sees either way). The files are read on the first lookup, as
lemminflect does. ``tests/test_claims_lexicon.py`` compares every word with
lemminflect's own tables. Touches nothing (reads lemminflect's package data).
"""

from __future__ import annotations

import gzip
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable
from operator import itemgetter
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
        self._lines: Lines | None = None
        self._fixed: dict[str, Forms] = {}
        self._lock = threading.Lock()

    def get(self, word: str, default: Any = None) -> Any:
        lines = self._loaded()
        if word in self._fixed:
            return self._fixed[word]
        raw = lines.get(word)
        return default if raw is None else self._decode(word, raw)

    def __contains__(self, word: object) -> bool:
        if word in self._fixed:
            return True
        return isinstance(word, str) and self._loaded().get(word) is not None

    def __len__(self) -> int:
        return len(self.words())

    def words(self) -> set[str]:
        return self._loaded().words() | set(self._fixed)

    def _loaded(self) -> Lines:
        if self._lines is None:
            with self._lock:
                if self._lines is None:
                    self._fixed = self._fixed_of() if self._fixed_of else {}
                    self._lines = Lines.read(self._path)
        return self._lines


class Lines:
    """A lookup file's lines in one byte string, sorted by word (a word's own lines in file
    order), found by binary search: ~4 MB for both files, where a dict of a string a word
    held ~15 MiB (80,000 + 40,000 keys and values)."""

    def __init__(self, blob: bytes, starts: array[int], commas: array[int]) -> None:
        self._blob = blob  # "word,rest\n" lines
        self._starts = starts  # where each word's first line starts, and len(blob) last
        self._commas = commas  # where the comma after each word is
        self._keys = range(len(commas))

    @classmethod
    def read(cls, path: str) -> Lines:
        with gzip.open(path, "rb") as f:
            blob = f.read()
        return cls._indexed(blob) or cls._sorted(blob)

    @classmethod
    def _indexed(cls, blob: bytes) -> Lines | None:
        """The index of a file already in order (lemminflect's are), without a line object
        each; None when a line is out of order, blank, padded or has no comma."""
        starts, commas = array("I"), array("I")
        at, last = 0, b""
        while at < len(blob):
            end = blob.find(b"\n", at)
            if end < 0:
                return None
            comma = blob.find(b",", at, end)
            word = blob[at:comma]
            if comma < 0 or blob[at:end] != blob[at:end].strip() or not word or word < last:
                return None
            if word != last:
                starts.append(at)
                commas.append(comma)
                last = word
            at = end + 1
        starts.append(at)
        return cls(blob, starts, commas)

    @classmethod
    def _sorted(cls, blob: bytes) -> Lines:
        """The index of any file: lines stripped, those without a word dropped (no lookup
        finds them), stably sorted by word."""
        pairs = [line.strip().partition(b",")[::2] for line in blob.split(b"\n")]
        pairs = sorted((p for p in pairs if p[0]), key=itemgetter(0))
        lines = b"".join(word + b"," + rest + b"\n" for word, rest in pairs)
        indexed = cls._indexed(lines)
        assert indexed is not None  # sorted, stripped, every line with a word and a comma
        return indexed

    def _word(self, i: int) -> bytes:
        return self._blob[self._starts[i] : self._commas[i]]

    def get(self, word: str) -> str | None:
        """The rest of ``word``'s lines (after "word,"), joined by newlines; None if absent."""
        key = word.encode("utf-8", "surrogatepass")  # a lone surrogate: found nowhere
        i = bisect_left(self._keys, key, key=self._word)
        if i == len(self._keys) or self._word(i) != key:
            return None
        group = self._blob[self._starts[i] : self._starts[i + 1] - 1].decode()
        return "\n".join(line.partition(",")[2] for line in group.split("\n"))

    def words(self) -> set[str]:
        return {self._word(i).decode() for i in self._keys}


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
