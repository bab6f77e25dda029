"""Check and hold (审单): every rule, the settings, re-checking, and the reviewer's edits, on
SQLite and PostgreSQL (the rules themselves without a database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import AuditEntry, Order, OrderHold
from app.domain.check_settings import CheckSettings
from app.domain.errors import PackdeskError, PermissionDenied, ValidationError
from app.domain.holds import HOLD_MESSAGES, english
from app.domain.order_rules import CheckLine, CheckOrder, evaluate
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Role
from app.importers.records import AddressRecord, LineRecord, OrderRecord
from app.services import order_actions, order_checks, order_intake, order_review, orders
from tests.conftest import make_actor
from tests.order_action_fixtures import add_products

DEFAULTS = CheckSettings()
CN_OK = CheckOrder(
    country="CN",
    name="张三丰",
    phone="13812345678",
    province="浙江省",
    city="杭州市",
    district="西湖区",
    street="文三路90号",
    street2="",
    postal_code="310012",
    payment_status="paid",
    cancelled=False,
    lines=(CheckLine(1, "CUP", 2, True),),
)
US_OK = replace(
    CN_OK,
    country="US",
    name="Ada Lovelace",
    phone="+1 617-555-0142",
    province="MA",
    city="Boston",
    district="",
    street="12 Beacon Street",
    postal_code="02108",
)


def codes(order: CheckOrder, settings: CheckSettings = DEFAULTS, **kw: object) -> list[str]:
    return [f.code for f in evaluate(order, settings, **kw)]  # type: ignore[arg-type]


def reasons(order: CheckOrder, settings: CheckSettings = DEFAULTS) -> list[str]:
    return [f.reason for f in evaluate(order, settings)]


# --- the rules -----------------------------------------------------------------------------


def test_a_complete_paid_order_passes_every_rule() -> None:
    assert codes(CN_OK) == [] and codes(US_OK) == []


def test_missing_address_parts_are_those_the_destination_country_needs() -> None:
    assert reasons(replace(CN_OK, district="", street="")) == [
        "The address has no district, street address; addresses in China (CN) need them."
    ]
    assert codes(replace(CN_OK, district="")) == ["missing_address"]
    # a channel without a district field writes it at the start of the street
    assert codes(replace(CN_OK, district="", street="西湖区文三路90号")) == []
    assert codes(replace(US_OK, province="")) == ["missing_address"]
    assert "ZIP code" in reasons(replace(US_OK, postal_code=""))[0]
    gb = replace(US_OK, country="GB", province="", postal_code="SW1A 1AA", phone="")
    assert codes(gb) == []
    assert codes(replace(gb, postal_code="")) == ["missing_address"]
    # Hong Kong has no postal codes
    hk = replace(gb, country="HK", province="Kowloon", postal_code="", phone="+852 2123 4567")
    assert codes(hk) == []
    unknown = replace(US_OK, country="", country_text="Narnia")
    assert reasons(unknown)[0].startswith("The destination country Narnia is not known")


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13812345678", True),
        ("+86 138 1234 5678", True),
        ("8613812345678", True),
        ("19912345678", True),
        ("12812345678", False),  # 12x is not a mobile range
        ("1381234567", False),  # ten digits
        ("138123456789", False),  # twelve digits
        ("0571-8888 8888", True),  # a Hangzhou landline
        ("not a number", False),
    ],
)
def test_chinese_phone_numbers_are_checked(phone: str, ok: bool) -> None:
    assert (codes(replace(CN_OK, phone=phone)) == []) is ok


def test_a_chinese_order_needs_a_phone_and_others_do_not_unless_configured() -> None:
    assert reasons(replace(CN_OK, phone="")) == [
        "There is no phone number; carriers in CN need one."
    ]
    assert codes(replace(US_OK, phone="")) == []
    strict = replace(DEFAULTS, phone_required_countries=("CN", "US"))
    assert codes(replace(US_OK, phone=""), strict) == ["bad_phone"]
    assert codes(replace(US_OK, phone="+1 555")) == ["bad_phone"]


@pytest.mark.parametrize(
    ("country", "postcode", "ok"),
    [
        ("CN", "310012", True),
        ("CN", "31001", False),
        ("US", "02108-1234", True),
        ("US", "0210", False),
        ("GB", "SW1A 1AA", True),
        ("GB", "12345", False),
        ("CA", "K1A 0B1", True),
        ("JP", "100-0001", True),
        ("DE", "3707", False),
    ],
)
def test_postal_codes_must_have_the_countrys_form(country: str, postcode: str, ok: bool) -> None:
    o = replace(US_OK, country=country, postal_code=postcode, phone="")
    assert ("bad_postal_code" not in codes(o)) is ok


def test_unknown_skus_and_quantities_below_one_are_held_line_by_line() -> None:
    o = replace(
        CN_OK,
        lines=(
            CheckLine(1, "CUP", 0, True),
            CheckLine(2, "NOPE", 1, False),
            CheckLine(3, "", 1, False, requires_shipping=False),  # a gift card
            CheckLine(4, "LID", -2, True),
        ),
    )
    assert reasons(o) == [
        "Line 1 (CUP) has quantity 0.",
        "Line 2: SKU NOPE is not a product. Map the listing to a product "
        "(Review: Map to product…, Ctrl+M) or correct the SKU.",
        "Line 4 (LID) has quantity -2.",
    ]


def test_a_large_quantity_is_held_only_when_a_limit_is_set() -> None:
    big = replace(CN_OK, lines=(CheckLine(1, "CUP", 500, True),))
    assert codes(big) == []
    assert codes(big, replace(DEFAULTS, max_line_qty=100)) == ["large_quantity"]


def test_cancelled_unpaid_and_refunded_orders_are_held() -> None:
    assert codes(replace(CN_OK, cancelled=True)) == ["cancelled"]
    assert codes(replace(CN_OK, payment_status="pending")) == ["unpaid"]
    assert codes(replace(CN_OK, payment_status="refunded")) == ["refunded"]
    part = replace(CN_OK, payment_status="partially_refunded")
    assert codes(part) == ["refunded"]
    assert codes(part, replace(DEFAULTS, hold_partially_refunded=False)) == []
    assert codes(replace(CN_OK, payment_status="authorized")) == []


@pytest.mark.parametrize(
    ("street", "refused"),
    [
        ("PO Box 1234", True),
        ("P.O. Box 12", True),
        ("p o box 7", True),
        ("Post Office Box 9", True),
        ("Packstation 105", True),
        ("朝阳区邮政信箱12号", True),
        ("12 Tempo Boxing Lane", False),
        ("Crypto Box Road 3", False),
        ("12 Beacon Street", False),
    ],
)
def test_address_words_a_carrier_refuses_are_held(street: str, refused: bool) -> None:
    gb = replace(US_OK, country="GB", province="", postal_code="SW1A 1AA", phone="")
    assert ("refused_address" in codes(replace(gb, street=street))) is refused


def test_a_switched_off_rule_holds_nothing() -> None:
    off = replace(DEFAULTS, disabled_rules=("unpaid",))
    assert codes(replace(CN_OK, payment_status="pending"), off) == []


# --- with a database -----------------------------------------------------------------------


def cn_order(ext: str, sku: str = "CUP", qty: int = 1, **kw: object) -> OrderRecord:
    address = AddressRecord(
        name="张三丰",
        phone=str(kw.pop("phone", "13812345678")),
        country="CN",
        province="浙江省",
        city="杭州市",
        district="西湖区",
        street="文三路90号",
    )
    return OrderRecord(
        external_id=ext,
        row=2,
        lines=(LineRecord(2, sku, qty),),
        address=address,
        placed_at=kw.pop("placed_at", datetime(2026, 11, 20, 8, 0, tzinfo=UTC)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def intake(services: Services, actor: Actor, *recs: OrderRecord) -> order_intake.ImportResult:
    return services.run(order_intake.import_records, actor, list(recs), channel="tmall")


def state(services: Services, ext: str) -> tuple[int, str, list[str]]:
    with services.uow() as uow:
        o = uow.session.scalar(select(Order).where(Order.external_id == ext))
        assert o is not None
        open_codes = sorted(
            uow.session.scalars(
                select(OrderHold.code).where(
                    OrderHold.order_id == o.id, OrderHold.resolved_at.is_(None)
                )
            )
        )
        return o.id, o.status, open_codes


def test_the_same_customer_ordering_the_same_again_within_the_window_is_held(
    services: Services, admin: Actor
) -> None:
    add_products(services, "CUP")
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    intake(services, admin, cn_order("A", placed_at=t0))
    intake(
        services,
        admin,
        cn_order("B", placed_at=t0 + timedelta(hours=3)),  # a twin
        cn_order("C", placed_at=t0 + timedelta(hours=30)),  # outside the 24 h window
        cn_order("D", qty=2, placed_at=t0 + timedelta(hours=4)),  # other items
    )
    assert state(services, "A")[1:] == ("released", [])
    assert state(services, "B")[1:] == ("on_hold", ["duplicate"])
    assert state(services, "C")[1:] == ("released", [])
    assert state(services, "D")[1:] == ("released", [])
    rows = services.run(orders.list_orders, admin, orders.OrderQuery(hold_code="duplicate"))
    assert rows[0].hold_reasons == (
        "This looks like a duplicate of order PD00000001: same customer, same items, 3 h apart."
    )


def test_twins_in_one_file_hold_the_later_one_and_a_cancelled_order_is_no_twin(
    services: Services, admin: Actor
) -> None:
    add_products(services, "CUP")
    t0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    intake(services, admin, cn_order("E", placed_at=t0), cn_order("F", placed_at=t0))
    assert state(services, "E")[2] == [] and state(services, "F")[2] == ["duplicate"]
    e_id = state(services, "E")[0]
    services.run(order_actions.cancel, admin, [e_id], "customer asked")
    f_id = state(services, "F")[0]
    services.run(order_checks.recheck, admin, [f_id])
    assert state(services, "F")[1:] == ("released", [])


def test_supervisors_change_the_thresholds_and_others_may_not(
    services: Services, admin: Actor
) -> None:
    sup = make_actor(services, admin, Role.SUPERVISOR)
    packer = make_actor(services, admin, Role.PACKER)
    assert services.run(order_checks.load_settings) == DEFAULTS
    new = replace(DEFAULTS, duplicate_window_hours=72, max_line_qty=50)
    services.run(order_checks.save_settings, sup, new)
    assert services.run(order_checks.load_settings) == new
    with pytest.raises(PermissionDenied, match="may not change settings"):
        services.run(order_checks.save_settings, packer, DEFAULTS)
    with pytest.raises(ValidationError, match="0 to 2160 hours"):
        services.run(order_checks.save_settings, sup, replace(DEFAULTS, duplicate_window_hours=-1))
    with pytest.raises(ValidationError, match="no check called"):
        services.run(order_checks.save_settings, sup, replace(DEFAULTS, disabled_rules=("x",)))
    with services.uow() as uow:
        before, after = uow.session.execute(
            select(AuditEntry.before, AuditEntry.after).where(
                AuditEntry.action == "settings.order_checks"
            )
        ).one()
    assert before["duplicate_window_hours"] == 24 and after["max_line_qty"] == 50


def test_the_new_thresholds_apply_to_the_next_orders(services: Services, admin: Actor) -> None:
    add_products(services, "CUP")
    services.run(order_checks.save_settings, admin, replace(DEFAULTS, max_line_qty=10))
    intake(services, admin, cn_order("G", qty=11))
    assert state(services, "G")[1:] == ("on_hold", ["large_quantity"])


def test_rechecking_releases_what_now_passes_and_keeps_a_reviewers_own_hold(
    services: Services, admin: Actor
) -> None:
    intake(services, admin, cn_order("H", sku="NEW-1"), cn_order("I", sku="NEW-1", phone="139"))
    h, status, held_for = state(services, "H")
    i = state(services, "I")[0]
    assert (status, held_for) == ("on_hold", ["unknown_sku"])
    services.run(order_actions.hold, admin, [i], "call the customer first")
    add_products(services, "NEW-1")
    results = services.run(order_checks.recheck, admin, [h, i])
    assert [(r.number, r.status) for r in results] == [
        ("PD00000001", "released"),
        ("PD00000002", "on_hold"),
    ]
    assert state(services, "I")[2] == ["bad_phone", "manual"]
    with services.uow() as uow:
        resolved = uow.session.scalar(
            select(OrderHold).where(OrderHold.order_id == h, OrderHold.code == "unknown_sku")
        )
        assert resolved is not None and resolved.resolved_by == admin.user_id
        uow.commit()


def test_an_allocated_order_is_past_checking(services: Services, admin: Actor) -> None:
    add_products(services, "CUP")
    intake(services, admin, cn_order("J"))
    j = state(services, "J")[0]
    with services.uow() as uow:
        o = uow.session.get(Order, j)
        assert o is not None
        orders.transition(uow, admin, o, OrderStatus.ALLOCATED)
        uow.commit()
    [r] = services.run(order_checks.recheck, admin, [j])
    assert r.status == "allocated" and "past checking" in r.message


def test_fixing_a_held_orders_phone_releases_it(services: Services, admin: Actor) -> None:
    add_products(services, "CUP")
    intake(services, admin, cn_order("K", phone="1381234567"))
    k, _, held_for = state(services, "K")
    assert held_for == ["bad_phone"]
    ed = services.run(order_review.editable_order, admin, k)
    assert ed.address.phone == "1381234567" and ed.holds[0][0] == "bad_phone"
    fixed = replace(ed.address, phone="138 1234 5678")
    r = services.run(order_review.edit_order, admin, k, version=ed.version, address=fixed)
    assert (r.status, r.failures) == ("released", ())
    with services.uow() as uow:
        from app.db.models import Address

        o = uow.session.get(Order, k)
        assert o is not None
        a = uow.session.get(Address, o.ship_address_id)
        assert a is not None and a.phone_digits == "13812345678"
        uow.commit()


def test_editing_the_lines_checks_them_again(services: Services, admin: Actor) -> None:
    add_products(services, "CUP", "LID")
    intake(services, admin, cn_order("L", sku="CPU"))
    lid = state(services, "L")[0]
    ed = services.run(order_review.editable_order, admin, lid)
    assert [(ln.sku, ln.known) for ln in ed.lines] == [("CPU", False)]
    lines = (
        order_review.EditLine(1, "CUP", 2),
        order_review.EditLine(None, "LID", 1),
    )
    r = services.run(order_review.edit_order, admin, lid, version=ed.version, lines=lines)
    assert r.status == "released"
    again = services.run(order_review.editable_order, admin, lid)
    assert [(ln.line_no, ln.sku, ln.qty, ln.known) for ln in again.lines] == [
        (1, "CUP", 2, True),
        (2, "LID", 1, True),
    ]
    with pytest.raises(ValidationError, match="at least 1"):
        services.run(
            order_review.edit_order,
            admin,
            lid,
            version=again.version,
            lines=(order_review.EditLine(1, "CUP", 0),),
        )


def test_an_edit_made_on_an_old_copy_is_refused(services: Services, admin: Actor) -> None:
    add_products(services, "CUP")
    intake(services, admin, cn_order("M", phone="1"))
    m = state(services, "M")[0]
    ed = services.run(order_review.editable_order, admin, m)
    services.run(
        order_review.edit_order,
        admin,
        m,
        version=ed.version,
        address=replace(ed.address, phone="13812345678"),
    )
    with pytest.raises(PackdeskError, match="changed by someone else"):
        services.run(
            order_review.edit_order,
            admin,
            m,
            version=ed.version,
            address=replace(ed.address, phone="13912345678"),
        )


def test_opening_the_editor_needs_the_permission_to_see_personal_data_and_is_audited(
    services: Services, admin: Actor
) -> None:
    add_products(services, "CUP")
    intake(services, admin, cn_order("N", phone="1"))
    n = state(services, "N")[0]
    picker = make_actor(services, admin, Role.PICKER)
    with pytest.raises(PermissionDenied):
        services.run(order_review.editable_order, picker, n)
    services.run(order_review.editable_order, admin, n)
    with services.uow() as uow:
        assert (
            uow.session.scalar(
                select(AuditEntry.note).where(AuditEntry.action == "order.reveal_personal_data")
            )
            == "review editor"
        )


def test_holds_keep_their_sentence_as_template_and_values_and_a_reviewers_words_as_written(
    services: Services, admin: Actor
) -> None:
    # imported (bulk path) and re-checked (one by one) holds both keep the template
    intake(services, admin, cn_order("T", sku="NEW-9", phone="1381234567"))
    t = state(services, "T")[0]
    services.run(order_actions.hold, admin, [t], "客户要求周一发")
    services.run(order_checks.recheck, admin, [t])
    with services.uow() as uow:
        rows = uow.session.scalars(
            select(OrderHold).where(OrderHold.order_id == t).order_by(OrderHold.id)
        ).all()
        by_code = {h.code: h for h in rows}
        phone = by_code["bad_phone"]
        assert phone.template == HOLD_MESSAGES["phone_not_cn_mobile"]
        assert phone.params == {"phone": "13******67"}
        assert english(phone.template, phone.params) == phone.reason
        sku = by_code["unknown_sku"]
        assert sku.params == {"line": 1, "sku": "NEW-9"} and "NEW-9" in sku.reason
        manual = by_code["manual"]
        assert (manual.template, manual.params, manual.reason) == ("", None, "客户要求周一发")
        uow.commit()
    listed = services.run(orders.list_orders, admin, orders.OrderQuery(status="on_hold"))
    [row] = [r for r in listed if r.id == t]
    assert [h.template for h in row.holds] == [phone.template, sku.template, ""]
    assert row.hold_reasons == "; ".join(h.reason for h in row.holds)
