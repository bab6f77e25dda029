"""Loading plug-ins from entry points: one loader per group (carriers, channels).

A plug-in is a class (or factory) taking no arguments, named by an entry point of its group or
built into Packdesk; it is made once per process. A name nobody installed, a module that does
not import, or an object of the wrong kind gets the group's own clear message, not a crash.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar, cast

from app.domain.errors import PackdeskError

log = logging.getLogger(__name__)

T = TypeVar("T")


class PluginLoader(Generic[T]):
    def __init__(
        self,
        group: str,
        kind: Any,
        builtin: Callable[[], dict[str, Callable[[], T]]],
        *,
        missing: Callable[[str, str], PackdeskError],
        broken: Callable[[str, str], PackdeskError],
        wrong_kind: str,
    ) -> None:
        """``kind``: the class (or runtime-checkable protocol) a plug-in must be;
        ``missing(owner, name)`` and ``broken(name, detail)`` make the group's errors;
        ``wrong_kind`` is the detail when the made object is not a ``kind``."""
        self.group, self.kind, self._builtin = group, kind, builtin
        self._missing, self._broken, self._wrong_kind = missing, broken, wrong_kind
        self._lock = threading.Lock()
        self._cache: dict[str, T] = {}

    def available(self) -> list[str]:
        """The names of every plug-in this computer has (installed and built in)."""
        return sorted({ep.name for ep in entry_points(group=self.group)} | set(self._builtin()))

    def get(self, name: str, owner: str = "") -> T:
        """The plug-in called ``name`` (``owner``: the carrier or channel that uses it)."""
        with self._lock:
            found = self._cache.get(name)
            if found is not None:
                return found
            eps = {ep.name: ep for ep in entry_points(group=self.group)}
            factory: Callable[[], object]
            if name in eps:
                try:
                    factory = eps[name].load()
                except Exception as exc:  # a third-party module: any import error
                    log.exception("plug-in %s of %s failed to load", name, self.group)
                    raise self._broken(name, str(exc) or type(exc).__name__) from exc
            elif name in self._builtin():
                factory = self._builtin()[name]
            else:
                raise self._missing(owner or name, name)
            made = factory()
            if not isinstance(made, self.kind):
                raise self._broken(name, self._wrong_kind)
            self._cache[name] = cast(T, made)
            return cast(T, made)

    def forget(self) -> None:
        """Drop the made plug-ins (tests that install one at run time)."""
        with self._lock:
            self._cache.clear()
