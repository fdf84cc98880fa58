"""Migrations: a fresh or older database is brought to the head, one at the head is left to
itself without importing Alembic (whose modules a long-running daemon would carry)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from monitor.errors import StoreError
from monitor.store import Store
from monitor.store.engine import MIGRATIONS, head_revision, revision


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def test_head_revision_is_alembics_head() -> None:
    assert ScriptDirectory.from_config(_config()).get_heads() == [head_revision()]


def test_a_fresh_database_is_migrated_to_the_head(db_url: str) -> None:
    assert revision(create_engine(db_url)) is None
    store = Store.open(db_url)
    try:
        assert revision(store.engine) == head_revision()
        assert {"feed", "entry", "story", "claim"} <= set(inspect(store.engine).get_table_names())
    finally:
        store.close()


def test_an_older_database_is_upgraded(db_url: str) -> None:
    engine = create_engine(db_url)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    assert revision(engine) == "0003"
    engine.dispose()
    store = Store.open(db_url)
    try:
        assert revision(store.engine) == head_revision()
        columns = {c["name"] for c in inspect(store.engine).get_columns("claim_track")}
        assert {"members", "loose", "since", "rising"} <= columns  # what 0004 adds
    finally:
        store.close()


def test_opening_a_database_at_the_head_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    Store.open(url).close()
    code = (
        "import sys\n"
        "from monitor.store import Store\n"
        f"Store.open({url!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    code = code.replace(repr(url), repr(fresh))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() != "[]"  # a database to migrate does import it


def test_a_database_at_a_revision_we_do_not_know_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    Store.open(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreError, match="cannot migrate database"):
        Store.open(url)
