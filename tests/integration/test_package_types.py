"""Package types on both backends: the editor's services with their refusals and audit, the
carton card decoded barcode by barcode, the carton suggested from the database, and the learned
weight expectation read from earlier parcels in one indexed query."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp
from sqlalchemy import func, insert, select, text

from app.bootstrap import Services
from app.db.models import AuditEntry, Location, Order, Parcel, Warehouse
from app.domain.cartons import ItemBox
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.users import Actor, Role
from app.domain.weight_check import Tolerance, contents_key
from app.services import package_types
from app.services.package_types import PackageTypeDraft
from tests.conftest import make_actor
from tests.factories import add_orders

SMALL = PackageTypeDraft(
    "box-s", "Small box 小号纸箱", "box", "PKG-S", 200, 150, 100, tare_g=120, max_weight_g=5000
)
MEDIUM = PackageTypeDraft("BOX-M", "Medium box", "box", "PKG-M", 300, 250, 200, 200, 10000)
BAG = PackageTypeDraft("BAG", "Mailer bag", "polybag", "PKG-BAG", tare_g=10, max_weight_g=2000)


def _save(
    services: Services, actor: Actor, draft: PackageTypeDraft
) -> package_types.PackageTypeInfo:
    return services.run(package_types.save_package_type, actor, draft)


def test_a_supervisor_adds_and_changes_package_types_and_every_change_is_audited(
    services: Services, admin: Actor
) -> None:
    boss = make_actor(services, admin, Role.SUPERVISOR)
    small = _save(services, boss, SMALL)
    assert (small.code, small.barcode, small.length_mm, small.active) == (
        "BOX-S",
        "PKG-S",
        200,
        True,
    )
    _save(services, boss, BAG)
    listed = services.run(package_types.list_package_types)
    assert [p.code for p in listed] == ["BOX-S", "BAG"]  # boxes, then envelopes, then bags
    assert listed[1].flexible and not listed[0].flexible
    changed = _save(
        services, boss, PackageTypeDraft(**{**SMALL.__dict__, "id": small.id, "tare_g": 150})
    )
    assert changed.id == small.id and changed.tare_g == 150
    services.run(package_types.set_active, boss, small.id, False)
    assert [p.code for p in services.run(package_types.list_package_types, False)] == ["BAG"]
    with services.uow() as uow:
        audit = uow.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == "package_type")
            .order_by(AuditEntry.id)
        ).all()
        assert [(a.action, a.entity_id) for a in audit] == [
            ("package_type.save", "BOX-S"),
            ("package_type.save", "BAG"),
            ("package_type.save", "BOX-S"),
            ("package_type.active", "BOX-S"),
        ]
        assert audit[2].before is not None and audit[2].before["tare_g"] == 120
        assert audit[2].after is not None and audit[2].after["tare_g"] == 150
        assert audit[3].after == {"active": False} and audit[3].username == boss.username


def test_a_packer_may_not_edit_package_types(services: Services, admin: Actor) -> None:
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        _save(services, packer, SMALL)
    assert services.run(package_types.list_package_types) == []


@pytest.mark.parametrize(
    ("draft", "words"),
    [
        (PackageTypeDraft("BOX 1", kind="box", length_mm=1, width_mm=1, height_mm=1), "letters"),
        (PackageTypeDraft("B2", kind="box", length_mm=200, width_mm=150), "A box needs"),
        (PackageTypeDraft("B3", kind="polybag", length_mm=300, width_mm=200), "no fixed size"),
        (PackageTypeDraft("E1", kind="envelope", length_mm=300, width_mm=200), "all three"),
        (PackageTypeDraft("B4", kind="box", length_mm=-1, width_mm=1, height_mm=1), "0 to 3000"),
        (PackageTypeDraft("B5", kind="bucket"), "box, a polybag or an envelope"),
        (PackageTypeDraft("B6", kind="polybag", tare_g=500, max_weight_g=500), "less than"),
        (PackageTypeDraft("B7", kind="polybag", tare_g=-5), "negative"),
        (PackageTypeDraft("B8", kind="polybag", barcode="PD-CMD-NEXTPARCEL"), "command"),
        (PackageTypeDraft("BOX-S", kind="polybag"), "already used by the package BOX-S"),
        (PackageTypeDraft("B9", kind="polybag", barcode="PKG-S"), "already the package BOX-S"),
        (PackageTypeDraft("B10", kind="polybag", barcode="BOX-S"), "already the package BOX-S"),
        (PackageTypeDraft("PKG-S", kind="polybag"), "already used by the package BOX-S"),
        (PackageTypeDraft("B11", kind="polybag", barcode="LOC-A-01"), "a location's"),
    ],
)
def test_a_package_type_that_breaks_a_rule_is_refused_saying_what_to_do(
    services: Services, admin: Actor, draft: PackageTypeDraft, words: str
) -> None:
    _save(services, admin, SMALL)
    with services.uow() as uow:
        wh = uow.session.execute(
            insert(Warehouse).returning(Warehouse.id), [{"code": "WH", "name": "WH"}]
        ).scalar_one()
        uow.session.execute(
            insert(Location),
            [{"warehouse_id": wh, "code": "A-01", "barcode": "LOC-A-01", "zone": "A"}],
        )
        uow.commit()
    with pytest.raises(ValidationError) as refused:
        _save(services, admin, draft)
    assert words in refused.value.message
    assert len(services.run(package_types.list_package_types)) == 1


def test_the_carton_card_carries_each_active_package_types_barcode(
    services: Services, admin: Actor
) -> None:
    with pytest.raises(ValidationError, match="no package type to print"):
        services.run(package_types.carton_card_document, admin)
    for draft in (SMALL, MEDIUM, BAG):
        _save(services, admin, draft)
    _save(services, admin, PackageTypeDraft("OLD", kind="polybag", active=False))
    _save(services, admin, PackageTypeDraft("NOCODE", kind="envelope"))
    _save(services, admin, PackageTypeDraft("BOX-L", "Large", "box", "", 600, 400, 400))
    doc = pdfium.PdfDocument(services.run(package_types.carton_card_document, admin))
    assert len(doc) == 2  # four a page
    found: list[str] = []
    for page in doc:
        width, height = page.get_size()
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
        image = page.render(scale=150 / 72).to_pil().convert("L")
        found += [r.text for r in zxingcpp.read_barcodes(image)]
    # a package without a barcode is scanned by its code
    assert sorted(found) == ["BOX-L", "NOCODE", "PKG-BAG", "PKG-M", "PKG-S"]
    page_text = doc[0].get_textpage().get_text_range()
    assert "200 × 150 × 100 mm" in page_text and "BOX-S" in page_text


def test_the_database_suggests_the_smallest_active_box_and_finds_a_package_by_barcode(
    services: Services, admin: Actor
) -> None:
    small, medium, bag = (_save(services, admin, d) for d in (SMALL, MEDIUM, BAG))
    items = [ItemBox(180, 140, 90, 400), ItemBox(0, 0, 0, 300, qty=2)]
    with services.uow() as uow:
        found = package_types.suggestion(uow.session, items)
        assert found.carton is not None and found.carton.code == "BOX-S"
        assert found.unknown_size_units == 2 and found.items_g == 1000
        carton = package_types.by_barcode(uow.session, " PKG-M\r\n")
        assert carton is not None and carton.package_type_id == medium.id
        by_code = package_types.by_barcode(uow.session, "bag")
        assert by_code is not None and by_code.package_type_id == bag.id
    services.run(package_types.set_active, admin, small.id, False)
    with services.uow() as uow:
        assert package_types.suggest(uow.session, items) is not None
        assert package_types.suggest(uow.session, items).code == "BOX-M"  # type: ignore[union-attr]
        assert package_types.by_barcode(uow.session, "PKG-S") is None


def _parcels(services: Services, rows: list[dict[str, object]]) -> None:
    with services.uow() as uow:
        start = (uow.session.scalar(select(func.count()).select_from(Order)) or 0) + 1
    order_id = add_orders(services, 1, status="packed", start=start)[0]
    with services.uow() as uow:
        uow.session.execute(
            insert(Parcel), [{"order_id": order_id, "seq": i, **r} for i, r in enumerate(rows, 1)]
        )
        uow.commit()


def test_the_weight_expectation_learns_from_weighed_parcels_of_the_same_contents_and_box(
    services: Services, admin: Actor
) -> None:
    small = _save(services, admin, SMALL)
    medium = _save(services, admin, MEDIUM)
    key = contents_key([(7, 2), (12, 1)])
    same = {"contents_key": key, "package_type_id": small.id}
    taught = {**same, "status": "labelled", "weight_source": "scale"}
    _parcels(
        services,
        [
            {**taught, "weight_g": 530},
            {**same, "status": "shipped", "weight_source": "override", "weight_g": 532},
            # none of these teach: typed, not yet labelled, voided, another box, other contents
            {**same, "status": "labelled", "weight_source": "typed", "weight_g": 9000},
            {**same, "status": "closed", "weight_source": "scale", "weight_g": 9000},
            {**same, "status": "voided", "weight_source": "scale", "weight_g": 9000},
            {**taught, "package_type_id": medium.id, "weight_g": 9000},
            {**taught, "contents_key": "7:1", "weight_g": 9000},
        ],
    )
    tol = Tolerance(5.0, 20)
    with services.uow() as uow:
        two = package_types.expectation_for(uow.session, key, small.id, 300, 120, tol)
    assert not two.learned and (two.low_g, two.high_g) == (399, 441)
    _parcels(services, [{**taught, "weight_g": 528}])
    with services.uow() as uow:
        three = package_types.expectation_for(uow.session, key, small.id, 300, 120, tol)
    assert three.history_n == 3 and three.mean_g == pytest.approx(530)
    assert (three.learned_low_g, three.learned_high_g) == (519, 541)


def test_only_the_newest_fifty_parcels_teach(services: Services, admin: Actor) -> None:
    small = _save(services, admin, SMALL)
    row = {"contents_key": "1:1", "package_type_id": small.id, "status": "shipped"}
    old = [{**row, "weight_source": "scale", "weight_g": 5000}] * 10
    new = [{**row, "weight_source": "scale", "weight_g": 800 + i % 3} for i in range(50)]
    _parcels(services, old + new)
    with services.uow() as uow:
        exp = package_types.expectation_for(uow.session, "1:1", small.id, 780, 120, Tolerance())
    assert exp.history_n == 50 and exp.mean_g == pytest.approx(800.98, abs=0.01)


def test_the_history_is_read_through_the_contents_and_package_index(
    services: Services, admin: Actor
) -> None:
    small = _save(services, admin, SMALL)
    with services.uow() as uow:
        stmt = package_types.history_statement("1:1", small.id)
        sql = str(stmt.compile(uow.session.get_bind(), compile_kwargs={"literal_binds": True}))
        if uow.session.get_bind().dialect.name == "sqlite":
            plan = uow.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")).all()
            described = " ".join(str(r[-1]) for r in plan)
        else:
            uow.session.execute(text("SET LOCAL enable_seqscan = off"))
            described = " ".join(r[0] for r in uow.session.execute(text(f"EXPLAIN {sql}")))
    if uow.session.get_bind().dialect.name == "sqlite":
        assert "ix_parcels_contents_package" in described
    else:  # a tiny table may be read through another index (the primary key, backwards)
        assert "Seq Scan on parcels" not in described and "Index" in described, described
