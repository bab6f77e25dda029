"""Reading a pack session's state in two statements (the item scan runs this every time).

1. the session, its order, its channel, the packing and scan-pattern settings and the acting
   user's row (scalar subqueries: no round trip of their own), with the parcels not voided (an
   outer join: one row per parcel), each with its open weight exception and the names of its
   carton, carrier and service;
2. the order's lines (with their products), the lots their units were picked in, the units
   verified and the active package types, as one ``UNION ALL`` of tagged rows padded to one
   shape.

The statements are built once (building and keying a statement costs more than running it on
SQLite) and run with bound values. ``pack_state.load`` is the entry point.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Integer,
    Numeric,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from app.db.models import (
    Carrier,
    CarrierService,
    Channel,
    Lot,
    Order,
    OrderLine,
    PackageType,
    PackException,
    PackItem,
    PackSession,
    Parcel,
    Product,
    Reservation,
    SettingRow,
    StockLevel,
    User,
)
from app.domain.cartons import Carton
from app.domain.pack_settings import SETTINGS_KEY, PackSettings
from app.services import scanning

P_VOIDED = "voided"


def _setting(key: str) -> Any:
    return select(SettingRow.value).where(SettingRow.key == key).scalar_subquery()


_NI = cast(null(), Integer)
_NS = cast(null(), String)
_NN = cast(null(), Numeric(12, 2))


def _i(col: Any) -> Any:
    return cast(col, Integer)


# kind, i1..i10, t1..t3, num: every part of the union has this shape
_LINE_PART = (
    select(
        literal("line"),
        OrderLine.id,
        OrderLine.product_id,
        OrderLine.qty,
        Product.weight_g,
        Product.length_mm,
        Product.width_mm,
        Product.height_mm,
        _i(Product.serial_tracked),
        _i(Product.lot_tracked),
        OrderLine.line_no,
        cast(OrderLine.sku, String),
        cast(func.coalesce(Product.name, OrderLine.name), String),
        cast(Product.image_path, String),
        cast(OrderLine.unit_price, Numeric(12, 2)),
    )
    .outerjoin(Product, Product.id == OrderLine.product_id)
    .where(OrderLine.order_id == bindparam("oid"), OrderLine.requires_shipping, OrderLine.qty > 0)
)
_LOT_PART = (
    select(
        literal("lot"),
        Reservation.order_line_id,
        Lot.id,
        _i(func.sum(Reservation.qty)),
        _NI,
        _NI,
        _NI,
        _NI,
        _NI,
        _NI,
        _NI,
        cast(Lot.lot_number, String),
        _NS,
        _NS,
        _NN,
    )
    .join(OrderLine, OrderLine.id == Reservation.order_line_id)
    .join(Product, Product.id == OrderLine.product_id)
    .join(StockLevel, StockLevel.id == Reservation.stock_level_id)
    .join(Lot, Lot.id == StockLevel.lot_id)
    .where(
        OrderLine.order_id == bindparam("oid"),
        OrderLine.requires_shipping,
        OrderLine.qty > 0,
        Product.lot_tracked,
    )
    .group_by(Reservation.order_line_id, Lot.id, Lot.lot_number)
)
_ITEM_PART = (
    select(
        literal("item"),
        PackItem.id,
        PackItem.product_id,
        PackItem.qty,
        PackItem.parcel_id,
        PackItem.order_line_id,
        PackItem.lot_id,
        _i(PackItem.forced),
        _NI,
        _NI,
        _NI,
        cast(Lot.lot_number, String),
        cast(PackItem.serial, String),
        _NS,
        _NN,
    )
    .join(Parcel, Parcel.id == PackItem.parcel_id)
    .outerjoin(Lot, Lot.id == PackItem.lot_id)
    .where(Parcel.order_id == bindparam("oid"), PackItem.voided_at.is_(None))
)
_CARTON_PART = select(
    literal("carton"),
    PackageType.id,
    PackageType.inner_length_mm,
    PackageType.inner_width_mm,
    PackageType.inner_height_mm,
    PackageType.tare_g,
    PackageType.max_weight_g,
    _NI,
    _NI,
    _NI,
    _NI,
    cast(PackageType.code, String),
    cast(PackageType.name, String),
    cast(PackageType.kind, String),
    _NN,
).where(PackageType.active)
BODY = union_all(_LINE_PART, _LOT_PART, _ITEM_PART, _CARTON_PART)
BODY_KINDS = frozenset({"line", "lot", "item", "carton"})


def _scan_part(part: Any) -> Any:
    """A part of the scan's look-up (``scanning.lookup_parts``: kind, id, code, label, qty,
    key) padded to the body's shape: kind, i1 = id, i2 = qty, t1..t3 = code, label, key."""
    kind, id_, code, label, qty, key = list(part.subquery().c)
    return select(
        cast(kind, String),
        _i(id_),
        _i(qty),
        *[_NI] * 8,
        cast(code, String),
        cast(label, String),
        cast(key, String),
        _NN,
    )


