"""A compact multimap from 32-bit name hashes to small ints (open addressing).

The dormant tier's and the near-duplicate bands' inverted index: one entry costs
8 bytes in two flat arrays (at most ``max_load`` full) instead of a dict entry and
an int object (~80 bytes). Removed entries leave tombstones that later inserts
reuse; the table is rebuilt when keys and tombstones fill ``max_load`` of it.
Touches nothing.
"""

from __future__ import annotations

from array import array

_MIN_BITS = 10


class NameTable:
    """``hash -> values`` with ``add``, ``remove`` and ``get``; values are ints >= 0."""

    def __init__(self, max_load: float = 0.5, rebuilt_load: float = 0.25) -> None:
        # keys and tombstones fill at most ``max_load`` of the slots (longer probes past it);
        # a rebuild leaves the live keys at most ``rebuilt_load`` of them
        self._max_load, self._rebuilt_load = max_load, rebuilt_load
        self._alloc(_MIN_BITS)
        self._live = 0

    def _alloc(self, bits: int) -> None:
        self._mask = (1 << bits) - 1
        self._keys = array("I", bytes(4 << bits))  # 0: never used
        self._vals = array("i", [-1]) * (1 << bits)  # -1: free (tombstone when key != 0)
        self._filled = 0

    def __len__(self) -> int:
        return self._live

    @staticmethod
    def _key(h: int) -> int:
        return (h & 0xFFFFFFFF) | 1  # never 0 (that marks an empty slot)

    def add(self, h: int, value: int) -> None:
        """Add ``value`` under ``h`` (the same pair twice is stored twice)."""
        if self._filled + 1 > self._max_load * len(self._keys):
            self._rebuild()
        key = self._key(h)
        keys, vals, mask = self._keys, self._vals, self._mask
        i = key & mask
        while keys[i] and vals[i] >= 0:
            i = (i + 1) & mask
        if not keys[i]:
            self._filled += 1
        keys[i] = key
        vals[i] = value
        self._live += 1

    def remove(self, h: int, value: int) -> None:
        """Remove one ``value`` under ``h`` (nothing when absent)."""
        key = self._key(h)
        keys, vals, mask = self._keys, self._vals, self._mask
        i = key & mask
        while keys[i]:
            if keys[i] == key and vals[i] == value:
                vals[i] = -1
                self._live -= 1
                return
            i = (i + 1) & mask

    def get(self, h: int) -> list[int]:
        """The values under ``h``."""
        return self.get_all([h])

    def get_all(self, hashes: list[int]) -> list[int]:
        """The values under each of ``hashes``, one list (a value under two is there twice)."""
        keys, vals, mask = self._keys, self._vals, self._mask
        out = []
        for h in hashes:
            key = self._key(h)
            i = key & mask
            while keys[i]:
                if keys[i] == key and vals[i] >= 0:
                    out.append(vals[i])
                i = (i + 1) & mask
        return out

    def _rebuild(self) -> None:
        live = [(k, v) for k, v in zip(self._keys, self._vals, strict=True) if k and v >= 0]
        self._alloc(max(_MIN_BITS, int((len(live) + 1) / self._rebuilt_load).bit_length()))
        keys, vals, mask = self._keys, self._vals, self._mask
        for key, value in live:
            i = key & mask
            while keys[i]:
                i = (i + 1) & mask
            keys[i] = key
            vals[i] = value
        self._filled = len(live)
