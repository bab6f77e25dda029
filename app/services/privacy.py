"""Personal data: each channel's masking policy, the retention period and the purge after it,
and the secret that keys the customer lookup hashes. docs/privacy.md describes the rules."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Select, Table, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from app.db.models import (
    Address,
    Channel,
    Customer,
    CustomerKey,
    Notice,
    Order,
    OrderStatusChange,
    SettingRow,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.errors import NotFound, ValidationError
from app.domain.orders import FINAL
from app.domain.privacy import MaskPolicy, customer_key_texts, lookup_key
from app.domain.users import Actor, Permission
from app.importers.values import digits_of
from app.services.access import open_to_all, reads, writes

#: the secret of the customer lookup keys (hex), made on first use
SECRET_KEY = "privacy.key_secret"
#: days after an order's final state (delivered, returned, cancelled) before its recipient is
#: blanked; 0 keeps personal data for ever
RETENTION_KEY = "privacy.retention_days"
DEFAULT_RETENTION_DAYS = 180
_CHUNK = 900


# --- the channels' masking policies ---------------------------------------------------------------


@dataclass(frozen=True)
class ChannelPolicy:
    code: str
    name: str
    policy: MaskPolicy


@reads
def channel_mask_policies(uow: UnitOfWork) -> list[ChannelPolicy]:
    """Every channel with its masking policy."""
    with uow:
        return [
            ChannelPolicy(c.code, c.name, MaskPolicy.of(c.mask_policy))
            for c in uow.session.scalars(select(Channel).order_by(Channel.code))
        ]


@writes(Permission.MANAGE_SETTINGS)
def set_channel_mask_policy(uow: UnitOfWork, actor: Actor, channel: str, policy: str) -> None:
    """How screens, labels and slips show the recipients of ``channel`` (its code): ewaybill,
    full_name or none."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        try:
            new = MaskPolicy(policy)
        except ValueError:
            raise ValidationError(
                "{policy} is not a masking policy. Choose ewaybill, full_name or none.",
                policy=policy,
            ) from None
        row = uow.session.scalar(select(Channel).where(Channel.code == channel))
        if row is None:
            raise NotFound(what="Channel", key=channel)
        before = MaskPolicy.of(row.mask_policy)
        row.mask_policy = new.value
        uow.audit(
            actor,
            "channel.mask_policy",
            "channel",
            row.code,
            before={"mask_policy": before.value},
            after={"mask_policy": new.value},
        )
        uow.commit()


# --- the lookup-key secret ------------------------------------------------------------------------


def key_secret(session: Session) -> bytes:
    """The database's secret for customer lookup keys; made (and the keys already stored
    recomputed with it) when there is none yet. Read it once per batch, not per row."""
    value = session.scalar(select(SettingRow.value).where(SettingRow.key == SECRET_KEY))
    if value:
        return bytes.fromhex(str(value))
    mine = secrets.token_bytes(32).hex()
    ins = (postgresql if _dialect(session) == "postgresql" else sqlite).insert(SettingRow)
    session.execute(
        ins.values(key=SECRET_KEY, value=mine, updated_at=utcnow()).on_conflict_do_nothing()
    )
    # another station may have made it first (PostgreSQL waits for its commit): theirs holds
    stored = str(session.scalar(select(SettingRow.value).where(SettingRow.key == SECRET_KEY)))
    if stored == mine:
        rekey_customers(session, bytes.fromhex(mine))
    return bytes.fromhex(stored)


@open_to_all
def ensure_key_secret(uow: UnitOfWork) -> None:
    """A start-up step (no operator's action): make the secret, so that a database from before
    it has its keys recomputed once, before any import."""
    with uow:
        if uow.session.get(SettingRow, SECRET_KEY) is None:
            key_secret(uow.session)
            uow.commit()


