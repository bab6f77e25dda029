"""A simulated morning in the demo warehouse, for the dashboard's screenshots: the demo data,
then waves of its allocated orders released, picked by three pickers and packed at three
stations by three packers, all through the real services (scans, a few wrong ones, the scale
reading), then the day's times spread over the morning (08:00 onwards, local time) so the
per-hour panels look like a real morning instead of the few seconds the run took.

    from tools.dashboard_morning import simulated_morning
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import func, select, update

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Carrier,
    OrderStatusChange,
    PackException,
    Parcel,
    PickBatch,
    PickTask,
    Product,
    ProductBarcode,
)
from app.domain.errors import PackdeskError
from app.domain.scans import GS
from app.domain.users import Actor
from app.services import (
    auth,
    demo_data,
    handover,
    order_actions,
    packing,
    pick_claim,
    picking,
    scanning,
    wave_plan,
    wave_release,
)
from app.services.packing import PackView
from app.services.picking import TaskView

PICKERS = ("picker1", "picker2")
PACKERS = ("packer1", "packer2")
#: waves released and batches picked: a small morning, built in a few minutes
WAVES = 3
BATCHES = 4


@dataclass
class Floor:
    services: Services
    admin: Actor
    supervisor: Actor
    barcodes: dict[str, str]
    rng: random.Random
    verbose: bool = False


def _login(services: Services, name: str) -> Actor:
    return services.run(auth.login, name, f"demo-{name}", services.station_id)


def _barcodes(services: Services) -> dict[str, str]:
    with services.uow() as uow:
        rows = uow.session.execute(
            select(Product.sku, ProductBarcode.barcode)
            .join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .order_by(ProductBarcode.id)
        ).tuples()
        out: dict[str, str] = {}
        for sku, code in rows:
            out.setdefault(sku, code)
        return out


def _scan(f: Floor, actor: Actor, batch: int, text: str) -> bool:
    event = f.services.run(scanning.classify, text)
    return bool(f.services.run(picking.pick_scan, actor, batch, event).accepted)


def _lot_scan(f: Floor, sku: str, lot: str, expiry: str) -> str:
    code = f.barcodes[sku].zfill(14)
    tail = f"{GS}17{expiry[2:4]}{expiry[5:7]}{expiry[8:10]}" if expiry else ""
    return f"]C101{code}10{lot}{tail}"


def _task_scans(f: Floor, t: TaskView) -> list[str]:
    item = _lot_scan(f, t.sku, t.lot, t.expiry) if t.lot else f.barcodes.get(t.sku, t.sku)
    texts = [] if t.step != "location" else [f"LOC-{t.location}"]
    texts.append(item)
    if t.qty - t.qty_picked > 1:
        texts.append(f"PD-CMD-QTY-{t.qty - t.qty_picked}")
    return [*texts, t.tote or "PD-CMD-TOTE"]


def _pick_batch(f: Floor, picker: Actor, batch: int) -> None:
    """Every task scanned as a picker would; a task whose scans are refused (a serial-tracked
    item the morning has no serials for) is reported short, and a batch that still cannot go
    on is left for later."""
    view = f.services.run(picking.pick_view, picker, batch)
    if f.rng.random() < 0.5:  # a wrong location first, refused
        _scan(f, picker, batch, "LOC-ZZ-99")
    stuck: set[str] = set()  # a short pick may send the picker to the SKU's next location
    while view.task is not None and view.task.sku not in stuck:
        t = view.task
        for text in _task_scans(f, t):
            if not _scan(f, picker, batch, text):
                stuck.add(t.sku)
                for cmd in ("PD-CMD-SHORT", "PD-REASON-NOTFOUND"):
                    f.services.run(
                        picking.pick_scan, picker, batch, f.services.run(scanning.classify, cmd)
                    )
                break
        view = f.services.run(picking.pick_view, picker, batch)


def pick_all(f: Floor) -> None:
    from app.db.models import Order

    with f.services.uow() as uow:
        released = list(uow.session.scalars(select(Order.id).where(Order.status == "released")))
    f.services.run(order_actions.allocate, f.supervisor, released)
    made = f.services.run(wave_plan.create_waves, f.supervisor, max_orders=24, method="cluster")
    for w in made[:WAVES]:
        f.services.run(wave_release.release_wave, f.supervisor, w.number)
    pickers = [_login(f.services, n) for n in PICKERS]
    for i in range(BATCHES):
        picker = pickers[i % len(pickers)]
        claimed = f.services.run(pick_claim.get_work, picker)
        if claimed is None:
            return
        _pick_batch(f, picker, claimed.batch_id)


def _units(f: Floor, view: PackView) -> list[str] | None:
    """The scans that verify every unit of the order (None: a serial-tracked item)."""
    out: list[str] = []
    for line in view.lines:
        if line.serial_tracked:
            return None
        code = f.barcodes.get(line.sku, line.sku)
        text = f"]C101{code.zfill(14)}10{line.lot}" if line.lot else code
        out += [text] * (line.qty - line.verified)
    return out


def _pack_one(f: Floor, packer: Actor, order: str, other: str) -> bool:
    s = f.services
    try:
        view = s.run(packing.open_for_packing, packer, order)
    except PackdeskError:  # an order the morning cannot pack (held...)
        return False
    try:
        return _verify_and_weigh(f, packer, view, other)
    except PackdeskError:  # short-picked stock, a serial...: given up, as a packer would
        s.run(packing.release, packer, view.session_id)
        return False


def _verify_and_weigh(f: Floor, packer: Actor, view: PackView, other: str) -> bool:
    s = f.services
    units = _units(f, view)
    if not units:
        s.run(packing.release, packer, view.session_id)
        return False
    if f.rng.random() < 0.15 and other:  # another order's item, refused and logged
        s.run(packing.scan, packer, view.session_id, other)
    for text in units:
        s.run(packing.scan, packer, view.session_id, text)
    current = s.run(packing.pack_view, packer, view.session_id).current_parcel
    if current is None or current.expected_g is None:
        s.run(packing.release, packer, view.session_id)
        return False
    grams = current.expected_g
    if f.rng.random() < 0.06:  # a box too heavy: stopped at the scale, repacked, weighed again
        s.run(packing.weigh, packer, view.session_id, grams * 2)
    done = s.run(packing.weigh, packer, view.session_id, grams)
    return done.kind == "packed"


def pack_all(f: Floor, stations: dict[str, int]) -> int:
    from app.db.models import Order

    with f.services.uow() as uow:
        orders = list(
            uow.session.scalars(
                select(Order.number).where(Order.status == "picked").order_by(Order.id)
            )
        )
    packers = [
        f.services.run(auth.login, n, f"demo-{n}", sid)
        for n, sid in zip(PACKERS, stations.values(), strict=False)
    ]
    packed = 0
    other = next(iter(f.barcodes.values()), "")
    for i, number in enumerate(orders):
        packed += _pack_one(f, packers[i % len(packers)], number, other)
    return packed


def spread(
    services: Services, day_start: datetime, rng: random.Random, after: dict[str, int]
) -> None:
    """Move the run's times onto the morning: the n-th of each kind of event at a time that
    grows from ``day_start`` with the event's place in the run (the order of things kept)."""
    tables = (
        (PickTask, PickTask.done_at, 0.5, 2.0),
        (PickBatch, PickBatch.finished_at, 0.6, 2.2),
        (Parcel, Parcel.labelled_at, 1.0, 3.6),
        (PackException, PackException.created_at, 1.0, 3.6),
        (OrderStatusChange, OrderStatusChange.at, 0.0, 3.6),
    )
    with services.uow() as uow:
        s = uow.session
        for model, column, first_h, last_h in tables:
            first = after.get(model.__tablename__, 0)
            ids = list(
                s.scalars(
                    select(model.id)
                    .where(column.is_not(None), model.id > first)
                    .order_by(column, model.id)
                )
            )
            span = (last_h - first_h) * 3600
            for n, i in enumerate(ids):
                at = day_start + timedelta(
                    seconds=first_h * 3600 + span * (n + rng.random()) / max(len(ids), 1)
                )
                s.execute(update(model).where(model.id == i).values({column.key: at}))
        refused = list(
            s.scalars(
                select(AuditEntry.id)
                .where(AuditEntry.action == "pick.refused")
                .order_by(AuditEntry.id)
            )
        )
        for n, i in enumerate(refused):
            at = day_start + timedelta(hours=0.5 + 1.7 * n / max(len(refused), 1))
            s.execute(update(AuditEntry).where(AuditEntry.id == i).values(at=at))
        uow.commit()


