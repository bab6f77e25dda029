"""Parcel n of m on the labels of an order in several parcels (一单多包): a label printed before
the last parcel is closed never guesses m. Without a declared count it says "Parcel n" and the
last one "n of m"; with PD-CMD-PARCELS-m scanned first every label says "n of m", and the count
holds the packer to it."""

from __future__ import annotations

from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import PrintJob
from app.domain.scans import Command, command_text, parse_command
from app.domain.users import Actor
from app.labels.waybill import parcel_text
from app.services import packing
from tests.pack_fixtures import WEIGHTS, drawn, pack_ready, tea
from tests.pick_fixtures import BARCODES

CUP = WEIGHTS["CUP-1"]


def _labels(services: Services) -> list[bytes]:
    with services.uow() as uow:
        s = uow.session
        jobs = s.scalars(
            select(PrintJob).where(PrintJob.kind == "shipping_label").order_by(PrintJob.id)
        )
        return [drawn(s, job) for job in jobs]


def _first_parcel(services: Services, p: Actor, sid: int) -> packing.ScanOutcome:
    services.run(packing.scan, p, sid, BARCODES["CUP-1"])
    services.run(packing.scan, p, sid, "PKG-BAG")
    services.run(packing.weigh, p, sid, CUP + 10)
    return services.run(packing.scan, p, sid, "PD-CMD-NEXTPARCEL")


def _last_parcel(services: Services, p: Actor, sid: int) -> packing.ScanOutcome:
    services.run(packing.scan, p, sid, BARCODES["CUP-1"])
    services.run(packing.scan, p, sid, tea("L1"))
    services.run(packing.scan, p, sid, "PKG-BAG")
    return services.run(packing.weigh, p, sid, CUP + WEIGHTS["TEA-1"] + 10)


def test_a_label_printed_before_the_last_parcel_says_parcel_n_and_the_last_says_n_of_m(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    p = setup.packer
    sid = services.run(packing.open_for_packing, p, "TOTE-0001").session_id
    first = _first_parcel(services, p, sid)
    assert first.ok and first.kind == "next_parcel"
    done = _last_parcel(services, p, sid)
    assert done.ok and done.kind == "packed", (done.message, done.params)
    one, two = _labels(services)
    assert b"Parcel 1" in one and b"of 2" not in one
    assert b"Parcel 2 of 2" in two


def test_a_declared_parcel_count_prints_n_of_m_on_every_label_and_holds_the_packer_to_it(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    p = setup.packer
    sid = services.run(packing.open_for_packing, p, "TOTE-0001").session_id
    said = services.run(packing.scan, p, sid, "PD-CMD-PARCELS-2")
    assert said.ok and said.params["count"] == 2, (said.message, said.params)
    first = _first_parcel(services, p, sid)
    assert first.ok and first.kind == "next_parcel", (first.message, first.params)
    too_few = services.run(packing.scan, p, sid, "PD-CMD-PARCELS-1")
    assert not too_few.ok and too_few.refusal == "parcels"
    services.run(packing.scan, p, sid, BARCODES["CUP-1"])
    services.run(packing.scan, p, sid, "PKG-BAG")
    services.run(packing.weigh, p, sid, CUP + 10)
    third = services.run(packing.scan, p, sid, "PD-CMD-NEXTPARCEL")
    assert not third.ok and third.refusal == "parcels"  # parcel 2 of 2 is the last
    assert [x.status for x in third.view.parcels] == ["labelled", "open"]
    services.run(packing.scan, p, sid, tea("L1"))
    services.run(packing.scan, p, sid, "PKG-BAG")
    done = services.run(packing.weigh, p, sid, CUP + WEIGHTS["TEA-1"] + 10)
    assert done.ok and done.kind == "packed", (done.message, done.params)
    one, two = _labels(services)
    assert b"Parcel 1 of 2" in one and b"Parcel 2 of 2" in two


def test_the_parcel_count_barcode_reads_back_and_an_unknown_count_is_printed_as_such() -> None:
    assert command_text(Command.PARCELS, 3) == "PD-CMD-PARCELS-3"
    assert parse_command("PD-CMD-PARCELS-3") == (Command.PARCELS, 3)
    assert parse_command("PD-CMD-PARCELS-0") is None
    assert parse_command("PD-CMD-PARCELS") is None
    assert parcel_text(1, 0, "4x6in") == "Parcel 1"
    assert parcel_text(2, 3, "4x6in") == "Parcel 2 of 3"
    assert parcel_text(1, 0, "100x150mm") == "1/?"  # Chinese stock
    assert parcel_text(2, 3, "100x150mm") == "2/3"
