"""Shared helper for the claim benches: run `monitor claims extract` on JSONL items.

Calls the CLI in a subprocess when it exists; otherwise (the CLI is written by
the lead) falls back to importing monitor.claims directly and says so.
Touches: a temporary file, a subprocess.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def half(key: str) -> str:
    """'A' or 'B' by a hash of a record key: tune on A, check on B (a fixed, even split)."""
    return "AB"[hashlib.sha1(key.encode("utf-8")).digest()[0] & 1]


def extract_jsonl(items: list[tuple[str, str]]) -> tuple[dict[str, list[dict[str, object]]], str]:
    """Return ({id: [claim json...]}, how) for (id, text) items."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for id_, text in items:
            f.write(json.dumps({"id": id_, "text": text}) + "\n")
        path = f.name
    out: dict[str, list[dict[str, object]]] = {id_: [] for id_, _ in items}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "monitor", "claims", "extract", "--input", path],
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        if proc.returncode == 0 and proc.stdout.strip():
            for line in proc.stdout.splitlines():
                if line.strip():
                    obj = json.loads(line)
                    out.setdefault(str(obj.get("id")), []).append(obj)
            return out, "cli"
        reason = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    finally:
        Path(path).unlink(missing_ok=True)
    from monitor.claims import claim_to_json, extract

    for id_, text in items:
        out[id_] = [claim_to_json(c, id_) for c in extract(text)]
    return out, f"import fallback (CLI unavailable: {reason[:120]})"
