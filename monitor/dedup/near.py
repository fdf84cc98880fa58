"""Near-duplicate (wire copy) index: MinHash signatures with LSH banding.

The one module that imports datasketch (for the MinHash permutations and the
LSH band layout). Signatures are kept as rows of one numpy matrix and bands as
hashed buckets of item ids, so an indexed item costs a few hundred bytes
instead of a MinHash object and datasketch's per-band byte keys and sets.
Bucket hashes may collide: a candidate counts only when one of its bands
really equals the query's, so the result is exactly that of ``MinHashLSH``.
Items are indexed by id and can be removed when they leave the active window.
Touches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import sha1

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH
from datasketch.hashfunc import sha1_hash32

Signature = npt.NDArray[np.unsignedinteger]  # MinHash values, one per permutation

_NUM_PERM = 64
_SEED = 1
_RECALL_MARGIN = 0.15
_FIRST_ROWS = 256


class NearDupIndex:
    """Find earlier items whose word shingles overlap an item's by ``threshold``."""

    def __init__(self, threshold: float = 0.7, num_perm: int = _NUM_PERM) -> None:
        self.threshold = threshold
        self._num_perm = num_perm
        template = MinHash(num_perm=num_perm, seed=_SEED)
        self._sha1_32 = template.hashfunc is sha1_hash32
        # one sketch for every signature (its values reset each time): building a MinHash
        # costs more than hashing a short item's shingles
        self._sketch = MinHash(
            num_perm=num_perm,
            seed=_SEED,
            hashfunc=int if self._sha1_32 else template.hashfunc,  # int: values hashed below
            permutations=template.permutations,
            scheme=template.scheme,
        )
        self._empty: Signature = template.hashvalues.copy()
        # retrieve below the threshold (LSH banding misses pairs near it), then verify
        layout = MinHashLSH(threshold=max(0.3, threshold - _RECALL_MARGIN), num_perm=num_perm)
        self._bands: tuple[tuple[int, int], ...] = tuple(
            (int(lo), int(hi)) for lo, hi in layout.hashranges
        )
        self._matrix = np.zeros((_FIRST_ROWS, num_perm), dtype=template.hashvalues.dtype)
        self._free: list[int] = list(range(_FIRST_ROWS - 1, -1, -1))
        self._rows: dict[str, int] = {}
        # hash of (band number, band values) -> one item id, or a set of them
        self._buckets: dict[int, str | set[str]] = {}

    def signature(self, shingle_set: Iterable[bytes]) -> Signature:
        """MinHash values of a set of shingles (same permutations for every item)."""
        sig = self._sketch
        sig.hashvalues = self._empty.copy()
        batch: list[int] | list[bytes]
        if self._sha1_32:  # datasketch's sha1_hash32 in one comprehension, no call a shingle
            # (the first 4 bytes of each 20-byte digest, little-endian, as sha1_hash32 reads them)
            digests = b"".join([sha1(s).digest() for s in shingle_set])
            batch = np.frombuffer(digests, dtype="<u4")[::5].tolist()
        else:
            batch = list(shingle_set)
        if batch:
            sig.update_batch(batch)
        values: Signature = sig.hashvalues
        return values

    def query(self, sig: Signature) -> list[tuple[float, str]]:
        """(estimated Jaccard, id) of indexed items at or above the threshold, best first."""
        if not self._rows:
            return []
        candidates: set[str] = set()
        for key in self._keys(sig):
            bucket = self._buckets.get(key)
            if isinstance(bucket, str):
                candidates.add(bucket)
            elif bucket is not None:
                candidates.update(bucket)
        found = []
        for other in candidates:
            equal = sig == self._matrix[self._rows[other]]
            if not any(equal[lo:hi].all() for lo, hi in self._bands):
                continue  # only a bucket-hash collision, no band in common
            jac = float(np.mean(equal))
            if jac >= self.threshold:
                found.append((jac, other))
        found.sort(key=lambda p: (-p[0], p[1]))
        return found

    def insert(self, item_id: str, sig: Signature) -> None:
        """Index ``sig`` under ``item_id`` (ignored if the id is already there)."""
        if item_id in self._rows:
            return
        if not self._free:
            self._grow()
        row = self._free.pop()
        self._matrix[row] = sig
        self._rows[item_id] = row
        for key in self._keys(sig):
            bucket = self._buckets.get(key)
            if bucket is None:
                self._buckets[key] = item_id
            elif isinstance(bucket, str):
                self._buckets[key] = {bucket, item_id}
            else:
                bucket.add(item_id)

    def remove(self, item_id: str) -> None:
        """Forget ``item_id`` (no-op when absent)."""
        row = self._rows.pop(item_id, None)
        if row is None:
            return
        for key in self._keys(self._matrix[row]):
            bucket = self._buckets.get(key)
            if bucket == item_id:
                del self._buckets[key]
            elif isinstance(bucket, set):
                bucket.discard(item_id)
                if len(bucket) == 1:
                    self._buckets[key] = bucket.pop()
        self._free.append(row)

    def __len__(self) -> int:
        return len(self._rows)

    def _keys(self, sig: Signature) -> list[int]:
        raw = sig.tobytes()
        width = sig.itemsize
        return [
            hash((band, raw[lo * width : hi * width])) for band, (lo, hi) in enumerate(self._bands)
        ]

    def _grow(self) -> None:
        old = len(self._matrix)
        grown = np.zeros((old * 2, self._num_perm), dtype=self._matrix.dtype)
        grown[:old] = self._matrix
        self._matrix = grown
        self._free.extend(range(old * 2 - 1, old - 1, -1))
