"""A feed document's raw items: where each starts and ends, and a digest of its bytes.

A changed feed usually lists mostly the items it listed last time, byte for byte
(a new one on top, the oldest dropped). ``split_items`` finds the ``<item>`` /
``<entry>`` elements in the raw bytes (tags inside CDATA sections, comments and
processing instructions do not count), so the parser can leave out those
whose bytes it has seen before and build only the new and changed ones. It
answers None, and the document is parsed whole, whenever the split is not
certain: no items, an item inside an item or left open, an end tag that closes
nothing, a section never closed, anything but white space and comments between
two items (it would be lost with them), entity declarations (an entity may hold
a tag), or an encoding that is not ASCII-compatible (UTF-16 and UTF-32 bodies
have no byte ``<item``).
Pure: touches nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass

KEY_BYTES = 8  # digest length: 2^-64 collisions per pair, far below any other risk
# one left-to-right scan: CDATA sections, comments and processing instructions are consumed
# whole, so a tag inside them is never taken for an item's start or end; an opener that
# matches alone is a section never closed
_SCAN = re.compile(
    rb"(?s)(?P<section><!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>)"
    rb"|(?P<unclosed><!\[CDATA\[|<!--|<\?)"
    rb"|<(?P<end>/\s*)?(?:[A-Za-z0-9_.-]+:)?(?P<tag>item|entry)(?(end)\s*>|[\s>/])",
    re.IGNORECASE,
)
_QUIET = re.compile(rb"(?s)\s+|<!--.*?-->|<\?.*?\?>")  # what may lie between two items
_SCOPE = re.compile(rb"""(?:xmlns(?::[\w.-]+)?|xml:base|xml:lang)\s*=\s*(?:"[^"]*"|'[^']*')""")
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


@dataclass(frozen=True, slots=True)
class RawItems:
    """A document cut into its head, its items (digest, bytes) and its tail."""

    head: bytes
    items: tuple[tuple[bytes, bytes], ...]
    tail: bytes

    @property
    def scope(self) -> bytes:
        """The head's namespace, base and language declarations (``xmlns``, ``xml:base``,
        ``xml:lang``): what the items are read in, beyond their own bytes."""
        return b" ".join(m.group(0) for m in _SCOPE.finditer(self.head))

    @property
    def keys(self) -> tuple[bytes, ...]:
        return tuple(key for key, _ in self.items)

    def without(self, seen: Collection[bytes]) -> bytes:
        """The document with the items whose digest is in ``seen`` left out."""
        return self.head + b"".join(raw for key, raw in self.items if key not in seen) + self.tail


def item_key(raw: bytes) -> bytes:
    """The digest that identifies an item's exact bytes."""
    return hashlib.blake2b(raw, digest_size=KEY_BYTES).digest()


def split_items(body: bytes) -> RawItems | None:
    """The document's items, or None when they cannot be told apart for certain."""
    if body.startswith(_WIDE_BOMS) or b"\x00" in body[:200] or b"<!ENTITY" in body:
        return None
    items: list[tuple[bytes, bytes]] = []
    open_at = -1  # where the item being read started
    tag = b""
    first = last = -1
    for match in _SCAN.finditer(body):
        if match.group("section"):
            continue
        if match.group("unclosed"):
            return None
        name = match.group("tag").lower()
        if match.group("end") is None:
            if open_at >= 0:
                return None  # an item inside an item
            if last >= 0 and _QUIET.sub(b"", body[last : match.start()]):
                return None  # something between two items: it would be lost
            open_at, tag = match.start(), name
            first = open_at if first < 0 else first
        else:
            if open_at < 0 or name != tag:
                return None
            raw = body[open_at : match.end()]
            items.append((item_key(raw), raw))
            open_at, last = -1, match.end()
    if not items or open_at >= 0:
        return None  # no items, or one left open
    return RawItems(body[:first], tuple(items), body[last:])
