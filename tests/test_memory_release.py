"""release_free_memory gives freed heap pages back to the OS (glibc)."""

from __future__ import annotations

import os
import platform

import pytest

from monitor.memory import release_free_memory

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
def test_freed_heap_pages_go_back_to_the_os() -> None:
    release_free_memory()
    base = _rss_bytes()
    # 2 KiB blocks come from glibc's heap (pymalloc takes only up to 512 bytes); keeping
    # one block in 64 pins the heap's top, so glibc cannot give the rest back by itself
    blocks = [bytes(2048) for _ in range(60_000)]  # ~120 MiB
    kept = blocks[::64]
    del blocks
    held = _rss_bytes()
    if held - base < 100 * 2**20:  # e.g. MALLOC_MMAP_THRESHOLD_ set, or another allocator
        pytest.skip(f"the blocks did not stay on glibc's heap ({(held - base) >> 20} MiB)")
    assert release_free_memory()
    freed = held - _rss_bytes()
    assert freed > (held - base) // 2, f"only {freed / 2**20:.1f} of {(held - base) >> 20} MiB"
    assert len(kept) == 938


def test_the_call_is_made_only_where_there_is_one() -> None:
    assert release_free_memory() == bool(platform.libc_ver()[0] == "glibc")


def test_the_fetch_child_releases_after_each_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    from datetime import UTC, datetime
    from multiprocessing import Pipe

    from monitor.config import FetchSettings
    from monitor.fetch import batch

    released: list[bool] = []
    parent, child = Pipe()
    monkeypatch.setattr(batch, "release_free_memory", lambda: released.append(True))
    server = threading.Thread(target=batch.serve, args=(child, FetchSettings(), os.getpid()))
    server.start()
    for _ in range(2):
        parent.send(([], datetime(2026, 11, 24, tzinfo=UTC), 0))
        assert parent.recv() == (batch.CYCLE_DONE, None)
    parent.close()
    server.join(timeout=10)
    assert not server.is_alive()
    assert len(released) == 2  # once a cycle
