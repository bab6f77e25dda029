"""A dropped database connection: the next action reconnects; an unreachable server is a clear
error and nothing is half-written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import Order
from app.domain.errors import DatabaseUnavailable
from app.domain.users import Actor
from app.services import orders
from app.services.orders import OrderQuery
from tests.conftest import PG_URL
from tests.factories import add_orders


@pytest.mark.postgres
def test_a_connection_killed_by_the_server_is_replaced_on_the_next_action(
    pg_migrated: str, paths: Paths, tmp_path: Path
) -> None:
    from tests.conftest import _truncate_pg

    _truncate_pg(PG_URL)
    services = bootstrap(Settings(db_url=PG_URL, station="pack-09"), paths)
    try:
        from app.services import auth

        services.run(auth.create_first_admin, "admin", "correct-horse-9")
        admin: Actor = services.run(auth.login, "admin", "correct-horse-9")
        add_orders(services, 3)
        assert len(services.run(orders.list_orders, admin, OrderQuery())) == 3
        killer = create_engine(PG_URL)
        try:
            with killer.connect() as conn:  # the server drops every other session (restart)
                # only our own client sessions: autovacuum workers belong to the superuser
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        "AND backend_type = 'client backend' AND usename = current_user"
                    )
                ).scalar()
        finally:
            killer.dispose()
        assert killed and killed >= 1
        assert len(services.run(orders.list_orders, admin, OrderQuery())) == 3
    finally:
        services.close()


@pytest.fixture
def pg_services(pg_migrated: str, paths: Paths) -> Iterator[Services]:
    from tests.conftest import _truncate_pg

    _truncate_pg(PG_URL)
    svc = bootstrap(Settings(db_url=PG_URL, station="pack-09"), paths)
    yield svc
    svc.close()


@pytest.mark.postgres
def test_a_connection_lost_mid_action_is_a_clear_error_and_writes_nothing(
    pg_services: Services,
) -> None:
    services = pg_services
    add_orders(services, 1)
    uow = services.uow()
    with pytest.raises(DatabaseUnavailable) as err, uow:
        uow.session.add(Order(number="PD-HALF", channel_id=1, external_id="X", status="new"))
        uow.session.flush()
        pid = uow.session.execute(text("SELECT pg_backend_pid()")).scalar()
        killer = create_engine(PG_URL)
        try:
            with killer.connect() as conn:  # the server goes away before the commit
                conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        finally:
            killer.dispose()
        uow.session.execute(text("SELECT 1"))
        uow.commit()
    assert "Cannot reach the database" in err.value.message
    assert "nothing was saved" in err.value.message
    with services.uow() as check:
        assert check.session.scalar(select(func.count()).select_from(Order)) == 1
