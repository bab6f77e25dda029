"""Sending shipped parcels' tracking to a shop's API through its channel plug-in
(``packdesk channels upload``), and the channel's upload settings (``set-credentials``).

The settings live in the ``settings`` table under ``channels.<code>``: the plug-in, the shop's
address, the access token and the API version (never in code or in files). An upload reads what
is not yet uploaded for the channel (``app.services.tracking_parcels``, recorded under the
plug-in's name), sends each parcel of each channel order outside any database transaction (a
shop that is slow to answer holds no lock), and records each one the shop took in its own unit
of work as soon as it answered: an upload stopped half-way sends nothing twice. What the shop
refused is reported with its reason and tried again next time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert

from app.channels import registry
from app.channels.base import ChannelConfig, ChannelError, Fulfilment, FulfilmentLine
from app.db.models import SettingRow, TrackingExport
from app.db.uow import UnitOfWork
from app.domain.errors import ValidationError
from app.domain.tracking_export import ExportParcel
from app.domain.users import Actor, Permission
from app.services.access import writes
from app.services.tracking_parcels import find_channel, select_parcels


@dataclass(frozen=True)
class UploadFailure:
    channel_order_id: str
    order_number: str
    tracking: str
    error: str


@dataclass(frozen=True)
class UploadReport:
    channel: str
    plugin: str
    uploaded: int
    failed: tuple[UploadFailure, ...]
    #: parcels uploaded before (left out)
    skipped: int


def settings_key(channel_code: str) -> str:
    return f"channels.{channel_code}"


def _config(value: Any, channel: str) -> ChannelConfig:
    v = dict(value) if isinstance(value, dict) else {}
    known = ("plugin", "shop", "token", "api_version", "notify_customer")
    return ChannelConfig(
        channel=channel,
        plugin=str(v.get("plugin", "")),
        shop=str(v.get("shop", "")),
        token=str(v.get("token", "")),
        api_version=str(v.get("api_version", "")),
        notify_customer=bool(v.get("notify_customer", True)),
        extra={k: x for k, x in v.items() if k not in known},
    )


@writes(Permission.MANAGE_SETTINGS)
def set_credentials(
    uow: UnitOfWork,
    actor: Actor,
    channel: str,
    *,
    plugin: str,
    shop: str,
    token: str,
    api_version: str = "",
    notify_customer: bool = True,
) -> str:
    """Save the channel's upload settings; returns the channel's code. The token is audited as
    set, never written to the audit log."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        s = uow.session
        ch = find_channel(s, channel)
        if plugin not in registry.available():
            raise ValidationError(
                "{plugin} is not a channel plug-in on this computer. Use one of: {plugins}.",
                plugin=plugin,
                plugins=", ".join(registry.available()),
            )
        if not shop.strip() or not token.strip():
            raise ValidationError("The shop's address and its access token are both needed.")
        value = {
            "plugin": plugin,
            "shop": shop.strip(),
            "token": token.strip(),
            "api_version": api_version.strip(),
            "notify_customer": notify_customer,
        }
        row = s.get(SettingRow, settings_key(ch.code))
        if row is None:
            s.add(SettingRow(key=settings_key(ch.code), value=value))
        else:
            row.value = value
        shown = {**value, "token": "(set)"}
        uow.audit(actor, "channel.credentials", "channel", ch.code, after=shown)
        uow.commit()
        return ch.code


def _fulfilment(p: ExportParcel, notify: bool) -> Fulfilment:
    return Fulfilment(
        channel_order_id=p.channel_order_id,
        order_number=p.order_number,
        tracking=p.tracking,
        carrier_code=p.carrier_code,
        carrier_name=p.carrier_name,
        tracking_url=p.tracking_url,
        lines=tuple(FulfilmentLine(x.external_line_id, x.sku, x.qty) for x in p.lines),
        notify_customer=notify,
    )


@writes(Permission.SHIP)
def upload_tracking(uow: UnitOfWork, actor: Actor, channel: str) -> UploadReport:
    """Upload the channel's parcels not uploaded yet through its plug-in."""
    with uow:
        uow.require(actor, Permission.SHIP)
        s = uow.session
        ch = find_channel(s, channel)
        code, channel_id = ch.code, ch.id
        row = s.get(SettingRow, settings_key(code))
        config = _config(row.value if row else None, code)
        if not config.plugin:
            raise ValidationError(
                "The channel {channel} has no upload plug-in set. Set it with: packdesk "
                "channels set-credentials --channel {channel} --plugin NAME ...",
                channel=code,
            )
        key = f"upload:{config.plugin}"
        picked = select_parcels(s, channel_id, key, since=None, again=False)
    plugin = registry.plugin(config.plugin, code)
    uploaded, failed = 0, []
    for p in picked.parcels:
        try:
            remote = plugin.upload(_fulfilment(p, config.notify_customer), config)
        except ChannelError as exc:
            failed.append(
                UploadFailure(p.channel_order_id, p.order_number, p.tracking, exc.message)
            )
            continue
        _record(uow, actor, channel_id, key, p, remote)
        uploaded += 1
    return UploadReport(code, config.plugin, uploaded, tuple(failed), picked.skipped)


def _record(
    uow: UnitOfWork, actor: Actor, channel_id: int, key: str, p: ExportParcel, remote: str
) -> None:
    with uow:
        uow.require(actor, Permission.SHIP)
        uow.session.execute(
            insert(TrackingExport),
            [
                {
                    "parcel_id": p.parcel_id,
                    "order_id": p.order_id,
                    "channel_id": channel_id,
                    "channel_order_id": p.channel_order_id,
                    "kind": "upload",
                    "format": key,
                    "file": "",
                    "remote_id": remote[:200],
                    "user_id": actor.user_id,
                }
            ],
        )
        uow.audit(
            actor, "tracking.upload", "parcel", p.tracking,
            after={"channel_order_id": p.channel_order_id, "remote_id": remote},
        )  # fmt: skip
        uow.commit()
