"""monitor's child processes do not import the program's main module again
(``orphans.children_skip_main``): the console script's main is the whole CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import concurrent.futures as cf
import os
import sys

from monitor import orphans

if __name__ == "__mp_main__":  # what multiprocessing does in a child, unless told not to
    with open({marker!r}, "a") as f:
        f.write("imported in a child\\n")

if __name__ == "__main__":
    if sys.argv[1] == "skip":
        orphans.children_skip_main()
    with cf.ProcessPoolExecutor(1, mp_context=orphans.forkserver()) as pool:
        child = pool.submit(os.getpid).result(timeout=60)
    print(child != os.getpid())
"""


def _run(tmp_path: Path, mode: str) -> tuple[str, str]:
    marker = tmp_path / f"marker-{mode}"
    script = tmp_path / f"main_{mode}.py"
    script.write_text(SCRIPT.format(marker=str(marker)), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), mode], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip(), marker.read_text() if marker.exists() else ""


def test_children_of_a_marked_main_do_not_import_it(tmp_path: Path) -> None:
    ran, imported = _run(tmp_path, "default")
    assert ran == "True" and "imported in a child" in imported  # multiprocessing's way
    ran, imported = _run(tmp_path, "skip")
    assert ran == "True" and imported == ""  # the child ran, without the main module


def test_the_cli_marks_its_main_before_it_runs(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import monitor.cli\n"
        "assert sys.modules['__main__'].__spec__ is None\n"
        "monitor.cli.app = lambda: None\n"  # the command itself is not what is tested here
        "monitor.cli.main()\n"
        "print(sys.modules['__main__'].__spec__.name)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "monitor.__main__"
