"""Migrations, models and the database set-up, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from app.bootstrap import Services
from app.db.engine import make_engine
from app.db.migrate import script_heads, upgrade
from app.db.models import Base
from app.domain.errors import DatabaseTooNew


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_models_and_migrations_agree(services: Services) -> None:
    with services.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    # expression indexes cannot be reflected on SQLite; alembic warns and skips them
    assert diff == [], diff


def test_database_is_at_the_programs_head(services: Services) -> None:
    with services.engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    assert tuple(sorted(heads)) == script_heads()


def test_sqlite_has_wal_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    engine.dispose()


def test_a_database_newer_than_the_app_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('9999_future')"))
    with pytest.raises(DatabaseTooNew) as err:
        upgrade(engine)
    assert "newer Packdesk" in err.value.message and "9999_future" in err.value.message
    engine.dispose()


def test_two_writers_on_one_sqlite_file_wait_for_each_other_instead_of_failing(
    sqlite_url: str,
) -> None:
    """The app and a command-line import on one station: read-then-write units of work from
    separate connections must queue (busy timeout), not fail with 'database is locked'."""
    import threading
    import time

    errors: list[str] = []

    def writer(n: int) -> None:
        engine = make_engine(sqlite_url)
        for i in range(25):
            try:
                with engine.begin() as conn:
                    conn.execute(text("SELECT count(*) FROM warehouses")).scalar()
                    time.sleep(0.002)
                    conn.execute(
                        text("INSERT INTO warehouses (code, name) VALUES (:c, 'x')"),
                        {"c": f"{n}-{i}"},
                    )
            except Exception as exc:
                errors.append(str(exc)[:100])
        engine.dispose()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM warehouses")).scalar() == 75
    engine.dispose()
