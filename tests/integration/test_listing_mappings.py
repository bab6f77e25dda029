"""Product mappings (平台货品对应) on SQLite and PostgreSQL: lines matched at import by SKU,
listing id or title, 6-packs and kits expanded, re-imports adding nothing, and a held line mapped
in review releasing every held order of that listing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select, update

from app.bootstrap import Services
from app.db.models import (
    AuditEntry,
    Channel,
    ListingMapping,
    Order,
    OrderHold,
    OrderLine,
    ProductBarcode,
)
from app.domain.errors import NotFound, ValidationError
from app.domain.users import Actor
from app.importers.records import AddressRecord, LineRecord, OrderRecord
from app.services import listing_mappings as lm
from app.services import order_intake
from tests.order_action_fixtures import add_products, status_of

DATA = Path(__file__).resolve().parents[1] / "data"
UTC = ZoneInfo("UTC")
ADDRESS = AddressRecord(
    "张三丰",
    "13812345678",
    "",
    "CN",
    "广东省",
    "深圳市",
    "南山区",
    "科技园南路1号3栋502室",
    "",
    "518000",
)


@dataclass(frozen=True)
class L:
    """A channel line: its SKU, title, quantity and listing id."""

    sku: str = ""
    title: str = ""
    qty: int = 1
    listing_id: str = ""
    price: str = "10.00"


def record(ext: str, *lines: L, row: int = 2) -> OrderRecord:
    return OrderRecord(
        external_id=ext,
        row=row,
        lines=tuple(
            LineRecord(
                row,
                ln.sku,
                ln.qty,
                name=ln.title,
                unit_price=Decimal(ln.price),
                external_line_id=f"{ext}-{i}",
                listing_id=ln.listing_id,
            )
            for i, ln in enumerate(lines, 1)
        ),
        address=ADDRESS,
        currency="CNY",
        email=f"{ext}@example.com",
    )


def import_orders(
    services: Services, actor: Actor, *recs: OrderRecord, channel: str = "taobao"
) -> order_intake.ImportResult:
    return services.run(order_intake.import_records, actor, list(recs), channel=channel)


def channel_id(services: Services, code: str) -> int:
    with services.uow() as uow:
        cid = uow.session.scalar(select(Channel.id).where(Channel.code == code))
        if cid is None:
            cid = uow.session.execute(
                insert(Channel).returning(Channel.id), [{"code": code, "name": code.title()}]
            ).scalar_one()
            uow.commit()
        return cid


@dataclass(frozen=True)
class LineRow:
    line_no: int
    sku: str
    qty: int
    product_id: int | None
    unit_price: Decimal
    external_line_id: str
    listing_sku: str
    listing_id: str
    listing_title: str
    listing_qty: int
    mapping_id: int | None


def lines_of(services: Services, order_id: int) -> list[LineRow]:
    with services.uow() as uow:
        return [
            LineRow(
                ln.line_no,
                ln.sku,
                ln.qty,
                ln.product_id,
                ln.unit_price,
                ln.external_line_id,
                ln.listing_sku,
                ln.listing_id,
                ln.listing_title,
                ln.listing_qty,
                ln.mapping_id,
            )
            for ln in uow.session.scalars(
                select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.line_no)
            )
        ]


def open_holds(services: Services, order_id: int) -> list[str]:
    with services.uow() as uow:
        return sorted(
            uow.session.scalars(
                select(OrderHold.code).where(
                    OrderHold.order_id == order_id, OrderHold.resolved_at.is_(None)
                )
            )
        )


def save(
    services: Services,
    actor: Actor,
    channel: int | None,
    kind: str,
    text: str,
    parts: Sequence[tuple[int, int]],
    **kw: object,
) -> lm.MapResult:
    return services.run(lm.save_mapping, actor, channel, kind, text, parts, **kw)


# --- at import ------------------------------------------------------------------------------


def test_a_six_pack_listing_imports_as_six_units_of_the_product_and_keeps_the_listing(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "NAPKIN-1")
    tb = channel_id(services, "taobao")
    save(services, admin, tb, "sku", "NAPKIN-6PK", [(p["NAPKIN-1"], 6)])
    result = import_orders(services, admin, record("T1", L("napkin-6pk", "Napkins, 6-pack", 2)))
    [oid] = result.order_ids
    assert status_of(services, oid) == "released"
    [line] = lines_of(services, oid)
    assert (line.sku, line.qty, line.product_id) == ("NAPKIN-1", 12, p["NAPKIN-1"])
    assert (line.listing_sku, line.listing_title, line.listing_qty) == (
        "napkin-6pk",
        "Napkins, 6-pack",
        2,
    )
    assert line.external_line_id == "T1-1" and line.mapping_id is not None
    assert line.unit_price == Decimal("1.67")  # 10.00 shared by the 6 units of the pack


def test_a_kit_listing_becomes_one_line_per_product_in_the_order_of_the_channel_lines(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "TEA-GREEN", "TEA-BLACK", "CUP-1", "SPOON")
    save(
        services,
        admin,
        None,
        "listing_id",
        "var-7788",
        [(p["TEA-GREEN"], 2), (p["TEA-BLACK"], 2), (p["CUP-1"], 1)],
    )
    result = import_orders(
        services,
        admin,
        record("K1", L("", "茶具礼盒 组合装", 3, listing_id="VAR-7788"), L("SPOON", "Spoon", 1)),
    )
    [oid] = result.order_ids
    got = [
        (ln.line_no, ln.sku, ln.qty, ln.listing_id, ln.external_line_id)
        for ln in lines_of(services, oid)
    ]
    assert got == [
        (1, "TEA-GREEN", 6, "VAR-7788", "K1-1"),
        (2, "TEA-BLACK", 6, "VAR-7788", "K1-1"),
        (3, "CUP-1", 3, "VAR-7788", "K1-1"),
        (4, "SPOON", 1, "", "K1-2"),
    ]
    assert status_of(services, oid) == "released"


def test_a_title_mapping_matches_whatever_the_case_width_and_spacing_of_the_title(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "MUG-BLUE")
    save(services, admin, None, "title", "Ceramic Mug - Blue", [(p["MUG-BLUE"], 1)])
    result = import_orders(
        services,
        admin,
        record("A", L("", "ceramic   mug - blue")),
        record("B", L("", "ＣＥＲＡＭＩＣ Mug - Blue"), row=3),
        record("C", L("", "Ceramic Mug - Red"), row=4),
    )
    a, b, c = result.order_ids
    assert [ln.sku for ln in lines_of(services, a)] == ["MUG-BLUE"]
    assert [ln.sku for ln in lines_of(services, b)] == ["MUG-BLUE"]
    assert open_holds(services, c) == ["no_sku"]
    assert [ln.product_id for ln in lines_of(services, c)] == [None]


def test_the_channels_own_mapping_wins_over_an_every_channel_one_and_a_products_sku_over_both(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "A-1", "B-1", "GIFT-1")
    tb, jd = channel_id(services, "taobao"), channel_id(services, "jd")
    save(services, admin, None, "sku", "GIFT", [(p["A-1"], 1)])
    save(services, admin, tb, "sku", "GIFT", [(p["B-1"], 1)])
    save(services, admin, None, "sku", "GIFT-1", [(p["A-1"], 1)])  # a product's SKU already
    [on_tb] = import_orders(services, admin, record("X", L("GIFT"))).order_ids
    [on_jd] = import_orders(services, admin, record("Y", L("GIFT")), channel="jd").order_ids
    [direct] = import_orders(services, admin, record("Z", L("GIFT-1"))).order_ids
    assert [ln.sku for ln in lines_of(services, on_tb)] == ["B-1"]
    assert [ln.sku for ln in lines_of(services, on_jd)] == ["A-1"]
    assert [(ln.sku, ln.mapping_id) for ln in lines_of(services, direct)] == [("GIFT-1", None)]
    assert jd != tb


def test_a_sku_mapping_is_tried_before_a_listing_id_and_a_listing_id_before_a_title(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "BY-SKU", "BY-ID", "BY-TITLE")
    save(services, admin, None, "title", "Thing", [(p["BY-TITLE"], 1)])
    save(services, admin, None, "listing_id", "555", [(p["BY-ID"], 1)])
    save(services, admin, None, "sku", "T-1", [(p["BY-SKU"], 1)])
    ids = import_orders(
        services,
        admin,
        record("1", L("T-1", "Thing", listing_id="555")),
        record("2", L("T-2", "Thing", listing_id="555"), row=3),
        record("3", L("T-2", "Thing", listing_id="556"), row=4),
    ).order_ids
    assert [lines_of(services, oid)[0].sku for oid in ids] == ["BY-SKU", "BY-ID", "BY-TITLE"]


def test_importing_the_same_orders_again_keeps_the_mapped_lines_and_adds_nothing(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "NAPKIN-1")
    save(services, admin, None, "sku", "NAPKIN-6PK", [(p["NAPKIN-1"], 6)])
    rec = record("R1", L("NAPKIN-6PK", "Napkins", 1), L("", "Unknown thing"))
    [oid] = import_orders(services, admin, rec).order_ids
    before = lines_of(services, oid)
    again = import_orders(services, admin, rec)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 1)
    assert lines_of(services, oid) == before
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OrderLine)) == 2


def test_an_order_changed_in_the_channel_is_mapped_again_on_update(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "NAPKIN-1")
    save(services, admin, None, "title", "Napkins", [(p["NAPKIN-1"], 6)])
    [oid] = import_orders(services, admin, record("U1", L("", "Napkins", 1))).order_ids
    changed = import_orders(services, admin, record("U1", L("", "Napkins", 3)))
    assert changed.updated == 1
    assert [(ln.sku, ln.qty, ln.listing_qty) for ln in lines_of(services, oid)] == [
        ("NAPKIN-1", 18, 3)
    ]


def test_a_mapping_whose_product_was_retired_no_longer_maps_the_line(
    services: Services, admin: Actor
) -> None:
    from app.db.models import Product

    p = add_products(services, "OLD-1")
    save(services, admin, None, "title", "Old thing", [(p["OLD-1"], 1)])
    with services.uow() as uow:
        uow.session.execute(update(Product).where(Product.id == p["OLD-1"]).values(active=False))
        uow.commit()
    [oid] = import_orders(services, admin, record("O1", L("", "Old thing"))).order_ids
    assert open_holds(services, oid) == ["no_sku"]


# --- the acceptance test: a Shopify export without SKUs -------------------------------------


def test_a_shopify_export_without_skus_is_held_and_mapping_one_listing_releases_its_orders(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "MUG-BLUE", "NAPKIN-1")
    result = services.run(order_intake.import_file, admin, DATA / "shopify_no_skus.csv", local=UTC)
    assert (result.imported, result.held, result.released) == (5, 5, 0)
    ids = dict(zip(("3001", "3002", "3003", "3004", "3005"), result.order_ids, strict=True))
    for oid in ids.values():
        assert set(open_holds(services, oid)) == {"no_sku"}
    mug_line = lines_of(services, ids["3001"])[0]
    with services.uow() as uow:
        line_id = uow.session.scalar(select(OrderLine.id).where(OrderLine.order_id == ids["3001"]))
    listing = services.run(lm.listing_of_line, admin, ids["3001"], line_id)
    assert (listing.match_kind, listing.match_text) == ("title", "Ceramic mug - Blue")
    assert listing.held_orders_with_listing == 3 and mug_line.listing_qty == 2

    mapped = services.run(lm.map_line, admin, ids["3001"], line_id, [(p["MUG-BLUE"], 1)])

    assert (mapped.rechecked, mapped.released, mapped.still_held) == (3, 2, 1)
    assert mapped.mapping.match_kind == "title" and mapped.mapping.channel_name == "shopify"
    status = {k: status_of(services, oid) for k, oid in ids.items()}
    assert status == {
        "3001": "released",
        "3002": "on_hold",  # its napkins are still unknown
        "3003": "on_hold",
        "3004": "on_hold",
        "3005": "released",
    }
    assert [(ln.sku, ln.qty) for ln in lines_of(services, ids["3001"])] == [("MUG-BLUE", 2)]
    assert [ln.sku for ln in lines_of(services, ids["3002"])] == ["MUG-BLUE", ""]
    assert [ln.sku for ln in lines_of(services, ids["3003"])] == [""]
    # the next import of the shop's orders uses the mapping
    later = services.run(
        order_intake.import_records,
        admin,
        [record("S9", L("", "ceramic mug - blue", 4))],
        channel="shopify",
    )
    assert later.released == 1


# --- mapping in review ----------------------------------------------------------------------


def _held_orders(services: Services, admin: Actor, n: int, title: str) -> list[int]:
    recs = [record(f"H{i}", L("", title, 1), row=i + 2) for i in range(n)]
    return list(import_orders(services, admin, *recs).order_ids)


def _first_line(services: Services, order_id: int) -> int:
    with services.uow() as uow:
        line = uow.session.scalar(
            select(OrderLine.id).where(OrderLine.order_id == order_id, OrderLine.line_no == 1)
        )
        assert line is not None
        return line


def test_mapping_a_line_without_applying_to_held_orders_maps_only_that_order(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "KIT-A", "KIT-B")
    first, second = _held_orders(services, admin, 2, "Gift box")
    done = services.run(
        lm.map_line,
        admin,
        first,
        _first_line(services, first),
        [(p["KIT-A"], 1), (p["KIT-B"], 2)],
        apply_to_held=False,
    )
    assert (done.rechecked, done.released) == (1, 1)
    assert [(ln.line_no, ln.sku, ln.qty) for ln in lines_of(services, first)] == [
        (1, "KIT-A", 1),
        (2, "KIT-B", 2),
    ]
    assert status_of(services, second) == "on_hold"
    assert [ln.sku for ln in lines_of(services, second)] == [""]


def test_a_mapping_never_changes_an_order_past_review(services: Services, admin: Actor) -> None:
    p = add_products(services, "CUP-1")
    held, picking = _held_orders(services, admin, 2, "Cup")
    with services.uow() as uow:
        uow.session.execute(update(Order).where(Order.id == picking).values(status="picking"))
        uow.commit()
    done = save(services, admin, None, "title", "cup", [(p["CUP-1"], 1)])
    assert (done.rechecked, done.released, done.still_held) == (1, 1, 0)
    assert status_of(services, held) == "released"
    assert status_of(services, picking) == "picking"
    assert [ln.sku for ln in lines_of(services, picking)] == [""]
    with pytest.raises(ValidationError, match="only new or held orders"):
        services.run(lm.map_line, admin, picking, _first_line(services, picking), [(p["CUP-1"], 1)])


def test_a_kit_mapped_in_review_keeps_the_lines_after_it_in_order(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "A-1", "B-1", "C-1")
    [oid] = import_orders(
        services, admin, record("Z1", L("", "Box", 2), L("C-1", "C", 5))
    ).order_ids
    services.run(
        lm.map_line, admin, oid, _first_line(services, oid), [(p["A-1"], 1), (p["B-1"], 3)]
    )
    got = [
        (ln.line_no, ln.sku, ln.qty, ln.listing_title, ln.listing_qty)
        for ln in lines_of(services, oid)
    ]
    assert got == [(1, "A-1", 2, "Box", 2), (2, "B-1", 6, "Box", 2), (3, "C-1", 5, "C", 5)]
    assert status_of(services, oid) == "released"


def test_saving_a_mapping_twice_changes_it_instead_of_adding_another(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "A-1", "B-1")
    one = save(services, admin, None, "sku", "X-1", [(p["A-1"], 1)])
    two = save(services, admin, None, "sku", " x-1 ", [(p["B-1"], 2)])
    assert one.mapping.id == two.mapping.id
    assert [(q.sku, q.units) for q in two.mapping.parts] == [("B-1", 2)]
    with services.uow() as uow:
        actions = list(
            uow.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity_type == "listing_mapping")
                .order_by(AuditEntry.id)
            )
        )
    assert actions == ["mapping.add", "mapping.change"]


@pytest.mark.parametrize(
    ("kind", "text", "parts", "message"),
    [
        ("sku", "X", [], "at least one product"),
        ("sku", "  ", [("A-1", 1)], "listing to match is empty"),
        ("colour", "X", [("A-1", 1)], "not one of sku, listing_id or title"),
        ("sku", "X", [("A-1", 0)], "whole number above 0"),
        ("sku", "X", [("A-1", 1), ("A-1", 2)], "in the mapping twice"),
    ],
)
def test_a_mapping_that_breaks_a_rule_is_refused_with_what_to_fix(
    services: Services,
    admin: Actor,
    kind: str,
    text: str,
    parts: list[tuple[str, int]],
    message: str,
) -> None:
    p = add_products(services, "A-1")
    with pytest.raises(ValidationError, match=message):
        save(services, admin, None, kind, text, [(p[s], u) for s, u in parts])
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(ListingMapping)) == 0


def test_a_mapping_naming_an_unknown_product_or_channel_is_refused(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "A-1")
    with pytest.raises(NotFound, match="Product 999"):
        save(services, admin, None, "sku", "X", [(999, 1)])
    with pytest.raises(NotFound, match="Channel 999"):
        save(services, admin, 999, "sku", "X", [(p["A-1"], 1)])


def test_deleting_a_mapping_keeps_the_orders_it_mapped_and_holds_later_imports(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "A-1")
    done = save(services, admin, None, "title", "Thing", [(p["A-1"], 1)])
    [mapped] = import_orders(services, admin, record("D1", L("", "Thing"))).order_ids
    services.run(lm.delete_mapping, admin, done.mapping.id)
    [later] = import_orders(services, admin, record("D2", L("", "Thing"))).order_ids
    assert [(ln.sku, ln.mapping_id) for ln in lines_of(services, mapped)] == [("A-1", None)]
    assert open_holds(services, later) == ["no_sku"]
    assert services.run(lm.list_mappings, admin) == []
    with pytest.raises(NotFound):
        services.run(lm.delete_mapping, admin, done.mapping.id)


# --- reading --------------------------------------------------------------------------------


def test_the_list_finds_mappings_by_listing_or_product_and_by_channel(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "MUG-BLUE", "TEA-1")
    tb = channel_id(services, "taobao")
    channel_id(services, "jd")
    save(services, admin, tb, "title", "蓝色马克杯", [(p["MUG-BLUE"], 1)])
    save(services, admin, None, "sku", "TEA-SET", [(p["TEA-1"], 3)])
    every = services.run(lm.list_mappings, admin)
    assert {(m.channel_name, m.match_text) for m in every} == {
        ("Taobao", "蓝色马克杯"),
        ("", "TEA-SET"),
    }
    assert [m.match_text for m in services.run(lm.list_mappings, admin, "马克")] == ["蓝色马克杯"]
    assert [m.match_text for m in services.run(lm.list_mappings, admin, "mug-b")] == ["蓝色马克杯"]
    jd = channel_id(services, "jd")
    assert [m.match_text for m in services.run(lm.list_mappings, admin, "", jd)] == ["TEA-SET"]
    [tea] = services.run(lm.list_mappings, admin, "tea-set")
    assert [(q.sku, q.name, q.units) for q in tea.parts] == [("TEA-1", "Product TEA-1", 3)]


def test_product_search_puts_a_scanned_barcode_or_exact_sku_first(
    services: Services, admin: Actor
) -> None:
    p = add_products(services, "CUP", "CUP-LID", "TEACUP-2")
    with services.uow() as uow:
        uow.session.execute(
            insert(ProductBarcode), [{"product_id": p["TEACUP-2"], "barcode": "6901234567892"}]
        )
        uow.commit()
    by_code = services.run(lm.search_products, admin, "6901234567892")
    assert [(h.sku, h.barcode) for h in by_code] == [("TEACUP-2", "6901234567892")]
    hits = services.run(lm.search_products, admin, "cup")
    assert hits[0].sku == "CUP" and {h.sku for h in hits} == {"CUP", "CUP-LID", "TEACUP-2"}
    assert services.run(lm.search_products, admin, "product cup-l")[0].sku == "CUP-LID"
    assert services.run(lm.search_products, admin, "cup", 1)[0].sku == "CUP"
    assert services.run(lm.search_products, admin, "  ") == []


def test_the_listing_of_a_line_proposes_its_sku_else_its_listing_id_else_its_title(
    services: Services, admin: Actor
) -> None:
    ids = import_orders(
        services,
        admin,
        record("P1", L("ODD-SKU", "Odd", listing_id="77")),
        record("P2", L("", "Odd", listing_id="77"), row=3),
        record("P3", L("", "Odd"), row=4),
    ).order_ids
    got = []
    for oid in ids:
        one = services.run(lm.listing_of_line, admin, oid, _first_line(services, oid))
        got.append((one.match_kind, one.match_text, one.held_orders_with_listing))
    assert got == [("sku", "ODD-SKU", 1), ("listing_id", "77", 2), ("title", "Odd", 3)]
    with pytest.raises(NotFound):
        services.run(lm.listing_of_line, admin, ids[0], _first_line(services, ids[1]))


def test_reviews_line_sources_give_every_line_its_id_and_the_unknown_ones_a_listing_to_map(
    services: Services, admin: Actor
) -> None:
    from app.services import line_sources

    add_products(services, "KNOWN")
    [oid] = import_orders(
        services, admin, record("M1", L("", "Box"), L("KNOWN", "Known"), L("ODD", "Odd", 2))
    ).order_ids
    got = services.run(line_sources.line_sources, admin, oid)
    assert [(x.line_no, x.sku, x.known, x.mapped) for x in got] == [
        (1, "", False, False),
        (2, "KNOWN", True, False),
        (3, "ODD", False, False),
    ]
    to_map = [services.run(lm.listing_of_line, admin, oid, x.line_id) for x in got if not x.known]
    assert [(x.match_kind, x.match_text, x.qty) for x in to_map] == [
        ("title", "Box", 1),
        ("sku", "ODD", 2),
    ]
    assert services.run(line_sources.line_sources, admin, 999) == []


def test_checking_a_held_order_again_maps_its_lines_by_a_mapping_saved_since(
    services: Services, admin: Actor
) -> None:
    from app.services import order_checks

    p = add_products(services, "BOX-1")
    held, other = _held_orders(services, admin, 2, "Box")
    save(services, admin, None, "title", "box", [(p["BOX-1"], 3)], apply_to_held=False)
    assert status_of(services, held) == "on_hold"
    [result] = services.run(order_checks.recheck, admin, [held])
    assert result.status == "released" and result.failures == ()
    assert [(ln.sku, ln.qty, ln.listing_title) for ln in lines_of(services, held)] == [
        ("BOX-1", 3, "Box")
    ]
    assert status_of(services, other) == "on_hold"
    with services.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "order.map_lines", AuditEntry.entity_id.is_not(None))
            )
            == 1
        )
