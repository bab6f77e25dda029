"""The claim on PostgreSQL is one statement (app/services/pick_claim_pg.py): it gives the same
batch, in the same order, as the claim SQLite makes in two (read, then write), writes the same
audit row, and still refuses a disabled picker or one whose role changed, claiming nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, insert, select, update

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Cart,
    Location,
    PickBatch,
    PickTask,
    Product,
    User,
    Warehouse,
    Wave,
)
from app.domain.errors import AccountDisabled, PermissionDenied
from app.domain.users import Actor, Role
from app.services import auth, pick_claim
from tests.conftest import make_actor

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
#: wave id -> (priority, cut-off, created minutes after T0); the claiming order of their free
#: batches is 3 (priority 2), 4 (priority 1, cut-off 11:00), 2 (14:00, older), 5 (14:00,
#: newer), 1 (priority 0, no cut-off)
WAVES = {
    1: (0, "", 0),
    2: (1, "14:00", 10),
    3: (2, "16:00", 20),
    4: (1, "11:00", 30),
    5: (1, "14:00", 40),
}
ORDER = [3, 4, 2, 5, 1]
BATCHES_PER_WAVE = 3


def _warehouse(services: Services, pickers: list[Actor]) -> dict[tuple[int, int], int]:
    """Released waves of three ready batches each (five tasks: one done, one cancelled);
    returns (wave id, batch number) -> batch id. Batch 2 of wave 2 is assigned to picker 1."""
    ids: dict[tuple[int, int], int] = {}
    with services.uow() as uow:
        s = uow.session
        s.execute(insert(Warehouse), [{"id": 1, "code": "WH1", "name": "Main"}])
        s.execute(
            insert(Location),
            [{"id": 1, "warehouse_id": 1, "code": "A-1", "barcode": "L1", "zone": "A"}],
        )
        s.execute(insert(Product), [{"id": 1, "sku": "SKU-1", "name": "Item"}])
        s.execute(insert(Cart), [{"id": 1, "code": "C12", "tote_slots": 12}])
        for w, (priority, cutoff, minutes) in WAVES.items():
            s.execute(
                insert(Wave),
                [
                    {
                        "id": w,
                        "number": f"W{w:06d}",
                        "warehouse_id": 1,
                        "status": "released",
                        "priority": priority,
                        "cutoff": cutoff,
                        "cart_id": 1,
                        "created_at": T0 + timedelta(minutes=minutes),
                    }
                ],
            )
            for n in (3, 1, 2):  # not in number order on disk
                batch = s.scalar(
                    insert(PickBatch)
                    .values(wave_id=w, number=n, status="ready", cart_id=1, planned_m=10.0 * n)
                    .returning(PickBatch.id)
                )
                assert batch is not None
                ids[(w, n)] = batch
                for seq, status in enumerate(("done", "cancelled", "open", "open", "open")):
                    s.execute(
                        insert(PickTask).values(
                            batch_id=batch,
                            seq=seq,
                            location_id=1,
                            product_id=1,
                            qty=1,
                            status=status,
                        )
                    )
        s.execute(
            update(PickBatch)
            .where(PickBatch.id == ids[(2, 2)])
            .values(assigned_to=pickers[1].user_id)
        )
        uow.commit()
    return ids


def _reference(services: Services, actor: Actor) -> tuple[int, str] | None:
    """The batch the read-then-write claim (SQLite's) gives now, rolled back."""
    with services.uow() as uow:
        got = pick_claim._claim_in_two(uow, actor)
        uow.rollback()
    return None if got is None else (got.batch_id, got.how)


def test_on_postgresql_the_one_statement_claim_gives_the_batch_the_two_statement_claim_gives(
    pg_only_services: Services,
) -> None:
    services = pg_only_services
    admin = _admin(services)
    pickers = [make_actor(services, admin, Role.PICKER, f"picker-{i}") for i in range(3)]
    ids = _warehouse(services, pickers)
    label = {b: f"W{w:06d}-{n}" for (w, n), b in ids.items()}
    seen: list[tuple[int, str]] = []
    claims = [pickers[0], pickers[1], pickers[0], pickers[2], pickers[1]]
    claims += [pickers[2]] * 2 + [pickers[0], pickers[2]]
    for picker in claims:
        expected = _reference(services, picker)
        got = services.run(pick_claim.get_work, picker)
        assert got is not None and expected == (got.batch_id, got.how), (picker.username, seen)
        assert got.label == label[got.batch_id] and (got.tasks, got.tasks_done) == (4, 1)
        seen.append((got.batch_id, got.how))
        if picker is pickers[2]:  # picker 2 walks each batch; the others keep theirs
            _picked(services, got.batch_id)
    free_order = [ids[(w, n)] for w in ORDER for n in (1, 2, 3) if (w, n) != (2, 2)]
    assert seen == [
        (free_order[0], "next"),
        (ids[(2, 2)], "assigned"),
        (free_order[0], "resumed"),
        (free_order[1], "next"),
        (ids[(2, 2)], "resumed"),
        (free_order[2], "next"),
        (free_order[3], "next"),
        (free_order[0], "resumed"),
        (free_order[4], "next"),
    ]
    rest: list[int] = []
    while (expected := _reference(services, pickers[2])) is not None:
        got = services.run(pick_claim.get_work, pickers[2])
        assert got is not None and expected == (got.batch_id, got.how)
        rest.append(got.batch_id)
        _picked(services, got.batch_id)
    assert rest == free_order[5:] and services.run(pick_claim.get_work, pickers[2]) is None


def test_a_picker_with_two_batches_in_progress_resumes_the_one_claimed_first_on_both_backends(
    services: Services, admin: Actor
) -> None:
    pickers = [make_actor(services, admin, Role.PICKER, f"picker-{i}") for i in range(2)]
    ids = _warehouse(services, pickers)
    first, second = ids[(1, 3)], ids[(5, 1)]
    with services.uow() as uow:  # a supervisor freed and re-assigned work in between
        for batch, minutes in ((first, 5), (second, 1)):
            uow.session.execute(
                update(PickBatch)
                .where(PickBatch.id == batch)
                .values(
                    status="picking",
                    claimed_by=pickers[0].user_id,
                    claimed_at=T0 + timedelta(minutes=minutes),
                    started_at=T0,
                )
            )
        uow.commit()
    got = services.run(pick_claim.get_work, pickers[0])
    assert got is not None and (got.batch_id, got.how) == (second, "resumed")
    assert got.claimed_at == T0 + timedelta(minutes=1) and got.started_at == T0


def test_on_postgresql_a_claim_is_one_autocommitted_statement_writing_the_usual_audit_row(
    pg_only_services: Services,
) -> None:
    services = pg_only_services
    admin = _admin(services)
    pickers = [make_actor(services, admin, Role.PICKER, f"picker-{i}") for i in range(2)]
    ids = _warehouse(services, pickers)
    statements: list[tuple[str, bool]] = []

    def count(conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        # autocommit: the statement is its own transaction (no BEGIN and COMMIT round trips)
        statements.append((sql, conn.connection.dbapi_connection.autocommit))

    event.listen(services.engine, "before_cursor_execute", count)
    try:
        got = services.run(pick_claim.get_work, pickers[1])
    finally:
        event.remove(services.engine, "before_cursor_execute", count)
    assert got is not None and got.batch_id == ids[(2, 2)] and got.how == "assigned"
    assert len(statements) == 1 and statements[0][1], statements
    with services.uow() as uow:
        s = uow.session
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "batch.claim")).one()
        batch = s.get(PickBatch, got.batch_id)
        wave = s.get(Wave, 2)
        assert (audit.user_id, audit.username, audit.station_id) == (
            pickers[1].user_id,
            "picker-1",
            services.station_id,
        )
        assert (audit.entity_type, audit.entity_id, audit.note) == (
            "pick_batch",
            "W000002-2",
            "assigned",
        )
        assert (audit.before, audit.after) == (None, None) and audit.at == got.claimed_at
        uow.audit(pickers[1], "batch.claim", "pick_batch", "reference", note="next")
        uow.session.flush()
        stored = s.execute(
            select(func.jsonb_typeof(AuditEntry.before), func.jsonb_typeof(AuditEntry.after))
            .where(AuditEntry.action == "batch.claim")
            .order_by(AuditEntry.id)
        ).all()
        assert stored[0] == stored[1], "the claim's audit row differs from UnitOfWork.audit's"
        assert batch is not None and batch.claimed_station_id == services.station_id
        assert (batch.status, batch.claimed_by, batch.version) == ("picking", pickers[1].user_id, 2)
        assert wave is not None and (wave.status, wave.version) == ("picking", 2)


