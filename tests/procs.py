"""Starting `monitor` as a real process in tests (the environment's database URL removed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "MONITOR_DATABASE_URL"}


def start_daemon(
    cfg: Path, cwd: Path, output: IO[Any] | int | None = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    """`monitor --config CFG run` in the background; output to ``output``."""
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(cfg), "run"],
        cwd=cwd,
        stdout=output,
        stderr=subprocess.STDOUT,
        env=clean_env(),
    )
