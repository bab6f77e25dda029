"""Reading and saving the packing settings (``app.domain.pack_settings``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.models import SettingRow
from app.db.uow import UnitOfWork
from app.domain.pack_settings import SETTINGS_KEY, PackSettings
from app.domain.users import Actor, Permission
from app.services.access import reads, writes


def settings_in(session: Session) -> PackSettings:
    row = session.get(SettingRow, SETTINGS_KEY)
    return PackSettings.from_json(row.value if row else None)


@reads
def get_pack_settings(uow: UnitOfWork) -> PackSettings:
    with uow:
        return settings_in(uow.session)


@writes(Permission.MANAGE_SETTINGS)
def save_pack_settings(uow: UnitOfWork, actor: Actor, new: PackSettings) -> PackSettings:
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        row = uow.session.get(SettingRow, SETTINGS_KEY)
        before = row.value if row else None
        if row is None:
            uow.session.add(SettingRow(key=SETTINGS_KEY, value=new.to_json()))
        else:
            row.value = new.to_json()
        uow.audit(
            actor, "settings.packing", "setting", SETTINGS_KEY, before=before, after=new.to_json()
        )
        uow.commit()
        return new
