"""Finishing without a click: the parcel's carrier, number and label, the slip, the order packed.

When the last unit is verified and the weight is inside the expectation (or a supervisor
accepted it), ``finish`` runs in the same unit of work as that scan or weight: the shipping
rules choose the carrier service and package (a hold decision holds the order and prints
nothing); each closed parcel gets its number (``carrier_ship.ship_parcel``; the first parcel's
number is the master of a master/child carrier) and its label, queued for the station's label
printer; an attached label is queued as it is; the packing slip (or the pickup slip) is queued
for the document printer; the units leave the tote; the order is ``packed``. The pool's labels
and the slips are queued as what to draw: the print worker draws them after the commit
(``print_drawing``), so the rows this unit of work locks are not held while glyphs are drawn.

Each parcel is labelled inside a savepoint: when the pool is empty or the carrier refuses,
only that parcel's labelling is undone. The parcel stays closed with its weight, the refusal
says what to do, and ``finish_now`` (or the next weight) tries again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from app.carriers.base import CarrierError
from app.db.models import (
    Address,
    Carrier,
    CarrierService,
    OrderHold,
    OrderLabel,
    PrintJob,
    Station,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.devices.station_config import PrinterSettings, StationDevicesConfig
from app.domain import packing as rules
from app.domain.errors import PackdeskError
from app.domain.orders import OrderStatus
from app.domain.pack_settings import PackSettings
from app.domain.users import Actor, Permission
from app.labels.attached import printer_payload
from app.labels.packing_slip import SlipData, SlipLine
from app.labels.shipping import Party, ShippingLabelData
from app.services import (
    carrier_ship,
    document_jobs,
    pack_moves,
    pack_pickup,
    pack_state,
    print_drawing,
    settings_logo,
    shipping_choice,
    sorting_codes,
)
from app.services.access import step, writes
from app.services.orders import transition
from app.services.pack_dto import ScanOutcome
from app.services.pack_state import DONE, P_CLOSED, P_LABELLED, P_OPEN, RELEASED, State
from app.services.tracking_pool import PoolEmpty

S = OrderStatus


class NoService(PackdeskError):
    template = rules.PACK_MESSAGES["no_service"]


class NotFullyScanned(PackdeskError):
    template = rules.PACK_MESSAGES["full_scan"]


@dataclass(frozen=True)
class Finished:
    """What ``finish`` did: ``ok`` (the order is packed), or the refusal and its message."""

    ok: bool
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    refusal: str = ""
    label_job_id: int | None = None
    slip_job_id: int | None = None
    tracking: str = ""
    #: the message's template when it is an error's own ("" the key's)
    template: str = ""

    @property
    def message(self) -> str:
        return self.template or rules.PACK_MESSAGES[self.key]


def close_parcel(st: State) -> None:
    """The open parcel, with its items, becomes ``closed`` (its contents key set)."""
    cur = st.current
    if cur is None or not st.in_parcel(cur.id):
        return
    cur.status, cur.closed_at = P_CLOSED, utcnow()
    cur.contents_key = rules.contents_key((i.product_id, i.qty) for i in st.in_parcel(cur.id))


@step
def finish(uow: UnitOfWork, actor: Actor, st: State) -> Finished:
    """Label every closed parcel and pack the order (see the module's docstring). The caller
    commits whatever the answer."""
    s = uow.session
    forced = sum(i.qty for i in st.items if i.forced)
    if st.settings.labels_need_full_scan and forced:
        return Finished(
            False, "full_scan", {"order": st.order.number, "forced": forced}, "full_scan"
        )
    close_parcel(st)
    weight = sum(p.weight_g or 0 for p in st.parcels)
    decision = shipping_choice.choose(s, st.order.id, weight)
    if decision.held:
        _hold(uow, actor, st, decision.hold_reason)
        return Finished(
            False, "held", {"order": st.order.number, "reason": decision.hold_reason}, "held"
        )
    done = label_closed(
        uow, actor, st, decision.carrier_service_id, decision.package_type_id, final=True
    )
    if not done.ok:
        return done
    for p in st.parcels:  # a parcel started and left empty is not one of the order's
        if p.status == P_OPEN and not st.in_parcel(p.id):
            p.status, p.voided_at, p.void_reason = "voided", utcnow(), "empty"
    st.parcels = [p for p in st.parcels if p.status != "voided"]
    slip = _slip(uow, actor, st)
    last = [p for p in st.parcels if p.status == P_LABELLED][-1]
    last.slip_job_id = slip
    transition(uow, actor, st.order, S.PACKED, note=f"packed, {len(st.parcels)} parcels")
    st.ps.status, st.ps.closed_at = DONE, utcnow()
    uow.audit(
        actor,
        "pack.packed",
        "order",
        st.order.number,
        {"status": "packing"},
        {"parcels": [p.tracking_number for p in st.parcels], "slip_job": slip},
    )
    key, slot = "packed", ""
    if st.order.pickup:
        slot = next((p.pickup_slot for p in st.parcels if p.pickup_slot), None) or ""
        key = "packed_pickup" if slot else "packed_pickup_no_slot"
    return Finished(
        True,
        key,
        {"order": st.order.number, "tracking": done.tracking, "slot": slot},
        label_job_id=done.label_job_id,
        slip_job_id=slip,
        tracking=done.tracking,
    )


def _hold(uow: UnitOfWork, actor: Actor, st: State, reason: str) -> None:
    uow.session.add(
        OrderHold(
            order_id=st.order.id,
            code="shipping_rule",
            reason=reason,
            template="",
            params=None,
            created_by=actor.user_id,
        )
    )
    transition(uow, actor, st.order, S.ON_HOLD, note="held by the shipping rules")
    st.ps.status, st.ps.closed_at = RELEASED, utcnow()


@step
def label_closed(
    uow: UnitOfWork,
    actor: Actor,
    st: State,
    service_id: int | None,
    package_id: int | None,
    *,
    final: bool,
) -> Finished:
    """Number and label each closed parcel of the order, in its own savepoint."""
    s = uow.session
    count = len([p for p in st.parcels if p.status != P_OPEN or st.in_parcel(p.id)])
    last = Finished(True, "labelled")
    for p in st.parcels:
        if p.status != P_CLOSED:
            continue
        total = parcel_total(st, count, final=final)
        try:
            with s.begin_nested():
                last = _label_one(uow, actor, st, p, service_id, package_id, total)
        except PoolEmpty as exc:
            return Finished(
                False, "pool_empty", dict(exc.params), "pool_empty", template=exc.template
            )
        except (CarrierError, NoService) as exc:
            return Finished(False, "carrier", dict(exc.params), "carrier", template=exc.template)
    return last


def parcel_total(st: State, count: int, *, final: bool) -> int:
    """The "m" of a label's "parcel n of m": the order's parcels when it finishes; before that
    the count the packer declared (PD-CMD-PARCELS-n), else 0: not known yet, the label says
    "n/?" (a label never states a total that may turn out wrong)."""
    if final:
        return count
    declared = st.ps.parcel_count or 0
    return declared if declared >= count else 0


def _label_one(
    uow: UnitOfWork,
    actor: Actor,
    st: State,
    p: Any,
    service_id: int | None,
    package_id: int | None,
    total: int,
) -> Finished:
    s = uow.session
    order = st.order
    # the parcel's carton, carrier, number, label and status are written in one statement at
    # the end: nothing read on the way needs them flushed (the plug-ins that read the parcel's
    # details flush first, ``carrier_ship.ship_parcel``)
    with s.no_autoflush:
        if package_id and (p.package_type_id is None or p.package_source == "suggested"):
            p.package_type_id, p.package_source = package_id, "rule"
        first = min(q.seq for q in st.parcels)
        p.cod_amount = order.cod_amount if p.seq == first else None
        job: int | None = None
        if order.pickup:
            p.label_source, tracking = "none", ""
            p.pickup_slot = pack_pickup.slot_for(s, st) or None
        else:
            attached = s.scalar(
                select(OrderLabel)
                .where(OrderLabel.order_id == order.id, OrderLabel.parcel_id.is_(None))
                .order_by(OrderLabel.id)
                .limit(1)
            )
            if attached is not None:
                tracking = attached.tracking_number
                ref = f"{order.number}/{p.seq}"
                job = _as_is_job(s, actor, attached.format, attached.data, ref)
                attached.parcel_id, p.label_source = p.id, "attached"
            else:
                tracking, job = _carrier_label(
                    uow, actor, st, p, service_id or order.carrier_service_id, total
                )
        p.tracking_number = tracking or None
        p.status, p.labelled_at, p.label_job_id = P_LABELLED, utcnow(), job
    s.flush()
    pack_moves.move_out(uow, actor, p.id)
    uow.audit(
        actor,
        "pack.label",
        "parcel",
        p.id,
        None,
        {
            "order": order.number,
            "seq": p.seq,
            "tracking": tracking,
            "source": p.label_source,
            "weight_g": p.weight_g,
            "job": job,
        },
    )
    return Finished(
        True, "labelled", {"seq": p.seq, "tracking": tracking}, label_job_id=job, tracking=tracking
    )


def _carrier_label(
    uow: UnitOfWork, actor: Actor, st: State, p: Any, service_id: int | None, total: int
) -> tuple[str, int]:
    s = uow.session
    known = s.identity_map.get(s.identity_key(CarrierService, service_id)) if service_id else None
    if isinstance(known, CarrierService):  # a parcel before this one was labelled with it
        svc, carrier = known, s.get_one(Carrier, known.carrier_id)
    else:
        row = s.execute(_SERVICE_AND_CARRIER, {"sid": service_id}).first() if service_id else None
        if row is None:
            raise NoService(order=st.order.number)
        svc, carrier = row
    p.carrier_id, p.carrier_service_id = carrier.id, svc.id
    if carrier.master_child:
        firsts = [q for q in st.parcels if q.status == P_LABELLED and q.tracking_number]
        p.master_tracking = firsts[0].tracking_number if firsts and firsts[0] is not p else ""
    answer = carrier_ship.ship_parcel(s, p.id)
    p.master_tracking = answer.master_tracking or p.master_tracking
    hub = ""
    if not answer.sorting_code and st.order.ship_address_id:
        found = sorting_codes.sorting_code_for(
            s, carrier.id, s.get_one(Address, st.order.ship_address_id)
        )
        if found is not None:
            p.sorting_code, hub = found.code, found.hub
    p.sorting_code = answer.sorting_code or p.sorting_code
    ref = f"{st.order.number}/{p.seq}"
    if answer.label:
        p.label_source = "plugin"
        fmt = answer.label_format or "pdf"
        return answer.tracking_number, _as_is_job(s, actor, fmt, answer.label, ref)
    p.label_source = "pool" if carrier.plugin == "pool" else "plugin"
    printer = _printer(s, actor)
    spec = print_drawing.label_spec(p.id, total, hub, date.today(), printer)
    return answer.tracking_number, _job(
        s, actor, printer.language, print_drawing.LABEL, ref, b"", "label", draw=spec
    )


#: the service and its carrier in one statement (both stay in the unit of work for the plug-in)
_SERVICE_AND_CARRIER = (
    select(CarrierService, Carrier)
    .join(Carrier, Carrier.id == CarrierService.carrier_id)
    .where(CarrierService.id == bindparam("sid"))
)


def hub_of(s: Session, st: State, p: Any) -> str:
    """The hub printed beside parcel ``p``'s sorting code when the carrier's sorting-code table
    gave that code (``_carrier_label``), for a label drawn again (a reprint)."""
    if not p.sorting_code or not p.carrier_id or not st.order.ship_address_id:
        return ""
    address = s.get_one(Address, st.order.ship_address_id)
    found = sorting_codes.sorting_code_for(s, p.carrier_id, address)
    return found.hub if found is not None and found.code == p.sorting_code else ""


def _printer(s: Session, actor: Actor) -> PrinterSettings:
    station = s.get(Station, actor.station_id) if actor.station_id else None
    return StationDevicesConfig.from_json(station.devices if station else {}).printer


def sender(settings: PackSettings) -> Party:
    return Party(
        settings.sender_name,
        settings.sender_phone,
        settings.sender_country,
        settings.sender_province,
        settings.sender_city,
        settings.sender_district,
        settings.sender_street,
        "",
        settings.sender_postal_code,
    )


def recipient(s: Session, st: State) -> Party:
    a = s.get(Address, st.order.ship_address_id) if st.order.ship_address_id else None
    if a is None:
        return Party("")
    return Party(
        a.name,
        a.phone,
        a.country,
        a.province,
        a.city,
        a.district,
        a.street,
        a.street2,
        a.postal_code,
        a.company,
    )


def label_data(
    s: Session, st: State, p: Any, total: int, hub: str, ship_date: date
) -> ShippingLabelData:
    """What parcel ``p``'s label prints (the print worker draws it: ``print_drawing``): its
    number, weight, sorting code, master number and amount to collect, the carrier and service
    the session's rows name, parcel n of ``total``, the ``hub`` found when it was numbered."""
    _ids, (_code, _name, carrier, service) = st.names.get(p.id, ((), ("", "", "", "")))
    return ShippingLabelData(
        carrier=carrier,
        service=service,
        tracking_number=p.tracking_number or "",
        order_number=st.order.number,
        sender=sender(st.settings),
        recipient=recipient(s, st),
        weight_grams=Decimal(p.weight_g) if p.weight_g is not None else None,
        ship_date=ship_date,
        mask_policy=st.mask_policy,
        parcel_seq=p.seq,
        parcel_count=total,
        master_tracking=p.master_tracking,
        sorting_code=p.sorting_code,
        hub=hub,
        cod_amount=p.cod_amount,
        currency=st.order.currency,
    )


def _job(
    s: Session,
    actor: Actor,
    fmt: str,
    kind: str,
    reference: str,
    payload: bytes,
    printer: str,
    draw: dict[str, Any] | None = None,
) -> int:
    """A print job in this unit of work (the station's print worker draws it when ``draw``
    says what to, and sends it)."""
    values = {
        "draw": draw,
        "station_id": actor.station_id,
        "printer": printer,
        "format": fmt,
        "kind": kind,
        "reference": reference[:64],
        "payload": payload,
        "status": "queued",
        "error": "",
        "attempts": 0,
        "created_by": actor.user_id,
        "updated_at": utcnow(),
    }
    with s.no_autoflush:  # the parcel that will name the job is written after, in one statement
        return int(s.execute(insert(PrintJob).values(values).returning(PrintJob.id)).scalar_one())


def _as_is_job(s: Session, actor: Actor, fmt: str, data: bytes, reference: str) -> int:
    """A carrier's own label (attached, or from its plug-in) printed as it is: drawn for the
    station's label printer when it is a PDF (``app.labels.attached``)."""
    printer = _printer(s, actor)
    language = printer.language if printer.enabled else fmt
    payload = printer_payload(fmt, data, language, printer.dpi, printer.label_size)
    return _job(s, actor, language, "shipping_label", reference, payload, "label")


def _slip(uow: UnitOfWork, actor: Actor, st: State) -> int | None:
    settings = st.settings
    if not settings.print_slip and not st.order.pickup:
        return None
    kind = print_drawing.PICKUP_SLIP if st.order.pickup else print_drawing.PACKING_SLIP
    spec = print_drawing.slip_spec(kind, st.ps.id, settings.slip_paper)
    return document_jobs.add_document_job(
        uow.session, actor, kind, st.order.number, b"", actor.station_id, draw=spec
    )


def slip_data(s: Session, st: State) -> SlipData:
    settings = st.settings
    logo = settings_logo.logo_bytes(s, settings.logo_path)
    lines = tuple(
        SlipLine(
            ln.sku,
            ln.name,
            st.verified(ln.id),
            ln.unit_price,
            ", ".join(sorted({i.lot for i in st.items if i.line_id == ln.id and i.lot})),
            tuple(i.serial for i in st.items if i.line_id == ln.id and i.serial),
        )
        for ln in st.lines
    )
    return SlipData(
        order_number=st.order.number,
        channel_order_id=st.order.external_id,
        placed_on=st.order.placed_at.date().isoformat() if st.order.placed_at else "",
        shop=sender(settings),
        recipient=recipient(s, st),
        lines=lines,
        currency=st.order.currency,
        customer_note=st.order.note,
        gift=st.order.gift,
        gift_message=st.order.gift_message,
        return_instructions=settings.return_instructions,
        logo=logo,
        mask_policy=st.mask_policy,
        parcel_count=len(st.parcels),
        pickup_slot=next((p.pickup_slot for p in st.parcels if p.pickup_slot), None) or "",
        tracking_numbers=tuple(p.tracking_number for p in st.parcels if p.tracking_number),
        cod_amount=st.order.cod_amount,
    )


# --- the outcome -----------------------------------------------------------------------------


def outcome_of(s: Session, st: State, done: Finished, **extra: Any) -> ScanOutcome:
    """The station's answer for a finish attempt, with the view after it."""
    fresh = pack_state.load(s, st.ps.id)
    carrier = next((p.carrier_id for p in reversed(fresh.parcels) if p.carrier_id), None)
    view = pack_state.view(s, fresh, warnings=pack_state.pool_warnings(s, carrier))
    kind = done.key if done.ok else ("held" if done.refusal == "held" else "refused")
    return ScanOutcome(
        ok=done.ok,
        kind=kind,
        message=done.message,
        params=done.params,
        view=view,
        refusal="" if done.ok else done.refusal,
        label_job_id=done.label_job_id,
        slip_job_id=done.slip_job_id,
        tracking_number=done.tracking,
        **extra,
    )


@writes(Permission.PACK)
def finish_now(uow: UnitOfWork, actor: Actor, session_id: int) -> ScanOutcome:
    """Try the finish again (after loading numbers into an empty pool, or fixing the carrier):
    labels the closed parcels and packs the order when everything is verified."""
    with uow:
        actor = uow.require(actor, Permission.PACK)
        s = uow.session
        st = pack_state.load(s, session_id)
        ready = st.ps.status == pack_state.OPEN and st.all_verified and not st.stopped
        if not ready or (
            st.current is not None
            and st.in_parcel(st.current.id)
            and st.current.weight_g is None
            and _needs_weight(st)
        ):
            view = pack_state.view(s, st)
            return ScanOutcome(
                False,
                "refused",
                rules.PACK_MESSAGES["nothing_to_retry"],
                {},
                view,
                refusal="not_ready",
            )
        done = finish(uow, actor, st)
        out = outcome_of(s, st, done)
        uow.commit()
        return out


def _needs_weight(st: State) -> bool:
    return st.settings.require_weight and not st.order.pickup