def rekey_customers(session: Session, secret: bytes) -> int:
    """Store every customer's lookup key again as import makes it with ``secret``: one key per
    customer that had keys (purged customers have none), from the name, phone and e-mail the
    customer was created with. Returns how many keys were written."""
    keyed = select(CustomerKey.customer_id).distinct().scalar_subquery()
    rows = session.execute(
        select(Customer.id, Customer.email, Customer.phone, Customer.name)
        .where(Customer.id.in_(keyed), Customer.purged_at.is_(None))
        .order_by(Customer.id)
    ).all()
    session.execute(delete(CustomerKey))
    new: dict[str, int] = {}
    for cid, email, phone, name in rows:
        texts = customer_key_texts(email or "", digits_of(phone or ""), name or "")
        if texts:
            new.setdefault(lookup_key(secret, texts[0]), cid)
    table = cast(Table, CustomerKey.__table__)
    items = [{"key": k, "customer_id": c} for k, c in new.items()]
    for i in range(0, len(items), 5000):
        session.execute(table.insert(), items[i : i + 5000])
    return len(items)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# --- retention and purge --------------------------------------------------------------------------


@reads
def retention_days(uow: UnitOfWork) -> int:
    """Days personal data is kept after an order's final state; 0 keeps it for ever."""
    with uow:
        return retention_in(uow.session)


def retention_in(session: Session) -> int:
    """``retention_days`` inside an open session."""
    value = session.scalar(select(SettingRow.value).where(SettingRow.key == RETENTION_KEY))
    return DEFAULT_RETENTION_DAYS if value is None else int(value)


@writes(Permission.MANAGE_SETTINGS)
def set_retention_days(uow: UnitOfWork, actor: Actor, days: int) -> None:
    """Keep customers' personal data this many days after an order's final state (0: for ever)."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        if days < 0:
            raise ValidationError(
                "The retention period must be 0 (keep for ever) or more days, not {days}.",
                days=days,
            )
        before = retention_in(uow.session)
        row = uow.session.get(SettingRow, RETENTION_KEY)
        if row is None:
            uow.session.add(SettingRow(key=RETENTION_KEY, value=days))
        else:
            row.value = days
        uow.audit(
            actor,
            "settings.retention_days",
            "settings",
            RETENTION_KEY,
            before={"days": before},
            after={"days": days},
        )
        uow.commit()


@dataclass(frozen=True)
class PurgeResult:
    """What a purge blanked (or, with ``dry_run``, would blank). No personal data."""

    dry_run: bool
    retention_days: int
    #: orders whose final state is older than this were purged (None: retention is off)
    cutoff: datetime | None
    orders: int
    addresses: int
    customers: int
    customer_keys: int


@writes(Permission.MANAGE_SETTINGS)
def purge_personal_data(
    uow: UnitOfWork, actor: Actor, *, dry_run: bool = False, now: datetime | None = None
) -> PurgeResult:
    """Blank the recipients of orders that reached their final state (delivered, returned,
    cancelled) more than the retention period ago: names, phones, e-mail addresses, street
    lines and postal codes of their addresses, and of their customers once every order of the
    customer is purged (whose lookup keys are deleted). Country, province, city and district
    stay for statistics. Sets ``purged_at`` and writes one audit row with the counts."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        s = uow.session
        days = retention_in(s)
        if days <= 0:
            return PurgeResult(dry_run, days, None, 0, 0, 0, 0)
        at = now or utcnow()
        cutoff = at - timedelta(days=days)
        order_ids = list(s.scalars(_due_orders(cutoff)))
        address_ids = _sole_addresses(s, order_ids)
        customer_ids = _finished_customers(s, order_ids)
        keys = _count_keys(s, customer_ids)
        result = PurgeResult(
            dry_run, days, cutoff, len(order_ids), len(address_ids), len(customer_ids), keys
        )
        if dry_run or not order_ids:
            return result
        _blank(s, order_ids, address_ids, customer_ids, at)
        uow.audit(
            actor,
            "privacy.purge",
            "privacy",
            "",
            after={
                "retention_days": days,
                "cutoff": cutoff.isoformat(),
                "orders": result.orders,
                "addresses": result.addresses,
                "customers": result.customers,
                "customer_keys": result.customer_keys,
            },
        )
        uow.commit()
        return result


