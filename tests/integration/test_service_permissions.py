"""Every public service of app/services/ checks who is acting, found by introspection.

A service is a public function whose first parameter is annotated ``UnitOfWork``. Each one must
declare its access (app/services/access.py). Each write is then called with a role that lacks
its permission and with a disabled user's actor, with arguments made from its signature, and
must refuse both without writing anything. A new service without a check fails here.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select, update

import app.services
from app.bootstrap import Services
from app.db.models import Base, User
from app.devices.printers import PrinterConfig
from app.devices.station_config import StationDevicesConfig
from app.domain.check_settings import CheckSettings
from app.domain.errors import AccountDisabled, PermissionDenied
from app.domain.orders import OrderStatus
from app.domain.picking import PickInput
from app.domain.scans import Command, ScanEvent, ScanKind, ScanPatterns
from app.domain.stock import MovementReason
from app.domain.users import ROLE_PERMISSIONS, Actor, Permission, Role
from app.importers.generic import Mapping
from app.labels import shipping
from app.services import auth, order_actions, printing
from app.services.access import access_of
from app.services.orders import OrderQuery
from app.services.package_types import PackageTypeDraft
from app.services.shipping_rules import RuleDraft

#: services that need no permission: each is a reviewed decision (see app/services/access.py)
OPEN_TO_ALL = {
    "auth.ensure_station",
    "auth.create_first_admin",
    "auth.login",
    "auth.login_badge",
    "auth.logout",
    "demo_data.generate",
    # a start-up step: makes the lookup-key secret of a database that has none
    "privacy.ensure_key_secret",
    # the running station's heartbeat (a system write: no operator acts)
    "stations.station_seen",
}


def _discover() -> Iterator[tuple[str, Callable[..., Any]]]:
    for info in pkgutil.walk_packages(app.services.__path__, "app.services."):
        if info.name == "app.services.access":
            continue  # the checking machinery itself
        module = importlib.import_module(info.name)
        for name, fn in sorted(vars(module).items()):
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if getattr(fn, "__module__", "") != module.__name__:
                continue  # imported from elsewhere: checked where it is defined
            params = list(inspect.signature(fn).parameters.values())
            if params and params[0].annotation in ("UnitOfWork", "uow.UnitOfWork"):
                yield info.name.removeprefix("app.services."), fn


SERVICES = dict((f"{mod}.{fn.__name__}", fn) for mod, fn in _discover())
ACTING = {  # every service that takes an actor, except the open ones
    name: fn
    for name, fn in SERVICES.items()
    if name not in OPEN_TO_ALL and "actor" in inspect.signature(fn).parameters
}
WRITES = {name: fn for name, fn in ACTING.items() if isinstance(access_of(fn), Permission)}


def test_the_services_are_found_by_walking_the_package() -> None:
    # guards the walk itself: if it found nothing, every test below would pass vacuously
    assert {"printing.enqueue", "printing.resend", "auth.set_active", "stock.adjust"} <= set(WRITES)
    assert len(SERVICES) > 60


def test_every_public_service_declares_whether_it_reads_or_writes() -> None:
    undeclared = sorted(name for name, fn in SERVICES.items() if access_of(fn) is None)
    assert undeclared == [], "decorate these with @reads, @writes(P), @step or @open_to_all"


def test_only_the_reviewed_services_are_open_to_all() -> None:
    assert {name for name, fn in SERVICES.items() if access_of(fn) == "open"} == OPEN_TO_ALL


# --- calling every service with an actor who may not ---------------------------------------


def _label() -> Any:
    return shipping.test_label("4x6in", 203, printer="test", language="zpl")


#: a valid value for a parameter, by name (a service may check its input before its actor)
def _png() -> bytes:
    """A small valid PNG (the shop's logo)."""
    out = io.BytesIO()
    Image.new("RGB", (64, 32), "navy").save(out, "PNG")
    return out.getvalue()


VALUES: dict[str, Callable[[Services, Path], Any]] = {
    "username": lambda s, t: "new-user",
    "password": lambda s, t: "secret-pass-9",
    "role": lambda s, t: Role.PACKER,
    "badge": lambda s, t: "PD-BADGE-9999",
    "pin": lambda s, t: "4821",
    "active": lambda s, t: False,
    "name": lambda s, t: "shop",
    "channel": lambda s, t: "shop",
    "picture": lambda s, t: _png(),
    "mapping": lambda s, t: Mapping(columns={"order_id": "Order", "items": "Items"}),
    "lines": lambda s, t: {1: 1},
    "order_ids": lambda s, t: [1, 2],
    "splits": lambda s, t: [(1, {1: 1})],
    "reason": lambda s, t: "checked by hand",
    "note": lambda s, t: "note",
    "new": lambda s, t: CheckSettings(),
    "path": lambda s, t: t / "orders.csv",
    "items": lambda s, t: [],
    "order": lambda s, t: None,
    "failures": lambda s, t: [],
    "target": lambda s, t: OrderStatus.RELEASED,
    "moves": lambda s, t: [],
    "fmt": lambda s, t: "zpl",
    "kind": lambda s, t: "test",
    "reference": lambda s, t: "test label",
    "payload": lambda s, t: b"^XA^XZ",
    "config": lambda s, t: PrinterConfig(address="127.0.0.1:9100"),
    "label": lambda s, t: _label(),
    "patterns": lambda s, t: ScanPatterns(),
    "station_id": lambda s, t: s.station_id,
    "level": lambda s, t: None,
    "reason_code": lambda s, t: MovementReason.ADJUSTMENT,
    "numbers": lambda s, t: ["PD00000001"],
    "query": lambda s, t: OrderQuery(search="PD0000"),
    "sku": lambda s, t: "CUP-1",
    "location": lambda s, t: "A-01",
    "source": lambda s, t: "A-01",
    "target_location": lambda s, t: "A-02",
    "product": lambda s, t: "CUP-1",
    "today": lambda s, t: date(2026, 12, 1),
    "channel_id": lambda s, t: None,
    "parts": lambda s, t: [(1, 1)],
    "mapping_id": lambda s, t: 1,
    "scan": lambda s, t: PickInput(ScanKind.COMMAND, command=Command.SKIP),
    "batch": lambda s, t: None,
    "task": lambda s, t: None,
    "event": lambda s, t: ScanEvent("WALL-01", "WALL-01", "", "test", ScanKind.UNKNOWN),
    "codes": lambda s, t: ["A-01"],
    "path_or_text": lambda s, t: "RR473124829CN",
    "ids": lambda s, t: [1],
    "draft": lambda s, t: RuleDraft(name="stop here", action="stop"),
    "package_draft": lambda s, t: PackageTypeDraft(
        "BOX-S", kind="box", length_mm=200, width_mm=150, height_mm=100
    ),
    "folder": lambda s, t: t,
    # the pack station's steps (refused before they read these)
    "st": lambda s, t: None,
    "params": lambda s, t: {},
    "serial": lambda s, t: None,
    "service_id": lambda s, t: None,
    "package_id": lambda s, t: None,
    "raw": lambda s, t: "4006381333931",
    # tracking written back to the shops
    "out": lambda s, t: t / "tracking.csv",
    "fields": lambda s, t: ["tracking"],
    # delivery tracking: the carrier events a step records
    "events": lambda s, t: [],
    # the carrier handover (refused before they read these)
    "carrier_id": lambda s, t: None,
    "day": lambda s, t: date(2026, 12, 1),
    "now": lambda s, t: datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
    "parcel_ids": lambda s, t: [],
}
BY_TYPE: dict[str, Any] = {"int": 1, "str": "x", "bool": False, "bytes": b"x"}


def _arguments(fn: Callable[..., Any], services: Services, tmp: Path) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for p in list(inspect.signature(fn).parameters.values())[2:]:
        if p.default is not inspect.Parameter.empty:
            continue
        if StationDevicesConfig.__name__ in str(p.annotation):
            kwargs[p.name] = StationDevicesConfig()
        elif fn.__name__ == "move" and p.name == "target":
            kwargs[p.name] = VALUES["target_location"](services, tmp)
        elif fn.__name__ == "save_package_type" and p.name == "draft":
            kwargs[p.name] = VALUES["package_draft"](services, tmp)
        elif fn.__name__ == "move_locked" and p.name == "reason":
            kwargs[p.name] = VALUES["reason_code"](services, tmp)
        elif p.name in VALUES:
            kwargs[p.name] = VALUES[p.name](services, tmp)
        elif str(p.annotation) in BY_TYPE:
            kwargs[p.name] = BY_TYPE[str(p.annotation)]
        else:
            pytest.fail(f"{fn.__qualname__}: add a value for {p.name}: {p.annotation} to VALUES")
    return kwargs


def _row_counts(services: Services) -> dict[str, int]:
    with services.uow() as uow:
        return {
            t.name: uow.session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


def _call(fn: Callable[..., Any], services: Services, actor: Actor, kwargs: dict[str, Any]) -> Any:
    if access_of(fn) == "step":  # a step runs inside its caller's unit of work
        with services.uow() as uow:
            return fn(uow, actor, **kwargs)
    return services.run(fn, actor, **kwargs)


def _lacking(permission: Permission) -> Role:
    order = [Role.PICKER, Role.PACKER, Role.SHIPPER, Role.RETURNS_CLERK, Role.SUPERVISOR]
    return next(r for r in order if permission not in ROLE_PERMISSIONS[r])


@pytest.fixture
def people(services: Services, admin: Actor) -> dict[str, Actor]:
    """A picker (or another role without the permission) and an administrator whose account
    was disabled after they logged in."""
    actors = {}
    for role in Role:
        if role is Role.ADMIN:
            continue
        services.run(auth.create_user, admin, f"{role.value}-1", role, "secret-pass-1")
        actors[role.value] = services.run(
            auth.login, f"{role.value}-1", "secret-pass-1", services.station_id
        )
    services.run(auth.create_user, admin, "gone", Role.ADMIN, "secret-pass-1")
    actors["disabled"] = services.run(auth.login, "gone", "secret-pass-1", services.station_id)
    services.run(auth.set_active, admin, actors["disabled"].user_id, False)
    return actors


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_service_refuses_a_role_without_its_permission(
    name: str, services: Services, people: dict[str, Actor], tmp_path: Path
) -> None:
    fn = WRITES[name]
    permission = access_of(fn)
    assert isinstance(permission, Permission)
    role = _lacking(permission)
    kwargs = _arguments(fn, services, tmp_path)
    before = _row_counts(services)
    with pytest.raises(PermissionDenied) as refused:
        _call(fn, services, people[role.value], kwargs)
    assert refused.value.params["role"] == role.value
    assert _row_counts(services) == before


@pytest.mark.parametrize("name", sorted(ACTING))
def test_a_service_refuses_a_user_disabled_after_logging_in(
    name: str, services: Services, people: dict[str, Actor], tmp_path: Path
) -> None:
    fn = ACTING[name]
    kwargs = _arguments(fn, services, tmp_path)
    before = _row_counts(services)
    with pytest.raises(AccountDisabled):
        _call(fn, services, people["disabled"], kwargs)
    assert _row_counts(services) == before


def test_a_role_taken_away_counts_from_the_next_action_not_the_next_log_in(
    services: Services, admin: Actor, people: dict[str, Actor]
) -> None:
    demoted = people[Role.SUPERVISOR.value]
    order_ids = _orders(services, 1)
    services.run(order_actions.hold, demoted, order_ids, "looks odd")  # allowed as supervisor
    with services.uow() as uow:
        uow.session.execute(
            update(User).where(User.id == demoted.user_id).values(role=Role.PICKER.value)
        )
        uow.commit()
    with pytest.raises(PermissionDenied) as refused:
        services.run(order_actions.release, demoted, order_ids)
    assert refused.value.params["role"] == Role.PICKER.value


def _orders(services: Services, n: int) -> list[int]:
    from tests.factories import add_orders

    return add_orders(services, n)


def test_printing_refuses_a_picker_in_the_service_not_only_on_the_devices_screen(
    services: Services, people: dict[str, Actor]
) -> None:
    picker = people[Role.PICKER.value]
    with pytest.raises(PermissionDenied, match="may not print labels"):
        services.run(
            printing.enqueue, picker, fmt="zpl", kind="test", reference="r", payload=b"^XA^XZ"
        )
    config = PrinterConfig(address="127.0.0.1:9100")
    with pytest.raises(PermissionDenied, match="may not print labels"):
        services.run(printing.print_label, picker, config, _label(), kind="test", reference="r")
    for action in (printing.resend, printing.cancel):
        with pytest.raises(PermissionDenied, match="may not print labels"):
            services.run(action, picker, 1)
