"""Give the C allocator's free memory back to the operating system.

CPython's objects live in pymalloc arenas and the C allocator's heaps; after a
poll cycle frees its batch's parsed entries, claims and ORM rows (or a fetch
child's cycle its responses), glibc keeps the freed pages mapped for reuse
(threads get arenas of their own, up to glibc's arena limit), so resident
memory ratchets up by what one cycle held at once. ``malloc_trim(0)`` returns
the whole free pages of every arena (pymalloc's own arenas are not its to
return). Elsewhere than glibc (musl, macOS) there is no such call and this does
nothing. Touches: the process's allocator (through ctypes), nothing else.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable
from functools import lru_cache

__all__ = ["release_free_memory"]


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return None
        trim = ctypes.CDLL(None).malloc_trim  # the libc this process already runs on
    except (AttributeError, OSError, ValueError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    found: Callable[[int], int] = trim
    return found


def release_free_memory() -> bool:
    """Ask the allocator to return its free pages (keeping no padding); False where there
    is no such call (not glibc). True says the call was made, not how much it freed."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
