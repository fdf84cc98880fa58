"""Give the C allocator's free memory back to the operating system.

CPython's objects live in pymalloc arenas and the C allocator's heaps; after a
poll cycle frees its batch's parsed entries, claims and ORM rows (or a fetch
child's cycle its responses), glibc keeps the freed pages mapped for reuse (per
thread: the ingest thread has an arena of its own), so resident memory ratchets
up by what one cycle ever held at once. ``malloc_trim(0)`` returns the free
pages of every arena. Elsewhere than glibc (musl, macOS) there is no such call and this does
nothing. Touches: the process's allocator (through ctypes), nothing else.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import lru_cache

__all__ = ["release_free_memory"]


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def release_free_memory() -> bool:
    """Return free heap pages to the OS; whether the allocator could (glibc only)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
