"""Finding channel plug-ins: the entry points of the group ``packdesk.channels``.

Each entry point names a class (or factory) taking no arguments that makes a ``ChannelPlugin``.
Packdesk's own ``shopify`` plug-in is registered the same way in ``pyproject.toml``; a source
checkout that was never installed still finds it (it is built in).
"""

from __future__ import annotations

from collections.abc import Callable

from app.channels.base import ENTRY_POINT_GROUP, ChannelPlugin
from app.domain.errors import PackdeskError
from app.plugins import PluginLoader


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


_LOADER: PluginLoader[ChannelPlugin] = PluginLoader(
    ENTRY_POINT_GROUP,
    ChannelPlugin,
    _builtin,
    missing=lambda channel, name: ChannelPluginMissing(channel=channel, plugin=name),
    broken=lambda name, detail: ChannelPluginBroken(plugin=name, detail=detail),
    wrong_kind="it does not offer upload.",
)


def available() -> list[str]:
    """The names of every channel plug-in this computer has."""
    return _LOADER.available()


def plugin(name: str, channel: str = "") -> ChannelPlugin:
    """The plug-in called ``name``, made once per process."""
    return _LOADER.get(name, channel)


def forget() -> None:
    """Drop the made plug-ins (tests that install one at run time)."""
    _LOADER.forget()
