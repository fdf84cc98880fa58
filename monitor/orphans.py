"""Child processes that never outlive their owner, all forked by one fork server.

``forkserver`` is the context every child of monitor comes from. ``watch_owner``
runs in a child (a parse worker, the fetch child) and exits it once the process
that made it is gone, even after a SIGKILL that left no chance to shut it down.
It imports nothing heavy: a worker that had to import the poller's whole stack
to start would take seconds. Touches: the process table (/proc, or
``kill(pid, 0)``), child processes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from importlib.machinery import ModuleSpec
from multiprocessing.context import ForkServerContext
from pathlib import Path

CHECK_EVERY_S = 1.0
# modules the fork server imports once, so neither a parse worker nor the fetch child
# imports them again (the server takes the preload list of whichever starts it first;
# not "__main__": with it every worker took seconds to start. A child still imports the
# program's main module as __mp_main__, as multiprocessing does)
PRELOAD = ["monitor.parse", "monitor.orphans", "monitor.fetch.batch"]


def forkserver() -> ForkServerContext:
    """The context of every child process monitor starts (forked by a fork server: no
    threads inherited)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def children_skip_main() -> None:
    """Let this process's children not import its main module.

    multiprocessing imports the parent's main module in every child (as ``__mp_main__``,
    so that what it defines can be unpickled there); monitor's children run functions of
    monitor's own modules, and the ``monitor`` console script's main imports the whole
    CLI: a parse worker took 92 MiB instead of 37. A main module named as a package's
    ``__main__`` is one multiprocessing leaves alone in a child (as for ``python -m
    monitor``), so an unnamed one (a script) is given that name. Call it only from a
    program whose children need nothing of its main module (the CLI's ``main``)."""
    main = sys.modules["__main__"]
    if getattr(main.__spec__, "name", None) is None:
        main.__spec__ = ModuleSpec("monitor.__main__", None)


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
