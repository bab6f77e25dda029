"""What a pack session is now, read from its rows in two statements, and its ``PackView``.

``load`` reads the session, its order and settings, the lines (with their products and the lots
the units were picked in), the units verified, the cartons and the parcels (``pack_load``);
``view`` turns that into the frozen view the screen shows. The scan handling decides on the same
state and updates it as it writes, so the answer is built from it without reading again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased

from app.db.models import (
    Carrier,
    CarrierService,
    Order,
    OrderHold,
    PackageType,
    PackException,
    PackSession,
    Parcel,
    TrackingNumber,
)
from app.domain import packing as rules
from app.domain.cartons import Carton, ItemBox, suggest_carton
from app.domain.errors import NotFound
from app.domain.pack_settings import PackSettings
from app.domain.scans import ScanPatterns
from app.domain.weight_check import Expectation, expectation
from app.services import pack_load, package_types
from app.services.pack_dto import (
    PackLineView,
    PackView,
    ParcelView,
    SuggestedPackage,
    Warning,
)
from app.services.scanning import patterns_of

OPEN, DONE, RELEASED = "open", "done", "released"
P_OPEN, P_CLOSED, P_LABELLED, P_VOIDED = "open", "closed", "labelled", "voided"


@dataclass
class Line:
    id: int
    product_id: int | None
    sku: str
    name: str
    qty: int
    unit_price: Decimal
    image_path: str = ""
    serial_tracked: bool = False
    lot_tracked: bool = False
    weight_g: int = 0
    dims: tuple[int, int, int] = (0, 0, 0)
    #: lot number -> units reserved (picked) in it
    lots: dict[str, int] = field(default_factory=dict)
    #: lot number -> its lot id (the lots reserved for the line)
    lot_ids: dict[str, int] = field(default_factory=dict)


@dataclass
class Item:
    id: int
    parcel_id: int
    line_id: int
    product_id: int
    qty: int
    lot: str
    lot_id: int | None
    serial: str | None
    forced: bool


@dataclass
class State:
    ps: PackSession
    order: Order
    channel: str
    mask_policy: str
    lines: list[Line]
    items: list[Item]
    parcels: list[Parcel]
    settings: PackSettings
    #: parcel id -> open weight exception
    stopped: dict[int, PackException]
    #: the active package types with their names, read once per state (``cartons``)
    carton_rows: list[tuple[Carton, str]] | None = None
    #: the warehouse's scan patterns (read with the state: the scan is classified with them)
    scan_patterns: ScanPatterns | None = None
    #: parcel id -> ((package type, carrier, service ids) as read, their names as read)
    names: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    #: the acting user's (active, role) as read with the state (None, None without a user id)
    user_row: tuple[bool | None, str | None] = (None, None)
    #: the look-up rows of the scan being handled, when ``load`` was given one
    scan_rows: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def current(self) -> Parcel | None:
        return next((p for p in reversed(self.parcels) if p.status == P_OPEN), None)

    def verified(self, line_id: int) -> int:
        return sum(i.qty for i in self.items if i.line_id == line_id and not self._pending(i))

    def _pending(self, i: Item) -> bool:
        line = self.line(i.line_id)
        return line is not None and line.serial_tracked and not i.serial and not i.forced

    @property
    def pending_serial(self) -> Item | None:
        return next((i for i in self.items if self._pending(i)), None)

    def line(self, line_id: int) -> Line | None:
        return next((ln for ln in self.lines if ln.id == line_id), None)

    @property
    def all_verified(self) -> bool:
        return all(self.verified(ln.id) >= ln.qty for ln in self.lines)

    def in_parcel(self, parcel_id: int) -> list[Item]:
        return [i for i in self.items if i.parcel_id == parcel_id]

    def line_states(self) -> list[rules.LineState]:
        out = []
        for ln in self.lines:
            by_lot: dict[str, int] = defaultdict(int)
            for i in self.items:
                if i.line_id == ln.id and i.lot:
                    by_lot[i.lot] += i.qty
            out.append(
                rules.LineState(
                    ln.id, ln.product_id, ln.qty, self.verified(ln.id), ln.lots, dict(by_lot)
                )
            )
        return out

    @property
    def held(self) -> bool:
        return self.order.status == "on_hold"


def load(
    s: Session, session_id: int, user_id: int | None = None, lookup: dict[str, Any] | None = None
) -> State:
    """The session's state in two statements (``pack_load``); with ``user_id``, the acting
    user's row is read in the first (``State.user_row``, for ``UnitOfWork.require_read``); with
    ``lookup`` (a prepared scan's), the scan's look-up rows in the second (``State.scan_rows``)."""
    rows = s.execute(pack_load.HEAD, {"sid": session_id, "uid": user_id}).all()
    if not rows:
        raise NotFound(what="Pack session", key=str(session_id))
    ps, order, channel, mask_policy, pack_value, patterns_value, active, role = rows[0][:8]
    body = pack_load.read_body(s, order.id, lookup)
    lines = _lines(body)
    items = [
        Item(r[1], r[4], r[5], r[2], r[3], r[11] or "", r[6], r[12], bool(r[7])) for r in body.items
    ]
    parcels: list[Parcel] = []
    stopped: dict[int, PackException] = {}
    names: dict[int, tuple[Any, ...]] = {}
    for parcel, exc, code, name, carrier, service in (r[8:] for r in rows):
        if parcel is None:
            continue
        if parcel.id not in names:
            parcels.append(parcel)
        names[parcel.id] = (
            (parcel.package_type_id, parcel.carrier_id, parcel.carrier_service_id),
            (code or "", name or "", carrier or "", service or ""),
        )
        if exc is not None:
            stopped[parcel.id] = exc
    st = State(
        ps,
        order,
        channel,
        mask_policy,
        lines,
        items,
        parcels,
        pack_load.settings_of(pack_value),
        stopped,
        body.cartons,
        scan_patterns=patterns_of(patterns_value),
        names=names,
        user_row=(active, role),
        scan_rows=body.scan,
    )
    _add_packed_lots(st)
    return st


def _lines(body: pack_load.Body) -> list[Line]:
    lines = [
        Line(
            r[1],
            r[2],
            r[11] or "",
            r[12] or "",
            r[3],
            pack_load.price(r[14]),
            r[13] or "",
            bool(r[8]),
            bool(r[9]),
            int(r[4] or 0),
            (int(r[5] or 0), int(r[6] or 0), int(r[7] or 0)),
        )
        for r in body.lines
    ]
    by_id = {ln.id: ln for ln in lines if ln.lot_tracked}
    for r in body.lots:
        line = by_id.get(r[1])
        if line is not None:
            line.lots[r[11] or ""] = line.lots.get(r[11] or "", 0) + int(r[3] or 0)
            line.lot_ids[r[11] or ""] = r[2]
    return lines


def lot_id_of(st: State, line_id: int, lot: str) -> int | bool | None:
    """The id of the lot ``lot`` of the line's product as the state knows it (the lots the
    units were picked or verified in), or False when the state does not know it."""
    line = st.line(line_id)
    if line is not None and lot in line.lot_ids:
        return line.lot_ids[lot]
    known = next((i.lot_id for i in st.items if i.line_id == line_id and i.lot == lot), None)
    return known if known is not None else False


def _add_packed_lots(st: State) -> None:
    """Units of a labelled parcel left the tote: their reservation is gone, so the lots they
    were verified in count as picked lots of their line again."""
    for i in st.items:
        line = st.line(i.line_id)
        if line is not None and line.lot_tracked and i.lot and _left_tote(st, i.parcel_id):
            line.lots[i.lot] = line.lots.get(i.lot, 0) + i.qty


def _left_tote(st: State, parcel_id: int) -> bool:
    p = next((p for p in st.parcels if p.id == parcel_id), None)
    return p is not None and p.status == P_LABELLED


# --- the view ---------------------------------------------------------------------------------


def station_state(st: State) -> rules.StationState:
    cur = st.current
    return rules.StationState(
        session_open=st.ps.status == OPEN,
        held=st.held,
        serial_pending=st.pending_serial is not None,
        weight_stopped=cur is not None and cur.id in st.stopped,
        all_verified=st.all_verified,
        unlabelled_closed=sum(1 for p in st.parcels if p.status == P_CLOSED),
        current_items=sum(i.qty for i in st.in_parcel(cur.id)) if cur else 0,
        needs_weight=st.settings.require_weight and not st.order.pickup,
    )


def view(s: Session, st: State, *, warnings: tuple[Warning, ...] = ()) -> PackView:
    step = rules.next_step(station_state(st))
    pending = st.pending_serial
    pending_line = st.line(pending.line_id) if pending else None
    held_reason = _held_reason(s, st.order.id) if st.held else ""
    return PackView(
        session_id=st.ps.id,
        order_id=st.order.id,
        order_number=st.order.number,
        channel_order_id=st.order.external_id,
        channel=st.channel,
        mode=st.ps.mode,
        status=st.ps.status,
        pickup=st.order.pickup,
        cod_amount=st.order.cod_amount,
        currency=st.order.currency,
        gift=st.order.gift,
        customer_note=st.order.note,
        lines=tuple(_line_view(st, ln) for ln in st.lines),
        parcels=_parcel_views(s, st),
        current_parcel_id=st.current.id if st.current else None,
        suggested_package=_suggested(s, st) if st.ps.status == OPEN else None,
        next_step=step,
        all_verified=st.all_verified,
        warnings=warnings,
        serial_for=pending_line.sku if pending_line else "",
        serial_for_line_id=pending_line.id if pending_line else None,
        held_reason=held_reason,
        order_status=st.order.status,
        gift_message=st.order.gift_message,
    )


def _held_reason(s: Session, order_id: int) -> str:
    reasons = s.scalars(
        select(OrderHold.reason)
        .where(OrderHold.order_id == order_id, OrderHold.resolved_at.is_(None))
        .order_by(OrderHold.id)
    ).all()
    return "; ".join(reasons)


def _line_view(st: State, ln: Line) -> PackLineView:
    mine = [i for i in st.items if i.line_id == ln.id]
    lots = sorted(ln.lots) or sorted({i.lot for i in mine if i.lot})
    return PackLineView(
        line_id=ln.id,
        product_id=ln.product_id,
        sku=ln.sku,
        name=ln.name,
        qty=ln.qty,
        verified=st.verified(ln.id),
        lot=", ".join(lots),
        image_path=ln.image_path,
        serial_tracked=ln.serial_tracked,
        serials=tuple(i.serial for i in mine if i.serial),
        forced=sum(i.qty for i in mine if i.forced),
    )


_SVC = aliased(CarrierService)
_NAMES = (
    select(Parcel.id, PackageType.code, PackageType.name, Carrier.name, _SVC.name)
    .outerjoin(PackageType, PackageType.id == Parcel.package_type_id)
    .outerjoin(Carrier, Carrier.id == Parcel.carrier_id)
    .outerjoin(_SVC, _SVC.id == Parcel.carrier_service_id)
    .where(Parcel.id.in_(bindparam("ids", expanding=True)))
)


def _names(s: Session, st: State) -> dict[int, tuple[str, str, str, str]]:
    """Each parcel's carton, carrier and service names: as read with the state while its ids
    are still those, else read again (one statement for those that changed)."""
    out: dict[int, tuple[str, str, str, str]] = {}
    stale = []
    for p in st.parcels:
        known = st.names.get(p.id)
        if known is not None and known[0] == (
            p.package_type_id,
            p.carrier_id,
            p.carrier_service_id,
        ):
            out[p.id] = known[1]
        else:
            stale.append(p.id)
    if stale:
        for r in s.execute(_NAMES, {"ids": stale}):
            out[r[0]] = (r[1] or "", r[2] or "", r[3] or "", r[4] or "")
    return out


def _parcel_views(s: Session, st: State) -> tuple[ParcelView, ...]:
    if not st.parcels:
        return ()
    names = _names(s, st)
    cur = st.current
    out = []
    for p in st.parcels:
        code, name, carrier, service = names.get(p.id, ("", "", "", ""))
        low = high = None
        expected = p.expected_g
        history = 0
        exc = st.stopped.get(p.id)
        if exc is not None and exc.params:
            low, high = exc.params.get("low"), exc.params.get("high")
            history = int(exc.params.get("history_n") or 0)
        elif p is cur or expected is not None:
            exp = _plain_expectation(s, st, p)
            expected, low, high = exp
        out.append(
            ParcelView(
                id=p.id,
                seq=p.seq,
                status=p.status,
                package_code=code,
                package_name=name,
                package_source=p.package_source,
                weight_g=p.weight_g,
                expected_g=expected,
                low_g=low,
                high_g=high,
                history_n=history,
                carrier=carrier,
                service=service,
                tracking_number=p.tracking_number or "",
                master_tracking=p.master_tracking,
                sorting_code=p.sorting_code,
                label_job_id=p.label_job_id,
                slip_job_id=p.slip_job_id,
                items=sum(i.qty for i in st.in_parcel(p.id)),
                label_source=p.label_source,
                weight_source=p.weight_source,
                pickup_slot=p.pickup_slot or "",
            )
        )
    return tuple(out)


def items_weight(st: State, parcel_id: int) -> int:
    weights = {ln.id: ln.weight_g for ln in st.lines}
    return sum(weights.get(i.line_id, 0) * i.qty for i in st.in_parcel(parcel_id))


def weight_expected(s: Session, st: State, parcel: Parcel) -> tuple[str, Expectation]:
    """The parcel's contents key and the weight it should have: its items, its carton's tare,
    and what parcels of the same contents weighed. The parcel's own changes not written yet (a
    carton just suggested) are not flushed for it: they are written with its weight, in one
    statement (the history read is of other, labelled parcels)."""
    key = rules.contents_key((i.product_id, i.qty) for i in st.in_parcel(parcel.id))
    with s.no_autoflush:
        exp = package_types.expectation_for(
            s,
            key,
            parcel.package_type_id,
            items_weight(st, parcel.id),
            tare_of(s, parcel),
            st.settings.tolerance,
        )
    return key, exp


def tare_of(s: Session, parcel: Parcel) -> int:
    if parcel.package_type_id is None:
        return 0
    pt = s.get(PackageType, parcel.package_type_id)
    return pt.tare_g if pt else 0


def cartons(s: Session, st: State) -> list[tuple[Carton, str]]:
    """The active package types (and their names), read once for the state."""
    if st.carton_rows is None:
        st.carton_rows = [
            (
                Carton(p.code, p.kind, p.inner_length_mm, p.inner_width_mm, p.inner_height_mm,
                       p.tare_g, p.max_weight_g, p.id),
                p.name,
            )
            for p in s.scalars(
                select(PackageType).where(PackageType.active).order_by(PackageType.id)
            )
        ]  # fmt: skip
    return st.carton_rows


def suggest(s: Session, st: State, items: list[ItemBox]) -> Carton | None:
    return _suggest(tuple(items), tuple(c for c, _ in cartons(s, st)))


@lru_cache(maxsize=1024)
def _suggest(items: tuple[ItemBox, ...], choices: tuple[Carton, ...]) -> Carton | None:
    """The first fit is pure and the same items come back scan after scan (the order's units
    still to pack do not change while they are verified): remembered by value."""
    return suggest_carton(items, choices)


def use_suggested(s: Session, st: State, parcel: Parcel) -> None:
    """A parcel whose carton was not scanned is in the carton the screen suggested."""
    if parcel.package_type_id is not None or st.order.pickup or not st.in_parcel(parcel.id):
        return
    carton = suggest(s, st, item_boxes(st, parcel.id))
    if carton is not None:
        parcel.package_type_id, parcel.package_source = carton.package_type_id, "suggested"


def suggested_tare(s: Session, st: State, parcel: Parcel) -> int:
    """The parcel's tare: its carton's, or the suggested carton's when none was chosen."""
    if parcel.package_type_id is not None or st.order.pickup or not st.in_parcel(parcel.id):
        return tare_of(s, parcel)
    carton = suggest(s, st, item_boxes(st, parcel.id))
    return carton.tare_g if carton is not None else 0


