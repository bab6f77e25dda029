"""``packdesk --version``: the installers' smoke test runs it in a clean directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli import main
from app.config import ENV_DB, ENV_HOME


def test_version_prints_the_version_and_exits_0_without_creating_any_folder(
    tmp_path: Path,
) -> None:
    env = dict(os.environ, **{ENV_HOME: str(tmp_path / "home")})
    env.pop(ENV_DB, None)
    out = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"packdesk {__version__}"
    # no settings, database or log folder: nothing was opened
    assert not (tmp_path / "home").exists()


def test_version_among_other_options_is_answered_by_the_command_line_parser(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--lang", "zh_CN", "--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"packdesk {__version__}"