@pytest.mark.parametrize("change", ["disabled", "now a packer"])
def test_a_picker_disabled_or_moved_to_another_role_is_refused_and_claims_nothing(
    services: Services, admin: Actor, change: str
) -> None:
    pickers = [make_actor(services, admin, Role.PICKER, f"picker-{i}") for i in range(2)]
    _warehouse(services, pickers)
    values = {"active": False} if change == "disabled" else {"role": Role.PACKER.value}
    with services.uow() as uow:
        uow.session.execute(update(User).where(User.id == pickers[0].user_id).values(**values))
        uow.commit()
    refusal = AccountDisabled if change == "disabled" else PermissionDenied
    with pytest.raises(refusal):
        services.run(pick_claim.get_work, pickers[0])
    with services.uow() as uow:
        s = uow.session
        assert s.scalar(select(PickBatch.id).where(PickBatch.status != "ready")) is None
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "batch.claim")) is None
        assert s.scalar(select(Wave.id).where(Wave.status != "released")) is None
    got = services.run(pick_claim.get_work, pickers[1])  # the others still get work
    assert got is not None and got.how == "assigned"


def test_a_system_actor_claims_the_first_free_batch_on_both_backends(
    services: Services, admin: Actor
) -> None:
    pickers = [make_actor(services, admin, Role.PICKER, f"picker-{i}") for i in range(2)]
    ids = _warehouse(services, pickers)
    system = Actor(None, "station-operator", Role.SUPERVISOR, services.station_id)
    got = services.run(pick_claim.get_work, system)
    assert got is not None and (got.batch_id, got.how) == (ids[(3, 1)], "next")
    with services.uow() as uow:
        batch = uow.session.get(PickBatch, got.batch_id)
        assert batch is not None and (batch.status, batch.claimed_by) == ("picking", None)


def _picked(services: Services, batch_id: int) -> None:
    with services.uow() as uow:
        uow.session.execute(
            update(PickBatch).where(PickBatch.id == batch_id).values(status="picked")
        )
        uow.commit()


def _admin(services: Services) -> Actor:
    services.run(auth.create_first_admin, "admin", "correct-horse-9", services.station_id)
    return services.run(
        auth.login, "admin", "correct-horse-9", services.station_id, services.station_code
    )