def _plain_expectation(s: Session, st: State, p: Parcel) -> tuple[int, int, int]:
    if p.expected_g is not None and p.status != P_OPEN:
        allowed = st.settings.tolerance.allowed(p.expected_g)
        return p.expected_g, p.expected_g - allowed, p.expected_g + allowed
    exp = expectation(items_weight(st, p.id), suggested_tare(s, st, p), st.settings.tolerance)
    return exp.expected_g, exp.low_g, exp.high_g


def item_boxes(st: State, parcel_id: int | None = None) -> list[ItemBox]:
    """The units of the parcel (or, with None, of the whole order still to pack) as boxes."""
    out = []
    for ln in st.lines:
        if parcel_id is None:
            packed = sum(
                i.qty for i in st.items if i.line_id == ln.id and _left_tote(st, i.parcel_id)
            )
            qty = ln.qty - packed
        else:
            qty = sum(i.qty for i in st.in_parcel(parcel_id) if i.line_id == ln.id)
        if qty > 0:
            out.append(ItemBox(*ln.dims, weight_g=ln.weight_g, qty=qty))
    return out


def _suggested(s: Session, st: State) -> SuggestedPackage | None:
    cur = st.current
    if cur is None or st.order.pickup:
        return None
    carton = suggest(s, st, item_boxes(st))
    if carton is None:
        return SuggestedPackage("", "", rules.PACK_MESSAGES["no_package"], {})
    name = next((n for c, n in cartons(s, st) if c.code == carton.code), "")
    return SuggestedPackage(carton.code, name)


def pool_warnings(s: Session, carrier_id: int | None) -> tuple[Warning, ...]:
    """The carrier's pool is low: a warning with the numbers left. The count stops at the
    warning's threshold (a pool of 100,000 numbers is not counted at every parcel): below it,
    the count is exact."""
    if carrier_id is None:
        return ()
    carrier = s.get(Carrier, carrier_id)
    if carrier is None or carrier.plugin != "pool":
        return ()
    free = (
        select(TrackingNumber.id)
        .where(TrackingNumber.carrier_id == carrier_id, TrackingNumber.status == "free")
        .limit(max(int(carrier.pool_low_warning or 0), 0))
        .subquery()
    )
    left = s.scalar(select(func.count()).select_from(free))
    if (left or 0) < carrier.pool_low_warning:
        return (
            Warning(
                rules.PACK_MESSAGES["pool_low"],
                {"left": int(left or 0), "carrier": carrier.name},
            ),
        )
    return ()
