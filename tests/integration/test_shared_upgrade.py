"""A shared database is not upgraded from under stations running an older Packdesk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from app import __version__
from app.bootstrap import HEARTBEAT_S, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Paths, Settings
from app.db.engine import make_engine
from app.db.migrate import UpgradePolicy, alembic_config, current_heads, script_heads, upgrade
from app.domain.errors import OlderStationsOnline
from app.services import auth
from tests.migration_fixtures import REBUILD, fresh_pg_database

#: the last revision before stations recorded their version
BEFORE_VERSIONS = "0007_hold_messages"

pytestmark = pytest.mark.postgres


@pytest.fixture
def shared_url(pg_migrated: str) -> str:  # pg_migrated: skips or fails clearly without a server
    with fresh_pg_database() as url:
        yield url


def _at(url: str, revision: str) -> None:
    engine = make_engine(url)
    with engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()
    engine.dispose()


def _add_station(url: str, code: str, seen_ago: timedelta, version: str | None) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        columns = "code, name, devices, last_seen_at" + (
            ", app_version" if version is not None else ""
        )
        values = ":code, :code, '{}', :seen" + (", :version" if version is not None else "")
        conn.execute(
            text(f"INSERT INTO stations ({columns}) VALUES ({values})"),
            {"code": code, "seen": datetime.now(UTC) - seen_ago, "version": version},
        )
    engine.dispose()


def _add_supervisor(url: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A supervisor the command line runs as on the shared database (it needs a named user);
    returns the arguments that name them."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (username, display_name, role, password_hash, active, "
                "language, created_at) VALUES ('boss', 'boss', 'supervisor', :hash, :yes, '', :now)"
            ),
            {"hash": auth.hash_secret("boss-pass-123"), "yes": True, "now": datetime.now(UTC)},
        )
    engine.dispose()
    monkeypatch.setenv("PACKDESK_PASSWORD", "boss-pass-123")
    return ["--user", "boss"]


def _stations(url: str) -> dict[str, str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT code, app_version FROM stations")).all()
    engine.dispose()
    return dict((code, version) for code, version in rows)


def test_an_upgrade_waits_for_recent_stations_of_an_older_version_unless_forced(
    shared_url: str,
) -> None:
    _at(shared_url, "heads")
    minute = timedelta(minutes=1)
    _add_station(shared_url, "pack-old", 2 * minute, "0.0.9")
    _add_station(shared_url, "pack-blank", 3 * minute, "")
    _add_station(shared_url, "pack-gone", 30 * minute, "0.0.1")  # not seen for half an hour
    _add_station(shared_url, "pack-same", minute, __version__)
    _add_station(shared_url, "pack-me", minute, "0.0.1")  # this station, before its update
    engine = make_engine(shared_url)
    policy = UpgradePolicy(station="pack-me", extra_versions=(REBUILD,))
    with pytest.raises(OlderStationsOnline) as caught:
        upgrade(engine, policy)
    message = caught.value.message
    assert "pack-blank (?), pack-old (0.0.9)" in message
    assert "pack-gone" not in message and "pack-same" not in message and "pack-me" not in message
    assert "packdesk db backup FILE" in message and "--force-upgrade" in message
    with engine.connect() as conn:
        assert current_heads(conn) == script_heads()
    result = upgrade(
        engine, UpgradePolicy(station="pack-me", force=True, extra_versions=(REBUILD,))
    )
    assert result.after == ("t901_rebuild_orders",)
    engine.dispose()


def test_a_refused_start_records_nothing_and_a_forced_one_records_this_version(
    shared_url: str, paths: Paths
) -> None:
    # stations before 0008 did not say their version: a recent one counts as older
    _at(shared_url, BEFORE_VERSIONS)
    _add_station(shared_url, "pack-old", timedelta(minutes=1), None)
    settings = Settings(db_url=shared_url, station="pack-new")
    with pytest.raises(OlderStationsOnline, match=r"pack-old \(\?\)"):
        bootstrap(settings, paths)
    engine = make_engine(shared_url)
    with engine.connect() as conn:
        assert current_heads(conn) == (BEFORE_VERSIONS,)
        assert conn.execute(text("SELECT code FROM stations")).scalars().all() == ["pack-old"]
    engine.dispose()
    svc = bootstrap(settings, paths, force_upgrade=True)
    svc.close()
    assert _stations(shared_url) == {"pack-old": "", "pack-new": __version__}


def test_the_command_line_refuses_then_upgrades_with_force_upgrade(
    shared_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _at(shared_url, BEFORE_VERSIONS)
    _add_station(shared_url, "pack-old", timedelta(minutes=1), None)
    monkeypatch.setenv(ENV_HOME, str(tmp_path))
    monkeypatch.delenv(ENV_DB, raising=False)
    monkeypatch.delenv("PACKDESK_FORCE_UPGRADE", raising=False)
    user = _add_supervisor(shared_url, monkeypatch)
    args = ["--db", shared_url, *user, "--station", "pack-new", "orders", "list", "--json"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "older Packdesk versions" in err and "pack-old" in err and "Traceback" not in err
    monkeypatch.setenv("PACKDESK_FORCE_UPGRADE", "1")
    assert main(args) == 0
    assert _stations(shared_url)["pack-new"] == __version__


def test_the_force_upgrade_option_upgrades_under_older_stations(
    shared_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(shared_url, BEFORE_VERSIONS)
    _add_station(shared_url, "pack-old", timedelta(minutes=1), None)
    monkeypatch.setenv(ENV_HOME, str(tmp_path))
    monkeypatch.delenv("PACKDESK_FORCE_UPGRADE", raising=False)
    user = _add_supervisor(shared_url, monkeypatch)
    args = [
        "--db",
        shared_url,
        *user,
        "--force-upgrade",
        "--station",
        "pack-new",
        "orders",
        "list",
    ]
    assert main(args) == 0
    engine = make_engine(shared_url)
    with engine.connect() as conn:
        assert current_heads(conn) == script_heads()
    engine.dispose()


def test_a_running_station_refreshes_its_last_seen_time(shared_url: str, paths: Paths) -> None:
    svc = bootstrap(Settings(db_url=shared_url, station="pack-01"), paths)
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    with svc.engine.begin() as conn:
        conn.execute(text("UPDATE stations SET last_seen_at = :t"), {"t": long_ago})
    assert svc.heartbeat() is False  # just started: it was recorded at start-up
    svc.last_heartbeat -= HEARTBEAT_S
    assert svc.heartbeat() is True
    with svc.engine.connect() as conn:
        seen = conn.execute(text("SELECT last_seen_at FROM stations")).scalar_one()
    assert datetime.now(UTC) - seen < timedelta(minutes=1)
    svc.close()
