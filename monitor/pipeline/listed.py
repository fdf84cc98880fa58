"""What each feed listed when it was last stored: the digests of its raw items.

A changed feed is mostly the items it listed last time; the parser leaves out
those whose bytes it has seen (``parse.items``), so a 20-item feed with one new
item costs one item's parse, not twenty. The memory is only a cache, and it
never claims more than the database holds: a feed's digests are recorded only
after the poll result that listed them is committed, a failed or rolled-back
result records nothing, and a restart starts empty (the first parse of each feed
is whole). Several workers each keep their own: an item another worker stored
is parsed again here and found known, as before. A listing is used only while
the database still holds the body hash of the result that recorded it, so a
later body stored by another worker, or by a parse that gave no listing (its
entries may have changed), makes the next parse whole. Bounded: the feeds polled
least recently are forgotten first; each feed costs two digests per listed item.
Touches nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from monitor.parse.items import KEY_BYTES
from monitor.types import Listing

MAX_FEEDS = 50_000  # ~16 MB at 20 items a feed
_NO_GUID = bytes(KEY_BYTES)  # an item that gave no entry (a GUID digest of zeros: 2^-64)


class ListedItems:
    """Per feed id, the listing of its last stored parse, packed, with the hash of the body
    it came from (thread-safe)."""

    def __init__(self, max_feeds: int = MAX_FEEDS) -> None:
        self._max = max_feeds
        self._packed: OrderedDict[int, tuple[str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def seen(self, feed_id: int, body_hash: str | None) -> Listing | None:
        """The listing recorded for ``feed_id``, if it came from the body whose hash the
        database holds now (``body_hash``); else None: another worker, or a parse that
        gave no listing, stored a later body since."""
        with self._lock:
            found = self._packed.get(feed_id)
        if found is None or body_hash is None or found[0] != body_hash:
            return None
        return _unpack(found[1])

    def record(self, feed_id: int, body_hash: str | None, listing: Listing | None) -> None:
        """Remember what ``feed_id`` listed in the body ``body_hash`` (call once its result
        is committed; None forgets it)."""
        with self._lock:
            if listing is None or body_hash is None:
                self._packed.pop(feed_id, None)
                return
            self._packed[feed_id] = (body_hash, _pack(listing))
            self._packed.move_to_end(feed_id)
            while len(self._packed) > self._max:
                self._packed.popitem(last=False)

    def __len__(self) -> int:
        return len(self._packed)


def _pack(listing: Listing) -> bytes:
    parts = [listing.context]
    for key, guid in listing.items:
        parts += [key, guid or _NO_GUID]
    return b"".join(parts)


def _unpack(packed: bytes) -> Listing:
    k = KEY_BYTES
    items = []
    for at in range(k, len(packed), 2 * k):
        guid = packed[at + k : at + 2 * k]
        items.append((packed[at : at + k], b"" if guid == _NO_GUID else guid))
    return Listing(packed[:k], tuple(items))
