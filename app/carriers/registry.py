"""Finding carrier plug-ins: the entry points of the group ``packdesk.carriers``.

Each entry point names a class (or factory) taking no arguments that makes a ``CarrierPlugin``.
Packdesk's own ``pool`` plug-in is registered the same way in ``pyproject.toml``; a source
checkout that was never installed still finds it (it is built in). A carrier whose plug-in is
not installed gets a clear message, not a crash.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

from app.carriers.base import ENTRY_POINT_GROUP, CarrierPlugin
from app.domain.errors import PackdeskError

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_CACHE: dict[str, CarrierPlugin] = {}


class PluginMissing(PackdeskError):
    template = (
        "The carrier {carrier} uses the plug-in {plugin}, which is not installed on this "
        "computer. Install it, or choose another plug-in for the carrier."
    )


class PluginBroken(PackdeskError):
    template = (
        "The carrier plug-in {plugin} could not be loaded: {detail} Reinstall it, or tell "
        "whoever set it up."
    )


def _builtin() -> dict[str, Callable[[], CarrierPlugin]]:
    from app.carriers.pool import PoolCarrier

    return {"pool": PoolCarrier}


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available() -> list[str]:
    """The names of every plug-in this computer has (installed and built in)."""
    return sorted({*_entry_points(), *_builtin()})


def plugin(name: str, carrier: str = "") -> CarrierPlugin:
    """The plug-in called ``name``, made once per process."""
    with _LOCK:
        found = _CACHE.get(name)
        if found is not None:
            return found
        ep = _entry_points().get(name)
        factory: Callable[[], object]
        if ep is not None:
            try:
                factory = ep.load()
            except Exception as exc:  # a third-party module: any import error
                log.exception("carrier plug-in %s failed to load", name)
                raise PluginBroken(plugin=name, detail=str(exc) or type(exc).__name__) from exc
        elif name in _builtin():
            factory = _builtin()[name]
        else:
            raise PluginMissing(carrier=carrier or name, plugin=name)
        made = factory()
        if not isinstance(made, CarrierPlugin):
            raise PluginBroken(plugin=name, detail="it does not offer ship, void and manifest.")
        _CACHE[name] = made
        return made


def forget() -> None:
    """Drop the made plug-ins (tests that install one at run time)."""
    with _LOCK:
        _CACHE.clear()
