"""Who the command line acts as: ``--user NAME``, or the station operator on a local file.

The audit names who did it either way; a shared database always needs ``--user``."""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Row, func, select

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Settings
from app.db.models import AuditEntry
from app.domain.users import Actor, Role
from app.services import auth
from tests.factories import add_orders

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shop(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Services, Actor]]:
    """A database on each backend with an admin, a picker and two new orders."""
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    monkeypatch.delenv("PACKDESK_PASSWORD", raising=False)
    svc = bootstrap(Settings(db_url=db_url, station="cli-test"))
    svc.run(auth.create_first_admin, "boss", "boss-pass-123", svc.station_id)
    admin = svc.run(auth.login, "boss", "boss-pass-123", svc.station_id)
    svc.run(auth.create_user, admin, "pick", Role.PICKER, "pick-pass-123")
    add_orders(svc, 2)
    yield svc, admin
    svc.close()


def _cli(services: Services, *args: str) -> int:
    url = services.engine.url.render_as_string(hide_password=False)
    return main(["--db", url, "--station", "cli-test", *args])


def _holds(services: Services) -> list[Row[Any]]:
    with services.uow() as uow:
        return list(
            uow.session.execute(
                select(AuditEntry.user_id, AuditEntry.username, AuditEntry.station_id)
                .where(AuditEntry.action == "order.status")
                .order_by(AuditEntry.id)
            )
        )


def test_a_named_user_acts_with_the_password_from_the_environment_and_is_audited(
    shop: tuple[Services, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    services, admin = shop
    monkeypatch.setenv("PACKDESK_PASSWORD", "boss-pass-123")
    assert _cli(services, "--user", "boss", "orders", "hold", "PD00000001", "--reason", "x") == 0
    (row,) = _holds(services)
    assert row.user_id == admin.user_id and row.username == "boss"
    assert row.station_id == services.station_id


def test_a_wrong_password_or_a_role_without_the_permission_is_refused_and_changes_nothing(
    shop: tuple[Services, Actor],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    services, _ = shop
    monkeypatch.setenv("PACKDESK_PASSWORD", "not-it-at-all")
    assert _cli(services, "--user", "boss", "orders", "cancel", "PD00000001") == 1
    assert "Wrong user name or password" in capsys.readouterr().err
    monkeypatch.setenv("PACKDESK_PASSWORD", "pick-pass-123")
    assert _cli(services, "--user", "pick", "orders", "cancel", "PD00000001") == 1
    assert "pick (picker) may not cancel orders" in capsys.readouterr().err
    assert _holds(services) == []


def test_without_a_password_and_without_a_terminal_the_command_says_what_to_set(
    shop: tuple[Services, Actor],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    services, _ = shop
    with open(os.devnull) as no_terminal:
        monkeypatch.setattr(sys, "stdin", no_terminal)
        assert _cli(services, "--user", "boss", "orders", "list") == 2
    assert "set PACKDESK_PASSWORD" in capsys.readouterr().err


@pytest.mark.postgres
def test_a_shared_database_refuses_a_command_without_user(
    pg_migrated: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.conftest import _truncate_pg

    _truncate_pg(pg_migrated)
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    for command in (["orders", "allocate"], ["orders", "list"], ["users", "list"]):
        assert main(["--db", pg_migrated, *command]) == 2
        assert "shared database, so say who you are: --user NAME" in capsys.readouterr().err
    services = bootstrap(Settings(db_url=pg_migrated, station="cli-test"))
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    services.close()


def test_on_a_local_file_the_station_operator_acts_and_the_audit_names_the_os_user(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv("PACKDESK_PASSWORD", raising=False)
    services = bootstrap(Settings(db_url=sqlite_url, station="cli-test"))
    add_orders(services, 1)
    assert main(["--db", sqlite_url, "--station", "cli-test", "orders", "hold", "PD00000001",
                 "--reason", "x"]) == 0  # fmt: skip
    (row,) = _holds(services)
    assert row.user_id is None and row.station_id == services.station_id
    assert row.username == f"station-operator:{getpass.getuser()}@cli-test"
    services.close()


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder other OS users can read (pytest's own temporary folders are private)."""
    base = Path(tempfile.mkdtemp(prefix="packdesk-cli-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base)


def test_a_database_file_the_os_user_cannot_write_needs_a_named_user(open_dir: Path) -> None:
    """Run as another OS user when the tests run as root (root may write any file)."""
    base = open_dir
    home = base / "home"
    home.mkdir(mode=0o777)
    home.chmod(0o777)
    db = base / "packdesk.sqlite"
    services = bootstrap(Settings(db_url=f"sqlite:///{db}", station="cli-test"))
    services.close()
    db.chmod(0o444)
    result = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--db", f"sqlite:///{db}", "orders", "list"],
        capture_output=True,
        text=True,
        env={**os.environ, ENV_HOME: str(home)},
        cwd=ROOT,
        timeout=120,
        user="nobody" if os.geteuid() == 0 else None,
    )
    assert result.returncode == 2, result.stderr
    assert f"you cannot write the database file {db}" in result.stderr
    assert "--user NAME" in result.stderr


def test_adding_a_user_without_a_terminal_says_how_to_give_the_password_and_adds_nobody(
    shop: tuple[Services, Actor],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    services, boss = shop
    monkeypatch.setenv("PACKDESK_PASSWORD", "boss-pass-123")
    with open(os.devnull) as no_terminal:
        monkeypatch.setattr(sys, "stdin", no_terminal)
        code = _cli(services, "--user", "boss", "users", "add", "lin", "--role", "packer")
    assert code == 2
    assert "--password-env VAR" in capsys.readouterr().err
    assert "lin" not in {u.username for u in services.run(auth.list_users, boss)}
