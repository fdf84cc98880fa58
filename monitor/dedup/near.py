"""Near-duplicate (wire copy) index: MinHash signatures with LSH banding.

The MinHash permutations and the LSH band layout are datasketch's, computed
without it (``minhash.py``: importing datasketch costs ~50 MiB of memory).
Signatures are kept as uint32 rows of numpy blocks (grown a block at a time)
and each band as a 32-bit hash in a ``NameTable`` of row numbers, so an indexed
item costs about 450 bytes (its row and a dozen table slots) instead of a
MinHash object and datasketch's per-band byte keys and sets.
Band hashes may collide: a candidate counts only when one of its bands
really equals the query's, so the result is exactly that of ``MinHashLSH``.
Items are indexed by id and can be removed when they leave the active window.
Touches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import sha1

import numpy as np
import numpy.typing as npt

from monitor.dedup import minhash
from monitor.dedup.nametable import NameTable

Signature = npt.NDArray[np.unsignedinteger]  # MinHash values, one per permutation

_NUM_PERM = 64
_SEED = 1
_RECALL_MARGIN = 0.15
_BLOCK_ROWS = 1024  # signature rows allocated at a time
_KEY_MASK = 0xFFFFFFFF
_BAND_LOAD = 0.7  # of the band table (12 slots an item): most lookups find nothing


class NearDupIndex:
    """Find earlier items whose word shingles overlap an item's by ``threshold``."""

    def __init__(self, threshold: float = 0.7, num_perm: int = _NUM_PERM) -> None:
        self.threshold = threshold
        self._num_perm = num_perm
        self._perms = minhash.permutations(num_perm, _SEED)
        # retrieve below the threshold (LSH banding misses pairs near it), then verify
        self._bands = minhash.band_ranges(max(0.3, threshold - _RECALL_MARGIN), num_perm)
        self._dtype = np.dtype(np.uint32)
        self._blocks: list[npt.NDArray[np.unsignedinteger]] = []
        self._free: list[int] = []
        self._rows: dict[str, int] = {}
        self._ids: list[str] = []  # row -> item id ("" when free)
        # 32-bit hash of (band number, band values) -> rows
        self._buckets = NameTable(max_load=_BAND_LOAD, rebuilt_load=_BAND_LOAD * 0.7)

    def signature(self, shingle_set: Iterable[bytes]) -> Signature:
        """MinHash values of a set of shingles (same permutations for every item)."""
        # datasketch's default hash (sha1_hash32): the first 4 bytes of each 20-byte SHA-1
        # digest, little-endian
        digests = b"".join([sha1(s).digest() for s in shingle_set])
        return minhash.signature(np.frombuffer(digests, dtype="<u4")[::5], self._perms)

    def query(self, sig: Signature) -> list[tuple[float, str]]:
        """(estimated Jaccard, id) of indexed items at or above the threshold, best first."""
        if not self._rows:
            return []
        candidates = set(self._buckets.get_all(self._keys(sig)))
        found = []
        for row in candidates:
            equal = sig == self._row(row)
            if not any(equal[lo:hi].all() for lo, hi in self._bands):
                continue  # only a band-hash collision, no band in common
            jac = float(np.mean(equal))
            if jac >= self.threshold:
                found.append((jac, self._ids[row]))
        found.sort(key=lambda p: (-p[0], p[1]))
        return found

    def insert(self, item_id: str, sig: Signature) -> None:
        """Index ``sig`` under ``item_id`` (ignored if the id is already there)."""
        if item_id in self._rows:
            return
        if not self._free:
            self._grow()
        row = self._free.pop()
        self._blocks[row // _BLOCK_ROWS][row % _BLOCK_ROWS] = sig
        self._rows[item_id] = row
        self._ids[row] = item_id
        for key in self._keys(sig):
            self._buckets.add(key, row)

    def remove(self, item_id: str) -> None:
        """Forget ``item_id`` (no-op when absent)."""
        row = self._rows.pop(item_id, None)
        if row is None:
            return
        for key in self._keys(self._row(row)):
            self._buckets.remove(key, row)
        self._ids[row] = ""
        self._free.append(row)

    def __len__(self) -> int:
        return len(self._rows)

    def _row(self, row: int) -> Signature:
        values: Signature = self._blocks[row // _BLOCK_ROWS][row % _BLOCK_ROWS]
        return values

    def _keys(self, sig: Signature) -> list[int]:
        raw = sig.astype(self._dtype, copy=False).tobytes()
        width = self._dtype.itemsize
        return [
            hash((band, raw[lo * width : hi * width])) & _KEY_MASK
            for band, (lo, hi) in enumerate(self._bands)
        ]

    def _grow(self) -> None:
        start = len(self._blocks) * _BLOCK_ROWS
        self._blocks.append(np.zeros((_BLOCK_ROWS, self._num_perm), dtype=self._dtype))
        self._ids.extend([""] * _BLOCK_ROWS)
        self._free.extend(range(start + _BLOCK_ROWS - 1, start - 1, -1))
