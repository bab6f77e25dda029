"""The pack station with its neighbours: a carrier label made elsewhere is printed as it is
(a PDF drawn for the station's ZPL printer, its barcode intact) instead of taking a pool number,
and the carrier's sorting code for the destination is put on the parcel and its label."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select, update

from app.bootstrap import Services
from app.db.models import Address, Order, Parcel, PrintJob, TrackingNumber
from app.devices.station_config import PrinterSettings, StationDevicesConfig
from app.domain.users import Actor
from app.services import order_labels, packing, sorting_codes, stations
from tests.integration.test_order_labels import decoded, pdf_label
from tests.pack_fixtures import PD1_WEIGHT, PackSetup, pack_ready, tea
from tests.pick_fixtures import BARCODES


def _zpl_printer(services: Services, admin: Actor) -> None:
    printer = PrinterSettings(
        transport="tcp", address="127.0.0.1:9100", language="zpl", label_size="100x150mm"
    )
    config = StationDevicesConfig(printer=printer)
    services.run(stations.save_station_devices, admin, services.station_id, config)


def _pack_pd1(services: Services, setup: PackSetup) -> packing.ScanOutcome:
    packer = setup.packer
    sid = services.run(packing.open_for_packing, packer, "TOTE-0001").session_id
    for text in (BARCODES["CUP-1"], BARCODES["CUP-1"], "PKG-BOX-S", tea("L1")):
        assert services.run(packing.scan, packer, sid, text).ok
    done = services.run(packing.weigh, packer, sid, PD1_WEIGHT)
    assert done.ok and done.kind == "packed", (done.message, done.params)
    return done


def test_an_attached_pdf_label_is_printed_as_it_is_and_takes_no_pool_number(
    services: Services, admin: Actor
) -> None:
    setup = pack_ready(services, admin)
    _zpl_printer(services, admin)
    services.run(
        order_labels.attach_label, admin, "PD1", "sf.pdf", pdf_label("SF7000000000001"),
        "SF7000000000001",
    )  # fmt: skip

    done = _pack_pd1(services, setup)

    assert done.tracking_number == "SF7000000000001"
    with services.uow() as uow:
        s = uow.session
        job = s.get_one(PrintJob, done.label_job_id)
        parcel = s.scalars(select(Parcel)).one()
        assert (parcel.label_source, parcel.tracking_number) == ("attached", "SF7000000000001")
        pool = set(s.scalars(select(TrackingNumber.status)))
        payload, fmt = job.payload, job.format
    assert pool == {"free"}  # the attached label's number was used, not the pool's
    assert fmt == "zpl" and decoded(payload, "zpl") == {"SF7000000000001"}


def test_the_carriers_sorting_code_for_the_destination_is_on_the_parcel(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    setup = pack_ready(services, admin)
    with services.uow() as uow:
        s = uow.session
        address = s.execute(
            insert(Address).returning(Address.id),
            [
                {
                    "name": "欧阳娜",
                    "phone": "13812345678",
                    "country": "CN",
                    "province": "广东省",
                    "city": "深圳市",
                    "district": "南山区",
                    "street": "科技园南区 8 号",
                    "postal_code": "518057",
                }
            ],
        ).scalar_one()
        s.execute(update(Order).where(Order.number == "PD1").values(ship_address_id=address))
        uow.commit()
    table = tmp_path / "sf-codes.csv"
    table.write_text(
        "country,province,city,district,postal_prefix,code,hub\n"
        "CN,广东,,,,755-GD,广州转运中心\n"
        "CN,广东,深圳,南山,,755-W10,深圳转运中心\n",
        encoding="utf-8",
    )
    report = services.run(sorting_codes.load_sorting_codes, admin, "SF", table)
    assert report.loaded == 2

    done = _pack_pd1(services, setup)

    [parcel] = done.view.parcels
    assert parcel.sorting_code == "755-W10"  # the most specific row wins
