"""``packdesk db backup FILE`` and the copies kept before upgrades of the local file."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.cli import main
from app.config import ENV_DB, ENV_HOME
from app.db.backup import KEEP_BACKUPS
from app.db.engine import make_engine
from app.db.migrate import alembic_config, upgrade

FIRST = "0001"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)


def _old_sqlite(path: Path) -> str:
    """A database as the first Packdesk left it, with one warehouse."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, FIRST)
        conn.execute(text("INSERT INTO warehouses (code, name) VALUES ('WH1', '深圳仓')"))
        conn.commit()
    engine.dispose()
    return url


def _query(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_only_the_newest_five_copies_from_before_upgrades_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "station.sqlite"
    url = _old_sqlite(path)
    old = []
    for i in range(KEEP_BACKUPS):  # copies left by earlier upgrades, oldest first
        copy = tmp_path / f"station.before-000{i}-2026010{i}-000000-000000.sqlite"
        copy.write_bytes(b"old copy")
        os.utime(copy, (1_700_000_000 + i, 1_700_000_000 + i))
        old.append(copy)
    Path(f"{old[0]}-wal").write_bytes(b"wal")
    unrelated = tmp_path / "station-notes.sqlite"
    unrelated.write_bytes(b"not a backup")
    engine = make_engine(url)
    result = upgrade(engine)
    engine.dispose()
    assert result.backup is not None
    kept = sorted(p.name for p in tmp_path.glob("station.before-*"))
    assert kept == sorted(p.name for p in [*old[1:], result.backup])
    assert not Path(f"{old[0]}-wal").exists() and unrelated.exists()
    assert _query(result.backup, "SELECT version_num FROM alembic_version") == [(FIRST,)]


def test_db_backup_copies_a_sqlite_file_without_upgrading_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "station.sqlite"
    url = _old_sqlite(path)
    target = tmp_path / "copy.sqlite"
    assert main(["--db", url, "db", "backup", str(target), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "database": f"SQLite {path}",
        "file": str(target),
        "bytes": target.stat().st_size,
    }
    for db in (path, target):  # neither the original nor the copy was upgraded
        assert _query(db, "SELECT version_num FROM alembic_version") == [(FIRST,)]
        assert _query(db, "SELECT name FROM warehouses") == [("深圳仓",)]


def test_db_backup_never_overwrites_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _old_sqlite(tmp_path / "station.sqlite")
    target = tmp_path / "copy.sqlite"
    target.write_bytes(b"precious")
    assert main(["--db", url, "db", "backup", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert target.read_bytes() == b"precious"


@pytest.mark.postgres
def test_db_backup_dumps_postgresql_with_pg_dump(
    pg_migrated: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "shared.dump"
    assert main(["--db", pg_migrated, "db", "backup", str(target)]) == 0
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert f"to {target}" in capsys.readouterr().out


@pytest.mark.postgres
def test_db_backup_without_pg_dump_on_the_path_says_what_to_install(
    pg_migrated: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    target = tmp_path / "shared.dump"
    assert main(["--db", pg_migrated, "db", "backup", str(target)]) == 1
    err = capsys.readouterr().err
    assert "pg_dump was not found" in err and "PostgreSQL client tools" in err
    assert not target.exists()


@pytest.mark.postgres
def test_a_failing_pg_dump_is_reported_and_leaves_no_file(
    pg_migrated: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = make_url(pg_migrated).set(password="not-the-password")
    target = tmp_path / "shared.dump"
    url = wrong.render_as_string(hide_password=False)
    assert main(["--db", url, "db", "backup", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"The backup to {target} failed" in err and "password authentication failed" in err
    assert not target.exists()


def test_the_postgresql_password_goes_to_pg_dump_in_its_environment_not_its_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a stand-in pg_dump that writes down what it was given (no server needed)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    seen = tmp_path / "seen.txt"
    fake = bin_dir / "pg_dump"
    fake.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > {seen}\necho "PGPASSWORD=$PGPASSWORD" >> {seen}\n'
        'for a in "$@"; do case "$a" in --file=*) echo dump > "${a#--file=}";; esac; done\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    target = tmp_path / "shared.dump"
    url = "postgresql+psycopg://packdesk:s3cret-pw@db-server:6543/warehouse?sslmode=require"
    assert main(["--db", url, "db", "backup", str(target)]) == 0
    lines = seen.read_text().splitlines()
    assert lines[-1] == "PGPASSWORD=s3cret-pw"
    args = lines[:-1]
    assert not any("s3cret-pw" in a for a in args)
    assert set(args) == {
        "--format=custom",
        f"--file={target}",
        "--no-password",
        "--dbname=postgresql://packdesk@db-server:6543/warehouse?sslmode=require",
    }
