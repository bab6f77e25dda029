"""Delivery tracking settings: saved column mappings of carrier status files (by name), and N of
the "no scan for N days" rule. Both live in the settings table, shared by every station."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import SettingRow
from app.db.uow import UnitOfWork
from app.domain.delivery import STALE_DAYS_KEY, stale_days
from app.domain.errors import PackdeskError, ValidationError
from app.domain.users import Actor, Permission
from app.importers.tracking_status_file import StatusMapping
from app.services.access import reads, writes

#: a saved mapping's settings key is this followed by its name
MAPPING_PREFIX = "delivery.mapping."


class UnknownStatusMapping(PackdeskError):
    template = (
        "There is no status file mapping named {name}. Choose one of: {names}, or leave the "
        "mapping out to have the columns found from the header."
    )


def stale_days_in(session: Session) -> int:
    row = session.get(SettingRow, STALE_DAYS_KEY)
    return stale_days(row.value if row else None)


def mapping_in(session: Session, name: str) -> StatusMapping:
    row = session.get(SettingRow, MAPPING_PREFIX + name.strip())
    if row is None or not isinstance(row.value, dict):
        names = ", ".join(_names(session)) or "(none saved yet)"
        raise UnknownStatusMapping(name=name, names=names)
    return StatusMapping.from_json(row.value)


def _names(session: Session) -> list[str]:
    keys = session.scalars(
        select(SettingRow.key).where(SettingRow.key.startswith(MAPPING_PREFIX)).order_by("key")
    )
    return [k.removeprefix(MAPPING_PREFIX) for k in keys]


@reads
def get_stale_days(uow: UnitOfWork) -> int:
    with uow:
        return stale_days_in(uow.session)


@writes(Permission.MANAGE_SETTINGS)
def save_stale_days(uow: UnitOfWork, actor: Actor, days: int) -> int:
    """N of the no-scan rule (1 to 60 days); audited."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        if not 1 <= days <= 60:
            raise ValidationError("The days without a scan are a whole number from 1 to 60.")
        row = uow.session.get(SettingRow, STALE_DAYS_KEY)
        before = row.value if row else None
        if row is None:
            uow.session.add(SettingRow(key=STALE_DAYS_KEY, value=days))
        else:
            row.value = days
        uow.audit(
            actor,
            "settings.delivery",
            "setting",
            STALE_DAYS_KEY,
            before={"days": before},
            after={"days": days},
        )
        uow.commit()
        return days


@reads
def status_mapping_names(uow: UnitOfWork, actor: Actor) -> list[str]:
    with uow:
        uow.require(actor, Permission.SHIP)
        return _names(uow.session)


@writes(Permission.SHIP)
def save_status_mapping(
    uow: UnitOfWork, actor: Actor, name: str, mapping: StatusMapping
) -> StatusMapping:
    """Create or replace the status file mapping ``name``; audited."""
    with uow:
        uow.require(actor, Permission.SHIP)
        name = name.strip()
        if not name or len(name) > 60:
            raise ValidationError("A mapping name is 1 to 60 characters.")
        missing = mapping.missing()
        if missing:
            raise ValidationError(
                "Choose the columns for {missing} before saving the mapping.",
                missing=", ".join(missing),
            )
        key = MAPPING_PREFIX + name
        row = uow.session.get(SettingRow, key)
        before = row.value if row else None
        if row is None:
            uow.session.add(SettingRow(key=key, value=mapping.to_json()))
        else:
            row.value = mapping.to_json()
        uow.audit(actor, "delivery.mapping", "setting", key, before=before, after=mapping.to_json())
        uow.commit()
        return mapping
