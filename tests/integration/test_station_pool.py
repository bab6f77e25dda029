"""A station's connections to PostgreSQL: sized from its settings, named after it on the server,
and its read-only units of work keep the statements the driver has prepared."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.bootstrap import bootstrap
from app.config import Paths, Settings
from app.db.engine import make_engine, make_session_factory
from app.db.models import User
from app.db.uow import UnitOfWork


@pytest.mark.postgres
def test_a_station_s_pool_is_sized_from_its_settings_and_its_connections_carry_its_name(
    pg_migrated: str, tmp_path: Path
) -> None:
    settings = Settings(db_url=pg_migrated, station="pc-7", db_pool_size=3, db_max_overflow=1)
    services = bootstrap(settings, Paths(tmp_path, tmp_path, tmp_path))
    try:
        pool = services.engine.pool
        held = [services.engine.connect() for _ in range(4)]
        assert pool.size() == 3 and pool.overflow() == 1  # type: ignore[attr-defined]
        names = (
            held[0]
            .execute(
                text(
                    "SELECT application_name, count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND application_name LIKE 'packdesk:%' "
                    "GROUP BY application_name"
                )
            )
            .all()
        )
        assert [(n.split(":")[:2], k) for n, k in names] == [(["packdesk", "pc-7"], 4)]
        for conn in held:
            conn.close()
    finally:
        services.close()


@pytest.mark.postgres
def test_a_read_only_unit_of_work_keeps_the_statements_the_driver_prepared(
    pg_migrated: str,
) -> None:
    engine = make_engine(pg_migrated, pool_size=1, max_overflow=0)
    factory = make_session_factory(engine)
    try:
        for _ in range(8):  # psycopg prepares a statement on the server at its 5th run
            uow = UnitOfWork(factory)
            uow.read_only = True
            with uow:
                uow.session.execute(select(User.id).where(User.id == 1)).all()
        uow = UnitOfWork(factory)
        uow.read_only = True
        with uow:
            prepared = uow.session.scalar(
                text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%users%'")
            )
        assert prepared == 1
    finally:
        engine.dispose()
