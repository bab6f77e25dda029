"""Importing orders into the database, on SQLite and PostgreSQL: idempotent, whole orders,
updates before allocation only, batches that survive a cancel, numbers, customers, history."""

from __future__ import annotations

import csv
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select, text

from app.bootstrap import Services, bootstrap
from app.config import Paths, Settings
from app.db.models import (
    Address,
    AuditEntry,
    Channel,
    Customer,
    ImportBatch,
    Order,
    OrderHold,
    OrderImport,
    OrderLine,
    OrderStatusChange,
)
from app.domain.errors import ImportFileError, PermissionDenied
from app.domain.orders import OrderStatus
from app.domain.users import Actor, Role
from app.importers.records import AddressRecord, LineRecord, OrderRecord
from app.services import (
    auth,
    import_profiles,
    order_actions,
    order_checks,
    order_intake,
    orders,
)
from app.services.intake_writer import BatchWriter
from tests.conftest import _truncate_pg, make_actor
from tests.data.make_samples import SHOPIFY_HEADER, TRAP_LONG_ZIP, write_big_shopify
from tests.factories import add_orders
from tests.order_action_fixtures import (
    add_location,
    add_products,
    receive,
    reserved_by_line,
    status_of,
)

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "shopify_orders_export.csv"
UTC = ZoneInfo("UTC")
SKUS = ("BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL")


def run_import(
    services: Services, actor: Actor, path: Path, **kw: object
) -> order_intake.ImportResult:
    return services.run(order_intake.import_file, actor, path, local=UTC, **kw)


def count(services: Services, model: type, *where: object) -> int:
    with services.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


@dataclass(frozen=True)
class Row:
    id: int
    number: str
    status: str
    customer_id: int | None
    ship_address_id: int | None
    payment_status: str
    version: int


def order_by_ext(services: Services, ext: str) -> Row:
    with services.uow() as uow:
        o = uow.session.scalar(select(Order).where(Order.external_id == ext))
        assert o is not None
        return Row(
            o.id, o.number, o.status, o.customer_id, o.ship_address_id, o.payment_status, o.version
        )


def holds_of(services: Services, ext: str) -> list[str]:
    with services.uow() as uow:
        return list(
            uow.session.scalars(
                select(OrderHold.code)
                .join(Order, Order.id == OrderHold.order_id)
                .where(Order.external_id == ext, OrderHold.resolved_at.is_(None))
                .order_by(OrderHold.code)
            )
        )


def lines_of(services: Services, ext: str) -> list[tuple[str, int, bool]]:
    with services.uow() as uow:
        return [
            (sku, qty, known)
            for sku, qty, known in uow.session.execute(
                select(OrderLine.sku, OrderLine.qty, OrderLine.product_id.is_not(None))
                .join(Order, Order.id == OrderLine.order_id)
                .where(Order.external_id == ext)
                .order_by(OrderLine.line_no)
            )
        ]


def edited_copy(tmp_path: Path, change: Callable[[list[list[str]]], None]) -> Path:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    change(rows)
    out = tmp_path / "changed.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return out


COL = {h: i for i, h in enumerate(SHOPIFY_HEADER)}


def test_a_shopify_export_comes_in_checked_and_held_or_released_with_readable_reasons(
    services: Services, admin: Actor
) -> None:
    add_products(services, *SKUS)
    r = run_import(services, admin, SAMPLE)
    assert (r.imported, r.released, r.held, r.rejected, r.skipped) == (6, 2, 4, 1, 2)
    assert (r.channel, r.channel_created, r.format, r.encoding) == (
        "shopify",
        True,
        "shopify",
        "utf-8",
    )
    assert [(p.row, p.kind) for p in r.problems] == [
        (7, "skipped"),
        (8, "skipped"),
        (11, "rejected"),
        (14, "warning"),
    ]
    assert order_by_ext(services, "#1001").status == "released"
    assert holds_of(services, "#1002") == ["refunded", "refused_address"]
    assert holds_of(services, "#1003") == ["refunded"]
    assert holds_of(services, "#1006") == ["missing_address"]
    assert holds_of(services, "#1008") == ["unpaid"]
    # the hold reasons are what the Orders list shows the reviewer
    rows = services.run(orders.list_orders, admin, orders.OrderQuery(status="on_hold"))
    by_ext = {row.external_id: row for row in rows}
    assert "The address has no district; addresses in China (CN) need them." in (
        by_ext["#1006"].hold_reasons
    )
    assert lines_of(services, "#1003") == [("BOTTLE-500-BL", 1, True), ("", 1, False)]


