"""Log-in, the first admin, roles checked in services, audit rows, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.bootstrap import Services
from app.db.models import AuditEntry, User
from app.domain.errors import (
    AccountDisabled,
    BadBadge,
    BadCredentials,
    PermissionDenied,
    ValidationError,
)
from app.domain.users import Actor, Role
from app.services import auth
from tests.conftest import make_actor


def test_a_fresh_database_asks_for_the_first_admin_and_has_no_default_password(
    services: Services,
) -> None:
    assert services.run(auth.needs_first_admin)
    with pytest.raises(BadCredentials):
        services.run(auth.login, "admin", "admin")
    with pytest.raises(ValidationError):
        services.run(auth.create_first_admin, "admin", "123")
    services.run(auth.create_first_admin, "boss", "long-enough-1")
    assert not services.run(auth.needs_first_admin)
    with pytest.raises(Exception, match="already exists"):
        services.run(auth.create_first_admin, "other", "long-enough-2")


def test_passwords_are_stored_as_argon2_hashes_only(services: Services, admin: Actor) -> None:
    with services.uow() as uow:
        stored = uow.session.scalar(select(User.password_hash).where(User.username == "admin"))
    assert stored is not None and stored.startswith("$argon2id$")
    assert "correct-horse-9" not in stored


def test_wrong_password_is_refused(services: Services, admin: Actor) -> None:
    with pytest.raises(BadCredentials) as err:
        services.run(auth.login, "admin", "wrong")
    assert "Wrong user name or password" in err.value.message


def test_badge_and_pin_log_in_and_a_wrong_pin_is_refused(services: Services, admin: Actor) -> None:
    services.run(
        auth.create_user,
        admin,
        "li.na",
        Role.PACKER,
        "packer-pass-1",
        "李娜",
        badge="BADGE-0042",
        pin="4321",
    )
    actor = services.run(auth.login_badge, "BADGE-0042", "4321", services.station_id)
    assert actor.username == "li.na" and actor.role is Role.PACKER
    with pytest.raises(BadBadge):
        services.run(auth.login_badge, "BADGE-0042", "0000")


def test_permissions_are_checked_in_the_service_not_only_the_ui(
    services: Services, admin: Actor
) -> None:
    picker = make_actor(services, admin, Role.PICKER)
    with pytest.raises(PermissionDenied) as err:
        services.run(auth.create_user, picker, "sneaky", Role.ADMIN, "sneaky-pass-1")
    assert "picker" in err.value.message and "manage users" in err.value.message


def test_logins_and_user_changes_are_audited_with_user_and_station(
    services: Services, admin: Actor
) -> None:
    services.run(auth.create_user, admin, "wang", Role.PICKER, "picker-pass-1")
    with services.uow() as uow:
        rows = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        actions = [r.action for r in rows]
        create = rows[-1]
        assert actions == ["user.create_first_admin", "user.login", "user.create"]
        assert create.username == "admin" and create.station_id == services.station_id
        assert create.after == {"username": "wang", "role": "picker", "badge": False}


def test_a_disabled_account_cannot_log_in_and_admins_cannot_disable_themselves(
    services: Services, admin: Actor
) -> None:
    info = services.run(auth.create_user, admin, "zhao", Role.PICKER, "picker-pass-1")
    services.run(auth.set_active, admin, info.id, False)
    with pytest.raises(AccountDisabled):
        services.run(auth.login, "zhao", "picker-pass-1")
    services.run(auth.set_active, admin, info.id, True)
    assert services.run(auth.login, "zhao", "picker-pass-1").username == "zhao"
    assert admin.user_id is not None
    with pytest.raises(ValidationError):
        services.run(auth.set_active, admin, admin.user_id, False)


def test_password_reset_and_new_badge(services: Services, admin: Actor) -> None:
    info = services.run(auth.create_user, admin, "sun", Role.SHIPPER, "shipper-pass-1")
    services.run(auth.reset_password, admin, info.id, "brand-new-pass-2")
    with pytest.raises(BadCredentials):
        services.run(auth.login, "sun", "shipper-pass-1")
    services.run(auth.set_badge, admin, info.id, "BADGE-77", "7787")
    assert services.run(auth.login_badge, "BADGE-77", "7787").username == "sun"
    other = services.run(auth.create_user, admin, "qian", Role.SHIPPER, "shipper-pass-2")
    with pytest.raises(ValidationError, match="another user"):
        services.run(auth.set_badge, admin, other.id, "BADGE-77", "1121")
