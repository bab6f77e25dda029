"""How a station uses its PostgreSQL connections between actions (app/db/engine.py, uow.py).

- A unit of work that wrote nothing ends with COMMIT, so psycopg keeps the statements it
  prepared on the server (a ROLLBACK makes it send DEALLOCATE ALL); so does one the service
  ended with a refusal after only reading (an order open at another station). One that wrote
  and did not commit still rolls back, and so does one that met a database error.
- The pool pings only a connection idle for ``PING_IDLE_S``; a connection the server dropped
  sooner fails on its first statement and the action runs once more on a fresh connection.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import nullcontext

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.bootstrap import Services
from app.db import engine as engine_mod
from app.db.engine import make_engine, make_session_factory
from app.db.models import Order, SettingRow
from app.db.uow import UnitOfWork
from app.domain.errors import DatabaseUnavailable, PackdeskError
from tests.conftest import PG_URL, _truncate_pg
from tests.factories import add_orders

pytestmark = pytest.mark.postgres

FIND = select(Order.id).where(Order.number == "PD-NONE")


@pytest.fixture
def one_connection(pg_migrated: str) -> Iterator[sessionmaker[Session]]:
    """A pool of exactly one connection: every unit of work below uses the same one."""
    _truncate_pg(pg_migrated)
    engine = make_engine(pg_migrated, pool_size=1, max_overflow=0)
    yield make_session_factory(engine)
    engine.dispose()


def _prepared(factory: sessionmaker[Session]) -> list[str]:
    """The statements this connection has prepared on the server (its own session's view)."""
    uow = UnitOfWork(factory)
    with uow:
        return list(uow.session.scalars(text("SELECT statement FROM pg_prepared_statements")))


def _warm(factory: sessionmaker[Session]) -> None:
    for _ in range(6):  # psycopg prepares a statement at its fifth use
        with UnitOfWork(factory) as uow:
            assert uow.session.execute(FIND).first() is None
    assert any("orders.number" in s for s in _prepared(factory))


@pytest.mark.parametrize("refused", [False, True], ids=["ended quietly", "ended refused"])
def test_a_write_that_is_not_committed_is_rolled_back_and_the_statements_forgotten(
    one_connection: sessionmaker[Session], refused: bool
) -> None:
    _warm(one_connection)  # units of work that may write, and did not: statements prepared
    key = f"test.undone.{refused}"
    ending = pytest.raises(PackdeskError) if refused else nullcontext()
    with ending, UnitOfWork(one_connection) as uow:
        uow.session.add(SettingRow(key=key, value={}))
        uow.session.flush()
        if refused:
            raise PackdeskError("Refused after writing.")
    assert _prepared(one_connection) == []  # rolled back: psycopg forgot its statements
    with UnitOfWork(one_connection) as check:
        assert check.session.get(SettingRow, key) is None


def test_a_refusal_after_only_reading_keeps_the_statements_prepared(
    one_connection: sessionmaker[Session],
) -> None:
    _warm(one_connection)
    with pytest.raises(PackdeskError, match="open at pack-02"), UnitOfWork(one_connection) as uow:
        uow.session.execute(FIND).first()
        raise PackdeskError("The order is open at pack-02.")
    assert any("orders.number" in s for s in _prepared(one_connection))


def test_a_refusal_raised_over_a_database_error_rolls_back(
    one_connection: sessionmaker[Session],
) -> None:
    _warm(one_connection)
    with pytest.raises(PackdeskError), UnitOfWork(one_connection) as uow:
        try:
            uow.session.execute(text("SELECT 1 / 0")).first()
        except Exception as exc:
            raise PackdeskError("The database refused it.") from exc
    assert _prepared(one_connection) == []  # the failed transaction was rolled back
    with UnitOfWork(one_connection) as after:  # and the connection serves the next one
        assert after.session.execute(FIND).first() is None


def test_changes_left_in_the_session_are_not_written_when_it_ends_without_commit(
    one_connection: sessionmaker[Session],
) -> None:
    uow = UnitOfWork(one_connection)
    with uow:
        uow.session.add(SettingRow(key="test.pending", value={}))
    with UnitOfWork(one_connection) as check:
        assert check.session.get(SettingRow, "test.pending") is None


@pytest.fixture
def station(pg_only_services: Services) -> Services:
    return pg_only_services


def _drop_station_connections() -> int:
    killer = create_engine(PG_URL)
    try:
        with killer.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "AND backend_type = 'client backend' AND usename = current_user"
                    )
                ).scalar()
                or 0
            )
    finally:
        killer.dispose()


def _count_orders(uow: UnitOfWork) -> int:
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(Order)) or 0)


def _add_one(uow: UnitOfWork, number: str) -> None:
    with uow:
        uow.session.add(SettingRow(key=f"test.{number}", value={}))
        uow.commit()


def test_a_connection_dropped_moments_after_use_is_replaced_and_the_action_runs_once(
    station: Services, caplog: pytest.LogCaptureFixture
) -> None:
    add_orders(station, 2)
    assert station.run(_count_orders) == 2
    assert _drop_station_connections() >= 1
    with caplog.at_level(logging.INFO, logger="app.bootstrap"):
        station.run(_add_one, "PD-AFTER-DROP")  # no ping: used less than PING_IDLE_S ago
    assert "_add_one succeeded after 2 tries" in caplog.text  # the first try met the dead one
    assert station.run(_count_orders) == 2
    with station.uow() as check:
        assert check.session.get(SettingRow, "test.PD-AFTER-DROP") is not None


def test_a_connection_idle_for_a_while_is_pinged_and_replaced_before_use(
    station: Services, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_orders(station, 1)
    monkeypatch.setattr(engine_mod, "PING_IDLE_S", 1e-9)  # every pooled connection is "idle"
    assert _drop_station_connections() >= 1
    with caplog.at_level(logging.INFO, logger="app.bootstrap"):
        assert station.run(_count_orders) == 1
    assert "succeeded after" not in caplog.text  # the ping found it gone: no failed try


def test_a_connection_dropped_after_the_first_statement_is_an_error_not_a_second_try(
    station: Services,
) -> None:
    def two_steps(uow: UnitOfWork) -> None:
        with uow:
            uow.session.execute(text("SELECT 1"))
            _drop_station_connections()
            uow.session.add(SettingRow(key="test.half", value={}))
            uow.commit()

    add_orders(station, 1)
    with pytest.raises(DatabaseUnavailable) as err:
        station.run(two_steps)
    assert not err.value.stale_connection
    with station.uow() as check:
        assert check.session.get(SettingRow, "test.half") is None