def test_importing_the_same_file_twice_creates_nothing_new(
    services: Services, admin: Actor
) -> None:
    add_products(services, *SKUS)
    run_import(services, admin, SAMPLE)
    before = {
        m: count(services, m)
        for m in (Order, OrderLine, Customer, Address, OrderHold, OrderStatusChange)
    }
    again = run_import(services, admin, SAMPLE)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 6)
    assert (again.rejected, again.skipped, again.channel_created) == (1, 2, False)
    assert {m: count(services, m) for m in before} == before
    assert count(services, AuditEntry, AuditEntry.action == "order.import") == 6


def test_new_orders_get_the_next_numbers_after_the_existing_ones(
    services: Services, admin: Actor
) -> None:
    add_orders(services, 2, start=7)  # PD00000007, PD00000008
    add_products(services, *SKUS)
    run_import(services, admin, SAMPLE)
    assert order_by_ext(services, "#1001").number == "PD00000009"
    assert order_by_ext(services, "#1009").number == "PD00000014"


def test_customers_are_found_again_and_phones_are_searchable_by_digits(
    services: Services, admin: Actor
) -> None:
    add_products(services, *SKUS)
    run_import(services, admin, SAMPLE)
    a, b = order_by_ext(services, "#1001"), order_by_ext(services, "#1003")
    assert a.customer_id is not None and a.customer_id == b.customer_id
    with services.uow() as uow:
        addr = uow.session.get(Address, order_by_ext(services, "#1006").ship_address_id)
        assert addr is not None
        assert (addr.phone, addr.phone_digits) == ("+86 138 1234 5678", "8613812345678")
        assert (addr.province, addr.city, addr.postal_code) == ("浙江省", "杭州市", "310012")
    found = services.run(orders.list_orders, admin, orders.OrderQuery(search="13812345678"))
    assert [row.external_id for row in found] == ["#1006"]


def test_every_new_order_has_its_status_history_and_an_audit_row(
    services: Services, admin: Actor
) -> None:
    add_products(services, *SKUS)
    run_import(services, admin, SAMPLE)
    o = order_by_ext(services, "#1008")
    with services.uow() as uow:
        hist = uow.session.execute(
            select(
                OrderStatusChange.from_status,
                OrderStatusChange.to_status,
                OrderStatusChange.user_id,
                OrderStatusChange.note,
            )
            .where(OrderStatusChange.order_id == o.id)
            .order_by(OrderStatusChange.id)
        ).all()
        username, after = uow.session.execute(
            select(AuditEntry.username, AuditEntry.after).where(
                AuditEntry.action == "order.import", AuditEntry.entity_id == o.number
            )
        ).one()
    assert [(h[0], h[1]) for h in hist] == [(None, "new"), ("new", "on_hold")]
    assert hist[0][2] == admin.user_id
    assert hist[0][3] == "imported from shopify_orders_export.csv row 13"
    assert hist[1][3] == "checks: unpaid"
    assert username == "admin"
    assert after == {
        "external_id": "#1008",
        "status": "on_hold",
        "holds": ["unpaid"],
        "batch": after["batch"],
    }


