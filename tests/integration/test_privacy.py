"""Personal data on SQLite and PostgreSQL: channel masking policies on screens and exports, keyed
customer lookup hashes (and their recomputation for older databases), retention and purge."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from app.bootstrap import Services, bootstrap
from app.cli import main
from app.config import ENV_DB, ENV_HOME, Paths, Settings
from app.db.models import (
    Address,
    AuditEntry,
    Customer,
    CustomerKey,
    Order,
    OrderStatusChange,
    SettingRow,
    utcnow,
)
from app.domain.errors import NotFound, PermissionDenied, ValidationError
from app.domain.privacy import MASKED_REST, customer_key_texts
from app.domain.users import Actor, Role
from app.importers.values import digits_of
from app.services import merge_split, order_intake, orders, privacy
from tests.conftest import make_actor
from tests.factories import add_orders
from tests.order_action_fixtures import add_products

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "shopify_orders_export.csv"
SKUS = ("BOTTLE-500-BL", "LID-BAMBOO", "MUG-TRAVEL")


def _import(services: Services, admin: Actor, path: Path = SAMPLE) -> None:
    if path == SAMPLE:
        add_products(services, *SKUS)
    services.run(order_intake.import_file, admin, path, local=ZoneInfo("UTC"))


def _keys(services: Services) -> dict[str, int]:
    with services.uow() as uow:
        return dict(uow.session.execute(select(CustomerKey.key, CustomerKey.customer_id)).all())


def _customers(services: Services) -> list[tuple[int, str, str, str]]:
    with services.uow() as uow:
        return [
            (c.id, c.email, c.phone, c.name)
            for c in uow.session.scalars(select(Customer).order_by(Customer.id))
        ]


def _secret(services: Services) -> bytes:
    with services.uow() as uow:
        value = uow.session.scalar(
            select(SettingRow.value).where(SettingRow.key == privacy.SECRET_KEY)
        )
    assert value is not None
    return bytes.fromhex(value)


def _first_key_text(email: str, phone: str, name: str) -> str:
    return customer_key_texts(email, digits_of(phone), name)[0]


def _customer_of(services: Services, external_id: str) -> int | None:
    with services.uow() as uow:
        return uow.session.scalar(select(Order.customer_id).where(Order.external_id == external_id))


# --- keyed lookup hashes -----------------------------------------------------------------------


def test_customer_lookup_keys_are_keyed_hashes_not_plain_sha256(
    services: Services, admin: Actor
) -> None:
    _import(services, admin)
    secret = _secret(services)
    assert len(secret) == 32
    keys = _keys(services)
    assert keys
    expected = {}
    for cid, email, phone, name in _customers(services):
        text = _first_key_text(email, phone, name)
        expected[hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()] = cid
        assert hashlib.sha256(text.encode()).hexdigest() not in keys
    assert keys == expected


def test_an_older_database_has_its_plain_keys_recomputed_at_start_and_customers_found_again(
    services: Services, admin: Actor, db_url: str, paths: Paths, tmp_path: Path
) -> None:
    _import(services, admin)
    first = {n: _customer_of(services, f"#100{n}") for n in (1, 2, 6)}  # Ada, Grace, 张三丰
    # the database as the previous version left it: plain SHA-256 keys and no secret
    legacy = {
        hashlib.sha256(_first_key_text(e, p, n).encode()).hexdigest(): cid
        for cid, e, p, n in _customers(services)
    }
    with services.uow() as uow:
        s = uow.session
        s.execute(delete(SettingRow).where(SettingRow.key == privacy.SECRET_KEY))
        s.execute(delete(CustomerKey))
        s.execute(insert(CustomerKey), [{"key": k, "customer_id": c} for k, c in legacy.items()])
        uow.commit()
    restarted = bootstrap(Settings(db_url=db_url, station="test-station"), paths)
    try:
        keys = _keys(restarted)
        assert set(keys).isdisjoint(legacy) and sorted(keys.values()) == sorted(legacy.values())
        # the same customers ordering again (new order ids) are recognised by the new keys
        again = tmp_path / "again.csv"
        again.write_text(
            SAMPLE.read_text(encoding="utf-8").replace("#100", "#200"), encoding="utf-8"
        )
        _import(restarted, admin, again)
        assert {n: _customer_of(restarted, f"#200{n}") for n in (1, 2, 6)} == first
    finally:
        restarted.close()


@pytest.mark.postgres
def test_two_stations_making_the_secret_at_once_agree_on_one(pg_only_services: Services) -> None:
    services = pg_only_services
    with services.uow() as uow:
        uow.session.execute(delete(SettingRow).where(SettingRow.key == privacy.SECRET_KEY))
        uow.commit()
    first = services.session_factory()
    mine = privacy.key_secret(first)  # made, not yet committed
    theirs: list[bytes] = []

    def other_station() -> None:
        with services.session_factory() as s:
            theirs.append(privacy.key_secret(s))
            s.commit()

    thread = threading.Thread(target=other_station)
    thread.start()
    deadline = time.monotonic() + 10
    while not _lock_waiters(services) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _lock_waiters(services), "the second station never waited for the first"
    first.commit()
    first.close()
    thread.join(10)
    assert theirs == [mine] and _secret(services) == mine


def _lock_waiters(services: Services) -> int:
    with services.engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
        ).scalar()
    return int(n or 0)


# --- masking policies ---------------------------------------------------------------------------


@pytest.fixture
def three_channels(services: Services, admin: Actor) -> dict[str, int]:
    """One order on each of three channels, set to each policy; returns channel -> order id."""
    ids = {}
    for i, (code, policy) in enumerate(
        [("taobao", "ewaybill"), ("jd", "full_name"), ("b2b", "none")], start=1
    ):
        (ids[code],) = add_orders(services, 1, channel_code=code, start=i)
        services.run(privacy.set_channel_mask_policy, admin, code, policy)
    return ids


def test_the_orders_list_masks_each_channel_after_its_policy(
    services: Services, admin: Actor, three_channels: dict[str, int]
) -> None:
    rows = {r.channel: r for r in services.run(orders.list_orders, admin, orders.OrderQuery())}
    # factories: order 1 李四 13800000001, order 2 王小明 13800000002, order 3 Emma Wilson
    assert (rows["taobao"].customer, rows["taobao"].phone) == ("李*", "138******01")
    assert (rows["jd"].customer, rows["jd"].phone) == ("王小明", "138******02")
    assert (rows["b2b"].customer, rows["b2b"].phone) == ("Emma Wilson", "13800000003")


def test_the_order_detail_masks_after_the_policy_and_reveal_still_shows_everything(
    services: Services, admin: Actor, three_channels: dict[str, int]
) -> None:
    masked = services.run(orders.order_detail, admin, three_channels["taobao"]).address
    assert masked is not None and masked.masked
    assert masked.street == f"科技园南路1号{MASKED_REST}" and masked.name == "李*"
    full_name = services.run(orders.order_detail, admin, three_channels["jd"]).address
    assert full_name is not None and full_name.name == "王小明"
    assert full_name.street == f"科技园南路2号{MASKED_REST}" and full_name.masked
    b2b = services.run(orders.order_detail, admin, three_channels["b2b"]).address
    assert b2b is not None and not b2b.masked and b2b.street == "科技园南路3号3栋1单元502室"
    shown = services.run(orders.order_detail, admin, three_channels["taobao"], reveal=True)
    assert shown.address is not None and shown.address.street == "科技园南路1号3栋1单元502室"


def test_merge_suggestions_name_the_customer_after_the_channel_policy(
    services: Services, admin: Actor
) -> None:
    first = add_orders(services, 1, channel_code="b2b", start=1)[0]
    second = add_orders(services, 1, channel_code="b2b", start=7)[0]  # 李四 again
    with services.uow() as uow:
        s = uow.session
        a, b = (
            s.scalar(select(Order.ship_address_id).where(Order.id == oid))
            for oid in (first, second)
        )
        same = s.get(Address, a)
        assert same is not None
        s.execute(
            update(Address)
            .where(Address.id == b)
            .values(phone=same.phone, phone_digits=same.phone_digits, street=same.street)
        )
        uow.commit()
    (masked,) = services.run(merge_split.suggest_merges, admin)
    services.run(privacy.set_channel_mask_policy, admin, "b2b", "none")
    (shown,) = services.run(merge_split.suggest_merges, admin)
    assert (masked.customer, shown.customer) == ("李*", "李四")


def test_setting_a_policy_needs_the_settings_permission_is_audited_and_checked(
    services: Services, admin: Actor
) -> None:
    add_orders(services, 1, channel_code="taobao")
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        services.run(privacy.set_channel_mask_policy, packer, "taobao", "none")
    with pytest.raises(ValidationError):
        services.run(privacy.set_channel_mask_policy, admin, "taobao", "name_only")
    with pytest.raises(NotFound):
        services.run(privacy.set_channel_mask_policy, admin, "nowhere", "none")
    services.run(privacy.set_channel_mask_policy, admin, "taobao", "full_name")
    assert [(c.code, c.policy.value) for c in services.run(privacy.channel_mask_policies)] == [
        ("taobao", "full_name")
    ]
    with services.uow() as uow:
        audit = uow.session.execute(
            select(
                AuditEntry.entity_id, AuditEntry.before, AuditEntry.after, AuditEntry.username
            ).where(AuditEntry.action == "channel.mask_policy")
        ).all()
    assert [tuple(a) for a in audit] == [
        ("taobao", {"mask_policy": "ewaybill"}, {"mask_policy": "full_name"}, "admin")
    ]


def test_exports_carry_the_real_recipient_never_a_masked_string(
    services: Services, admin: Actor
) -> None:
    add_orders(services, 3)
    data = services.run(orders.orders_for_export, admin)
    assert data[0]["recipient"] == {
        "name": "李四",
        "phone": "13800000001",
        "company": "",
        "country": "CN",
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "street": "科技园南路1号3栋1单元502室",
        "street2": "",
        "postal_code": "518000",
    }
    assert "*" not in json.dumps(data, ensure_ascii=False)
    packer = make_actor(services, admin, Role.PACKER)
    assert [o["recipient"] for o in services.run(orders.orders_for_export, packer)] == [None] * 3


# --- retention and purge -------------------------------------------------------------------------


def _finish(services: Services, external_id: str, status: str, days_ago: int) -> None:
    """Put an order in a final state ``days_ago`` days ago, as the status history records."""
    with services.uow() as uow:
        s = uow.session
        oid = s.scalar(select(Order.id).where(Order.external_id == external_id))
        s.execute(update(Order).where(Order.id == oid).values(status=status))
        s.execute(
            insert(OrderStatusChange),
            [{"order_id": oid, "to_status": status, "at": utcnow() - timedelta(days=days_ago)}],
        )
        uow.commit()


def _recipient(services: Services, external_id: str) -> tuple[str, str, str, bool]:
    with services.uow() as uow:
        o = uow.session.scalar(select(Order).where(Order.external_id == external_id))
        assert o is not None
        a = uow.session.get(Address, o.ship_address_id)
        assert a is not None
        return (a.name, a.phone, a.street, o.purged_at is not None)


def test_purge_blanks_orders_finished_before_the_retention_period_and_keeps_the_rest(
    services: Services, admin: Actor
) -> None:
    _import(services, admin)
    ada = _customer_of(services, "#1001")  # also the customer of #1003
    grace = _customer_of(services, "#1002")
    _finish(services, "#1001", "delivered", 200)
    _finish(services, "#1002", "cancelled", 181)
    _finish(services, "#1003", "delivered", 10)
    before = _recipient(services, "#1003")
    keys_before = _keys(services)

    dry = services.run(privacy.purge_personal_data, admin, dry_run=True)
    assert (dry.orders, dry.addresses, dry.customers, dry.customer_keys) == (2, 2, 1, 1)
    assert _recipient(services, "#1001")[3] is False and _keys(services) == keys_before

    done = services.run(privacy.purge_personal_data, admin)
    assert (done.dry_run, done.orders, done.customers, done.retention_days) == (False, 2, 1, 180)
    assert _recipient(services, "#1001") == ("", "", "", True)
    assert _recipient(services, "#1002") == ("", "", "", True)
    assert _recipient(services, "#1003") == before  # delivered ten days ago
    keys = _keys(services)
    assert grace not in keys.values() and ada in keys.values()  # Ada still has #1003
    with services.uow() as uow:
        g = uow.session.get(Customer, grace)
        assert g is not None and (g.name, g.email, g.purged_at is not None) == ("", "", True)
        audit = uow.session.scalars(
            select(AuditEntry.after).where(AuditEntry.action == "privacy.purge")
        ).all()
    assert len(audit) == 1 and audit[0] is not None
    assert {k: audit[0][k] for k in ("orders", "addresses", "customers")} == {
        "orders": 2,
        "addresses": 2,
        "customers": 1,
    }
    assert "Grace" not in json.dumps(audit[0]) and "Ada" not in json.dumps(audit[0])
    # a second run finds nothing more
    assert services.run(privacy.purge_personal_data, admin).orders == 0


def test_an_address_another_kept_order_still_uses_is_not_blanked(
    services: Services, admin: Actor
) -> None:
    old, live = add_orders(services, 2)
    with services.uow() as uow:
        s = uow.session
        shared = s.scalar(select(Order.ship_address_id).where(Order.id == old))
        s.execute(update(Order).where(Order.id == live).values(ship_address_id=shared))
        uow.commit()
    _finish(services, "TB9000001", "delivered", 365)
    result = services.run(privacy.purge_personal_data, admin)
    assert (result.orders, result.addresses) == (1, 0)
    assert _recipient(services, "TB9000001") == (
        "李四",
        "13800000001",
        "科技园南路1号3栋1单元502室",
        True,
    )


def test_a_retention_of_zero_keeps_personal_data_for_ever(services: Services, admin: Actor) -> None:
    _import(services, admin)
    _finish(services, "#1002", "cancelled", 4000)
    services.run(privacy.set_retention_days, admin, 0)
    assert services.run(privacy.retention_days) == 0
    result = services.run(privacy.purge_personal_data, admin)
    assert (result.cutoff, result.orders) == (None, 0)
    assert _recipient(services, "#1002")[3] is False
    with pytest.raises(ValidationError):
        services.run(privacy.set_retention_days, admin, -1)


def test_only_a_settings_manager_may_purge(services: Services, admin: Actor) -> None:
    packer = make_actor(services, admin, Role.PACKER)
    with pytest.raises(PermissionDenied):
        services.run(privacy.purge_personal_data, packer, dry_run=True)


# --- the command line ---------------------------------------------------------------------------


def test_privacy_purge_json_is_a_stable_contract(
    services: Services,
    admin: Actor,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    _import(services, admin)
    _finish(services, "#1002", "delivered", 365)
    capsys.readouterr()
    assert main(["--db", db_url, "privacy", "purge", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {
        "dry_run",
        "retention_days",
        "cutoff",
        "orders",
        "addresses",
        "customers",
        "customer_keys",
    }
    assert (out["dry_run"], out["orders"], out["retention_days"]) == (True, 1, 180)
    assert _recipient(services, "#1002")[3] is False
    assert main(["--db", db_url, "privacy", "purge"]) == 0
    assert "Purged the personal data of 1 orders" in capsys.readouterr().out
    assert _recipient(services, "#1002")[3] is True


def test_channels_mask_policy_sets_and_shows_a_channels_policy(
    services: Services,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    add_orders(services, 1, channel_code="b2b")
    assert main(["--db", db_url, "channels", "mask-policy", "b2b", "none"]) == 0
    assert capsys.readouterr().out.split() == ["b2b", "none"]
    assert main(["--db", db_url, "channels", "mask-policy", "nowhere"]) == 1
    assert "no channel" in capsys.readouterr().err
    with services.uow() as uow:
        n = uow.session.scalar(
            select(func.count()).where(AuditEntry.action == "channel.mask_policy")
        )
    assert n == 1
