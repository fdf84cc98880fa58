"""CPU and memory of the pipeline's child processes (parse workers, fetch child).

They are processes forked by a multiprocessing fork server that the
benchmark process started (the farm's child process is not one of them).
"""

from __future__ import annotations

import os
from pathlib import Path


def _workers() -> list[Path]:
    me = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"multiprocessing.forkserver" in cmdline and _descends(int(entry.name), me):
            found.append(entry)
    return found


def _descends(pid: int, ancestor: int) -> bool:
    while pid > 1:
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            return False
        if pid == ancestor:
            return True
    return False


def cpu_s() -> float:
    """CPU seconds the living parse workers and fetch child (and their fork server) have used."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for entry in _workers():
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(stat[11]) + int(stat[12])) / tick
    return total


def rss_mib() -> float:
    """Resident memory of the living parse workers and fetch child (and their fork server), MiB."""
    total = 0.0
    for entry in _workers():
        try:
            total += _kib((entry / "status").read_text(), "VmRSS:") / 1024
        except OSError:
            continue
    return total


def _kib(text: str, field: str) -> int:
    for line in text.splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def memory_line() -> str:
    """Each living child's resident memory, its proportional share (PSS: pages shared with
    the fork server counted once in all) and its peak (VmHWM), MiB."""
    parts = []
    for entry in sorted(_workers(), key=lambda e: int(e.name)):
        try:
            status = (entry / "status").read_text()
            rollup = (entry / "smaps_rollup").read_text()
        except OSError:
            continue
        rss, hwm, pss = _kib(status, "VmRSS:"), _kib(status, "VmHWM:"), _kib(rollup, "Pss:")
        parts.append(f"{rss / 1024:.0f} (PSS {pss / 1024:.0f}, peak {hwm / 1024:.0f})")
    return f"{len(parts)} processes, RSS MiB: " + ", ".join(parts)
