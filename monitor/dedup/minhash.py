"""MinHash permutations and LSH band layout, bit for bit those of datasketch 2.x.

``near.py`` needs two things datasketch computed: the signature of a set of
32-bit shingle hashes under datasketch's default "affine32" scheme (the
MurmurHash3 finalizer, then ``a * h + b`` in uint32 for odd ``a``, permutations
drawn from ``numpy.random.RandomState(seed)``), and ``MinHashLSH``'s band layout
(the bands ``b`` and rows ``r`` that minimise the equally weighted sum of the
false positive and false negative areas at a threshold). They are computed here
with numpy alone: importing datasketch imports ``scipy.integrate`` (for that one
integral), about 50 MiB of resident memory a process for a constant of the
configuration. The integrands are polynomials of degree ``b * r <= num_perm``,
so a Gauss-Legendre rule with ``num_perm`` nodes integrates them exactly (up to
rounding), as scipy's adaptive rule does. ``tests/test_minhash.py`` checks both
against datasketch. Touches nothing.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt
from numpy.polynomial.legendre import leggauss

U32 = npt.NDArray[np.uint32]
EMPTY_VALUE = 0xFFFFFFFF  # the value of a permutation no shingle reached


def permutations(num_perm: int, seed: int) -> tuple[U32, U32]:
    """The (a, b) of datasketch's affine32 permutations for ``seed``."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def signature(hashes: U32, perms: tuple[U32, U32]) -> U32:
    """MinHash values of 32-bit shingle hashes (all EMPTY_VALUE when there are none)."""
    a, b = perms
    if not len(hashes):
        return np.full(len(a), EMPTY_VALUE, dtype=np.uint32)
    hv = _fmix32(hashes.astype(np.uint32, copy=False).reshape(-1, 1))
    values: U32 = (hv * a + b).min(axis=0)
    return values


def _fmix32(hv: U32) -> U32:
    """The MurmurHash3 32-bit finalizer (uint32 arithmetic wraps, as intended)."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    out: U32 = hv ^ (hv >> np.uint32(16))
    return out


@lru_cache(maxsize=16)
def band_ranges(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """``MinHashLSH(threshold, num_perm).hashranges``: b bands of r rows each."""
    bands, rows = _optimal_param(threshold, num_perm)
    return tuple((i * rows, (i + 1) * rows) for i in range(bands))


def _optimal_param(threshold: float, num_perm: int) -> tuple[int, int]:
    nodes, weights = leggauss(num_perm)

    def area(lo: float, hi: float, b: int, r: int, positive: bool) -> float:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        p = 1 - (1 - s ** float(r)) ** float(b)
        return float((hi - lo) / 2 * np.dot(weights, p if positive else 1 - p))

    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = area(0.0, threshold, b, r, True)
            fn = area(threshold, 1.0, b, r, False)
            error = fp * 0.5 + fn * 0.5
            if error < best:
                best, opt = error, (b, r)
    return opt