def _due_orders(cutoff: datetime) -> Select[tuple[int]]:
    """Ids of unpurged orders whose current final state was reached before ``cutoff`` (by the
    status history; an order without one by its last change)."""
    h = aliased(OrderStatusChange)
    reached = (
        select(func.max(h.at))
        .where(h.order_id == Order.id, h.to_status == Order.status)
        .correlate(Order)
        .scalar_subquery()
    )
    return (
        select(Order.id)
        .where(
            Order.purged_at.is_(None),
            Order.status.in_([s.value for s in FINAL]),
            func.coalesce(reached, Order.updated_at) < cutoff,
        )
        .order_by(Order.id)
    )


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _sole_addresses(s: Session, order_ids: list[int]) -> list[int]:
    """The ship addresses of these orders that no order still kept uses (a split shares one)."""
    return _used_only_by(s, Order.ship_address_id, order_ids)


def _finished_customers(s: Session, order_ids: list[int]) -> list[int]:
    """Customers of these orders with no other order that keeps its personal data."""
    return _used_only_by(s, Order.customer_id, order_ids)


def _used_only_by(
    s: Session, column: InstrumentedAttribute[int | None], order_ids: list[int]
) -> list[int]:
    """The values of ``column`` among these orders that no other unpurged order has."""
    due = set(order_ids)
    found: set[int] = set()
    for part in _chunks(order_ids):
        found.update(
            v for v in s.scalars(select(column).where(Order.id.in_(part))) if v is not None
        )
    for part in _chunks(sorted(found)):
        for oid, value in s.execute(
            select(Order.id, column).where(column.in_(part), Order.purged_at.is_(None))
        ):
            if oid not in due:
                found.discard(value)
    return sorted(found)


def _count_keys(s: Session, customer_ids: list[int]) -> int:
    return sum(
        s.scalar(select(func.count()).where(CustomerKey.customer_id.in_(part))) or 0
        for part in _chunks(customer_ids)
    )


#: why a purged order's notice was not sent
PURGED = "personal data purged"


def _blank(
    s: Session, order_ids: list[int], address_ids: list[int], customer_ids: list[int], at: datetime
) -> None:
    blank = {"name": "", "phone": "", "phone_digits": "", "street": "", "street2": ""}
    for part in _chunks(address_ids):
        s.execute(
            update(Address).where(Address.id.in_(part)).values(**blank, postal_code="", company="")
        )
    for part in _chunks(customer_ids):
        s.execute(delete(CustomerKey).where(CustomerKey.customer_id.in_(part)))
        s.execute(
            update(Customer)
            .where(Customer.id.in_(part))
            .values(name="", phone="", email="", purged_at=at)
        )
    for part in _chunks(order_ids):  # their customer notices: the address and the greeting
        s.execute(
            update(Notice)
            .where(Notice.order_id.in_(part), Notice.status.in_(("waiting", "failed")))
            .values(
                status="cancelled", next_attempt_at=None, last_error=PURGED, error_template=PURGED
            )
        )
        s.execute(update(Notice).where(Notice.order_id.in_(part)).values(to_address="", body=""))
    changed = 0
    for part in _chunks(order_ids):
        result = s.execute(
            update(Order)
            .where(Order.id.in_(part), Order.purged_at.is_(None))
            .values(purged_at=at, version=Order.version + 1)
            .execution_options(synchronize_session=False)
        )
        changed += cast(CursorResult[Any], result).rowcount
    if changed != len(order_ids):  # another station purged them meanwhile: let it count them
        s.rollback()
        raise ValidationError("Another station purged personal data at the same time. Run again.")
