"""Online boilerplate filter: sentences shared by unrelated stories.

A sentence (or page line) that has already appeared in items of two
different stories carries no evidence about which event an item reports
("We have sent you a verification email...", "Get email notifications on
...", video playlists); it is dropped before weighing terms. State is a
hashed table of fixed size, so memory does not grow with the stream.
Touches nothing.
"""

from __future__ import annotations

import re
import zlib
from array import array

from monitor.dedup.text import fold

_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+|\s{3,}")
_MIN_WORDS = 4  # shorter fragments are common by nature and cheap to keep
_BITS = 20
_MIN_FURNITURE = 3  # sentences a text needs before it can be judged all furniture
_FURNITURE_SHARE = 0.8


def sentences(text: str) -> list[str]:
    """Sentence-like pieces of ``text`` (split at end punctuation and line breaks)."""
    return [s for s in _SPLIT.split(text) if s.strip()]


class Boilerplate:
    """Remembers, per sentence, the first story it appeared in and whether a second did."""

    def __init__(self, bits: int = _BITS) -> None:
        self._mask = (1 << bits) - 1
        self._owner = array("I", bytes(4 << bits))
        self._shared = bytearray(1 << bits)
        # the last text's sentences and keys: ``observe`` follows ``clean`` of the same text
        self._last: tuple[str, list[tuple[str, int | None]]] = ("", [])

    @staticmethod
    def _key(sentence: str) -> int | None:
        words = fold(sentence)
        if words.count(" ") + 1 < _MIN_WORDS:
            return None
        return zlib.crc32(words.encode("utf-8"))

    def _keyed(self, text: str) -> list[tuple[str, int | None]]:
        """The sentences of ``text`` with their keys (None: too short to judge)."""
        if text is not self._last[0]:
            self._last = (text, [(s, self._key(s)) for s in sentences(text)])
        return self._last[1]

    def clean(self, text: str) -> str:
        """``text`` without sentences already seen in two different stories, nor, when most of
        its sentences were seen before (a page's furniture under a new headline), without any
        sentence seen before."""
        keyed = self._keyed(text)
        seen = known = 0
        for _, key in keyed:
            if key is not None:
                known += 1
                seen += bool(self._owner[key & self._mask])
        furniture = known >= _MIN_FURNITURE and seen >= _FURNITURE_SHARE * known
        kept = []
        for sentence, key in keyed:
            if key is not None:
                slot = key & self._mask
                if self._shared[slot] or (furniture and self._owner[slot]):
                    continue
            kept.append(sentence)
        return "\n".join(kept)

    def observe(self, text: str, story_id: str) -> None:
        """Record that the sentences of ``text`` appeared in ``story_id``."""
        owner = zlib.crc32(story_id.encode("utf-8")) or 1
        for _, key in self._keyed(text):
            if key is None:
                continue
            slot = key & self._mask
            if self._owner[slot] == 0:
                self._owner[slot] = owner
            elif self._owner[slot] != owner:
                self._shared[slot] = 1
