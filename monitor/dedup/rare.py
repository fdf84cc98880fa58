"""Rare names: the names of an item or story that few stories ever contained.

A victim's or a suspect's name, a street or a small town is specific to one
event; a city, a police spokesman, a TV station or a page's menu words recur
across events. ``StoryFreq`` counts, in a fixed-size hashed table, how many
stories ever contained each name; ``rare_item_names`` keeps an item's names
(officials' left out, see ``text.names_and_numbers``) that are in few stories
and not common in the stream, grouped by name phrase with those used as
places marked. Which words are names, officials or places comes from
capitalisation and the language's data, never from the language code.
Touches nothing.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from monitor.dedup.features import DocFreq, ItemFeatures
from monitor.dedup.story import Story
from monitor.dedup.sums import NAMES
from monitor.types import ClusterItem

_SF_BITS = 20
_SF_CAP = 0xFFFF
MAX_STORY_FREQ = 4  # a name in more stories than this (a town, a station, a byline) is no evidence
MIN_IDF = 3.0  # nor is a word common in the whole stream


def term_hash(word: str) -> int:
    """A stable 32-bit hash of a term (signatures hold these, not strings)."""
    return zlib.crc32(word.encode("utf-8"))


class StoryFreq:
    """How many stories ever contained each name, in a hashed table of fixed size."""

    def __init__(self, bits: int = _SF_BITS) -> None:
        self._mask = (1 << bits) - 1
        self._counts = array("H", bytes(2 << bits))

    def add(self, words: Iterable[str]) -> None:
        """Count one more story for each of ``words`` (the names new to that story)."""
        for word in words:
            slot = term_hash(word) & self._mask
            if self._counts[slot] < _SF_CAP:
                self._counts[slot] += 1

    def get(self, word: str) -> int:
        """Stories that contained ``word`` (hash collisions only overcount)."""
        return self._counts[term_hash(word) & self._mask]


@dataclass(frozen=True, slots=True)
class RareNames:
    """An item's rare names: by name phrase, and those in its headline."""

    words: frozenset[str]
    headline: frozenset[str]
    phrases: tuple[frozenset[str], ...]
    places: frozenset[str] = frozenset()

    def entities(self, shared: Iterable[str]) -> int:
        """How many distinct names (phrases, "Kevin Barbee" and "Barbee" as one) ``shared``
        words make up."""
        return len(self._groups(shared))

    def people(self, shared: Iterable[str]) -> int:
        """Of ``entities``, how many are not only places (people, groups, things)."""
        return sum(1 for g in self._groups(shared) if not g <= self.places)

    def _groups(self, shared: Iterable[str]) -> list[set[str]]:
        common = set(shared)
        groups: list[set[str]] = []
        for phrase in self.phrases:
            hit = set(phrase.intersection(common))
            if not hit:
                continue
            for g in [g for g in groups if not g.isdisjoint(hit)]:
                hit |= g
                groups.remove(g)
            groups.append(hit)
        return groups


def rare_item_names(
    item: ClusterItem, feats: ItemFeatures, freq: StoryFreq, df: DocFreq
) -> RareNames:
    """The item's names (officials' left out) that few stories ever contained."""
    source = item.source.casefold()
    words = {w for p in feats.phrases for w in p}
    rare = frozenset(
        w
        for w in words
        if w not in source  # the outlet's own name is no evidence
        and freq.get(w) <= MAX_STORY_FREQ
        and df.idf(w) >= MIN_IDF
    )
    phrases = tuple(p for p in (rare.intersection(p) for p in feats.phrases) if p)
    headline = frozenset(w for w in rare if w in feats.title)
    return RareNames(rare, headline, phrases, feats.places.intersection(rare))


def rare_story_names(story: Story, freq: StoryFreq, df: DocFreq) -> list[tuple[str, bool]]:
    """The story's names that few stories contain, rarest first, with headline flags."""
    found = []
    for word in story.sums.terms(NAMES):
        if word.startswith("#"):
            continue
        n = freq.get(word)
        if n <= MAX_STORY_FREQ and df.idf(word) >= MIN_IDF:
            found.append((n, word, story.has_title_term(word)))
    found.sort(key=lambda f: (f[0], f[1]))
    return [(word, in_title) for _, word, in_title in found]
