"""The fused passes of claim extraction give what the separate passes they replaced gave.

- ``text.tokenize_marked`` == the token loop it replaced (the four-group regex, one branch
  per kind), with the figure and anchor lists the two later passes over every sentence's
  tokens computed (``_reference_marks``);
- ``implicit._starts`` == its definition: every token of every window before a casualty
  word, tested one by one with ``_headline_start`` and ``_name_start``;
- ``extract`` == the same extraction wired with those reference passes, on generated text
  full of figures, casualty words, names, headline breaks and abbreviations.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.claims import extract
from monitor.claims import implicit as imp
from monitor.claims.extract import _marks, _sentence_claims, _start
from monitor.claims.implicit import anchor_words, implicit_claims
from monitor.claims.lang import get_lang
from monitor.claims.numbers import Num, read_number
from monitor.claims.prefilter import starters, worth
from monitor.claims.text import ANCHOR, FIGURE, Tok, sentences, tokenize, tokenize_marked
from monitor.types import Claim

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LANG = get_lang("en")

# The tokeniser as it was: one word group holding its trailing period.
_OLD_TOKEN = re.compile(
    r"(\s*)(?:([^\W\d_]+(?:[.'’][^\W\d_]+)*\.?)"
    r"|(\d+(?:[.,\u00a0\u202f']\d+)*|(?<![\w.,])\.\d+)"
    r"|(\S))"
)


def _reference_tokenize(text: str, base: int = 0) -> list[Tok]:
    out: list[Tok] = []
    pos = base
    for space, word, num, sym in _OLD_TOKEN.findall(text):
        glued = not space and pos != base
        s = pos + len(space)
        if word:
            pos = s + len(word)
            core = word[:-1]
            keeps = (len(core) == 1 and core.isupper()) or "." in core
            if not word[0].isalpha():
                out.append(Tok(word, s, pos, "sym", word, glued))
            elif word[-1] == "." and not keeps:
                out.append(Tok(core, s, pos - 1, "word", core.lower(), glued))
                out.append(Tok(".", pos - 1, pos, "sym", ".", True))
            else:
                out.append(Tok(word, s, pos, "word", word.lower(), glued))
        elif num:
            pos = s + len(num)
            out.append(Tok(num, s, pos, "num", num, glued))
        else:
            pos = s + len(sym)
            out.append(Tok(sym, s, pos, "sym", sym, glued))
    return out


def _reference_marks(toks: list[Tok]) -> tuple[list[int], list[int]]:
    """The figure candidates and the anchors, as the two list passes computed them."""
    starts, anchors = starters("en"), anchor_words("en")
    figures = [
        k for k, t in enumerate(toks) if t.kind == "num" or (t.kind == "word" and t.lower in starts)
    ]
    return figures, [k for k, t in enumerate(toks) if t.lower in anchors]


def _reference_starts(toks: list[Tok], hits: list[int], lang: object) -> list[int]:
    out: list[int] = []
    start_words = imp._start_words("en")
    lo = 0
    for hit in hits:
        for i in range(max(lo, hit - imp._REACH), hit + 1):
            t = toks[i]
            if t.kind != "word":
                if t.kind == "num" or i == hit or t.lower in start_words:
                    out.append(i)
                continue
            w = t.lower
            if i == hit or w in start_words or i == 0:
                out.append(i)
                continue
            prev = toks[i - 1]
            if (prev.kind == "sym" or prev.lower in LANG.clause_openers) and imp._headline_start(
                toks, i, LANG
            ):
                out.append(i)
            elif w.endswith(LANG.possessive_suffixes) or (
                t.text[:1].isupper() and imp._name_start(toks, i)
            ):
                out.append(i)
        lo = hit + 1
    return out


def _reference_extract(text: str, monkeypatch: pytest.MonkeyPatch) -> list[Claim]:
    out: list[Claim] = []
    with monkeypatch.context() as m:
        m.setattr(imp, "_starts", _reference_starts)
        for s, e in sentences(text, LANG):
            sent = text[s:e]
            if not worth(sent, "en"):
                continue
            toks = _reference_tokenize(sent, s)
            figures, hits = _reference_marks(toks)
            found = _sentence_claims(toks, figures, text, sent, LANG)
            taken = {c.start for c in found if c.unit is None}
            found.extend(implicit_claims(toks, hits, text, sent, LANG, taken))
            out.extend(sorted(found, key=_start))
    return out


# Characters the tokeniser treats specially, and words the marks and starts depend on.
TRICKY = [
    *"aZ.,;:|!?'’-–—\"()$%&_/#5 0\t\n\u00a0\u202f²½İßΣé",
    *["U.S.", "A.", "p.m.", "Jan.", "a.", "Mr.", "ab.cd.", "²x.", "½.", ".5", "2.5.", "I."],
    *["2,000", "14-year-old", "Sheriff's", "man’s", "ΟΔΟΣ", "--", "  "],
]
WORDS = sorted(starters("en") | anchor_words("en")) + [
    *["Police", "Man", "Woman", "Teen", "Kevin", "Barbee", "BBC", "after", "when", "the"],
    *["was", "were", "shot", "killed", "and", "his", "wife", "himself", "boy", "girl", "old"],
    *["17", "3", "1,200", "2.5bn", "50-60", "year", "in", "critical", "condition", "hospital"],
]
PIECE = st.one_of(st.sampled_from(TRICKY), st.sampled_from(WORDS), st.sampled_from(WORDS))
SEP = st.sampled_from([" ", " ", " ", "", ", ", ": ", " - ", "\n", ". ", " | "])
TEXT = st.lists(st.tuples(PIECE, SEP), max_size=45).map(lambda p: "".join(a + b for a, b in p))


@SETTINGS
@given(st.one_of(st.text(max_size=80), TEXT), st.integers(0, 50))
def test_tokenize_marked_equals_the_passes_it_replaced(text: str, base: int) -> None:
    toks, figures, anchors = tokenize_marked(text, base, _marks("en"))
    assert toks == _reference_tokenize(text, base)
    assert tokenize(text, base) == toks
    assert (figures, anchors) == _reference_marks(toks)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("U.S. troops", ["U.S.", "troops"]),
        ("shot. Then", ["shot", ".", "Then"]),
        ("John F. Kennedy", ["John", "F.", "Kennedy"]),
        ("at 5 a.m.", ["at", "5", "a.m."]),
        ("Jan. 3", ["Jan", ".", "3"]),
        ("²y. x", ["²y.", "x"]),
        ("x²y.", ["x²y", "."]),
        ("0.5 and .5", ["0.5", "and", ".5"]),
    ],
)  # fmt: skip
def test_trailing_periods(text: str, tokens: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == tokens


def test_marks_are_the_starters_and_the_anchor_words() -> None:
    marks = _marks("en")
    assert {w for w, m in marks.items() if m & FIGURE} == starters("en")
    assert {w for w, m in marks.items() if m & ANCHOR} == anchor_words("en")


@SETTINGS
@given(TEXT)
def test_starts_equal_their_definition(text: str) -> None:
    for s, e in sentences(text, LANG):
        toks, _, hits = tokenize_marked(text[s:e], s, _marks("en"))
        assert imp._starts(toks, hits, LANG) == _reference_starts(toks, hits, LANG)


@pytest.mark.parametrize(
    "text",
    [
        "reports say the BBC Police officer was shot",  # an acronym is no name start
        "reports say Kevin Barbee was killed",  # a name start
        "and then after girl was shot",  # after a clause opener
        "Police: Man shot; UPDATE | Teen killed - woman hurt",  # headline breaks
        "the 14-year-old shot at the teen's home",  # a glued dash is no break
        "a man, 3, was killed",  # numbers, commas
        "Teen killed -woman hurt, man -shot",  # a dash glued to the word after it
    ],
)
def test_starts_on_each_kind_of_start(text: str) -> None:
    toks, _, hits = tokenize_marked(text, 0, _marks("en"))
    assert hits
    assert imp._starts(toks, hits, LANG) == _reference_starts(toks, hits, LANG)


@SETTINGS
@given(TEXT)
def test_extract_equals_the_reference_passes(text: str) -> None:
    with pytest.MonkeyPatch.context() as m:
        assert extract(text) == _reference_extract(text, m)


def test_num_fields_and_defaults() -> None:
    toks = tokenize("about 2.5 million people")
    num = read_number(toks, 1, LANG)
    assert num == Num(2_500_000.0, 1, 3, "digits", "2.5", True, None, None, 1_000_000.0)
    assert num is not None and num.scaled and num.mult == 1_000_000.0
    assert Num(1.0, 0, 1, "words", "one") == (1.0, 0, 1, "words", "one", False, None, None, 1.0)