def hand_over(f: Floor, carrier: str, folder: Path) -> int:
    """The carrier's labelled parcels scanned onto its handover and closed (orders shipped)."""
    shipper = _login(f.services, "shipper")
    with f.services.uow() as uow:
        numbers = list(
            uow.session.scalars(
                select(Parcel.tracking_number)
                .join(Carrier, Carrier.id == Parcel.carrier_id)
                .where(Parcel.status == "labelled", Carrier.code == carrier)
            )
        )
    scanned = [f.services.run(handover.scan_parcel, shipper, str(n)) for n in numbers if n]
    if scanned:
        f.services.run(
            handover.close_handover, shipper, scanned[-1].handover_id, manifest_dir=folder
        )
    return len(scanned)


def _last_ids(services: Services) -> dict[str, int]:
    """The last row of each table the morning spreads: older rows keep their times."""
    with services.uow() as uow:
        return {
            m.__tablename__: int(uow.session.scalar(select(func.max(m.id))) or 0)
            for m in (PickTask, PickBatch, Parcel, PackException, OrderStatusChange)
        }


def simulated_morning(
    services: Services, tz: tzinfo, now: datetime, folder: Path, seed: int = 7
) -> Actor:
    """The demo warehouse after a morning (see the module); returns the supervisor."""
    services.run(demo_data.generate, orders=400, seed=seed)
    admin = _login(services, "admin")
    stations = {code: services.run(auth.ensure_station, code) for code in ("PACK-01", "PACK-02")}
    f = Floor(
        services, admin, _login(services, "supervisor"), _barcodes(services), random.Random(seed)
    )
    after = _last_ids(services)
    pick_all(f)
    pack_all(f, stations)
    hand_over(f, "ZTO", folder)
    local = now.astimezone(tz)
    start = datetime.combine(local.date(), time(8, 0), tz).astimezone(UTC)
    spread(services, start, f.rng, after)
    return f.supervisor
