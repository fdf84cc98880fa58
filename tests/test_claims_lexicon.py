"""The packed lemminflect tables (``claims/lexicon.py``) answer as lemminflect's own."""

from __future__ import annotations

import gzip
from pathlib import Path

from lemminflect import config
from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
from lemminflect.codecs.LemmaLUCodec import LemmaLUCodec
from lemminflect.core.Inflections import Inflections
from lemminflect.core.Lemmatizer import Lemmatizer

from monitor.claims import lexicon, nouns


def test_every_word_of_both_tables_decodes_as_lemminflects_load() -> None:
    lemmas, inflections = lexicon.lemma_table(), lexicon.inflection_table()
    for packed, loaded in [
        (lemmas, LemmaLUCodec.load(config.lemma_lu_fn)),
        (inflections, InflectionLUCodec.load(config.inflection_lu_fn)),
    ]:
        assert packed.words() == set(loaded)
        assert len(packed) == len(loaded)
        for word, forms in loaded.items():
            assert packed.get(word) == forms, word
    assert lemmas.get("qzxv not a word", {}) == {}
    assert lemmas.get("caf\udce9s") is None  # a lone surrogate (lemminflect: not found)
    assert "qzxv" not in inflections


def test_lemminflects_files_are_indexed_in_place_without_sorting() -> None:
    for path in (config.lemma_lu_fn, config.inflection_lu_fn):
        with gzip.open(path, "rb") as f:
            assert lexicon.Lines._indexed(f.read()) is not None, path


def test_a_last_line_without_newline_and_crlf_lines_are_read(tmp_path: Path) -> None:
    path = tmp_path / "crlf.csv.gz"
    with gzip.open(path, "wb") as f:
        f.write(b"dogs,noun,dog\r\ngeese,noun,goose")
    packed = lexicon.PackedTable(str(path), lexicon._lemmas)
    assert packed.get("dogs") == {"NOUN": ("dog",)} and packed.get("geese") == {"NOUN": ("goose",)}


def test_the_pipeline_uses_the_packed_tables() -> None:
    assert nouns.verb_lemma("surrendered") == "surrender"
    assert isinstance(Lemmatizer().lemma_dict, lexicon.PackedTable)
    assert isinstance(Inflections().infl_dict, lexicon.PackedTable)
    assert nouns.is_past_form("were")  # a form from the auxiliaries' fixed entries


def test_a_file_out_of_order_is_sorted_and_answers_as_lemminflects_load(tmp_path: Path) -> None:
    lines = [
        "walked,verb,walk",
        "Aaron,noun,Aaron",
        "dogs,noun,dog",
        "walked,adj,walked",
        "geese,noun,goose",
        "dogs,verb,dog",
    ]
    path = tmp_path / "lemmas.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    assert lexicon.Lines._indexed(gzip.decompress(path.read_bytes())) is None  # needs sorting
    packed, loaded = lexicon.PackedTable(str(path), lexicon._lemmas), LemmaLUCodec.load(str(path))
    assert packed.words() == {"walked", "Aaron", "dogs", "geese"}
    for word in ("walked", "Aaron", "dogs", "geese"):
        assert packed.get(word) == loaded[word], word
    assert packed.get("walk") is None and "cat" not in packed
    padded = tmp_path / "padded.csv.gz"
    with gzip.open(padded, "wt", encoding="utf-8") as f:
        f.write("\n".join([" dogs,noun,dog ", "", *lines]) + "\n")
    assert lexicon.PackedTable(str(padded), lexicon._lemmas).get("dogs") == loaded["dogs"]
