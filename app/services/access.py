"""How a service declares what it does, so every public service is either a read or a permission-
checked write (a test walks app/services/ and holds every function to it).

- ``@reads``: the unit of work is read-only (on SQLite it does not take the write lock).
- ``@writes(Permission.X)``: the actor must hold X, checked by the service itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from app.db.uow import UnitOfWork
from app.domain.users import Permission

P = ParamSpec("P")
T = TypeVar("T")

#: attribute set on decorated services: "read" or the Permission a write needs
ACCESS_ATTR = "__packdesk_access__"


def reads(fn: Callable[P, T]) -> Callable[P, T]:
    """A service that changes nothing: its unit of work is read-only."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        uow = args[0]
        if isinstance(uow, UnitOfWork):
            uow.read_only = True
        return fn(*args, **kwargs)

    setattr(wrapper, ACCESS_ATTR, "read")
    return wrapper


def writes(permission: Permission) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """A service that changes data and needs ``permission`` (checked inside the service)."""

    def mark(fn: Callable[P, T]) -> Callable[P, T]:
        setattr(fn, ACCESS_ATTR, permission)
        return fn

    return mark


def access_of(fn: Callable[..., Any]) -> str | Permission | None:
    return getattr(fn, ACCESS_ATTR, None)
