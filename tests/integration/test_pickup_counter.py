"""The pickup counter (自提): a packed pickup order waits on the shelf in its slot until its
customer collects it; collecting ships its units out of the dock, makes the order delivered and
frees the slot; the counter refuses what it cannot hand over, saying why. The command line's
JSON keys are a contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.bootstrap import Services
from app.cli import main
from app.config import ENV_DB, ENV_HOME
from app.db.models import Order, OrderStatusChange, Parcel, StockLedger
from app.domain import pickup_shelf as rules
from app.domain.users import Actor
from app.services import pack_pickup, pickup_counter
from app.services.pack_moves import PARCEL_REF
from tests.pickup_fixtures import pack_pd1, pack_pd2, pickup_shop


def test_a_collected_pickup_order_is_delivered_its_units_leave_the_dock_and_its_slot_is_free(
    services: Services, admin: Actor
) -> None:
    setup = pickup_shop(services, admin)
    pack_pd2(services, setup)
    pack_pd1(services, setup)
    waiting = services.run(pickup_counter.waiting_pickups, admin)
    assert [(w.order_number, w.slot, w.parcels) for w in waiting] == [
        ("PD2", "S-07", 1),
        ("PD1", "S-08", 1),
    ]
    pd2 = waiting[0]
    assert (pd2.name, pd2.phone) == ("张*丰", "138******78")  # masked as on the slip
    found = services.run(pickup_counter.find_pickup, admin, "TB-778899")  # the channel's id
    assert (found.order_number, found.slot) == ("PD2", "S-07")

    out = services.run(pickup_counter.collect_pickup, admin, " PD2 ")
    assert (out.order_number, out.slot, out.parcels, out.units) == ("PD2", "S-07", 1, 3)
    with services.uow() as uow:
        s = uow.session
        order = s.scalars(select(Order).where(Order.number == "PD2")).one()
        assert order.status == "delivered"
        moves = s.execute(
            select(OrderStatusChange.from_status, OrderStatusChange.to_status)
            .where(OrderStatusChange.order_id == order.id)
            .order_by(OrderStatusChange.id.desc())
            .limit(2)
        ).all()
        assert [tuple(m) for m in moves] == [("shipped", "delivered"), ("packed", "shipped")]
        parcel = s.scalars(select(Parcel).where(Parcel.order_id == order.id)).one()
        assert parcel.status == "shipped" and parcel.shipped_at is not None
        shipped = s.scalar(
            select(func.sum(StockLedger.qty_delta)).where(
                StockLedger.reason == "ship",
                StockLedger.ref_type == PARCEL_REF,
                StockLedger.ref_id == parcel.id,
            )
        )
        assert shipped == -3
        assert pack_pickup.taken_slots(s) == {"S-08"}  # S-07 is free for the next order
    assert [w.order_number for w in services.run(pickup_counter.waiting_pickups, admin)] == ["PD1"]


def test_the_counter_refuses_what_it_cannot_hand_over_and_says_why(
    services: Services, admin: Actor
) -> None:
    setup = pickup_shop(services, admin)
    with pytest.raises(rules.PickupNotReady, match="PD2 is picked, not packed"):
        services.run(pickup_counter.collect_pickup, admin, "PD2")
    pack_pd2(services, setup)
    with pytest.raises(rules.UnknownPickup, match="NOPE-9"):
        services.run(pickup_counter.find_pickup, admin, "NOPE-9")
    services.run(pickup_counter.collect_pickup, admin, "PD2")
    with pytest.raises(rules.AlreadyCollected, match="PD2 was already collected on 20"):
        services.run(pickup_counter.collect_pickup, admin, "PD2")
    with services.uow() as uow:
        uow.session.execute(update(Order).where(Order.number == "PD1").values(pickup=False))
        uow.commit()
    with pytest.raises(rules.NotAPickup, match="PD1 goes by carrier"):
        services.run(pickup_counter.find_pickup, admin, "PD1")
    with services.uow() as uow:  # refusals changed nothing
        assert uow.session.scalar(
            select(func.count()).select_from(StockLedger).where(StockLedger.reason == "ship")
        ) == 1 * 1  # fmt: skip


def test_pickup_list_and_collect_on_the_command_line_give_their_json_keys(
    services: Services,
    admin: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "home"))
    monkeypatch.delenv(ENV_DB, raising=False)
    setup = pickup_shop(services, admin)
    pack_pd2(services, setup)
    capsys.readouterr()
    monkeypatch.setenv("PACKDESK_PASSWORD", "correct-horse-9")
    url = services.engine.url.render_as_string(hide_password=False)
    db = ["--db", url, "--user", "admin"]
    assert main([*db, "pickup", "list", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"waiting"}
    assert [set(w) for w in out["waiting"]] == [
        {"order", "external_id", "channel", "slot", "name", "phone", "parcels", "packed_at"}
    ]
    assert (out["waiting"][0]["order"], out["waiting"][0]["slot"]) == ("PD2", "S-07")
    assert main([*db, "pickup", "collect", "PD2", "PD404", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"collected", "refused"} and out["refused"] == 1
    keys = {"scan", "ok", "order", "slot", "parcels", "units", "collected_at", "error"}
    assert [set(r) for r in out["collected"]] == [keys, keys]
    ok, refused = out["collected"]
    assert (ok["ok"], ok["order"], ok["slot"], ok["units"]) == (True, "PD2", "S-07", 3)
    assert not refused["ok"] and "PD404" in refused["error"]
