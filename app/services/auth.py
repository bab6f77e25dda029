"""Log-in (password, or badge + PIN), the first admin, users and stations."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from app.db.models import Station, User, utcnow
from app.db.uow import UnitOfWork
from app.domain.errors import (
    AccountDisabled,
    BadBadge,
    BadCredentials,
    NotFound,
    PackdeskError,
    ValidationError,
)
from app.domain.users import Actor, Permission, Role, check_password_strength, check_pin
from app.services import throttle
from app.services.access import open_to_all, reads, writes

#: argon2id with the RFC 9106 "second recommended" (low-memory) parameters: 3 passes over
#: 64 MiB with 4 lanes, about 50 ms on a station PC (tests swap in a cheap hasher)
PRODUCTION_HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)
_hasher = PRODUCTION_HASHER
#: a hash of nothing anyone types, made with the current hasher: an unknown user name is
#: verified against it, so it costs the same time as a wrong password
_dummy: tuple[PasswordHasher, str] | None = None


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    has_badge: bool


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def _dummy_hash() -> str:
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, _hasher.hash(secrets.token_hex(16)))
    return _dummy[1]


def _verify(hash_: str | None, secret: str) -> bool:
    if not hash_:
        return False
    try:
        return _hasher.verify(hash_, secret)
    except (VerificationError, InvalidHashError):
        return False


@open_to_all
def ensure_station(uow: UnitOfWork, code: str, app_version: str = "") -> int:
    """The id of this station, registering it on first start, with the version it runs now."""
    with uow:
        station = uow.session.scalar(select(Station).where(Station.code == code))
        if station is None:
            station = Station(code=code, name=code, devices={})
            uow.session.add(station)
        station.last_seen_at = utcnow()
        if app_version:
            station.app_version = app_version
        uow.commit()
        return station.id


@reads
def needs_first_admin(uow: UnitOfWork) -> bool:
    """True on a fresh database: the first run must create the admin (no default password)."""
    with uow:
        return not uow.session.scalar(select(func.count()).select_from(User))


@open_to_all
def create_first_admin(
    uow: UnitOfWork, username: str, password: str, station_id: int | None = None
) -> UserInfo:
    check_password_strength(password)
    username = _clean_username(username)
    with uow:
        if uow.session.scalar(select(func.count()).select_from(User)):
            raise PackdeskError("An administrator already exists. Log in with that account.")
        user = User(
            username=username,
            display_name=username,
            role=Role.ADMIN.value,
            password_hash=hash_secret(password),
        )
        uow.session.add(user)
        uow.session.flush()
        actor = Actor(user.id, username, Role.ADMIN, station_id)
        uow.audit(actor, "user.create_first_admin", "user", user.id, after={"username": username})
        uow.commit()
        return _info(user)


@writes(Permission.MANAGE_USERS)
def create_user(
    uow: UnitOfWork,
    actor: Actor,
    username: str,
    role: Role | str,
    password: str,
    display_name: str = "",
    badge: str | None = None,
    pin: str | None = None,
) -> UserInfo:
    check_password_strength(password)
    role = Role(role)
    username = _clean_username(username)
    if badge is not None or pin is not None:
        if not badge or not pin:
            raise ValidationError("A badge needs both the badge code and a PIN.")
        check_pin(pin)
    with uow:
        uow.require(actor, Permission.MANAGE_USERS)
        if uow.session.scalar(select(User.id).where(User.username == username)):
            raise ValidationError(
                "The user name {username} is taken. Choose another one.", username=username
            )
        if badge and uow.session.scalar(select(User.id).where(User.badge_code == badge)):
            raise ValidationError("This badge belongs to another user.")
        user = User(
            username=username,
            display_name=display_name or username,
            role=role.value,
            password_hash=hash_secret(password),
            badge_code=badge or None,
            pin_hash=hash_secret(pin) if pin else None,
        )
        uow.session.add(user)
        uow.session.flush()
        uow.audit(
            actor,
            "user.create",
            "user",
            user.id,
            after={"username": username, "role": role.value, "badge": bool(badge)},
        )
        uow.commit()
        return _info(user)


@open_to_all
def login(
    uow: UnitOfWork,
    username: str,
    password: str,
    station_id: int | None = None,
    station_code: str = "",
    *,
    now: datetime | None = None,
) -> Actor:
    """Log in by name and password. After 5 failures for a name (known or not) each try waits
    longer; an unknown name costs the same time as a wrong password."""
    name = username.strip()
    subject = throttle.subject_of("user", name)
    with uow:
        now = now or utcnow()
        throttle.refuse_if_locked(uow.session, subject, now)
        user = uow.session.scalar(select(User).where(User.username == name))
        if not _verify(user.password_hash if user else _dummy_hash(), password) or user is None:
            _failed(uow, subject, now, user, name, station_id, BadCredentials())
        throttle.clear(uow.session, subject)
        return _logged_in(uow, user, station_id, station_code, "password")


@open_to_all
def login_badge(
    uow: UnitOfWork,
    badge: str,
    pin: str,
    station_id: int | None = None,
    station_code: str = "",
    *,
    now: datetime | None = None,
) -> Actor:
    """Log in by badge and PIN, throttled per badge as :func:`login` is per name."""
    code = badge.strip()
    subject = throttle.subject_of("badge", code)
    with uow:
        now = now or utcnow()
        throttle.refuse_if_locked(uow.session, subject, now)
        user = uow.session.scalar(select(User).where(User.badge_code == code))
        pin_hash = user.pin_hash if user and user.pin_hash else _dummy_hash()
        if not _verify(pin_hash, pin) or user is None or not user.pin_hash:
            _failed(uow, subject, now, user, "badge", station_id, BadBadge())
        throttle.clear(uow.session, subject)
        return _logged_in(uow, user, station_id, station_code, "badge")


def _failed(
    uow: UnitOfWork,
    subject: str,
    now: datetime,
    user: User | None,
    typed: str,
    station_id: int | None,
    error: PackdeskError,
) -> NoReturn:
    """Count the failure and raise ``error``, or ``LoginLocked`` when this one closes log-in."""
    wait = throttle.record_failure(
        uow.session,
        subject,
        now,
        user_id=user.id if user else None,
        username=user.username if user else typed,
        station_id=station_id,
    )
    uow.commit()
    raise error if wait is None else throttle.locked(wait)


@open_to_all
def logout(uow: UnitOfWork, actor: Actor) -> None:
    with uow:
        uow.audit(actor, "user.logout", "user", actor.user_id or "")
        uow.commit()


@reads
def list_users(uow: UnitOfWork, actor: Actor) -> list[UserInfo]:
    with uow:
        uow.require(actor, Permission.MANAGE_USERS)
        return [_info(u) for u in uow.session.scalars(select(User).order_by(User.username))]


def _logged_in(
    uow: UnitOfWork, user: User, station_id: int | None, station_code: str, method: str
) -> Actor:
    if not user.active:
        raise AccountDisabled(user=user.username)
    user.last_login_at = utcnow()
    actor = Actor(user.id, user.username, Role(user.role), station_id, station_code)
    uow.audit(actor, "user.login", "user", user.id, after={"method": method})
    uow.commit()
    return actor


def _clean_username(username: str) -> str:
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise ValidationError("A user name is 1 to 64 characters without spaces.")
    return username


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.username,
        user.display_name,
        Role(user.role),
        user.active,
        user.badge_code is not None,
    )


@writes(Permission.MANAGE_USERS)
def set_active(uow: UnitOfWork, actor: Actor, user_id: int, active: bool) -> UserInfo:
    """Disable or enable an account (disabled accounts cannot log in; history stays)."""
    with uow:
        uow.require(actor, Permission.MANAGE_USERS)
        user = _get_user(uow, user_id)
        if not active and user.id == actor.user_id:
            raise ValidationError("You cannot disable your own account.")
        before = user.active
        user.active = active
        uow.audit(
            actor,
            "user.set_active",
            "user",
            user.id,
            before={"active": before},
            after={"active": active},
        )
        uow.commit()
        return _info(user)


@writes(Permission.MANAGE_USERS)
def reset_password(uow: UnitOfWork, actor: Actor, user_id: int, password: str) -> None:
    check_password_strength(password)
    with uow:
        uow.require(actor, Permission.MANAGE_USERS)
        user = _get_user(uow, user_id)
        user.password_hash = hash_secret(password)
        uow.audit(actor, "user.reset_password", "user", user.id)
        uow.commit()


@writes(Permission.MANAGE_USERS)
def set_badge(uow: UnitOfWork, actor: Actor, user_id: int, badge: str, pin: str) -> UserInfo:
    """Give a user a (new) badge and PIN for scan log-in."""
    badge = badge.strip()
    if not badge:
        raise ValidationError("A badge needs both the badge code and a PIN.")
    check_pin(pin)
    with uow:
        uow.require(actor, Permission.MANAGE_USERS)
        user = _get_user(uow, user_id)
        other = uow.session.scalar(select(User.id).where(User.badge_code == badge))
        if other is not None and other != user.id:
            raise ValidationError("This badge belongs to another user.")
        user.badge_code, user.pin_hash = badge, hash_secret(pin)
        uow.audit(actor, "user.set_badge", "user", user.id, after={"badge": True})
        uow.commit()
        return _info(user)


def _get_user(uow: UnitOfWork, user_id: int) -> User:
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound(what="User", key=str(user_id))
    return user
