"""The keys of applied station actions are kept ``KEEP_DAYS`` days, then pruned (audited); a
journal entry that waited longer is never replayed blindly but shown to the supervisor as a
conflict, because the database can no longer tell whether it was applied."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from app.bootstrap import Services
from app.db.models import AppliedAction, AuditEntry, PackItem, utcnow
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.users import Actor, Role
from app.services import offline_keys, sync_conflicts
from tests.conftest import make_actor
from tests.integration.offline_fixtures import Outage, outage, proxy  # noqa: F401


def _keys(services: Services) -> set[str]:
    with services.uow() as uow:
        return set(uow.session.scalars(select(AppliedAction.key)))


def test_keys_older_than_the_kept_days_are_pruned_and_the_prune_is_audited(
    services: Services, admin: Actor
) -> None:
    now = utcnow()
    with services.uow() as uow:
        uow.session.execute(
            insert(AppliedAction),
            [
                {"key": f"k-{age}", "action": "pack.scan", "applied_at": now - timedelta(days=age)}
                for age in (0, 29, 31, 400)
            ],
        )
        uow.commit()
    pruned = services.run(offline_keys.prune_applied_keys, admin, now=now)
    assert (pruned.days, pruned.deleted) == (offline_keys.KEEP_DAYS, 2)
    assert _keys(services) == {"k-0", "k-29"}
    again = services.run(offline_keys.prune_applied_keys, admin, now=now)
    assert again.deleted == 0
    with services.uow() as uow:
        audits = uow.session.scalars(
            select(AuditEntry.after).where(AuditEntry.action == "offline.prune_keys")
        ).all()
    assert len(audits) == 1 and audits[0] is not None and audits[0]["deleted"] == 2

    with pytest.raises(ValidationError, match="at least 1 day"):
        services.run(offline_keys.prune_applied_keys, admin, days=0)
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        services.run(offline_keys.prune_applied_keys, packer)
    assert _keys(services) == {"k-0", "k-29"}


@pytest.mark.postgres
def test_an_entry_that_waited_past_the_kept_days_is_a_conflict_not_replayed(
    outage: Outage,  # noqa: F811 (the fixture, imported)
) -> None:
    o = outage
    station, session_id = o.one_scan_journaled()
    assert station.offline is not None

    o.clock.advance(days=offline_keys.KEEP_DAYS, minutes=1)
    state, entry = o.back_with_one_entry(station)
    assert not state.offline and state.waiting == 0 and state.conflicts == 1
    assert entry.status == "conflict"
    shown = o.office.run(sync_conflicts.list_conflicts, o.admin)
    assert [c.key for c in shown] == [entry.key]
    assert f"more than {offline_keys.KEEP_DAYS} days" in shown[0].text
    # the short reason is kept as template and values (the screen translates it); the
    # station's journal keeps it as text
    assert shown[0].values["reason"] == {
        "template": "kept offline for more than {days} days",
        "values": {"days": offline_keys.KEEP_DAYS},
    }
    assert entry.error == f"kept offline for more than {offline_keys.KEEP_DAYS} days"
    with o.office.uow() as uow:  # the scan was not applied: nothing verified in the session
        n = uow.session.scalar(
            select(func.count(PackItem.id)).where(PackItem.session_id == session_id)
        )
        assert n == 0
    station.close()
