"""Log-in throttling per user name and badge, lockout audit, equal cost of unknown names,
log-out audit; on both backends. The clock is passed in: no test waits for a lockout."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Row, select

from app.bootstrap import Services
from app.db.models import AuditEntry, LoginThrottle
from app.domain.errors import BadBadge, BadCredentials, LoginLocked
from app.domain.users import Actor, Role
from app.services import auth

T0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
PASSWORD = "picker-pass-1"


@pytest.fixture
def picker(services: Services, admin: Actor) -> Actor:
    services.run(
        auth.create_user, admin, "wang", Role.PICKER, PASSWORD, badge="PD-BADGE-0042", pin="4321"
    )
    return services.run(auth.login, "wang", PASSWORD, services.station_id)


def _login(services: Services, name: str, password: str, at: datetime) -> Actor:
    return services.run(auth.login, name, password, services.station_id, now=at)


def _fail(services: Services, name: str, at: datetime) -> None:
    with pytest.raises((BadCredentials, LoginLocked)):  # the try that closes log-in says so
        _login(services, name, "wrong-guess", at)


def _audit(services: Services, action: str) -> list[Row[Any]]:
    with services.uow() as uow:
        return list(
            uow.session.execute(
                select(
                    AuditEntry.user_id,
                    AuditEntry.username,
                    AuditEntry.station_id,
                    AuditEntry.entity_id,
                    AuditEntry.after,
                )
                .where(AuditEntry.action == action)
                .order_by(AuditEntry.id)
            )
        )


def _lockouts(services: Services) -> list[Row[Any]]:
    return _audit(services, "user.lockout")


def test_five_wrong_passwords_close_log_in_and_each_further_failure_waits_longer(
    services: Services, picker: Actor
) -> None:
    for i in range(4):
        _fail(services, "wang", T0 + timedelta(seconds=i))
    assert _lockouts(services) == []
    with pytest.raises(LoginLocked) as closing:  # the fifth: 30 s
        _login(services, "wang", "wrong-guess", T0 + timedelta(seconds=4))
    assert closing.value.params["wait"] == "0:30" and closing.value.params["seconds"] == 30
    with pytest.raises(LoginLocked) as locked:
        _login(services, "wang", PASSWORD, T0 + timedelta(seconds=14))  # even the right one
    assert locked.value.params["wait"] == "0:20"
    assert "Try again in 0:20" in locked.value.message
    at = T0 + timedelta(seconds=35)
    for wait in (60, 120, 240, 480, 900, 900):
        _fail(services, "wang", at)
        with pytest.raises(LoginLocked):
            _login(services, "wang", PASSWORD, at + timedelta(seconds=wait - 1))
        at += timedelta(seconds=wait)
    assert _login(services, "wang", PASSWORD, at).username == "wang"


def test_a_try_during_the_wait_is_not_counted_and_a_success_starts_the_count_again(
    services: Services, picker: Actor
) -> None:
    for i in range(5):
        _fail(services, "wang", T0 + timedelta(seconds=i))
    for s in (5, 10, 20):  # refused before the password is looked at: not counted
        with pytest.raises(LoginLocked):
            _login(services, "wang", "wrong-guess", T0 + timedelta(seconds=s))
    after = T0 + timedelta(seconds=40)
    _fail(services, "wang", after)  # the sixth failure: 60 s, not more
    with pytest.raises(LoginLocked) as locked:
        _login(services, "wang", PASSWORD, after + timedelta(seconds=1))
    assert locked.value.params["wait"] == "0:59"
    later = after + timedelta(minutes=1)
    assert _login(services, "wang", PASSWORD, later).username == "wang"
    with services.uow() as uow:
        assert uow.session.get(LoginThrottle, "user:wang") is None
    for i in range(4):  # four more: the count started again, so log-in stays open
        _fail(services, "wang", later + timedelta(seconds=i))
    assert _login(services, "wang", PASSWORD, later + timedelta(seconds=5)).username == "wang"


def test_each_lockout_is_audited_with_the_user_the_station_and_the_wait(
    services: Services, picker: Actor
) -> None:
    for i in range(4):  # the count is per case-folded name, so WANG cannot dodge it
        _fail(services, "WANG", T0 + timedelta(seconds=i))
    _fail(services, "wang", T0 + timedelta(seconds=4))
    _fail(services, "wang", T0 + timedelta(seconds=40))
    rows = _lockouts(services)
    assert [r.after["failures"] for r in rows if r.after] == [5, 6]
    assert [r.after["wait_seconds"] for r in rows if r.after] == [30, 60]
    assert all(r.user_id == picker.user_id and r.username == "wang" for r in rows)
    assert all(r.station_id == services.station_id and r.entity_id == "user:wang" for r in rows)


def test_an_unknown_name_is_locked_the_same_way_so_the_wait_does_not_tell_it_is_unknown(
    services: Services, picker: Actor
) -> None:
    for i in range(5):
        _fail(services, "nobody", T0 + timedelta(seconds=i))
    with pytest.raises(LoginLocked) as locked:
        _login(services, "nobody", "anything", T0 + timedelta(seconds=14))
    assert locked.value.params["wait"] == "0:20"
    (row,) = _lockouts(services)
    assert row.user_id is None and row.username == "nobody"
    assert _login(services, "wang", PASSWORD, T0 + timedelta(seconds=14)).username == "wang"


def test_a_badge_is_throttled_by_its_code(services: Services, picker: Actor) -> None:
    for i in range(5):
        with pytest.raises(BadBadge if i < 4 else LoginLocked):
            services.run(auth.login_badge, "PD-BADGE-0042", "9876", now=T0 + timedelta(seconds=i))
    with pytest.raises(LoginLocked):
        services.run(auth.login_badge, "PD-BADGE-0042", "4321", now=T0 + timedelta(seconds=10))
    actor = services.run(auth.login_badge, "PD-BADGE-0042", "4321", now=T0 + timedelta(minutes=1))
    assert actor.username == "wang"
    assert _login(services, "wang", PASSWORD, T0 + timedelta(seconds=10)).username == "wang"


def test_an_unknown_user_name_costs_as_much_time_as_a_wrong_password(
    services: Services, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a hasher slow enough (tens of ms) that the database's share of a log-in is small
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=4, memory_cost=16 * 1024))
    names = ["slow-a", "slow-b", "slow-c"]
    for name in names:
        services.run(auth.create_user, admin, name, Role.PICKER, PASSWORD)
    _fail(services, "warm-up", T0)  # the first unknown name makes the dummy hash
    known: list[float] = []
    unknown: list[float] = []
    for i in range(9):  # interleaved, so a busy moment of the machine hits both alike
        for name, into in ((names[i % 3], known), (f"ghost-{i}", unknown)):
            started = time.perf_counter()
            _fail(services, name, T0 + timedelta(seconds=i))
            into.append(time.perf_counter() - started)
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2.0, (known, unknown)


def test_log_out_writes_its_audit_row(services: Services, picker: Actor) -> None:
    assert _audit(services, "user.logout") == []
    services.run(auth.logout, picker)
    (row,) = _audit(services, "user.logout")
    assert row.user_id == picker.user_id and row.username == "wang"
    assert row.station_id == services.station_id and row.entity_id == str(picker.user_id)