def test_a_changed_order_is_updated_and_checked_again_while_it_is_not_allocated(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    add_products(services, *SKUS)
    run_import(services, admin, SAMPLE)
    before = order_by_ext(services, "#1008")

    def pay_and_add_a_mug(rows: list[list[str]]) -> None:
        row = next(r for r in rows if r[COL["Name"]] == "#1008")
        row[COL["Financial Status"]] = "paid"
        row[COL["Lineitem quantity"]] = "3"

    r = run_import(services, admin, edited_copy(tmp_path, pay_and_add_a_mug))
    assert (r.imported, r.updated, r.unchanged, r.released) == (0, 1, 5, 1)
    after = order_by_ext(services, "#1008")
    assert after.id == before.id and after.number == before.number
    assert after.status == "released" and after.payment_status == "paid"
    assert after.version > before.version
    assert lines_of(services, "#1008") == [("MUG-TRAVEL", 3, True)]
    assert holds_of(services, "#1008") == []
    assert count(services, AuditEntry, AuditEntry.action == "order.update_from_channel") == 1


def test_a_changed_order_that_is_allocated_already_is_reported_and_left_alone(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    add_products(services, *SKUS)
    run_import(services, admin, SAMPLE)
    with services.uow() as uow:
        o = uow.session.scalar(select(Order).where(Order.external_id == "#1001"))
        assert o is not None
        orders.transition(uow, admin, o, OrderStatus.ALLOCATED, note="test")
        uow.commit()

    def change_qty(rows: list[list[str]]) -> None:
        rows[1][COL["Lineitem quantity"]] = "5"

    r = run_import(services, admin, edited_copy(tmp_path, change_qty))
    assert (r.updated, r.not_updated) == (0, 1)
    p = next(p for p in r.problems if p.kind == "not_updated")
    assert p.row == 2 and p.order == "#1001"
    assert "already allocated (our number PD00000001); it was not updated" in p.reason
    assert lines_of(services, "#1001")[0] == ("BOTTLE-500-BL", 2, True)


def test_an_order_with_a_bad_line_is_not_imported_at_all(services: Services, admin: Actor) -> None:
    add_products(services, *SKUS)
    run_import(services, admin, SAMPLE)
    assert count(services, Order, Order.external_id == "#1007") == 0
    assert count(services, OrderLine, OrderLine.sku == "LID-BAMBOO") == 3  # #1001, #1006, #1009


def test_a_batch_that_meets_an_order_saved_meanwhile_is_written_order_by_order(
    services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another station saved #1001 between our look-up and our insert: the batch fails on the
    unique key and is written again order by order; nothing is doubled or half-written."""
    add_products(services, *SKUS)
    one = SAMPLE.parent / "shopify_orders_export.csv"
    run_import(services, admin, one)
    real = BatchWriter._existing
    calls = {"n": 0}

    def blind_once(self: BatchWriter, s: object, ext_ids: list[str]) -> object:
        calls["n"] += 1
        return {} if calls["n"] == 1 else real(self, s, ext_ids)  # type: ignore[arg-type]

    monkeypatch.setattr(BatchWriter, "_existing", blind_once)
    r = run_import(services, admin, one)
    assert calls["n"] > 1
    assert (r.imported, r.unchanged, r.rejected) == (0, 6, 1)
    assert count(services, Order) == 6


def test_cancelling_keeps_whole_batches_and_importing_again_adds_the_rest(
    services: Services, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.csv"
    write_big_shopify(path, 1200, skus=50)
    add_products(services, *(f"SKU-{k:05d}" for k in range(50)))
    monkeypatch.setattr(order_intake, "BATCH_ORDERS", 500)
    seen: list[order_intake.ImportProgress] = []
    r = run_import(services, admin, path, progress=seen.append, cancel=lambda: len(seen) >= 2)
    assert r.cancelled and r.imported == 1000
    assert count(services, Order) == 1000
    # whole orders only: every order has the lines the file gave it (1 to 3)
    with services.uow() as uow:
        per_order = dict(
            uow.session.execute(
                select(Order.external_id, func.count(OrderLine.id))
                .join(OrderLine, OrderLine.order_id == Order.id)
                .group_by(Order.external_id)
            ).all()
        )
        batch = uow.session.get(ImportBatch, r.batch_id)
        assert batch is not None and batch.status == "cancelled" and batch.imported == 1000
    assert len(per_order) == 1000
    assert all(n == 1 + (int(ext[1:]) - 100000) % 3 for ext, n in per_order.items())
    rest = run_import(services, admin, path)
    assert (rest.imported, rest.unchanged, rest.cancelled) == (200, 1000, False)
    assert count(services, Order) == 1200


def test_progress_is_reported_after_every_batch_up_to_the_whole_file(
    services: Services, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.csv"
    lines = write_big_shopify(path, 700, skus=10)
    monkeypatch.setattr(order_intake, "BATCH_ORDERS", 200)
    seen: list[order_intake.ImportProgress] = []
    r = run_import(services, admin, path, progress=seen.append)
    assert len(seen) == 4
    assert [p.imported for p in seen] == [200, 400, 600, 700]
    assert all(a.rows_done < b.rows_done for a, b in itertools.pairwise(seen))
    assert seen[-1].rows_done == lines and seen[-1].fraction == pytest.approx(1.0, abs=0.01)
    assert r.rows == lines


def test_a_generic_file_comes_in_through_a_saved_column_profile(
    services: Services, admin: Actor
) -> None:
    add_products(services, *SKUS)
    guessed = import_profiles.Mapping(
        columns={
            "order_id": "订单编号",
            "items": "商品信息",
            "customer_name": "收货人姓名",
            "phone": "联系手机",
            "full_address": "收货地址",
            "payment_status": "订单状态",
            "placed_at": "订单创建时间",
        }
    )
    services.run(import_profiles.save_profile, admin, "淘宝导出", guessed)
    r = run_import(services, admin, DATA / "taobao_orders_gb18030.csv", profile="淘宝导出")
    assert (r.channel, r.channel_created, r.encoding) == ("淘宝导出", True, "gb18030")
    assert r.imported == 3 and r.guessed_columns == {}
    assert order_by_ext(services, "3876543210987654").status == "released"
    assert holds_of(services, "3876543210987655") == ["bad_phone"]  # ten digits
    assert holds_of(services, "3876543210987656") == ["refused_address", "unpaid"]
    with pytest.raises(ImportFileError, match="no column profile named nope"):
        run_import(services, admin, DATA / "taobao_orders_utf8.csv", profile="nope")


def test_the_channel_is_chosen_by_code_or_name_or_created(services: Services, admin: Actor) -> None:
    add_products(services, *SKUS)
    first = run_import(services, admin, SAMPLE, channel="My Shopify Store")
    assert (first.channel, first.channel_created) == ("my-shopify-store", True)
    again = run_import(services, admin, SAMPLE, channel="my-shopify-store")
    assert (again.channel_created, again.unchanged) == (False, 6)
    assert count(services, Channel) == 1


def test_orders_handed_over_as_records_take_the_same_path(services: Services, admin: Actor) -> None:
    add_products(services, "CUP")
    rec = OrderRecord(
        external_id="API-1",
        row=1,
        lines=(LineRecord(1, "CUP", 2),),
        address=AddressRecord(
            name="王小明",
            phone="13998765432",
            country="CN",
            province="广东省",
            city="深圳市",
            district="南山区",
            street="科技园南路15号",
        ),
    )
    r = services.run(order_intake.import_records, admin, [rec], channel="api")
    assert (r.imported, r.released, r.file, r.format) == (1, 1, "", "records")
    assert order_by_ext(services, "API-1").status == "released"


def test_importing_needs_the_import_permission(services: Services, admin: Actor) -> None:
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied, match="may not import orders"):
        run_import(services, packer, SAMPLE)


def test_a_file_that_cannot_be_read_writes_nothing(services: Services, admin: Actor) -> None:
    with pytest.raises(ImportFileError, match="neither UTF-8 nor GB18030"):
        run_import(services, admin, DATA / "binary.csv")
    assert count(services, Channel) == 0 and count(services, ImportBatch) == 0


def test_every_import_is_logged_with_its_problems(services: Services, admin: Actor) -> None:
    add_products(services, *SKUS)
    r = run_import(services, admin, SAMPLE)
    with services.uow() as uow:
        b = uow.session.get(ImportBatch, r.batch_id)
        assert b is not None
        assert (b.status, b.file_name, b.imported, b.held, b.rejected) == (
            "done",
            "shopify_orders_export.csv",
            6,
            4,
            1,
        )
        assert b.problems[2] == {
            "row": 11,
            "kind": "rejected",
            "order": "#1007",
            "reason": r.problems[2].reason,
        }
        assert b.user_id == admin.user_id and b.finished_at is not None
        uow.commit()
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OrderImport)) == 6


@pytest.fixture
def pg_services(pg_migrated: str, paths: Paths) -> Iterator[tuple[Services, Actor]]:
    """Only PostgreSQL: two stations racing need a shared database."""
    _truncate_pg(pg_migrated)
    svc = bootstrap(Settings(db_url=pg_migrated, station="test-station"), paths)
    svc.run(auth.create_first_admin, "admin", "correct-horse-9", svc.station_id)
    actor = svc.run(auth.login, "admin", "correct-horse-9", svc.station_id)
    yield svc, actor
    svc.close()


@pytest.mark.postgres
def test_two_stations_importing_at_once_do_not_double_an_order(
    pg_services: tuple[Services, Actor],
) -> None:
    """Station B saves #1001 while our import waits for the order-number lock; our batch then
    fails on the unique key and is written again order by order."""
    from app.services.order_numbers import NUMBER_LOCK

    services, admin = pg_services
    add_products(services, *SKUS)
    channel_id, _, _ = services.run(order_intake.ensure_channel, admin, "shopify")
    conn = services.engine.connect()
    conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": NUMBER_LOCK})
    conn.commit()
    result: dict[str, object] = {}

    def ours() -> None:
        result["r"] = run_import(services, admin, SAMPLE)

    t = threading.Thread(target=ours)
    t.start()
    # wait until our import is blocked on the lock, then let station B save #1001
    for _ in range(200):
        waiting = conn.execute(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        ).scalar()
        conn.commit()
        if waiting:
            break
        time.sleep(0.05)
    assert waiting, "our import never waited for the number lock"
    # station B (another program) writes #1001 straight away, without the number lock
    with services.uow() as uow:
        uow.session.execute(
            insert(Order),
            [{"number": "PD00009999", "channel_id": channel_id, "external_id": "#1001"}],
        )
        uow.commit()
    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": NUMBER_LOCK})
    conn.commit()
    conn.close()
    t.join(60)
    r = result["r"]
    assert isinstance(r, order_intake.ImportResult)
    assert count(services, Order, Order.external_id == "#1001") == 1
    # #1001 was there without lines when our retry looked: the channel's version is taken
    assert (r.imported, r.updated) == (5, 1)
    assert lines_of(services, "#1001") == [("BOTTLE-500-BL", 2, True), ("LID-BAMBOO", 1, True)]
    assert order_by_ext(services, "#1009").number == "PD00010004"


TRAPS = DATA / "shopify_traps.csv"


def test_a_shopify_export_whose_lines_have_no_skus_imports_every_order_on_hold_with_no_sku(
    services: Services, admin: Actor
) -> None:
    r = run_import(services, admin, TRAPS)
    assert (r.imported, r.held, r.rejected) == (8, 8, 0)
    for ext in ("#2001", "#2002", "#2004", "#2007"):
        assert "no_sku" in holds_of(services, ext)
    assert lines_of(services, "#2001") == [("", 1, False), ("", 2, False)]
    rows = services.run(orders.list_orders, admin, orders.OrderQuery(status="on_hold"))
    reasons = {row.external_id: row.hold_reasons for row in rows}["#2001"]
    assert "Line 1 has no SKU." in reasons
    assert "Line 2 has no SKU." in reasons


def test_an_order_fulfilled_in_the_channel_is_skipped_for_that_reason_not_for_its_lines(
    services: Services, admin: Actor
) -> None:
    r = run_import(services, admin, TRAPS)
    assert r.skipped == 4
    [p] = [p for p in r.problems if p.order == "#2003"]
    assert p.kind == "skipped"
    assert p.reason == "Order #2003 is already fulfilled in the channel; it was not imported."


def test_an_order_cancelled_refunded_or_voided_before_it_was_fulfilled_is_skipped_with_that_reason(
    services: Services, admin: Actor
) -> None:
    r = run_import(services, admin, TRAPS)
    skipped = {p.order: p.reason for p in r.problems if p.kind == "skipped"}
    assert skipped["#2005"] == (
        "Order #2005 was cancelled in the channel before it was fulfilled; it was not imported."
    )
    assert skipped["#2006"] == (
        "Order #2006 was refunded or voided in the channel before it was fulfilled; it was not "
        "imported."
    )
    assert count(services, Order, Order.external_id.in_(("#2005", "#2006"))) == 0


def test_an_order_to_be_collected_is_flagged_as_a_pickup(services: Services, admin: Actor) -> None:
    run_import(services, admin, TRAPS)
    assert payment_of(services, "#2007")[2] is True
    assert payment_of(services, "#2001")[2] is False


def payment_of(services: Services, ext: str) -> tuple[str, object, bool]:
    with services.uow() as uow:
        o = uow.session.scalar(select(Order).where(Order.external_id == ext))
        assert o is not None
        return o.payment_method, o.cod_amount, o.pickup


def test_a_cash_on_delivery_order_is_not_held_as_unpaid_and_carries_the_amount_to_collect(
    services: Services, admin: Actor
) -> None:
    run_import(services, admin, TRAPS)
    assert holds_of(services, "#2002") == ["no_sku"]
    assert payment_of(services, "#2002") == ("Cash on Delivery (COD)", Decimal("32.00"), False)
    # another pending payment stays held as unpaid, with nothing to collect
    assert holds_of(services, "#2004") == ["no_sku", "unpaid"]
    assert payment_of(services, "#2004") == ("Bank Deposit", None, False)
    # checking again from what the database keeps gives the same answer
    ids = [order_by_ext(services, e).id for e in ("#2002", "#2004")]
    services.run(order_checks.recheck, admin, ids)
    assert holds_of(services, "#2002") == ["no_sku"]
    assert holds_of(services, "#2004") == ["no_sku", "unpaid"]


def test_a_payment_method_rule_in_the_settings_lets_its_unpaid_orders_go_unheld(
    services: Services, admin: Actor
) -> None:
    settings = services.run(order_checks.load_settings)
    services.run(
        order_checks.save_settings,
        admin,
        replace(settings, unpaid_allowed_methods=("bank deposit",)),
    )
    run_import(services, admin, TRAPS)
    assert holds_of(services, "#2004") == ["no_sku"]


def test_the_orders_list_shows_pickup_orders_apart(services: Services, admin: Actor) -> None:
    run_import(services, admin, TRAPS)
    rows = services.run(orders.list_orders, admin, orders.OrderQuery(pickup=True))
    assert [(r.external_id, r.pickup) for r in rows] == [("#2007", True)]
    others = services.run(orders.list_orders, admin, orders.OrderQuery(pickup=False))
    assert sorted(r.external_id for r in others) == [
        "#2001",
        "#2002",
        "#2004",
        "#2008",
        "#2009",
        "#2010",
        "#2011",
    ]


def test_changed_pickup_patterns_flag_again_the_orders_not_yet_packed(
    services: Services, admin: Actor
) -> None:
    run_import(services, admin, TRAPS)
    packed = order_by_ext(services, "#2008")
    with services.uow() as uow:  # one order is already packed: its way out stays as it was
        uow.session.execute(
            text("UPDATE orders SET status = 'packed' WHERE id = :id"), {"id": packed.id}
        )
        uow.commit()
    settings = services.run(order_checks.load_settings)
    # this shop's couriers never collect: "Standard" means the customer comes to the counter
    services.run(
        order_checks.save_settings, admin, replace(settings, pickup_patterns=("standard",))
    )

    flags = {e: payment_of(services, e)[2] for e in ("#2001", "#2002", "#2007", "#2008")}
    assert flags == {"#2001": True, "#2002": True, "#2007": False, "#2008": False}
    with services.uow() as uow:
        entry = uow.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "orders.pickup_reflagged")
        )
        assert entry is not None and entry.after == {"now_pickup": 6, "no_longer_pickup": 1}
    # importing the same file again keeps the new flags (nothing changed in the channel)
    run_import(services, admin, TRAPS)
    assert payment_of(services, "#2001")[2] is True


def test_every_order_of_the_traps_file_is_imported_with_its_reason_or_skipped_with_why(
    services: Services, admin: Actor
) -> None:
    add_products(services, "NAPKIN-LINEN")
    r = run_import(services, admin, TRAPS)
    with TRAPS.open(encoding="utf-8", newline="") as f:
        in_file = {row[0] for row in itertools.islice(csv.reader(f), 1, None)}
    skipped = {p.order: p.reason for p in r.problems if p.kind == "skipped"}
    imported = {ext: holds_of(services, ext) for ext in sorted(in_file - set(skipped))}
    assert imported == {
        "#2001": ["no_sku", "no_sku"],  # blank SKUs, one hold per line
        "#2002": ["no_sku"],  # cash on delivery: not held as unpaid
        "#2004": ["no_sku", "unpaid"],
        "#2007": ["duplicate", "no_sku"],  # a pickup (the same bowl as #2002, by Ada too)
        "#2008": ["partly_fulfilled"],
        "#2009": ["missing_address"],  # a placeholder zip is no zip
        "#2010": ["bad_postal_code"],  # the street typed into the zip field
        "#2011": ["unknown_sku"],  # a 6-pack listing whose SKU is not a product
    }
    assert sorted(skipped) == ["#2003", "#2005", "#2006", "#2012"]
    assert "cancelled in the channel before it was fulfilled" in skipped["#2012"]
    # counts add up: every order of the file is imported or skipped, none rejected
    assert (r.imported, r.held, r.released, r.rejected, r.skipped) == (8, 8, 0, 0, 4)
    assert r.imported + r.skipped == len(in_file) == 12
    with services.uow() as uow:
        zip_kept = uow.session.scalar(
            select(Address.postal_code)
            .join(Order, Order.ship_address_id == Address.id)
            .where(Order.external_id == "#2010")
        )
    assert zip_kept == TRAP_LONG_ZIP
    reasons = {row.external_id: row.hold_reasons for row in rows_held(services, admin)}
    assert (
        "The address has no ZIP code; addresses in United States (US) need them."
        in (reasons["#2009"])
    )
    assert reasons["#2011"].startswith("Line 1: SKU TEE-6PK is not a product. Map the listing")
    assert reasons["#2010"].startswith(f"The postal code is {len(TRAP_LONG_ZIP)} characters long")
    # the same file again adds nothing
    orders_before = count(services, Order)
    holds_before = count(services, OrderHold)
    audit_before = count(services, AuditEntry, AuditEntry.entity_type == "order")
    again = run_import(services, admin, TRAPS)
    assert (again.imported, again.updated, again.held, again.unchanged) == (0, 0, 0, 8)
    assert again.skipped == 4
    assert (count(services, Order), count(services, OrderHold)) == (orders_before, holds_before)
    assert count(services, AuditEntry, AuditEntry.entity_type == "order") == audit_before


def rows_held(services: Services, admin: Actor) -> list[orders.OrderRow]:
    return services.run(orders.list_orders, admin, orders.OrderQuery(status="on_hold"))


def cancel_in_file(ext: str) -> Callable[[list[list[str]]], None]:
    def change(rows: list[list[str]]) -> None:
        row = next(r for r in rows if r[COL["Name"]] == ext)
        row[COL["Cancelled at"]] = "2026-11-22 10:00:00 -0500"

    return change


def test_an_allocated_order_the_channel_cancels_later_is_cancelled_here_and_gives_its_stock_back(
    services: Services, admin: Actor, tmp_path: Path
) -> None:
    add_products(services, *SKUS)
    add_location(services, "A-01")
    for sku in SKUS:
        receive(services, admin, "A-01", sku, 10)
    run_import(services, admin, SAMPLE)
    oid = order_by_ext(services, "#1001").id
    services.run(order_actions.allocate, admin, [oid])
    assert status_of(services, oid) == "allocated" and reserved_by_line(services, oid)
    r = run_import(services, admin, edited_copy(tmp_path, cancel_in_file("#1001")))
    assert status_of(services, oid) == "cancelled"
    assert reserved_by_line(services, oid) == {}
    [p] = [p for p in r.problems if p.order == "#1001"]
    assert p.reason == (
        "Order #1001 was cancelled in the channel; it is cancelled here too (our number "
        "PD00000001) and its reserved stock is given back."
    )
    assert count(services, AuditEntry, AuditEntry.action == "order.status") >= 1
    # the same file again changes nothing more
    again = run_import(services, admin, edited_copy(tmp_path, cancel_in_file("#1001")))
    assert again.updated == 0 and not [p for p in again.problems if p.order == "#1001"]


def test_a_line_partly_fulfilled_in_the_channel_holds_its_order_to_check_the_quantity(
    services: Services, admin: Actor
) -> None:
    add_products(services, "NAPKIN-LINEN")
    run_import(services, admin, TRAPS)
    assert holds_of(services, "#2008") == ["partly_fulfilled"]
    rows = services.run(orders.list_orders, admin, orders.OrderQuery(status="on_hold"))
    reasons = {row.external_id: row.hold_reasons for row in rows}["#2008"]
    assert reasons == (
        "Line 1 (NAPKIN-LINEN) is partly fulfilled in the channel already: check the quantity "
        "to ship, correct it, then release the order."
    )
