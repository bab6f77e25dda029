"""The Chinese platforms' own exports come in on SQLite and PostgreSQL: every order of a sample
is imported (perhaps held) or skipped with its reason; recipients the platform protects are
flagged and not held as a bad phone; importing again adds nothing."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import Order, OrderHold, OrderLine
from app.domain.users import Actor
from app.importers.records import CANCELLED_SKIP, FULFILLED, REFUNDED_SKIP
from app.services import order_intake, orders
from tests.data import make_cn_samples as m
from tests.order_action_fixtures import add_products

DATA = Path(__file__).resolve().parents[1] / "data"
SH = ZoneInfo("Asia/Shanghai")
SKUS = ("BOTTLE-500-BL", "LID-BAMBOO", "WATER-500-6PK")

#: file -> (format, {order: what became of it}); "protected" orders are imported and flagged
SAMPLES: dict[str, tuple[str, dict[str, str]]] = {
    "cn_taobao_orders.csv": (
        "taobao",
        {
            "3876543210987601": "released",
            "3876543210987602": "held:no_sku",
            "3876543210987603": "cod",
            "3876543210987604": CANCELLED_SKIP,
            "3876543210987605": FULFILLED,
            "3876543210987606": "held:partly_fulfilled",
            "3876543210987607": "pickup",
            "3876543210987608": "released",
            "3876543210987609": "held:bad_postal_code",
            "3876543210987610": "six_pack",
            "3876543210987611": "protected",
            "3876543210987612": "held:unpaid",
        },
    ),
    "cn_jd_orders.xlsx": (
        "jd",
        {
            "290000000001": "released",
            "290000000002": "held:no_sku",
            "290000000003": "cod",
            "290000000004": CANCELLED_SKIP,
            "290000000005": FULFILLED,
            "290000000006": "held:partly_fulfilled",
            "290000000007": "pickup",
            "290000000008": "six_pack",
            "290000000009": "protected",
            "290000000010": "held:unpaid",
        },
    ),
    "cn_pinduoduo_orders.csv": (
        "pinduoduo",
        {
            "261121-000000000000001": "protected",
            "261121-000000000000002": "held:no_sku",
            "261121-000000000000003": "cod",
            "261121-000000000000004": CANCELLED_SKIP,
            "261121-000000000000005": FULFILLED,
            "261121-000000000000006": "held:partly_fulfilled",
            "261121-000000000000007": "pickup",
            "261121-000000000000008": "six_pack",
            "261121-000000000000009": "protected",
            "261121-000000000000010": "released",
            "261121-000000000000011": REFUNDED_SKIP,
        },
    ),
    "cn_douyin_orders.csv": (
        "douyin",
        {
            "6917926768823640001": "held:no_sku",
            "6917926768823640002": "cod",
            "6917926768823640003": CANCELLED_SKIP,
            "6917926768823640004": FULFILLED,
            "6917926768823640005": "held:partly_fulfilled",
            "6917926768823640006": "pickup",
            "6917926768823640007": "six_pack",
            "6917926768823640008": "held:unpaid",
            "6917926768823640009": REFUNDED_SKIP,
        },
    ),
}


def _state(services: Services) -> dict[str, dict[str, object]]:
    with services.uow() as uow:
        s = uow.session
        holds: dict[int, list[str]] = {}
        for oid, code in s.execute(
            select(OrderHold.order_id, OrderHold.code).where(OrderHold.resolved_at.is_(None))
        ):
            holds.setdefault(oid, []).append(code)
        out: dict[str, dict[str, object]] = {}
        for o in s.scalars(select(Order)):
            lines = s.execute(
                select(OrderLine.sku, OrderLine.qty).where(OrderLine.order_id == o.id)
            ).all()
            out[o.external_id] = {
                "status": o.status,
                "holds": sorted(holds.get(o.id, [])),
                "protected": o.recipient_protected,
                "cod": o.cod_amount is not None,
                "pickup": o.pickup,
                "lines": sorted((sku, qty) for sku, qty in lines),
            }
        return out


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_order_of_a_platform_sample_is_imported_held_or_skipped_with_its_reason(
    services: Services, admin: Actor, name: str
) -> None:
    fmt, expected = SAMPLES[name]
    add_products(services, *SKUS)
    r = services.run(order_intake.import_file, admin, DATA / name, local=SH)
    assert r.format == fmt
    skipped = {p.order: p.template for p in r.problems if p.kind == "skipped"}
    state = _state(services)
    assert set(state) | set(skipped) == set(expected)
    for order, what in expected.items():
        got = state.get(order)
        if what in (CANCELLED_SKIP, FULFILLED, REFUNDED_SKIP):
            assert got is None and skipped.get(order) == what, order
            continue
        assert got is not None, order
        assert "bad_phone" not in got["holds"], (order, got)
        if what.startswith("held:"):
            assert what.removeprefix("held:") in got["holds"], (order, got)
        elif what == "released":
            assert got["status"] == "released" and not got["protected"], (order, got)
        elif what == "cod":
            assert got["cod"] and "unpaid" not in got["holds"], (order, got)
        elif what == "pickup":
            assert got["pickup"], (order, got)
        elif what == "six_pack":
            assert got["lines"] == [("WATER-500-6PK", 1)], (order, got)
        elif what == "protected":
            assert got["protected"] and got["holds"] == [], (order, got)
    assert r.rejected == 0
    again = services.run(order_intake.import_file, admin, DATA / name, local=SH)
    assert (again.imported, again.updated) == (0, 0)
    assert _state(services) == state


def test_a_douyin_order_with_an_encrypted_recipient_is_flagged_and_not_held_for_its_phone(
    services: Services, admin: Actor
) -> None:
    add_products(services, *SKUS)
    services.run(order_intake.import_file, admin, DATA / "cn_douyin_orders.csv", local=SH)
    state = _state(services)
    assert all(o["protected"] for o in state.values())
    assert state["6917926768823640007"]["status"] == "released"


def test_the_orders_list_json_says_whether_the_platform_protects_the_recipient(
    services: Services, admin: Actor
) -> None:
    add_products(services, *SKUS)
    services.run(order_intake.import_file, admin, DATA / "cn_pinduoduo_orders.csv", local=SH)
    data = services.run(orders.orders_for_export, admin)
    flags = {o["external_id"]: o["recipient_protected"] for o in data}
    assert flags["261121-000000000000009"] is True
    assert flags["261121-000000000000010"] is False
    detail = services.run(orders.order_detail, admin, int(_id(services, "261121-000000000000009")))
    assert detail.recipient_protected


def _id(services: Services, ext: str) -> int:
    with services.uow() as uow:
        oid = uow.session.scalar(select(Order.id).where(Order.external_id == ext))
        assert oid is not None
        return oid


def test_buyers_behind_the_same_masked_recipient_are_not_one_customer_nor_duplicates(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    """Pinduoduo's 吴** / 138****1234 is many buyers (the surname and four digits). Same items,
    same masked recipient: two customers, neither order held as a duplicate of the other."""
    add_products(services, *SKUS)
    rows = [m.PDD_HEADER]
    rows += [m.pdd_row(oid, "BOTTLE-500-BL") for oid in ("261121-0001", "261121-0002")]
    m.write_csv(tmp_path / "pdd.csv", rows, "utf-8-sig")
    services.run(order_intake.import_file, admin, tmp_path / "pdd.csv", local=SH)
    with services.uow() as uow:
        got = uow.session.execute(select(Order.customer_id, Order.status)).all()
    assert len({cid for cid, _ in got}) == 2
    assert [status for _, status in got] == ["released", "released"]
    state = _state(services)
    assert all(o["protected"] and o["holds"] == [] for o in state.values())
