"""The sort wall's settings (its size and the text of its slot barcodes) and the printable slot
label sheet.

The settings live in the shared ``settings`` table under ``sort_wall.*``: ``rows``, ``columns``,
``prefix``, and ``slots`` (rows x columns, written with them: wave planning reads it to limit
the orders of a pick-then-sort batch).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import SettingRow
from app.db.uow import UnitOfWork
from app.domain.errors import PackdeskError
from app.domain.sort_wall import WallSettings
from app.domain.users import Actor, Permission
from app.labels import sort_wall_labels
from app.services.access import reads, writes

KEY_ROWS = "sort_wall.rows"
KEY_COLUMNS = "sort_wall.columns"
KEY_PREFIX = "sort_wall.prefix"
#: rows x columns: the number of orders a pick-then-sort batch may hold
KEY_SLOTS = "sort_wall.slots"
KEYS = (KEY_ROWS, KEY_COLUMNS, KEY_PREFIX, KEY_SLOTS)


def read_wall_settings(session: Session) -> WallSettings:
    """The stored settings; the defaults (4 x 6, ``WALL-``) where nothing or nonsense is stored."""
    values = dict(
        session.execute(select(SettingRow.key, SettingRow.value).where(SettingRow.key.in_(KEYS)))
        .tuples()
        .all()
    )
    default = WallSettings()
    try:
        return WallSettings(
            rows=int(values.get(KEY_ROWS, default.rows)),
            columns=int(values.get(KEY_COLUMNS, default.columns)),
            prefix=str(values.get(KEY_PREFIX, default.prefix)),
        )
    except (PackdeskError, TypeError, ValueError):
        return default


def _as_dict(settings: WallSettings) -> dict[str, Any]:
    return {
        "rows": settings.rows,
        "columns": settings.columns,
        "prefix": settings.prefix,
        "slots": settings.slots,
    }


@reads
def wall_settings(uow: UnitOfWork) -> WallSettings:
    """The sort wall's size and slot barcode prefix."""
    with uow:
        return read_wall_settings(uow.session)


@writes(Permission.MANAGE_SETTINGS)
def set_wall_settings(
    uow: UnitOfWork, actor: Actor, *, rows: int, columns: int, prefix: str
) -> WallSettings:
    """Change the wall's size and slot barcode prefix (checked first); audited."""
    new = WallSettings(rows=rows, columns=columns, prefix=prefix.strip().upper())
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        s = uow.session
        before = read_wall_settings(s)
        values = {
            KEY_ROWS: new.rows,
            KEY_COLUMNS: new.columns,
            KEY_PREFIX: new.prefix,
            KEY_SLOTS: new.slots,
        }
        for key, value in values.items():
            row = s.get(SettingRow, key)
            if row is None:
                s.add(SettingRow(key=key, value=value))
            else:
                row.value = value
        uow.audit(
            actor,
            "settings.change",
            "settings",
            "sort_wall",
            before=_as_dict(before),
            after=_as_dict(new),
        )
        uow.commit()
        return new


@reads
def slot_label_sheet(uow: UnitOfWork, actor: Actor) -> bytes:
    """The wall's slot labels as an A4 PDF: one big Code 128 per slot with its number."""
    with uow:
        uow.require(actor, Permission.VIEW_ORDERS)
        settings = read_wall_settings(uow.session)
    return sort_wall_labels.slot_sheet(settings)
