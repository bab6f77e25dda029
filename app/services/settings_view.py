"""What the Settings screen shows, read in one go off the UI thread: every warehouse-wide
setting that has a home there (docs/settings.md). Each section is saved by the service that
owns it (``allocation.set_allocation_settings``, ``order_checks.save_settings``,
``privacy.set_channel_mask_policy`` / ``set_retention_days``, ``handover_cutoffs.set_cutoff``,
``notice_settings.save_smtp_settings``, ``pack_settings.save_pack_settings``,
``settings_logo.set_shop_logo``); each of them checks the permission and writes the audit row.

Also the database's schema revision for the About dialog (``schema_status``)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from app.db.migrate import current_heads, script_heads
from app.db.models import Carrier, Channel
from app.db.uow import UnitOfWork
from app.domain.allocation import AllocationRules
from app.domain.check_settings import CheckSettings
from app.domain.notices import SmtpSettings
from app.domain.pack_settings import PackSettings
from app.domain.privacy import MaskPolicy
from app.domain.users import Actor, Permission
from app.services import allocation, order_checks, pack_settings, privacy
from app.services.access import reads
from app.services.notice_settings import HIDDEN
from app.services.notice_store import smtp_settings_in
from app.services.privacy import ChannelPolicy
from app.services.settings_logo import ShopLogo, logo_in


@dataclass(frozen=True)
class CarrierCutoff:
    code: str
    name: str
    #: "HH:MM" or ""
    cutoff: str


@dataclass(frozen=True)
class WarehouseSettings:
    """Every section of the Settings screen, as stored (defaults where nothing is)."""

    allocation: AllocationRules
    checks: CheckSettings
    channels: tuple[ChannelPolicy, ...]
    retention_days: int
    cutoffs: tuple[CarrierCutoff, ...]
    #: the password is shown as ``notice_settings.HIDDEN`` when one is saved
    smtp: SmtpSettings
    pack: PackSettings
    logo: ShopLogo | None


@reads
def warehouse_settings(uow: UnitOfWork, actor: Actor) -> WarehouseSettings:
    """All the warehouse-wide settings (for a user who may change them)."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        s = uow.session
        smtp = smtp_settings_in(s)
        carriers = s.scalars(select(Carrier).where(Carrier.active.is_(True)).order_by(Carrier.code))
        return WarehouseSettings(
            allocation=allocation.read_rules(s),
            checks=order_checks.settings_in(s),
            channels=tuple(
                ChannelPolicy(c.code, c.name, MaskPolicy.of(c.mask_policy))
                for c in s.scalars(select(Channel).order_by(Channel.code))
            ),
            retention_days=privacy.retention_in(s),
            cutoffs=tuple(CarrierCutoff(c.code, c.name, c.cutoff_time or "") for c in carriers),
            smtp=replace(smtp, password=HIDDEN if smtp.password else ""),
            pack=pack_settings.settings_in(s),
            logo=logo_in(s),
        )


@dataclass(frozen=True)
class SchemaStatus:
    """The connected database's schema revision against the newest this program knows."""

    current: tuple[str, ...]
    head: tuple[str, ...]

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


@reads
def schema_status(uow: UnitOfWork) -> SchemaStatus:
    """The Alembic revision the database is at, and the one this program's migrations end at."""
    with uow:
        return SchemaStatus(current_heads(uow.session.connection()), script_heads())
