"""The fast paths of claim extraction give what the slow definitions give.

- sentence spans stay trimmed and cover every non-space character;
- ``prefilter.worth`` (one trie-shaped regex) == ``prefilter.worth_slow`` (word set);
- the prefilter never drops a claim: ``extract`` == ``extract_unfiltered`` on number words,
  digits and casualty words embedded in random text.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.claims import extract
from monitor.claims.extract import extract_unfiltered
from monitor.claims.lang import get_lang
from monitor.claims.prefilter import trigger_words, worth, worth_slow
from monitor.claims.text import sentences

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LANG = get_lang("en")
# Characters and pieces that sentence splitting treats specially.
TRICKY = [
    *"aZ.,;:!?'’-–—\"()[]{}$%&_/#5 0\t\n\u00a0\u202f²½İßΣ",
    "U.S.",
    "A.",
    "p.m.,",
    "2,000",
    "14-year-old",
    "Sheriff's",
    "ΟΔΟΣ",
    "--",
    "  ",
]
PIECES = st.lists(st.sampled_from(TRICKY), max_size=40).map("".join)


@SETTINGS
@given(st.one_of(st.text(max_size=80), PIECES))
def test_sentences_are_trimmed_and_cover_every_character(text: str) -> None:
    spans = sentences(text, LANG)
    covered: set[int] = set()
    for n, (s, e) in enumerate(spans):
        assert s < e <= (spans[n + 1][0] if n + 1 < len(spans) else len(text))
        assert not text[s].isspace() and not text[e - 1].isspace()
        covered.update(range(s, e))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.  \n\n  Two", ["One.", "Two"]),
        ("Line one  \n \n line two", ["Line one", "line two"]),
        ("Mr. Smith came. He left!", ["Mr. Smith came.", "He left!"]),
        ("Headline\nBody text", ["Headline", "Body text"]),
        ("rose 2.5 percent.", ["rose 2.5 percent."]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentences(text, LANG)] == expected


WORDS = st.sampled_from(
    sorted(trigger_words("en")) + ["shootings", "a", "an", "Shot", "ONE", "x", "İ", "ς"]
)
SEPS = st.sampled_from([" ", "", "-", "_", "'", ".", "2", "é", "ß", "\n"])


def _join(pairs: list[tuple[str, str]]) -> str:
    return "".join(a + b for a, b in pairs)


@SETTINGS
@given(st.one_of(st.text(max_size=60), st.lists(st.tuples(WORDS, SEPS)).map(_join)))
def test_worth_matches_word_set_definition(text: str) -> None:
    assert worth(text, "en") == worth_slow(text, "en")


@pytest.mark.parametrize("word", sorted(trigger_words("en")))
def test_every_trigger_word_is_worth_a_look(word: str) -> None:
    assert worth(f"They said {word.upper()} then.", "en")
    assert worth(f"they said {word}.", "en")
    assert not worth(f"they said x{word}x.", "en")  # only whole words


def test_plain_prose_is_not_worth_a_look() -> None:
    assert not worth("The council met on Tuesday and approved the plan.", "en")
    assert extract("The council met on Tuesday and approved the plan.") == []


FILLER = st.sampled_from(
    ["the", "police", "said", "man", "was", "and", "in", "of", "more", "than", "a", "about",
     "people", "were", "at", "least", "rose", "by", "percent", "%", "$", ",", ".", "-", "Teen",
     "woman", "his", "wife", "himself", "year", "old", "March", "in", "2014", "up", "to"]
)  # fmt: skip
NUMBERS = st.sampled_from(
    sorted(LANG.number_words) + sorted(LANG.scale_words) + sorted(LANG.fractions)
    + sorted(LANG.casualty_words) + ["dozens", "hundreds", "tens", "minus", "half"]
    + ["2,000", "3.5", "17", "1", "12", "2.5bn", "50-60"]
)  # fmt: skip


@SETTINGS
@given(
    st.lists(
        st.one_of(FILLER, NUMBERS, st.text(alphabet="abcXYZ .,!?\n-'", max_size=6)),
        max_size=40,
    ),
    st.sampled_from([" ", " ", "\n", ". ", "\n\n"]),
)
def test_prefilter_never_drops_a_claim(words: list[str], sep: str) -> None:
    text = sep.join(words) if sep in (" ", "\n") else " ".join(words).replace(" .", sep)
    assert extract(text) == extract_unfiltered(text)
