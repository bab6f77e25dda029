"""The packdesk command line: contract, overrides and errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.config import ENV_DB, ENV_HOME, Paths, load_settings
from app.domain.errors import ConfigError
from tests.conftest import PG_URL


def _run(
    args: list[str], home: Path, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **{ENV_HOME: str(home)}, **(env_extra or {}))
    env.pop(ENV_DB, None)
    if env_extra and ENV_DB in env_extra:
        env[ENV_DB] = env_extra[ENV_DB]
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_orders_list_json_on_an_empty_database_is_an_empty_array(tmp_path: Path) -> None:
    out = _run(["orders", "list", "--json"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
    assert (tmp_path / "data" / "packdesk.sqlite").exists()  # the default database
    assert (tmp_path / "logs" / "packdesk.log").exists()


def test_bad_arguments_exit_non_zero_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    for args in (
        ["orders", "list", "--status", "lost"],
        ["nonsense"],
        ["orders", "list", "--limit", "x"],
    ):
        out = _run(args, tmp_path)
        assert out.returncode == 2, args
        assert "packdesk:" in out.stderr and "Traceback" not in out.stderr


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    out = _run(["--db", "postgresql+psycopg://x:y@127.0.0.1:9/none", "orders", "list"], tmp_path)
    assert out.returncode == 1
    assert "Cannot reach the database" in out.stderr and "Traceback" not in out.stderr


def test_an_unknown_database_kind_is_a_clear_error(tmp_path: Path) -> None:
    out = _run(["--db", "mysql://x/y", "orders", "list"], tmp_path)
    assert out.returncode == 1 and "SQLite" in out.stderr and "Traceback" not in out.stderr


def test_db_option_beats_environment_beats_settings_file(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "l")
    paths.config_dir.mkdir()
    paths.config_file.write_text(
        'db_url = "sqlite:///from-file.sqlite"\nstation = "pack-07"\n', encoding="utf-8"
    )
    assert load_settings(paths, env={}).db_url == "sqlite:///from-file.sqlite"
    assert load_settings(paths, env={ENV_DB: "sqlite:///env.sqlite"}).db_url == (
        "sqlite:///env.sqlite"
    )
    assert (
        load_settings(
            paths, db_override="sqlite:///cli.sqlite", env={ENV_DB: "sqlite:///env.sqlite"}
        ).db_url
        == "sqlite:///cli.sqlite"
    )
    assert load_settings(paths, env={}).station == "pack-07"


def test_a_broken_settings_file_is_reported_with_its_path(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "l")
    paths.config_dir.mkdir()
    paths.config_file.write_text("db_url = [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(paths, env={})
    assert str(paths.config_file) in err.value.message


@pytest.mark.postgres
def test_the_same_commands_work_on_postgresql(
    tmp_path: Path,
    pg_migrated: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path))
    from tests.conftest import _truncate_pg

    _truncate_pg(PG_URL)
    # a shared database: the first admin, then commands as a named user
    monkeypatch.setenv("FIRST_PW", "first-admin-pass-1")
    assert main(["--db", PG_URL, "users", "add", "boss", "--password-env", "FIRST_PW"]) == 0
    monkeypatch.setenv("PACKDESK_PASSWORD", "first-admin-pass-1")
    capsys.readouterr()
    assert main(["--db", PG_URL, "--user", "boss", "orders", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
