"""A scan at the pack station, in one unit of work: an item, a serial, a carton or a command.

An item scan ticks one unit (or a case barcode's units) off a line of the order
(``app.domain.packing.match_scan``). A refused scan (a wrong item, another order's item, one
too many, another lot, a serial shipped before) changes nothing but its ``pack_exceptions``
row, written for the shift's figures. A serial-tracked product asks for its serial next (a GS1
scan with AI 21 gives it at once). A package barcode chooses the carton of the current parcel.
NEXT PARCEL closes the parcel (it must hold items and, when weights are required, its weight)
and labels it; SHIP PARTIAL (a permission) ships what was scanned and sends the rest to the
backorder policy (``pack_partial``). When the last unit is verified and no weight is needed
(a pickup order, or a station without the weight gate) the order finishes at once.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy import exc as sa_exc

from app.db.models import Lot, Order, OrderLine, PackException, PackItem, Parcel, utcnow
from app.db.uow import UnitOfWork
from app.domain import packing as rules
from app.domain.errors import PackdeskError
from app.domain.scans import Command, ScanEvent, ScanKind, ScanPatterns
from app.domain.users import Actor, Permission
from app.services import pack_finish, pack_state, package_types, shipping_choice
from app.services.access import step, writes
from app.services.pack_dto import ScanOutcome
from app.services.pack_open import new_parcel
from app.services.pack_state import OPEN, P_OPEN, Item, State
from app.services.scanning import decide_scan, prepare_scan

#: refusals written as ``pack_exceptions`` rows (the shift's mis-scans)
LOGGED = frozenset(
    {
        rules.WRONG_ITEM,
        rules.OTHER_ORDER,
        rules.OVER_SCAN,
        rules.WRONG_LOT,
        rules.SERIAL_REPEAT,
        rules.NOT_SERIAL,
        "unknown",
    }
)


def answer(
    s: Any, st: State, ok: bool, kind: str, key: str, params: dict[str, Any], **extra: Any
) -> ScanOutcome:
    return ScanOutcome(
        ok=ok,
        kind=kind,
        message=rules.PACK_MESSAGES[key],
        params=params,
        view=pack_state.view(s, st),
        **extra,
    )


@step
def refuse(
    uow: UnitOfWork,
    actor: Actor,
    st: State,
    refusal: str,
    key: str,
    params: dict[str, Any],
    scanned: str = "",
) -> ScanOutcome:
    """Nothing changes but, for a mis-scan, its logged exception row."""
    s = uow.session
    if refusal in LOGGED:
        cur = st.current
        now = utcnow()
        s.add(
            PackException(
                kind="wrong_item" if refusal == "unknown" else refusal,
                order_id=st.order.id,
                parcel_id=cur.id if cur else None,
                session_id=st.ps.id,
                station_id=actor.station_id,
                user_id=actor.user_id,
                scanned=scanned[:128],
                message=rules.PACK_MESSAGES[key],
                params=params,
                created_at=now,
                resolved_at=now,
                resolution="logged",
            )
        )
    out = answer(s, st, False, "refused", key, params, refusal=refusal)
    if refusal in LOGGED:
        uow.commit()
    return out


@writes(Permission.PACK)
def scan(uow: UnitOfWork, actor: Actor, session_id: int, text: str) -> ScanOutcome:
    """One scan at the station: an item (ticks one unit off), a serial, a carton barcode, or a
    command (NEXT PARCEL, READ, SHIP PARTIAL), or a supervisor's badge when a weight waits for
    one. A refused scan changes nothing but its logged ``pack_exceptions`` row."""
    with uow:
        s = uow.session
        prepared = prepare_scan(text)
        # the actor's row and the scan's look-up are read with the state (no round trips of
        # their own: docs/packing.md, "Latency")
        try:
            st = pack_state.load(s, session_id, actor.user_id, prepared.lookup)
        except PackdeskError:
            uow.require(actor, Permission.PACK)  # a refused user hears that first
            raise
        if actor.user_id is None:
            actor = uow.require(actor, Permission.PACK)
        else:
            actor = uow.require_read(actor, Permission.PACK, *st.user_row)
        event = decide_scan(prepared, st.scan_rows, st.scan_patterns or ScanPatterns())
        if st.ps.status != OPEN:
            return answer(s, st, False, "refused", "not_open", {}, refusal="not_open")
        return _dispatch(uow, actor, st, event)


def _dispatch(uow: UnitOfWork, actor: Actor, st: State, event: ScanEvent) -> ScanOutcome:
    s = uow.session
    if event.kind is ScanKind.INVALID:
        err = event.error
        return ScanOutcome(
            False,
            "refused",
            err.template if err else "{detail}",
            dict(err.params) if err else {},
            pack_state.view(s, st),
            refusal="invalid",
        )
    if event.kind is ScanKind.COMMAND:
        return _command(uow, actor, st, event)
    if event.kind is ScanKind.BADGE and st.current and st.current.id in st.stopped:
        from app.services.pack_weigh import override_in

        return override_in(uow, actor, st, event.text)
    pending = st.pending_serial
    if pending is not None:
        return _serial(uow, actor, st, pending, event)
    if event.kind is ScanKind.PRODUCT and event.entity_id is not None:
        return _item(uow, actor, st, event)
    if event.kind in (ScanKind.ORDER, ScanKind.TOTE):
        if event.entity_id == st.order.id:
            return _same_order(s, st)
        return answer(
            s,
            st,
            False,
            "refused",
            "another_order",
            {"order": st.order.number, "other": event.code or event.text},
            refusal="another_order",
        )
    carton = package_types.by_barcode(s, event.text)
    if carton is not None:
        return _package(uow, st, carton.package_type_id, carton.code)
    return refuse(uow, actor, st, "unknown", "unknown", {"code": event.text}, event.text)


def _same_order(s: Any, st: State) -> ScanOutcome:
    return ScanOutcome(
        True, "command", "{order}", {"order": st.order.number}, pack_state.view(s, st)
    )


# --- items -------------------------------------------------------------------------------------


def _item(uow: UnitOfWork, actor: Actor, st: State, event: ScanEvent) -> ScanOutcome:
    s = uow.session
    pid = int(event.entity_id or 0)
    units = int(event.quantity or 1)
    gs1 = event.gs1
    lot = gs1.lot if gs1 else ""
    sku = event.code
    m = rules.match_scan(st.line_states(), pid, units, lot)
    if m.refusal == rules.WRONG_ITEM:
        other = _other_order(s, st, pid)
        if other:
            return refuse(
                uow,
                actor,
                st,
                rules.OTHER_ORDER,
                "other_order",
                {"sku": sku, "other": other, "order": st.order.number},
                event.text,
            )
        return refuse(
            uow,
            actor,
            st,
            rules.WRONG_ITEM,
            "wrong_item",
            {"sku": sku, "order": st.order.number},
            event.text,
        )
    if m.refusal == rules.OVER_SCAN:
        left = sum(ls.left for ls in st.line_states() if ls.product_id == pid)
        if units > 1 and left:
            return refuse(
                uow,
                actor,
                st,
                rules.OVER_SCAN,
                "over_scan_pack",
                {"sku": sku, "units": units, "left": left},
                event.text,
            )
        qty = sum(ln.qty for ln in st.lines if ln.product_id == pid)
        return refuse(
            uow,
            actor,
            st,
            rules.OVER_SCAN,
            "over_scan",
            {"sku": sku, "qty": qty, "order": st.order.number},
            event.text,
        )
    if m.refusal == rules.WRONG_LOT:
        return refuse(
            uow,
            actor,
            st,
            rules.WRONG_LOT,
            "wrong_lot",
            {"sku": sku, "lot": lot, "expected": ", ".join(m.expected_lots)},
            event.text,
        )
    assert m.line_id is not None
    line = st.line(m.line_id)
    assert line is not None
    serial = gs1.serial if gs1 and gs1.serial else None
    if line.serial_tracked and serial:
        refused = _serial_shipped(uow, actor, st, pid, serial, sku, event.text)
        if refused is not None:
            return refused
    try:
        add_item(uow, actor, st, m.line_id, pid, m.lot, units, serial, False, event.text)
    except sa_exc.IntegrityError:
        return refuse(
            uow,
            actor,
            st,
            rules.SERIAL_REPEAT,
            "serial_repeat",
            {"serial": serial or "", "sku": sku, "other": "-"},
            event.text,
        )
    if line.serial_tracked and not serial:
        out = answer(s, st, True, "serial_wanted", "serial_wanted", {"sku": sku})
        uow.commit()
        return out
    return after_verify(uow, actor, st, {"sku": sku, "done": st.verified(line.id), "qty": line.qty})


_ITEMS_TABLE = cast(Table, PackItem.__table__)
#: a Core INSERT (no ORM flush for a row nothing reads back as an object)
_INSERT_ITEM = insert(_ITEMS_TABLE).returning(_ITEMS_TABLE.c.id)


@step
def add_item(
    uow: UnitOfWork,
    actor: Actor,
    st: State,
    line_id: int,
    product_id: int,
    lot: str,
    units: int,
    serial: str | None,
    forced: bool,
    scanned: str,
) -> None:
    """One pack-items row in the current parcel (made when there is none); the parcel's
    weight, if it had one, no longer counts (weigh it again)."""
    s = uow.session
    cur = st.current or new_parcel(s, actor, st.ps)
    if cur not in st.parcels:
        st.parcels.append(cur)
    known = pack_state.lot_id_of(st, line_id, lot) if lot else None
    lot_id = (
        s.scalar(select(Lot.id).where(Lot.product_id == product_id, Lot.lot_number == lot))
        if known is False
        else known
    )
    values = {
        "session_id": st.ps.id,
        "parcel_id": cur.id,
        "order_line_id": line_id,
        "product_id": product_id,
        "lot_id": lot_id,
        "serial": serial,
        "qty": units,
        "forced": forced,
        "scanned": scanned[:128],
        "user_id": actor.user_id,
    }
    if serial is None:  # nothing unique in the row: one plain INSERT, no savepoint
        row_id = int(s.execute(_INSERT_ITEM, values).scalar_one())
    else:  # a serial already packed raises here, and only the savepoint is rolled back
        with s.begin_nested():
            row_id = int(s.execute(_INSERT_ITEM, values).scalar_one())
    st.items.append(Item(row_id, cur.id, line_id, product_id, units, lot, lot_id, serial, forced))
    if cur.weight_g is not None:
        cur.weight_g, cur.expected_g, cur.weight_source = None, None, ""
    stopped = st.stopped.pop(cur.id, None)
    if stopped is not None:
        stopped.resolved_at, stopped.resolution = utcnow(), "repacked"
        stopped.resolved_by = actor.user_id


@step
def after_verify(uow: UnitOfWork, actor: Actor, st: State, params: dict[str, Any]) -> ScanOutcome:
    """The answer to a verified unit: the next item, the scale, or (no weight needed) the
    order finished."""
    s = uow.session
    if not st.all_verified:
        out = answer(s, st, True, "verified", "verified", params)
        uow.commit()
        return out
    if st.settings.require_weight and not st.order.pickup:
        out = answer(s, st, True, "verified", "verified_last", params)
        uow.commit()
        return out
    done = pack_finish.finish(uow, actor, st)
    out = pack_finish.outcome_of(s, st, done)
    uow.commit()
    return out


def _other_order(s: Any, st: State, product_id: int) -> str:
    """The open order (picked, being packed or picked) that has this product, or ""."""
    return str(
        s.scalar(
            select(Order.number)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(
                OrderLine.product_id == product_id,
                Order.id != st.order.id,
                Order.status.in_(("picked", "packing", "picking")),
            )
            .order_by(Order.status.desc(), Order.id)
            .limit(1)
        )
        or ""
    )


def _serial_shipped(
    uow: UnitOfWork, actor: Actor, st: State, product_id: int, serial: str, sku: str, text: str
) -> ScanOutcome | None:
    """The refusal when another order already holds this serial of the product (logged), or
    None when the serial is free."""
    other = _serial_owner(uow.session, product_id, serial)
    if not other:
        return None
    return refuse(
        uow,
        actor,
        st,
        rules.SERIAL_REPEAT,
        "serial_repeat",
        {"serial": serial, "sku": sku, "other": other},
        text,
    )


def _serial_owner(s: Any, product_id: int, serial: str) -> str:
    """The order a serial of this product was packed for (not voided), or ""."""
    return str(
        s.scalar(
            select(Order.number)
            .join(Parcel, Parcel.order_id == Order.id)
            .join(PackItem, PackItem.parcel_id == Parcel.id)
            .where(
                PackItem.product_id == product_id,
                PackItem.serial == serial,
                PackItem.voided_at.is_(None),
            )
            .limit(1)
        )
        or ""
    )


def _serial(
    uow: UnitOfWork, actor: Actor, st: State, pending: Item, event: ScanEvent
) -> ScanOutcome:
    s = uow.session
    line = st.line(pending.line_id)
    sku = line.sku if line else ""
    if event.kind is ScanKind.PRODUCT:
        if event.entity_id == pending.product_id and not (event.gs1 and event.gs1.serial):
            return refuse(uow, actor, st, rules.NOT_SERIAL, "not_serial", {"sku": sku}, event.text)
        if event.entity_id != pending.product_id:
            return answer(
                s, st, False, "refused", "serial_first", {"sku": sku}, refusal="serial_wanted"
            )
    serial = (event.gs1.serial if event.gs1 and event.gs1.serial else event.text).strip()[:128]
    refused = _serial_shipped(uow, actor, st, pending.product_id, serial, sku, event.text)
    if refused is not None:
        return refused
    row = s.get_one(PackItem, pending.id)
    try:
        with s.begin_nested():
            row.serial = serial
            s.flush()
    except sa_exc.IntegrityError:
        return refuse(
            uow,
            actor,
            st,
            rules.SERIAL_REPEAT,
            "serial_repeat",
            {"serial": serial, "sku": sku, "other": "-"},
            event.text,
        )
    pending.serial = serial
    out = after_verify(uow, actor, st, {"serial": serial, "sku": sku})
    if out.kind == "verified" and out.message != rules.PACK_MESSAGES["verified_last"]:
        return ScanOutcome(
            True,
            "serial",
            rules.PACK_MESSAGES["serial_ok"],
            {"serial": serial, "sku": sku},
            out.view,
        )
    return out


def _package(uow: UnitOfWork, st: State, package_id: int | None, code: str) -> ScanOutcome:
    s = uow.session
    cur = st.current
    if cur is None:
        return answer(s, st, False, "refused", "nothing_to_retry", {}, refusal="not_open")
    cur.package_type_id, cur.package_source = package_id, "scanned"
    if cur.weight_g is not None:
        cur.weight_g, cur.expected_g, cur.weight_source = None, None, ""
    out = answer(s, st, True, "package", "package", {"code": code, "seq": cur.seq})
    uow.commit()
    return out


# --- commands ----------------------------------------------------------------------------------


def _command(uow: UnitOfWork, actor: Actor, st: State, event: ScanEvent) -> ScanOutcome:
    s = uow.session
    if event.command is Command.NEXT_PARCEL:
        return next_parcel(uow, actor, st)
    if event.command is Command.READ_WEIGHT:
        return answer(s, st, True, "read_weight", "read_weight", {})
    if event.command is Command.SHIP_PARTIAL:
        from app.services.pack_partial import ship_partial

        return ship_partial(uow, actor, st)
    if event.command is Command.PARCELS and event.quantity:
        return declare_parcels(uow, st, int(event.quantity))
    return ScanOutcome(
        False, "refused", "{code}", {"code": event.code}, pack_state.view(s, st), refusal="command"
    )


@step
def declare_parcels(uow: UnitOfWork, st: State, count: int) -> ScanOutcome:
    """PD-CMD-PARCELS-n: the order goes in ``count`` parcels, so each label says "k/n" from
    the first (as the carriers' multi-parcel waybills, 子母件, want the count up front)."""
    s = uow.session
    closed = len([p for p in st.parcels if p.status != P_OPEN])
    cur = st.current
    # the parcels labelled or closed, and one more while units are left or in the open one
    started = closed + (1 if not st.all_verified or (cur and st.in_parcel(cur.id)) else 0)
    params = {"order": st.order.number, "count": count, "started": started}
    if count < started:
        return answer(s, st, False, "refused", "parcels_too_few", params, refusal="parcels")
    st.ps.parcel_count = count
    out = answer(s, st, True, "command", "parcels_declared", params)
    uow.commit()
    return out


@step
def next_parcel(uow: UnitOfWork, actor: Actor, st: State) -> ScanOutcome:
    """Close the current parcel with its items, carton and weight, label it, start another."""
    s = uow.session
    cur = st.current
    seq = cur.seq if cur else 0
    if cur is None or not st.in_parcel(cur.id):
        return answer(s, st, False, "refused", "no_items", {"seq": seq}, refusal="no_items")
    declared = st.ps.parcel_count
    if declared and seq >= declared and not st.all_verified:
        params = {"order": st.order.number, "count": declared, "seq": seq}
        return answer(s, st, False, "refused", "parcels_last", params, refusal="parcels")
    if cur.id in st.stopped:
        exc = st.stopped[cur.id]
        return answer(
            s, st, False, "refused", "weight_stopped", dict(exc.params or {}), refusal="weight"
        )
    needs = st.settings.require_weight and not st.order.pickup
    if needs and cur.weight_g is None:
        return answer(s, st, False, "refused", "no_weight", {"seq": seq}, refusal="no_weight")
    if st.all_verified:
        done = pack_finish.finish(uow, actor, st)
        out = pack_finish.outcome_of(s, st, done)
        uow.commit()
        return out
    pack_finish.close_parcel(st)
    weight = sum(p.weight_g or 0 for p in st.parcels)
    decision = shipping_choice.choose(s, st.order.id, weight)
    done = pack_finish.label_closed(
        uow, actor, st, decision.carrier_service_id, decision.package_type_id, final=False
    )
    nxt = new_parcel(s, actor, st.ps)
    st.parcels.append(nxt)
    if done.ok:
        out = answer(
            s,
            st,
            True,
            "next_parcel",
            "next_parcel",
            {"seq": seq, "next": nxt.seq},
            label_job_id=done.label_job_id,
            tracking_number=done.tracking,
        )
    else:
        reason = done.message.format(**done.params)
        out = answer(
            s,
            st,
            True,
            "next_parcel",
            "next_parcel_unlabelled",
            {"seq": seq, "next": nxt.seq, "reason": reason},
            refusal=done.refusal,
        )
    uow.commit()
    return out


# --- force verify ------------------------------------------------------------------------------


class ForceTooMany(PackdeskError):
    template = rules.PACK_MESSAGES["force_too_many"]


@writes(Permission.FORCE_VERIFY)
def force_verify(
    uow: UnitOfWork, actor: Actor, session_id: int, line_id: int, qty: int | None = None
) -> ScanOutcome:
    """Tick ``qty`` (default: all the rest) of a line off without a scan (an item without a
    barcode); audited, the rows marked ``forced``."""
    with uow:
        actor = uow.require(actor, Permission.FORCE_VERIFY)
        s = uow.session
        st = pack_state.load(s, session_id)
        if st.ps.status != OPEN:
            return answer(s, st, False, "refused", "not_open", {}, refusal="not_open")
        line = st.line(line_id)
        if line is None or line.product_id is None:
            raise PackdeskError(
                "Line {line} is not a line of order {order} to pack.",
                line=line_id,
                order=st.order.number,
            )
        left = line.qty - st.verified(line.id)
        units = left if qty is None else qty
        if units <= 0 or units > left:
            raise ForceTooMany(left=left, sku=line.sku, units=units)
        for lot, n in _lots_for(st, line.id, units):
            add_item(uow, actor, st, line.id, line.product_id, lot, n, None, True, "")
        uow.audit(
            actor,
            "pack.force_verify",
            "order_line",
            line.id,
            None,
            {"order": st.order.number, "sku": line.sku, "units": units},
        )
        return after_verify(
            uow,
            actor,
            st,
            {"units": units, "sku": line.sku, "done": st.verified(line.id), "qty": line.qty},
        )


def _lots_for(st: State, line_id: int, units: int) -> list[tuple[str, int]]:
    state = next(ls for ls in st.line_states() if ls.line_id == line_id)
    if not state.lots:
        return [("", units)]
    out = []
    for lot in sorted(state.lots):
        n = min(units, max(state.lot_left(lot), 0))
        if n:
            out.append((lot, n))
            units -= n
    if units:
        out.append(("", units))
    return out
