"""Child processes that never outlive their owner.

``watch_owner`` runs in a worker process (as a pool initializer) and exits the
worker once the process that made it is gone, even after a SIGKILL that left no
chance to shut the pool down. It imports nothing heavy: a worker that had to
import the poller's whole stack to start would take seconds. Touches: the
process table (/proc, or ``kill(pid, 0)``).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

CHECK_EVERY_S = 1.0


def watch_owner(owner: int) -> None:
    """Start a thread that ends this process when ``owner`` no longer runs."""

    def watch() -> None:
        while alive(owner):
            time.sleep(CHECK_EVERY_S)
        os._exit(0)

    threading.Thread(target=watch, name="monitor-orphan-watch", daemon=True).start()


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, killed but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc here: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")
