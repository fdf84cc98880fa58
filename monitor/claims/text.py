"""Sentence splitting and tokenising with character offsets.

Tokens keep their offsets into the original text so claims can report exact
spans. A token is a run of digits (with inner separators such as "2,000",
"2.5", "10 000"), a run of letters, or one other non-space character.
Pure: touches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from operator import attrgetter
from typing import Literal, NamedTuple

from monitor.claims.lang import LangData

TokKind = Literal["num", "word", "sym"]

# One token and the whitespace before it (group 1). Group 2: a run of letters (or other
# word characters), group 3 the period right after it, if any; group 4: a number; group 5:
# any other non-space character. The three alternatives start with different characters,
# so their order only matters for speed.
_TOKEN = re.compile(
    r"(\s*)(?:([^\W\d_]+(?:[.'’][^\W\d_]+)*)(\.?)"
    r"|(\d+(?:[.,\u00a0\u202f']\d+)*|(?<![\w.,])\.\d+)"
    r"|(\S))"
)
# The lookahead only lets the engine skip positions no alternative can start at.
# A blank-line break is matched from its first newline (the spaces before it are trimmed
# from the sentence anyway), so every alternative starts with one of [.!?…\n].
# {caps}: the language's sentence_capitals (a regex character class body).
_BOUNDARY = r"(?=[.!?…\n])(?:[.!?…]+[\"'”’)\]]*\s+|\n\s*\n\s*|\n(?=\s*[{caps}\"“]))"
_NEXT_START = r"[\"'“‘(\[]?[{caps}0-9]"


class Tok(NamedTuple):
    """One token: surface text, offsets into the full text, kind, lowercase form."""

    text: str
    start: int
    end: int
    kind: TokKind
    lower: str
    glued: bool  # no whitespace between this token and the previous one


# A token's lowercase form: ``tuple(map(LOWER, toks[a:b]))`` is the phrase key of a span,
# built in C (a generator expression costs a frame per span).
LOWER = attrgetter("lower")


def tokenize(text: str, base: int = 0) -> list[Tok]:
    """Split ``text`` into tokens whose offsets are shifted by ``base``.

    A trailing period stays on a word only when it looks like an abbreviation
    ("U.S.", "a.m.", "Jan."): single letters and dotted words keep it; other
    words give it back as a separate token.
    """
    return tokenize_marked(text, base, _NO_MARKS)[0]


_NO_MARKS: Mapping[str, int] = {}
FIGURE = 1  # mark: a word a figure may start with (a number word, an article...)
ANCHOR = 2  # mark: a word an implicit count must reach (a casualty word...)


def tokenize_marked(
    text: str, base: int, marks: Mapping[str, int]
) -> tuple[list[Tok], list[int], list[int]]:
    """``tokenize``, and in the same pass the indexes of the tokens extraction starts from.

    Returns (tokens, figures, anchors): ``figures`` are the number tokens and the word
    tokens whose lowercase form is marked ``FIGURE`` in ``marks``; ``anchors`` the tokens
    of any kind whose lowercase form is marked ``ANCHOR``. Both in token order.
    """
    out: list[Tok] = []
    figures: list[int] = []
    anchors: list[int] = []
    append = out.append
    new = tuple.__new__  # Tok(...) without the NamedTuple constructor's Python frame
    get = marks.get
    pos = base  # offset after the previous token
    glued = False  # the first token is never glued
    for space, word, dot, num, sym in _TOKEN.findall(text):
        if space:
            s = pos + len(space)
            glued = False
        else:
            s = pos
        if word:
            pos = s + len(word)
            if not word[0].isalpha():  # "²", "½": word characters that are not letters
                word += dot
                pos += len(dot)
                if get(word, 0) & ANCHOR:
                    anchors.append(len(out))
                append(new(Tok, (word, s, pos, "sym", word, glued)))
                glued = True
                continue
            if dot and _keeps_period(word):  # "U.S.", "A.": an abbreviation keeps it
                word += dot
                pos += 1
                dot = ""
            low = word.lower()
            mark = get(low)
            if mark:
                if mark & FIGURE:
                    figures.append(len(out))
                if mark & ANCHOR:
                    anchors.append(len(out))
            append(new(Tok, (word, s, pos, "word", low, glued)))
            if dot:
                if get(dot, 0) & ANCHOR:
                    anchors.append(len(out))
                append(new(Tok, (dot, pos, pos + 1, "sym", dot, True)))
                pos += 1
        elif num:
            pos = s + len(num)
            figures.append(len(out))
            if get(num, 0) & ANCHOR:
                anchors.append(len(out))
            append(new(Tok, (num, s, pos, "num", num, glued)))
        else:
            pos = s + 1  # one character
            if get(sym, 0) & ANCHOR:
                anchors.append(len(out))
            append(new(Tok, (sym, s, pos, "sym", sym, glued)))
        glued = True
    return out, figures, anchors


def _keeps_period(core: str) -> bool:
    """A period after the word ``core`` stays on it: a single capital or a dotted word."""
    return (len(core) == 1 and core.isupper()) or "." in core


def sentences(text: str, lang: LangData) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of ``text``, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    boundary, next_start = _boundaries(lang.sentence_capitals)
    for m in boundary.finditer(text):
        cut = m.start()
        punct = text[m.start() : m.end()].strip()
        if punct.startswith(".") and "\n" not in m.group(0):
            # no capital next, or an abbreviation before: no break (the cheap test first)
            if not next_start.match(text, m.end()) or _abbreviation_before(text, cut, lang):
                continue
        end = cut + len(punct.rstrip()) if punct and punct[0] in ".!?…" else cut
        _add(spans, text, start, end)
        start = m.end()
    _add(spans, text, start, len(text))
    return spans


@lru_cache(maxsize=16)
def _boundaries(caps: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(sentence boundary, start of the next sentence) for capitals ``caps``."""
    return re.compile(_BOUNDARY.format(caps=caps)), re.compile(_NEXT_START.format(caps=caps))


def _abbreviation_before(text: str, cut: int, lang: LangData) -> bool:
    lo = max(cut - 32, 0)
    tail = text[lo:cut].rsplit(None, 1)  # the run of non-space characters before ``cut``
    word = tail[-1] if tail and not text[cut - 1].isspace() else ""
    if lo > 0 and len(word) == cut - lo:  # a longer run: walk back to its start
        i = lo
        while i > 0 and not text[i - 1].isspace():
            i -= 1
        word = text[i:cut]
    word = word.lower().strip("(\"'“")
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True
    return word in lang.abbreviations


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    seg = text[start:end]
    core = seg.strip()  # str.strip() removes exactly the characters str.isspace() accepts
    if core:
        start += len(seg) - len(seg.lstrip())
        spans.append((start, start + len(core)))
