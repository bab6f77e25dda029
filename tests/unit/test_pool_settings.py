"""The station's PostgreSQL pool as settings: whole numbers read from the settings file,
refused with the file's name when they are not, and left out of a new file at their default."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from app.config import (
    DEFAULT_MAX_OVERFLOW,
    DEFAULT_POOL_SIZE,
    Paths,
    Settings,
    load_settings,
    save_settings,
)
from app.domain.errors import ConfigError


def paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path, tmp_path, tmp_path)


def test_the_pool_sizes_in_the_settings_file_are_read_as_whole_numbers(tmp_path: Path) -> None:
    p = paths(tmp_path)
    p.config_file.write_text('db_pool_size = 4\ndb_max_overflow = "0"\n', encoding="utf-8")
    settings = load_settings(p, env={})
    assert settings.db_pool_size == 4 and settings.db_max_overflow == 0


def test_without_pool_settings_a_station_keeps_two_connections_and_may_open_three_more(
    tmp_path: Path,
) -> None:
    settings = load_settings(paths(tmp_path), env={})
    assert (settings.db_pool_size, settings.db_max_overflow) == (2, 3)
    assert (DEFAULT_POOL_SIZE, DEFAULT_MAX_OVERFLOW) == (2, 3)


BAD = ["db_pool_size = 0", 'db_pool_size = "two"', "db_max_overflow = -1"]


@pytest.mark.parametrize("line", BAD)
def test_a_pool_size_that_is_no_whole_number_or_too_small_is_refused_naming_the_file(
    tmp_path: Path, line: str
) -> None:
    p = paths(tmp_path)
    p.config_file.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(p, env={})
    assert str(p.config_file) in caught.value.message
    assert line.split(" = ")[0] in caught.value.message


def test_a_new_settings_file_leaves_the_default_pool_out_and_keeps_a_chosen_one(
    tmp_path: Path,
) -> None:
    p = paths(tmp_path)
    save_settings(Settings(db_url="sqlite:///x.sqlite", station="pc-1"), p)
    written = tomllib.loads(p.config_file.read_text(encoding="utf-8"))
    assert "db_pool_size" not in written and "db_max_overflow" not in written
    save_settings(Settings(db_url="sqlite:///x.sqlite", station="pc-1", db_pool_size=6), p)
    assert load_settings(p, env={}).db_pool_size == 6
