"""Near-duplicate (wire copy) index: MinHash signatures with LSH.

The one module that imports datasketch. Items are indexed by id and can be
removed when their story leaves the active window. Touches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

Signature = MinHash  # what ``signature`` returns and ``query``/``insert`` take

_NUM_PERM = 64
_SEED = 1
_RECALL_MARGIN = 0.15


class NearDupIndex:
    """Find earlier items whose word shingles overlap an item's by ``threshold``."""

    def __init__(self, threshold: float = 0.7, num_perm: int = _NUM_PERM) -> None:
        self.threshold = threshold
        self._num_perm = num_perm
        template = MinHash(num_perm=num_perm, seed=_SEED)
        self._perms = template.permutations
        self._scheme = template.scheme
        # retrieve below the threshold (LSH banding misses pairs near it), then verify
        self._lsh = MinHashLSH(threshold=max(0.3, threshold - _RECALL_MARGIN), num_perm=num_perm)
        self._sigs: dict[str, MinHash] = {}

    def signature(self, shingle_set: Iterable[bytes]) -> MinHash:
        """MinHash of a set of shingles (same permutations for every item)."""
        sig = MinHash(
            num_perm=self._num_perm, seed=_SEED, permutations=self._perms, scheme=self._scheme
        )
        batch = list(shingle_set)
        if batch:
            sig.update_batch(batch)
        return sig

    def query(self, sig: MinHash) -> list[tuple[float, str]]:
        """(estimated Jaccard, id) of indexed items at or above the threshold, best first."""
        if self._lsh.is_empty():
            return []
        found = []
        for key in self._lsh.query(sig):
            other = self._sigs.get(str(key))
            if other is None:
                continue
            jac = float(np.mean(sig.hashvalues == other.hashvalues))
            if jac >= self.threshold:
                found.append((jac, str(key)))
        found.sort(key=lambda p: (-p[0], p[1]))
        return found

    def insert(self, item_id: str, sig: MinHash) -> None:
        """Index ``sig`` under ``item_id`` (ignored if the id is already there)."""
        if item_id in self._sigs:
            return
        self._sigs[item_id] = sig
        self._lsh.insert(item_id, sig)

    def remove(self, item_id: str) -> None:
        """Forget ``item_id`` (no-op when absent)."""
        if self._sigs.pop(item_id, None) is not None:
            self._lsh.remove(item_id)

    def __len__(self) -> int:
        return len(self._sigs)
