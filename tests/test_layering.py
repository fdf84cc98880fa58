"""Architecture checks: imports go only downward; each library has one owner."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "monitor"

LAYERS: dict[str, int] = {
    "types": 0,
    "errors": 0,
    "config": 1,
    "parse": 2,
    "dedup": 2,
    "claims": 2,
    "digest": 2,
    "store": 2,
    "policy": 2,
    "fetch": 2,
    "opml": 2,
    "cli_io": 2,
    "demo": 2,
    "orphans": 1,
    "memory": 1,
    "thinning": 1,
    "pipeline": 3,
    "publish": 3,
    "demo_run": 4,
    "daemon": 4,
    "cli": 5,
    "__main__": 6,
    "__init__": 0,
}

OWNERS: dict[str, set[str]] = {
    "feedparser": {"parse"},
    "httpx": {"fetch"},
    "jinja2": {"digest"},
    "sqlmodel": {"store"},
    "sqlalchemy": {"store"},
    "alembic": {"store"},
    "apscheduler": {"daemon"},
    "yaml": {"config"},
    "pydantic": {"config"},
    "typer": {"cli"},
    "datasketch": {"dedup"},
    "text_to_num": {"claims"},
    "lemminflect": {"claims"},
    "nh3": {"parse", "digest"},
    "aiosmtplib": {"digest"},
    "css_inline": {"digest"},
}


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = rel.parts
        if "migrations" in parts:
            continue
        found.append((parts[0], path))
    return found


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            if node.module == "monitor":
                names += [f"monitor.{a.name}" for a in node.names]
    return names


MODULES = _modules()


def test_every_top_level_module_has_a_layer() -> None:
    missing = {top for top, _ in MODULES if top not in LAYERS}
    assert not missing, f"add these to LAYERS (and docs/design.md): {missing}"


@pytest.mark.parametrize(
    ("top", "path"), MODULES, ids=[str(p.relative_to(ROOT)) for _, p in MODULES]
)
def test_imports_only_go_down(top: str, path: Path) -> None:
    mine = LAYERS[top]
    for name in _imports(path):
        if not name.startswith("monitor.") or top == "__init__":
            continue
        target = name.split(".")[1]
        if target == top:
            continue
        assert LAYERS[target] < mine, (
            f"{path.relative_to(ROOT)} imports {name}: layer {LAYERS[target]} is not below {mine}"
        )


@pytest.mark.parametrize(
    ("top", "path"), MODULES, ids=[str(p.relative_to(ROOT)) for _, p in MODULES]
)
def test_each_library_has_one_owner(top: str, path: Path) -> None:
    for name in _imports(path):
        lib = name.split(".")[0]
        owners = OWNERS.get(lib)
        if owners is not None:
            assert top in owners, f"{path.relative_to(ROOT)} imports {lib}, owned by {owners}"


def test_the_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("from monitor import cli\nimport httpx\n")
    assert "monitor.cli" in _imports(bad) and "httpx" in _imports(bad)
