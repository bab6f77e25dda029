"""How a service declares what it does, so every public service is either a read, a
permission-checked write, a step of a caller's unit of work, or one of the few that run before
anyone has logged in (a test walks app/services/ and holds every function to it).

- ``@reads``: the unit of work is read-only (on SQLite it does not take the write lock). A read
  that acts for someone still calls ``uow.require(actor, ...)`` first inside ``with uow:``.
- ``@writes(Permission.X)``: the service calls ``uow.require(actor, Permission.X)`` first inside
  its ``with uow:``: the actor's CURRENT state (enabled, role) is read from the database, so a
  disabled user or a changed role is refused from the next action on.
- ``@step``: a building block that runs inside the caller's ``with uow:`` (the caller checked
  the permission and commits). It checks the actor is still enabled before it runs; that check
  is remembered for the unit of work, so a loop of steps costs one query.
- ``@open_to_all``: needs no permission: log-in and log-out, the first administrator,
  registering the station at start-up, demo data for an empty database. Each guards itself
  (the first admin and demo data refuse once users or data exist; log-in checks the password).
  The permission test keeps the list of these by name, so a new one is a reviewed decision.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from app.db.uow import UnitOfWork
from app.domain.users import Actor, Permission

P = ParamSpec("P")
T = TypeVar("T")

#: attribute set on decorated services: "read", "step", "open" or the Permission a
#: write needs
ACCESS_ATTR = "__packdesk_access__"


def reads(fn: Callable[P, T]) -> Callable[P, T]:
    """A service that changes nothing: its unit of work is read-only."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        uow = args[0]
        if not isinstance(uow, UnitOfWork):
            return fn(*args, **kwargs)
        # a read called by a write service on the same unit of work leaves it writable after
        before, uow.read_only = uow.read_only, True
        try:
            return fn(*args, **kwargs)
        finally:
            uow.read_only = before

    setattr(wrapper, ACCESS_ATTR, "read")
    return wrapper


def writes(permission: Permission) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """A service that changes data and needs ``permission``: it calls
    ``uow.require(actor, permission)`` first inside its unit of work."""

    def mark(fn: Callable[P, T]) -> Callable[P, T]:
        setattr(fn, ACCESS_ATTR, permission)
        return fn

    return mark


def step(fn: Callable[P, T]) -> Callable[P, T]:
    """A part of the caller's unit of work (``fn(uow, actor, ...)`` inside ``with uow:``)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        uow, actor = args[0], args[1] if len(args) > 1 else None  # a step may take no actor
        if isinstance(uow, UnitOfWork) and isinstance(actor, Actor):
            uow.require(actor)
        return fn(*args, **kwargs)

    setattr(wrapper, ACCESS_ATTR, "step")
    return wrapper


def open_to_all(fn: Callable[P, T]) -> Callable[P, T]:
    """A service that needs no permission (log-in, log-out, first start)."""
    setattr(fn, ACCESS_ATTR, "open")
    return fn


def require_now(uow: UnitOfWork, actor: Actor, permission: Permission) -> Actor:
    """Check the actor in a short unit of work of its own, for a service that does slow work
    (reading a file, rendering a label) before its first unit of work; returns the current
    actor."""
    with uow:
        return uow.require(actor, permission)


def access_of(fn: Callable[..., Any]) -> str | Permission | None:
    return getattr(fn, ACCESS_ATTR, None)
