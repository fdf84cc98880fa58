"""The packed lemminflect tables (``claims/lexicon.py``) answer as lemminflect's own."""

from __future__ import annotations

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
    assert "qzxv" not in inflections


def test_the_pipeline_uses_the_packed_tables() -> None:
    assert nouns.verb_lemma("surrendered") == "surrender"
    assert isinstance(Lemmatizer().lemma_dict, lexicon.PackedTable)
    assert isinstance(Inflections().infl_dict, lexicon.PackedTable)
    assert nouns.is_past_form("were")  # a form from the auxiliaries' fixed entries
