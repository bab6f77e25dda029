"""A fresh user's first start makes the settings file, the data folder and the log folder where
the README says they are (platformdirs' folders, no ``PACKDESK_HOME``)."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest

from app.cli import main
from app.config import ENV_DB, ENV_HOME, default_paths, load_settings
from app.logs import close_logging


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in (ENV_HOME, ENV_DB, "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders of a Linux home")
def test_a_fresh_users_first_start_creates_the_settings_the_database_and_the_log_folders(
    fresh_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        assert main(["orders", "list", "--json"]) == 0
    finally:
        close_logging()
    assert json.loads(capsys.readouterr().out) == []
    settings = fresh_home / ".config" / "Packdesk" / "packdesk.toml"
    assert settings.is_file()
    assert (fresh_home / ".local" / "share" / "Packdesk" / "packdesk.sqlite").is_file()
    assert (fresh_home / ".local" / "state" / "Packdesk" / "log" / "packdesk.log").is_file()
    # every setting is there, commented out: the file behaves like no file at all
    text = settings.read_text(encoding="utf-8")
    assert tomllib.loads(text) == {}
    for key in ("db_url", "station", "language"):
        assert f"# {key} = " in text
    assert default_paths().config_file == settings


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders of a Linux home")
def test_the_next_start_keeps_the_settings_the_user_wrote(
    fresh_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        assert main(["orders", "list", "--json"]) == 0
        settings = default_paths().config_file
        written = settings.read_text(encoding="utf-8")
        settings.write_text(written.replace('# station = "pack-01"', 'station = "pack-07"'))
        assert main(["orders", "list", "--json"]) == 0
    finally:
        close_logging()
    assert 'station = "pack-07"' in settings.read_text(encoding="utf-8")
    assert load_settings().station == "pack-07"
