"""Tests for monitor.claims.lang: the English data is complete, and the data drives the code.

The second half registers made-up languages (English with one word list changed) and
checks that the extractor follows the changed list, not a word written in the code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from monitor.claims import extract
from monitor.claims import lang as lang_pkg
from monitor.claims.lang import LangData, get_lang

DOC = Path(__file__).resolve().parents[1] / "docs" / "languages.md"
# Fields English may leave empty: it has no word after a percentage that states a direction.
MAY_BE_EMPTY = frozenset({"change_after"})


def test_english_fills_every_field() -> None:
    en = get_lang("en")
    assert isinstance(en, LangData)
    for field in dataclasses.fields(LangData):
        value = getattr(en, field.name)
        assert value is not None, field.name
        if field.name in MAY_BE_EMPTY:
            continue
        if isinstance(value, str | Mapping | frozenset | tuple):
            assert len(value) > 0, f"{field.name} is empty"
            if isinstance(value, frozenset | tuple) and field.name != "year_range":
                assert all(isinstance(w, str) and w for w in value), field.name
    assert en.year_range[0] < en.year_range[1]


def test_english_word_lists_are_lowercase() -> None:
    en = get_lang("en")
    case_sensitive = {"month_homonyms", "era_marks", "sentence_capitals", "word_for_one"}
    for field in dataclasses.fields(LangData):
        value = getattr(en, field.name)
        if field.name in case_sensitive or not isinstance(value, frozenset):
            continue
        assert all(w == w.lower() for w in value), field.name


def test_docs_name_every_field() -> None:
    if not DOC.exists():
        pytest.fail(f"{DOC} is missing")
    text = DOC.read_text(encoding="utf-8")
    missing = [f.name for f in dataclasses.fields(LangData) if f"`{f.name}`" not in text]
    assert not missing, missing


_CODES = iter(f"x{n}" for n in range(1000))


Variant = Callable[..., str]


@pytest.fixture
def variant(monkeypatch: pytest.MonkeyPatch) -> Variant:
    """Register English with some fields changed under a fresh code; return the code."""

    def make(**changes: object) -> str:
        code = next(_CODES)  # a fresh code: the per-language caches never see it twice
        data = dataclasses.replace(get_lang("en"), code=code, **changes)  # type: ignore[arg-type]
        monkeypatch.setitem(lang_pkg._MODULES, code, "unused")
        monkeypatch.setitem(lang_pkg._CACHE, code, data)
        return code

    return make


def _values(text: str, language: str) -> list[tuple[float, str]]:
    return [(c.value, c.qualifier) for c in extract(text, language)]


def test_articles_come_from_the_data(variant: Variant) -> None:
    text = "Police said ze man was shot on Main Street."
    assert extract(text, "en") == []
    code = variant(articles=frozenset({"ze"}))
    [c] = extract(text, code)
    assert (c.value, c.noun, c.predicate, c.text) == (1, "man", "shoot", "ze man")


def test_range_links_come_from_the_data(variant: Variant) -> None:
    text = "Between 50 bis 60 people were evacuated."
    assert (50, "range") not in _values(text, "en")
    code = variant(range_links=frozenset({"bis"}))
    [c] = extract(text, code)
    assert (c.value, c.low, c.high, c.qualifier) == (50, 50, 60, "range")


def test_figure_of_comes_from_the_data(variant: Variant) -> None:
    text = "Dozens de residents fled the flooded town."
    assert _values(text, "en") == []
    code = variant(figure_of=frozenset({"de"}))
    [c] = extract(text, code)
    assert (c.low, c.high, c.qualifier, c.noun) == (12, 120, "range", "resident")


def test_adverb_suffixes_come_from_the_data(variant: Variant) -> None:
    text = "Police said a man was accidentallyz shot on Main Street."
    assert extract(text, "en") == []
    code = variant(adverb_suffixes=("lyz",))
    [c] = extract(text, code)
    assert (c.value, c.predicate) == (1, "shoot")
