"""Conflicts of offline stations: recorded once per journal key by the replayer, listed for a
supervisor, resolved with a note (audited), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.bootstrap import Services
from app.db.models import AuditEntry, SyncConflict
from app.domain.errors import IllegalTransition, PermissionDenied, ValidationError
from app.domain.users import Actor, Role
from app.services import sync_conflicts
from app.services.sync_conflicts import ConflictAlreadyResolved
from tests.conftest import make_actor

CANCELLED = (
    "Order {order} was cancelled at the office while it was packed offline at {station}. "
    "Unpack the parcel and put the items back."
)
AT = datetime(2026, 12, 6, 10, 42, tzinfo=UTC)


def record(services: Services, key: str = "PACK-03:17", **kw: object) -> int:
    args: dict[str, object] = {
        "station_id": services.station_id,
        "key": key,
        "action": "pack.finish",
        "order_number": "PD-1042",
        "message": CANCELLED,
        "values": {"order": "PD-1042", "station": "PACK-03"},
        "happened_at": AT,
        "payload": {"order": "PD-1042", "weight_g": Decimal("812.5"), "at": AT},
    }
    args.update(kw)
    with services.uow() as uow:
        conflict_id = sync_conflicts.record_conflict(uow, **args)  # type: ignore[arg-type]
        uow.commit()
    return conflict_id


def test_a_refused_journal_entry_is_listed_for_a_supervisor_with_its_message_and_payload(
    services: Services, admin: Actor
) -> None:
    conflict_id = record(services)
    boss = make_actor(services, admin, Role.SUPERVISOR)
    (c,) = services.run(sync_conflicts.list_conflicts, boss)
    assert c.id == conflict_id and c.open
    assert (c.station_code, c.action, c.order_number) == ("test-station", "pack.finish", "PD-1042")
    assert c.message == CANCELLED and c.values == {"order": "PD-1042", "station": "PACK-03"}
    assert c.text.startswith("Order PD-1042 was cancelled at the office")
    # what the station sent, kept as JSON keeps it
    assert c.payload == {"order": "PD-1042", "weight_g": "812.5", "at": AT.isoformat()}
    assert c.happened_at == AT


def test_the_same_journal_key_replayed_twice_is_one_conflict(
    services: Services, admin: Actor
) -> None:
    first = record(services)
    again = record(services, message="something else")
    assert again == first
    with services.uow() as uow:
        rows = uow.session.scalar(select(func.count()).select_from(SyncConflict))
        message = uow.session.scalar(select(SyncConflict.message))
    assert (rows, message) == (1, CANCELLED)


def test_resolving_needs_a_note_and_the_permission_and_is_audited(
    services: Services, admin: Actor
) -> None:
    conflict_id = record(services)
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        services.run(sync_conflicts.resolve_conflict, packer, conflict_id, "done")
    with pytest.raises(PermissionDenied):
        services.run(sync_conflicts.list_conflicts, packer)
    with pytest.raises(PermissionDenied):
        services.run(sync_conflicts.count_open_conflicts, packer)
    boss = make_actor(services, admin, Role.SUPERVISOR)
    with pytest.raises(ValidationError):
        services.run(sync_conflicts.resolve_conflict, boss, conflict_id, "   ")

    done = services.run(
        sync_conflicts.resolve_conflict, boss, conflict_id, " Unpacked, items back on A-01 "
    )
    assert not done.open and done.resolved_by == "supervisor-user"
    assert done.resolution_note == "Unpacked, items back on A-01"
    assert services.run(sync_conflicts.list_conflicts, boss) == ()
    (kept,) = services.run(sync_conflicts.list_conflicts, boss, open_only=False)
    assert kept.id == conflict_id and kept.resolved_at is not None
    with services.uow() as uow:
        audit = uow.session.execute(
            select(AuditEntry.username, AuditEntry.entity_id, AuditEntry.note).where(
                AuditEntry.action == "sync.resolve"
            )
        ).all()
    assert [tuple(a) for a in audit] == [
        ("supervisor-user", str(conflict_id), "Unpacked, items back on A-01")
    ]
    with pytest.raises(ConflictAlreadyResolved):
        services.run(sync_conflicts.resolve_conflict, admin, conflict_id, "again")


def test_the_list_shows_the_oldest_action_first_and_all_includes_the_resolved(
    services: Services, admin: Actor
) -> None:
    late = record(services, "k-2", happened_at=AT.replace(hour=11))
    early = record(services, "k-1")
    services.run(sync_conflicts.resolve_conflict, admin, late, "told the customer")
    assert [c.id for c in services.run(sync_conflicts.list_conflicts, admin)] == [early]
    assert services.run(sync_conflicts.count_open_conflicts, admin) == 1
    everything = services.run(sync_conflicts.list_conflicts, admin, open_only=False)
    assert [c.id for c in everything] == [early, late]


def test_a_key_too_long_for_the_table_is_refused(services: Services) -> None:
    with pytest.raises(ValidationError):
        record(services, "k" * 121)


def test_a_refusal_kept_as_template_and_values_reads_as_the_servers_message(
    services: Services, admin: Actor
) -> None:
    refusal = IllegalTransition(order="PD-1042", current="cancelled", target="packed")
    record(
        services,
        message="Order {order}: refused by the shared database: {reason}",
        values={"order": "PD-1042", "reason": sync_conflicts.error_values(refusal)},
    )
    (c,) = services.run(sync_conflicts.list_conflicts, admin)
    assert c.values["reason"] == {
        "template": IllegalTransition.template,
        "values": {"order": "PD-1042", "current": "cancelled", "target": "packed"},
    }
    assert c.text == (
        "Order PD-1042: refused by the shared database: "
        "Order PD-1042 cannot go from cancelled to packed."
    )


def test_a_naive_time_from_the_journal_is_kept_as_utc(services: Services, admin: Actor) -> None:
    record(services, happened_at=AT.replace(tzinfo=None))
    (c,) = services.run(sync_conflicts.list_conflicts, admin)
    assert c.happened_at == AT
