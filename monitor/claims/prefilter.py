"""A cheap test for text that may hold a claim, built from the language's word lists.

A sentence is worth tokenising when it has a digit or a trigger word: a number
word, scale word, fraction, vague amount or casualty word of the language (every
pattern of extract.py and implicit.py needs one). The words are compiled into one
regular expression shaped as a trie (``(?:f(?:ive|our)|...)``), matched against
whole words of the lowercased text, so a sentence is scanned once in C.
Pure: touches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from monitor.claims.lang import get_lang

_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=16)
def starters(code: str) -> frozenset[str]:
    """Lowercase words a number can start with: number words, articles, vague amounts."""
    lang = get_lang(code)
    words = set(lang.number_words) | lang.indefinite_articles
    words |= lang.bare_fractions | lang.minus_words
    words |= {p.split()[0] for p in lang.vague}
    return frozenset(words)


@lru_cache(maxsize=16)
def trigger_words(code: str) -> frozenset[str]:
    """Words that make a sentence worth tokenising: number words and casualty words."""
    lang = get_lang(code)
    extra = set(lang.fractions) | set(lang.scale_words) | lang.casualty_words
    return (starters(code) - lang.indefinite_articles) | extra


@lru_cache(maxsize=16)
def _trigger_re(code: str) -> re.Pattern[str]:
    """Any trigger word as a whole word ([^\\W\\d_]+ run) of lowercased text."""
    words = sorted(w for w in trigger_words(code) if w and _WORD.fullmatch(w))
    return re.compile(r"(?<![^\W\d_])(?:" + _trie(words) + r")(?![^\W\d_])")


class _Node(dict[str, "_Node"]):
    """A trie node: next character -> node; the key "" marks the end of a word."""


def _trie(words: Iterable[str]) -> str:
    """A regular expression matching exactly ``words``, factored by common prefixes."""
    tree = _Node()
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, _Node())
        node[""] = _Node()
    return _node_re(tree)


def _node_re(node: _Node) -> str:
    end = "" in node
    alts = [re.escape(ch) + _node_re(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return "(?:" + body + ")?" if end else body


def worth(text: str, code: str) -> bool:
    """True when ``text`` has a digit or a trigger word: it may hold a claim."""
    if _DIGIT.search(text):
        return True
    return _trigger_re(code).search(text.lower()) is not None


def worth_slow(text: str, code: str) -> bool:
    """The definition of ``worth``: a digit, or a whole lowercase word among the triggers."""
    if _DIGIT.search(text):
        return True
    return not trigger_words(code).isdisjoint(_WORD.findall(text.lower()))
