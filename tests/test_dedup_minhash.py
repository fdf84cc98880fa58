"""MinHash signatures and LSH band layout of ``dedup/minhash.py``: bit for bit datasketch's
(the reference, imported by this test only), and the pipeline's imports stay free of scipy."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import numpy as np
import pytest

from monitor.dedup import minhash
from monitor.dedup.near import NearDupIndex

datasketch = pytest.importorskip("datasketch", reason="datasketch (the reference) not installed")


@pytest.mark.parametrize("num_perm", [32, 64])
def test_band_layout_is_datasketchs(num_perm: int) -> None:
    for threshold in [0.3, 0.42, 0.55, 0.61, 0.77, 0.9]:
        ref = datasketch.MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges
        expected = tuple((int(lo), int(hi)) for lo, hi in ref)
        assert minhash.band_ranges(threshold, num_perm) == expected, threshold


def test_permutations_and_signatures_are_datasketchs() -> None:
    reference = datasketch.MinHash(num_perm=64, seed=1)
    perms = minhash.permutations(64, 1)
    assert (perms[0] == reference.permutations[0]).all()
    assert (perms[1] == reference.permutations[1]).all()
    rng = np.random.default_rng(3)
    for size in [0, 1, 2, 7, 40, 300]:
        hashes = rng.integers(0, 2**32, size=size, dtype=np.uint64)
        sketch = datasketch.MinHash(num_perm=64, seed=1, hashfunc=int)
        sketch.update_batch(hashes.tolist())
        mine = minhash.signature(hashes.astype(np.uint32), perms)
        assert mine.dtype == sketch.hashvalues.dtype
        assert (mine == sketch.hashvalues).all(), size


def test_near_index_signature_is_datasketchs_default_sha1() -> None:
    shingles = {f"made up shingle {i}".encode() for i in range(25)}
    sketch = datasketch.MinHash(num_perm=64, seed=1)  # default hash: sha1_hash32
    sketch.update_batch(list(shingles))
    assert (NearDupIndex().signature(shingles) == sketch.hashvalues).all()
    assert hashlib.sha1(b"x").digest_size == 20  # the stride near.py reads digests at


def test_pipeline_imports_leave_out_scipy() -> None:
    code = (
        "import sys, monitor.daemon, monitor.publish, monitor.cli;"
        "print(sorted(m for m in ('scipy', 'datasketch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
