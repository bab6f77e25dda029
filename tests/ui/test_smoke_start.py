"""``PACKDESK_SMOKE=1``: an offscreen start closes itself once the log-in dialog is shown (how
the installers are smoke-tested), and fails when it is not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.bootstrap import Services, bootstrap
from app.config import ENV_DB, ENV_HOME, Settings, default_paths
from app.services import auth
from ui.application import log_in
from ui.smoke import ENV, SmokeRun

ENGLISH_TITLE = "Packdesk - log in"


def _start(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **{ENV_HOME: str(home), ENV: "1", "QT_QPA_PLATFORM": "offscreen"})
    env.pop(ENV_DB, None)
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_a_smoke_start_shows_the_log_in_dialog_in_chinese_then_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv(ENV_HOME, str(home))
    paths = default_paths()
    services = bootstrap(Settings(db_url=f"sqlite:///{paths.default_db}"), paths)
    try:
        services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    finally:
        services.close()
    done = _start(home, "--lang", "zh_CN")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["smoke"] == "passed"
    assert report["dialogs"] == ["login"]
    assert report["language"] == "zh_CN"
    assert report["title"] and report["title"] != ENGLISH_TITLE  # translated
    assert "WenQuanYi Micro Hei" in report["fonts"]
    assert report["platform"] == "offscreen"
    # the plug-ins installed here load (which ones depends on how Packdesk was installed: a
    # built bundle must have the built-in ones, packaging/smoke_bundle.py checks that)
    assert set(report["plugins"]) == {"packdesk.carriers", "packdesk.channels"}
    assert [n for names in report["plugins"].values() for n in names if ": " in n] == []


def test_a_smoke_start_that_meets_the_first_start_dialog_instead_fails(
    ui_services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    smoke = SmokeRun()
    ctx, _language = log_in(ui_services, "en", False, smoke)  # a database without users
    assert ctx is None
    assert smoke.dialogs == ["first_admin"]
    assert smoke.finish("en") == 1
    out, err = capsys.readouterr()
    report = json.loads(out.strip().splitlines()[-1])
    assert report["smoke"] == "failed"
    assert report["dialogs"] == ["first_admin"]
    assert "the log-in dialog was not shown (first_admin instead)" in err
