"""The scan pipeline against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from app.bootstrap import Services
from app.db.models import AuditEntry, Location, Product, ProductBarcode, Warehouse
from app.devices.base import RawScan
from app.domain.errors import PermissionDenied, UnknownBarcode
from app.domain.scans import (
    GS,
    AmbiguousBarcode,
    BrokenGs1,
    Command,
    InvalidScan,
    ScanKind,
    ScanPatterns,
    UnknownGtin,
    command_text,
)
from app.domain.users import Actor, Role
from app.services import auth, scanning
from tests.conftest import make_actor
from tests.factories import add_orders

EAN = "5901234123457"
UPC = "036000291452"
CASE_GTIN14 = "15901234123454"


@pytest.fixture
def stocked(services: Services, admin: Actor) -> dict[str, int]:
    """A product with an EAN-13, a case GTIN-14 (12 units) and an internal code; a UPC-A
    product; a location; an order; a packer with a badge."""
    with services.uow() as uow:
        s = uow.session
        cup, case_ = s.execute(
            insert(Product).returning(Product.id),
            [
                {"sku": "CUP-500", "name": "保温杯 500ml"},
                {"sku": "SODA-12", "name": "Soda can"},
            ],
        ).scalars()
        s.execute(
            insert(ProductBarcode),
            [
                {"product_id": cup, "barcode": EAN, "kind": "ean13"},
                {"product_id": cup, "barcode": CASE_GTIN14, "kind": "gtin14", "pack_qty": 12},
                {"product_id": cup, "barcode": "INT-CUP-1", "kind": "internal"},
                {"product_id": case_, "barcode": UPC, "kind": "upc"},
            ],
        )
        wh = s.execute(
            insert(Warehouse).returning(Warehouse.id), [{"code": "SZ", "name": "Shenzhen"}]
        ).scalar_one()
        loc = s.execute(
            insert(Location).returning(Location.id),
            [{"warehouse_id": wh, "code": "A-01-02-03", "barcode": "LOC-A010203", "zone": "A"}],
        ).scalar_one()
        uow.commit()
    (order,) = add_orders(services, 1)
    packer = services.run(
        auth.create_user,
        admin,
        "li.na",
        Role.PACKER,
        "packer-pass-1",
        "李娜",
        badge="BADGE-0042",
        pin="4321",
    )
    return {"cup": cup, "soda": case_, "loc": loc, "order": order, "packer": packer.id}


def test_each_barcode_of_a_sku_finds_the_product(
    services: Services, stocked: dict[str, int]
) -> None:
    for code in [EAN, "INT-CUP-1", "CUP-500"]:
        ev = services.run(scanning.classify, code)
        assert (ev.kind, ev.entity_id, ev.code) == (ScanKind.PRODUCT, stocked["cup"], "CUP-500")
        assert ev.label == "保温杯 500ml" and ev.quantity == 1
    case_scan = services.run(scanning.classify, CASE_GTIN14)
    assert case_scan.entity_id == stocked["cup"] and case_scan.quantity == 12


def test_a_gs1_128_gtin14_finds_the_product_stored_as_ean13_and_keeps_lot_and_expiry(
    services: Services, stocked: dict[str, int]
) -> None:
    raw = RawScan(f"]C101{EAN.zfill(14)}10L2301{GS}17270200", source="serial:/dev/ttyACM0")
    ev = services.run(scanning.classify, raw)
    assert ev.kind is ScanKind.PRODUCT and ev.entity_id == stocked["cup"]
    assert ev.symbology == "]C1" and ev.source == "serial:/dev/ttyACM0"
    assert ev.raw == raw.text and GS in ev.text
    assert ev.gs1 is not None and ev.gs1.lot == "L2301" and ev.gs1.expiry == date(2027, 2, 28)


def test_an_ean13_scan_finds_a_product_stored_as_gtin14_and_upc_as_ean13(
    services: Services, stocked: dict[str, int]
) -> None:
    assert services.run(scanning.classify, "0" + UPC).entity_id == stocked["soda"]  # EAN-13 form
    assert services.run(scanning.classify, "]E0" + "0" + UPC).entity_id == stocked["soda"]
    dl = services.run(scanning.classify, f"https://id.gs1.org/01/00{UPC}/10/B1")
    assert dl.kind is ScanKind.PRODUCT and dl.entity_id == stocked["soda"]
    assert dl.gs1 is not None and dl.gs1.lot == "B1"


def test_locations_orders_and_badges_are_recognised(
    services: Services, stocked: dict[str, int]
) -> None:
    loc = services.run(scanning.classify, "LOC-A010203")
    assert (loc.kind, loc.entity_id, loc.code) == (ScanKind.LOCATION, stocked["loc"], "A-01-02-03")
    order = services.run(scanning.classify, "PD00000001")
    assert (order.kind, order.entity_id) == (ScanKind.ORDER, stocked["order"])
    badge = services.run(scanning.classify, "BADGE-0042")
    assert (badge.kind, badge.code) == (ScanKind.BADGE, "li.na")


def test_commands_totes_tracking_numbers_and_ssccs_are_recognised_without_tables(
    services: Services, stocked: dict[str, int]
) -> None:
    qty = services.run(scanning.classify, command_text(Command.QUANTITY, 5))
    assert (qty.kind, qty.command, qty.quantity) == (ScanKind.COMMAND, Command.QUANTITY, 5)
    assert services.run(scanning.classify, "TOTE-0042").kind is ScanKind.TOTE
    parcel = services.run(scanning.classify, "SF1234567890123")
    assert (parcel.kind, parcel.carrier) == (ScanKind.TRACKING, "SF Express")
    sscc = services.run(scanning.classify, "]C100376130321109103420")
    assert (sscc.kind, sscc.code) == (ScanKind.SSCC, "376130321109103420")


def test_unknown_barcodes_are_reported_as_unknown_never_guessed(
    services: Services, stocked: dict[str, int]
) -> None:
    ev = services.run(scanning.classify, "NOT-A-REAL-CODE-1")
    assert ev.kind is ScanKind.UNKNOWN and not ev.ok and ev.entity_id is None
    assert isinstance(ev.error, UnknownBarcode) and "NOT-A-REAL-CODE-1" in ev.problem
    # a near miss of a real EAN (one digit off, check digit wrong) is not "close enough"
    assert services.run(scanning.classify, "5901234123458").kind is ScanKind.UNKNOWN
    # a valid GTIN nobody stocks
    other = services.run(scanning.classify, "4006381333931")
    assert other.kind is ScanKind.UNKNOWN and isinstance(other.error, UnknownGtin)


def test_garbled_input_is_invalid_with_a_reason_and_never_raises(
    services: Services, stocked: dict[str, int]
) -> None:
    for raw, error in [
        ("AB\x07\x08CD", InvalidScan),
        ("", InvalidScan),
        ("\ufffd\ufffd", InvalidScan),
        ("]C1" + "0159012341234510AB", BrokenGs1),  # wrong GTIN check digit
        ("]d2HELLO", BrokenGs1),
    ]:
        ev = services.run(scanning.classify, raw)
        assert ev.kind is ScanKind.INVALID, raw
        assert isinstance(ev.error, error) and ev.problem


def test_a_barcode_used_by_two_kinds_of_thing_is_not_guessed(
    services: Services, stocked: dict[str, int]
) -> None:
    with services.uow() as uow:
        uow.session.execute(
            insert(ProductBarcode),
            [{"product_id": stocked["cup"], "barcode": "LOC-A010203", "kind": "internal"}],
        )
        uow.commit()
    ev = services.run(scanning.classify, "LOC-A010203")
    assert ev.kind is ScanKind.UNKNOWN and isinstance(ev.error, AmbiguousBarcode)
    assert "a location" in ev.problem and "a product" in ev.problem


def test_scan_patterns_are_a_setting_changed_with_permission_and_audited(
    services: Services, admin: Actor, stocked: dict[str, int]
) -> None:
    assert services.run(scanning.classify, "CART-17").kind is ScanKind.UNKNOWN
    packer = make_actor(services, admin, Role.PACKER, "packer2")
    patterns = ScanPatterns(tote=r"^CART-\d+$", tracking=(("Acme", r"^AC\d{6}$"),))
    with pytest.raises(PermissionDenied):
        services.run(scanning.set_scan_patterns, packer, patterns)
    services.run(scanning.set_scan_patterns, admin, patterns)
    assert services.run(scanning.get_scan_patterns) == patterns
    assert services.run(scanning.classify, "CART-17").kind is ScanKind.TOTE
    assert services.run(scanning.classify, "AC123456").carrier == "Acme"
    assert services.run(scanning.classify, "SF1234567890123").kind is ScanKind.UNKNOWN
    with services.uow() as uow:
        entry = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "settings.scan_patterns")
        ).one()
        assert entry.username == "admin" and entry.after == patterns.to_json()


def test_sample_barcodes_come_from_the_database_and_classify_as_described(
    services: Services, stocked: dict[str, int]
) -> None:
    samples = services.run(scanning.sample_barcodes)
    kinds = {s.text: services.run(scanning.classify, s.text).kind for s in samples}
    for sample in samples:  # each sample is what its kind says
        expected = {"gs1": "product", "command": "command"}.get(sample.kind, sample.kind)
        assert kinds[sample.text].value == expected, sample
    assert kinds[EAN] is ScanKind.PRODUCT and kinds["LOC-A010203"] is ScanKind.LOCATION
    assert kinds["PD00000001"] is ScanKind.ORDER
    gs1 = next(s for s in samples if s.kind == "gs1")
    assert gs1.detail == EAN and "L2301" in gs1.text
    assert kinds[gs1.text] is ScanKind.PRODUCT
    assert kinds["NOT-A-REAL-CODE-1"] is ScanKind.UNKNOWN
    assert {ScanKind.COMMAND, ScanKind.TOTE, ScanKind.TRACKING, ScanKind.SSCC} <= set(
        kinds.values()
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # classify only reads
)
@given(
    text=st.one_of(
        st.text(max_size=60),
        st.builds(
            lambda aim, body: aim + body,
            st.sampled_from(["]C1", "]d2", "]Q3", "]E0", "]C0", ""]),
            st.text(alphabet="0123456789()\x1dABCL-/:.", max_size=50),
        ),
    )
)
def test_any_input_gives_an_event_never_an_exception(
    services: Services, stocked: dict[str, int], text: str
) -> None:
    ev = services.run(scanning.classify, text)
    assert isinstance(ev.kind, ScanKind) and ev.raw == text
    if ev.kind in (ScanKind.UNKNOWN, ScanKind.INVALID):
        assert ev.error is not None and ev.problem
    else:
        assert ev.error is None


def test_the_demo_panel_offers_orders_ready_to_pack_each_followed_by_its_items_barcodes(
    services: Services, admin: Actor
) -> None:
    from tests.pack_fixtures import pack_ready
    from tests.pick_fixtures import BARCODES

    pack_ready(services, admin)
    samples = services.run(scanning.sample_barcodes)
    first = samples[0]
    assert first.kind == "order" and first.text == "PD1" and first.detail == "PD1 · picked"
    items = []
    for sample in samples[1:]:
        if sample.kind != "product":
            break
        items.append(sample)
    assert {s.text for s in items} == {BARCODES["CUP-1"], BARCODES["TEA-1"]}
    assert all(s.detail.startswith("PD1 → ") for s in items)
    assert services.run(scanning.classify, first.text).kind is ScanKind.ORDER
