"""Finding carrier plug-ins: the entry points of the group ``packdesk.carriers``.

Each entry point names a class (or factory) taking no arguments that makes a ``CarrierPlugin``.
Packdesk's own ``pool`` plug-in is registered the same way in ``pyproject.toml``; a source
checkout that was never installed still finds it (it is built in). A carrier whose plug-in is
not installed gets a clear message, not a crash.
"""

from __future__ import annotations

from collections.abc import Callable

from app.carriers.base import ENTRY_POINT_GROUP, CarrierPlugin
from app.domain.errors import PackdeskError
from app.plugins import PluginLoader


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


_LOADER: PluginLoader[CarrierPlugin] = PluginLoader(
    ENTRY_POINT_GROUP,
    CarrierPlugin,
    _builtin,
    missing=lambda carrier, name: PluginMissing(carrier=carrier, plugin=name),
    broken=lambda name, detail: PluginBroken(plugin=name, detail=detail),
    wrong_kind="it does not offer ship, void and manifest.",
)


def available() -> list[str]:
    """The names of every plug-in this computer has (installed and built in)."""
    return _LOADER.available()


def plugin(name: str, carrier: str = "") -> CarrierPlugin:
    """The plug-in called ``name``, made once per process."""
    return _LOADER.get(name, carrier)


def forget() -> None:
    """Drop the made plug-ins (tests that install one at run time)."""
    _LOADER.forget()