#: the body and, in the same statement, the scan's look-up (bound ``text`` and ``keys``): the
#: item scan's classification costs no round trip of its own
BODY_AND_SCAN = union_all(
    _LINE_PART, _LOT_PART, _ITEM_PART, _CARTON_PART, *map(_scan_part, scanning.lookup_parts())
)

_SVC = aliased(CarrierService)
_PARCEL_JOIN = and_(Parcel.order_id == PackSession.order_id, Parcel.status != P_VOIDED)
#: the session with its order, settings and parcels, and the acting user's row (``uid``; NULL
#: for a system actor): one row per parcel not voided (one row with no parcel when there is none)
HEAD = (
    select(
        PackSession,
        Order,
        Channel.name,
        Channel.mask_policy,
        _setting(SETTINGS_KEY),
        _setting(scanning.PATTERNS_KEY),
        select(User.active).where(User.id == bindparam("uid")).scalar_subquery(),
        select(User.role).where(User.id == bindparam("uid")).scalar_subquery(),
        Parcel,
        PackException,
        PackageType.code,
        PackageType.name,
        Carrier.name,
        _SVC.name,
    )
    .join(Order, Order.id == PackSession.order_id)
    .join(Channel, Channel.id == Order.channel_id)
    .outerjoin(Parcel, _PARCEL_JOIN)
    .outerjoin(
        PackException,
        and_(
            PackException.parcel_id == Parcel.id,
            PackException.session_id == PackSession.id,
            PackException.kind == "weight",
            PackException.resolved_at.is_(None),
        ),
    )
    .outerjoin(PackageType, PackageType.id == Parcel.package_type_id)
    .outerjoin(Carrier, Carrier.id == Parcel.carrier_id)
    .outerjoin(_SVC, _SVC.id == Parcel.carrier_service_id)
    .where(PackSession.id == bindparam("sid"))
    .order_by(Parcel.seq, PackException.id)
)


def settings_of(value: Any) -> PackSettings:
    return PackSettings.from_json(value)


class Body:
    """The rows of ``BODY`` sorted by kind: plain tuples for ``pack_state`` to build from."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.lines: list[Any] = []
        self.lots: list[Any] = []
        self.items: list[Any] = []
        self.cartons: list[tuple[Carton, str]] = []
        #: the scan's look-up rows as ``scanning`` reads them: (kind, id, code, label, qty, key)
        self.scan: list[tuple[Any, ...]] = []
        for r in rows:
            kind = r[0]
            if kind not in BODY_KINDS:
                self.scan.append((kind, r[1], r[11], r[12], r[2], r[13]))
            elif kind == "line":
                self.lines.append(r)
            elif kind == "lot":
                self.lots.append(r)
            elif kind == "item":
                self.items.append(r)
            else:
                carton = Carton(
                    r[11] or "",
                    r[13] or "box",
                    int(r[2] or 0),
                    int(r[3] or 0),
                    int(r[4] or 0),
                    int(r[5] or 0),
                    int(r[6] or 0),
                    r[1],
                )
                self.cartons.append((carton, r[12] or ""))
        self.lines.sort(key=lambda r: (r[10] or 0, r[1]))
        self.items.sort(key=lambda r: r[1])
        self.cartons.sort(key=lambda c: c[0].package_type_id or 0)


def read_body(s: Session, order_id: int, lookup: dict[str, Any] | None = None) -> Body:
    """The order's body; with ``lookup`` (``scanning.PreparedScan.lookup``), the scan's look-up
    rows too, in the same statement."""
    if lookup is None:
        return Body(s.execute(BODY, {"oid": order_id}))
    return Body(s.execute(BODY_AND_SCAN, {"oid": order_id, **lookup}))


def price(value: Any) -> Decimal:
    return Decimal(value or 0)
