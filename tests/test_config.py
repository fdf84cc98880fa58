"""config.yaml: defaults, durations, env override, errors naming key and line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from monitor import config
from monitor.errors import ConfigError


def test_starter_config_is_valid_and_matches_defaults() -> None:
    s = config.loads(config.STARTER)
    assert s == config.Settings()
    assert s.poll.interval == timedelta(minutes=60)
    assert s.fetch.max_body_bytes == 15 * 1024 * 1024


def test_durations() -> None:
    s = config.loads('poll: {interval: "90s", min_interval: "2m", max_interval: "2d"}')
    assert s.poll.interval == timedelta(seconds=90)
    assert s.poll.max_interval == timedelta(days=2)
    with pytest.raises(ConfigError, match="duration"):
        config.loads('poll: {interval: "soon"}')


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("fetch:\n  timeout_s: abc\n", "config.yaml:2: fetch.timeout_s"),
        ("feeds:\n  - {url: nope}\n", "config.yaml:2: feeds.0.url"),
        ("database: {url: sqlite:///x.db}\nbogus: 1\n", "config.yaml:2: bogus: Extra inputs"),
        ("digest:\n  time: '25:00'\n", "config.yaml:2: digest.time"),
        ("digest:\n  timezone: Mars/Olympus\n", "unknown timezone"),
        ("feeds: [1, 2\n", "not valid YAML"),
        ("- a\n- b\n", "top level must be a mapping"),
    ],
)
def test_errors_name_key_and_line(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        config.load(path, environ={})
    assert needle in str(info.value)


def test_env_overrides_database_url(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text('database: {url: "sqlite:///a.db"}\n')
    s = config.load(path, environ={"MONITOR_DATABASE_URL": "postgresql://u@h/db"})
    assert s.database.url == "postgresql://u@h/db"
    with pytest.raises(ConfigError, match="MONITOR_DATABASE_URL"):
        config.load(path, environ={"MONITOR_DATABASE_URL": "mysql://x"})


def test_settings_are_frozen() -> None:
    s = config.Settings()
    with pytest.raises(ValueError):
        s.poll.batch = 3  # type: ignore[misc]


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert config.load(tmp_path / "none.yaml", environ={}) == config.Settings()


def test_the_repository_config_yaml_is_the_starter_config() -> None:
    path = Path(__file__).resolve().parents[1] / "config.yaml"
    assert path.read_text(encoding="utf-8") == config.STARTER, "regenerate: monitor init"
    assert config.load(path, environ={}) == config.Settings()


def test_a_track_thinned_to_one_step_is_refused() -> None:
    with pytest.raises(ConfigError, match="max_steps"):
        config.loads("digest: {max_steps: 1}\n")
    assert config.loads("digest: {max_steps: 2, max_reports: 1}\n").digest.max_steps == 2
