"""Finding channel plug-ins: the entry points of the group ``packdesk.channels``.

Each entry point names a class (or factory) taking no arguments that makes a ``ChannelPlugin``.
Packdesk's own ``shopify`` plug-in is registered the same way in ``pyproject.toml``; a source
checkout that was never installed still finds it (it is built in).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points

from app.channels.base import ENTRY_POINT_GROUP, ChannelPlugin
from app.domain.errors import PackdeskError

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_CACHE: dict[str, ChannelPlugin] = {}


class ChannelPluginMissing(PackdeskError):
    template = (
        "The channel {channel} uploads through the plug-in {plugin}, which is not installed on "
        "this computer. Install it, or set the channel's plug-in again."
    )


class ChannelPluginBroken(PackdeskError):
    template = (
        "The channel plug-in {plugin} could not be loaded: {detail} Reinstall it, or tell "
        "whoever set it up."
    )


def _builtin() -> dict[str, Callable[[], ChannelPlugin]]:
    from app.channels.shopify import ShopifyChannel

    return {"shopify": ShopifyChannel}


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available() -> list[str]:
    """The names of every channel plug-in this computer has."""
    return sorted({*_entry_points(), *_builtin()})


def plugin(name: str, channel: str = "") -> ChannelPlugin:
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
                log.exception("channel plug-in %s failed to load", name)
                raise ChannelPluginBroken(
                    plugin=name, detail=str(exc) or type(exc).__name__
                ) from exc
        elif name in _builtin():
            factory = _builtin()[name]
        else:
            raise ChannelPluginMissing(channel=channel or name, plugin=name)
        made = factory()
        if not isinstance(made, ChannelPlugin):
            raise ChannelPluginBroken(plugin=name, detail="it does not offer upload.")
        _CACHE[name] = made
        return made
