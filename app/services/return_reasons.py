"""The return reasons a clerk picks from (``return_reasons``): listed in their order, added,
renamed and disabled by someone who may change settings. A disabled reason is kept (old returns
still name it) and no longer offered."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from app.db.models import ReturnReason
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.returns import DEFAULT_REASONS
from app.domain.users import Actor, Permission
from app.services.access import reads, writes
from app.services.returns_state import ensure_reasons

_CODE = re.compile(r"^[A-Z0-9_]{1,32}$")


@dataclass(frozen=True)
class ReasonInfo:
    code: str
    name_en: str
    name_zh: str
    active: bool
    position: int

    def name(self, language: str) -> str:
        """The name in ``language`` (zh...: Chinese), the other one when it is empty."""
        zh = language.lower().startswith("zh")
        return (self.name_zh if zh else self.name_en) or self.name_en or self.name_zh or self.code


def _info(r: ReturnReason) -> ReasonInfo:
    return ReasonInfo(r.code, r.name_en, r.name_zh, r.active, r.position)


@reads
def list_reasons(uow: UnitOfWork, *, include_disabled: bool = False) -> tuple[ReasonInfo, ...]:
    with uow:
        stmt = select(ReturnReason).order_by(ReturnReason.position, ReturnReason.id)
        if not include_disabled:
            stmt = stmt.where(ReturnReason.active.is_(True))
        found = tuple(_info(r) for r in uow.session.scalars(stmt))
        if found or uow.session.scalar(select(func.count()).select_from(ReturnReason)):
            return found
        return tuple(  # an empty list gets the defaults on first use (ensure_reasons)
            ReasonInfo(c, en, zh, True, i * 10)
            for i, (c, en, zh) in enumerate(DEFAULT_REASONS, start=1)
        )


@writes(Permission.MANAGE_SETTINGS)
def add_reason(
    uow: UnitOfWork, actor: Actor, code: str, name_en: str, name_zh: str = ""
) -> ReasonInfo:
    """A new reason at the end of the list, or a disabled one enabled and renamed again."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        key = code.strip().upper()
        if not _CODE.match(key):
            raise ValidationError(
                "A reason code is 1 to 32 letters, digits or _ (it was {code}).", code=code
            )
        if not name_en.strip() and not name_zh.strip():
            raise ValidationError("Give the reason a name in English or Chinese.")
        s = uow.session
        ensure_reasons(s)
        row = s.scalar(select(ReturnReason).where(ReturnReason.code == key))
        if row is not None and row.active:
            raise ValidationError("The reason {code} exists already.", code=key)
        if row is None:
            last = s.scalar(select(func.max(ReturnReason.position))) or 0
            row = ReturnReason(code=key, position=last + 10)
            s.add(row)
        row.name_en, row.name_zh, row.active = name_en.strip(), name_zh.strip(), True
        s.flush()
        uow.audit(
            actor,
            "return_reason.add",
            "return_reason",
            key,
            after={"en": row.name_en, "zh": row.name_zh},
        )
        info = _info(row)
        uow.commit()
        return info


@writes(Permission.MANAGE_SETTINGS)
def disable_reason(uow: UnitOfWork, actor: Actor, code: str) -> ReasonInfo:
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        key = code.strip().upper()
        ensure_reasons(uow.session)
        row = uow.session.scalar(select(ReturnReason).where(ReturnReason.code == key))
        if row is None:
            raise ValidationError("There is no return reason {code}.", code=key)
        row.active = False
        uow.audit(actor, "return_reason.disable", "return_reason", key)
        info = _info(row)
        uow.commit()
        return info
