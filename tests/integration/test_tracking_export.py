"""``export_tracking`` on SQLite and PostgreSQL: which parcels of a channel's shipped orders
are written, under which channel orders (merged, split, several parcels), in Shopify's CSV and
Taobao's XLSX, once per format unless asked again, and since a day."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from app.bootstrap import Services
from app.db.models import Order, Parcel, TrackingExport
from app.domain.errors import ValidationError
from app.domain.users import Actor, Role
from app.services import tracking_export
from tests.conftest import make_actor
from tests.order_action_fixtures import add_products
from tests.pack_fixtures import add_carrier
from tests.shipped_fixtures import Line, channel_id, packed_order, ship

SF_URL = "https://www.sf-express.com/chn/sc/waybill/waybill-detail/"
LONG_AGO = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _shop(services: Services, admin: Actor) -> dict[str, int]:
    """Shipped orders of the channel ``shopc``: a merged order (#1001 carrying #1002's lids), an
    order split in two parts (#2001), an order in two parcels (#3001, shipped long ago), one
    with a voided parcel (#5001); and a packed order not shipped yet (#4001)."""
    add_products(services, "CUP", "LID", "PEN")
    carrier, _, _ = add_carrier(services, numbers=0)
    ch = channel_id(services, "shopc", "shopify")
    kept = packed_order(
        services, ch, carrier, "PD-M1", "#1001",
        [Line("CUP", 1, "11"), Line("LID", 2, "", refs=[("#1002", "21", 2)])],
        [("SF0000000001", [(0, 1), (1, 2)])],
    )  # fmt: skip
    packed_order(services, ch, carrier, "PD-M2", "#1002", [], [], status="cancelled",
                 merged_into=kept)  # fmt: skip
    split = packed_order(
        services, ch, carrier, "PD-S", "#2001", [Line("CUP", 1, "31")],
        [("SF0000000002", [(0, 1)])],
    )  # fmt: skip
    part = packed_order(
        services, ch, carrier, "PD-S-2", "#2001-2", [Line("PEN", 1, "", refs=[("#2001", "32", 1)])],
        [("SF0000000003", [(0, 1)])], split_from=split,
    )  # fmt: skip
    multi = packed_order(
        services, ch, carrier, "PD-X", "#3001", [Line("CUP", 2, "41")],
        [("SF0000000004", [(0, 1)]), ("SF0000000005", [(0, 1)])],
    )  # fmt: skip
    voided = packed_order(
        services, ch, carrier, "PD-V", "#5001", [Line("PEN", 2, "51")],
        [("SF0000000006", [(0, 2)]), ("SF0000000007", [(0, 2)])],
    )  # fmt: skip
    packed_order(services, ch, carrier, "PD-N", "#4001", [Line("CUP", 1, "61")],
                 [("SF0000000008", [(0, 1)])])  # fmt: skip
    with services.uow() as uow:
        uow.session.execute(
            update(Parcel)
            .where(Parcel.tracking_number == "SF0000000006")
            .values(status="voided", voided_at=LONG_AGO)
        )
        uow.commit()
    ship(services, admin, [kept, split, part, voided])
    ship(services, admin, [multi], at=LONG_AGO)
    return {"kept": kept, "split": split, "part": part, "multi": multi}


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_shopify_csv_has_a_row_per_channel_order_and_number_merged_split_and_multi_parcel(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    _shop(services, admin)
    shipper = make_actor(services, admin, Role.SHIPPER)
    out = tmp_path / "shopify.csv"

    r = services.run(tracking_export.export_tracking, shipper, "shopc", out=out)

    assert (r.format, r.rows, r.parcels, r.skipped, r.written, r.orders) == (
        "shopify", 7, 6, 0, True, 5,
    )  # fmt: skip
    rows = _csv(out)
    assert rows[0] == [
        "Order Name", "Tracking Number", "Tracking Company", "Tracking URL", "Notify Customer",
    ]  # fmt: skip
    assert [r[:3] for r in rows[1:]] == [
        ["#1001", "SF0000000001", "SF Express"],  # the merged order: once per channel order
        ["#1002", "SF0000000001", "SF Express"],
        ["#2001", "SF0000000002", "SF Express"],  # the split parts under the original order
        ["#2001", "SF0000000003", "SF Express"],
        ["#5001", "SF0000000007", "SF Express"],  # the voided parcel is left out
        ["#3001", "SF0000000004", "SF Express"],  # two parcels: a row per number
        ["#3001", "SF0000000005", "SF Express"],
    ]
    assert rows[1][3:] == [SF_URL + "SF0000000001", "TRUE"]
    with services.uow() as uow:
        recorded = uow.session.execute(
            select(
                TrackingExport.channel_order_id, TrackingExport.format, TrackingExport.user_id
            ).order_by(TrackingExport.id)
        ).all()
    assert [x[0] for x in recorded] == [
        "#1001",
        "#1002",
        "#2001",
        "#2001",
        "#5001",
        "#3001",
        "#3001",
    ]
    assert {(x[1], x[2]) for x in recorded} == {("shopify", shipper.user_id)}


def test_a_parcel_is_not_written_twice_in_a_format_unless_asked_again(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    _shop(services, admin)
    services.run(tracking_export.export_tracking, admin, "shopc", out=tmp_path / "1.csv")

    second = services.run(tracking_export.export_tracking, admin, "shopc", out=tmp_path / "2.csv")
    assert (second.written, second.rows, second.parcels, second.skipped) == (False, 0, 0, 6)
    assert not (tmp_path / "2.csv").exists()

    again = services.run(
        tracking_export.export_tracking, admin, "shopc", out=tmp_path / "3.csv", again=True
    )
    assert (again.written, again.rows, again.parcels, again.skipped) == (True, 7, 6, 0)
    assert _csv(tmp_path / "3.csv") == _csv(tmp_path / "1.csv")

    # another format is another file: the same parcels are new to it
    taobao = services.run(
        tracking_export.export_tracking, admin, "shopc", out=tmp_path / "t.xlsx", fmt="taobao"
    )
    assert (taobao.parcels, taobao.skipped) == (6, 0)


def test_taobao_sheet_has_a_row_per_channel_order_with_its_numbers_joined(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    _shop(services, admin)
    out = tmp_path / "taobao.xlsx"

    r = services.run(tracking_export.export_tracking, admin, "shopc", out=out, fmt="taobao")

    assert (r.format, r.rows, r.parcels) == ("taobao", 5, 6)
    ws = load_workbook(out).active
    assert ws is not None
    assert [list(row) for row in ws.iter_rows(values_only=True)] == [
        ["订单编号", "物流公司", "运单号"],
        ["#1001", "顺丰速运", "SF0000000001"],
        ["#1002", "顺丰速运", "SF0000000001"],
        ["#2001", "顺丰速运", "SF0000000002,SF0000000003"],
        ["#5001", "顺丰速运", "SF0000000007"],
        ["#3001", "顺丰速运", "SF0000000004,SF0000000005"],
    ]
    assert ws["C2"].number_format == "@"  # kept as text, never 1E+13


def test_since_leaves_out_parcels_shipped_before_the_day(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    _shop(services, admin)
    out = tmp_path / "recent.csv"
    r = services.run(
        tracking_export.export_tracking, admin, "shopc", out=out, since=date(2026, 11, 21)
    )
    assert (r.parcels, r.rows) == (4, 5)
    assert "#3001" not in {row[0] for row in _csv(out)}
    # not written: a later export without --since still writes them
    rest = services.run(tracking_export.export_tracking, admin, "shopc", out=tmp_path / "r.csv")
    assert [row[1] for row in _csv(tmp_path / "r.csv")[1:]] == ["SF0000000004", "SF0000000005"]
    assert (rest.parcels, rest.skipped) == (2, 4)


def test_a_generic_mapping_writes_the_chosen_fields_under_the_chosen_headers(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    ids = _shop(services, admin)
    services.run(
        tracking_export.save_export_mapping,
        admin,
        "erp",
        ["单号=channel_order_id", "tracking", "carrier_name", "Weight=weight_kg", "shipped_date"],
    )
    out = tmp_path / "erp.csv"
    r = services.run(tracking_export.export_tracking, admin, "shopc", out=out, mapping="erp")
    assert r.format == "generic:erp"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens the Chinese header
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["单号", "tracking", "carrier_name", "Weight", "shipped_date"]
    with services.uow() as uow:
        multi = uow.session.get_one(Order, ids["multi"])
        assert multi.status == "shipped"
    assert ["#3001", "SF0000000005", "SF Express", "1.000", "2026-11-20"] in rows


def test_a_packed_order_is_not_shipped_and_an_unknown_channel_or_format_is_refused(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    _shop(services, admin)
    out = tmp_path / "x.xlsx"
    with pytest.raises(ValidationError, match=r"A jd file is .xlsx: name the file x.xlsx"):
        services.run(
            tracking_export.export_tracking, admin, "shopc", out=tmp_path / "x.csv", fmt="jd"
        )
    r = services.run(tracking_export.export_tracking, admin, "shopc", out=out, fmt="jd")
    assert "#4001" not in {row[0] for row in load_workbook(out).active.iter_rows(values_only=True)}  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="no sales channel nope"):
        services.run(tracking_export.export_tracking, admin, "nope", out=out)
    with pytest.raises(ValidationError, match="amazon is not a tracking file format"):
        services.run(tracking_export.export_tracking, admin, "shopc", out=out, fmt="amazon")
    with pytest.raises(ValidationError, match="needs a saved mapping"):
        services.run(tracking_export.export_tracking, admin, "shopc", out=out, fmt="generic")
    assert r.parcels == 6
