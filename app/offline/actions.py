"""Which calls a station may make while the shared database is away, and how each is written
to the journal and replayed.

An offline *action* writes: it runs on the station store, is journaled, and is replayed on the
shared database later (``ACTIONS``: journal name -> the service function, and which argument is
a pack session id that may have to be translated to the shared database's id). An offline
*read* only shows the store's copy (``READS``). Everything else is refused with the reason
(``refusal_for``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.domain.errors import PackdeskError
from app.services import (
    auth,
    pack_finish,
    pack_open,
    pack_scan,
    pack_settings,
    pack_shift,
    pack_single,
    pack_single_batch,
    pack_weigh,
    scanning,
    tracking_pool,
)


class OfflineRefused(PackdeskError):
    """What a station cannot do while the shared database is away."""

    template = (
        "The shared database is not reachable: {what} must wait until it is back. Packing the "
        "orders you already have goes on."
    )


class NotKeptHere(OfflineRefused):
    template = (
        "The shared database is not reachable and {text} is not among the orders this station "
        "kept for packing offline (the open orders of its claimed batches). Pack another of "
        "them, or wait until the database is back."
    )


class NotUpToDate(OfflineRefused):
    template = (
        "The shared database is not reachable, and this order changed on this station just "
        "before: its copy here is not up to date. Put it aside until the database is back and "
        "pack another of this station's orders."
    )


@dataclass(frozen=True)
class Action:
    name: str
    fn: Callable[..., Any]
    #: position (after the actor) of a pack session id argument, or None
    session_arg: int | None = None


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("pack.open", pack_open.open_for_packing),
        Action("pack.scan", pack_scan.scan, 0),
        Action("pack.force_verify", pack_scan.force_verify, 0),
        Action("pack.weigh", pack_weigh.weigh, 0),
        Action("pack.override_weight", pack_weigh.override_weight, 0),
        Action("pack.finish", pack_finish.finish_now, 0),
        Action("pack.release", pack_open.release, 0),
        Action("pack.open_single", pack_single_batch.open_single_unit),
        Action("pack.single_scan", pack_single.single_scan),
    )
}
BY_FN: dict[Callable[..., Any], Action] = {a.fn: a for a in ACTIONS.values()}

#: reads answered from the station store while offline (with the session id translated)
READS: dict[Callable[..., Any], int | None] = {
    pack_open.resume: None,
    pack_open.pack_view: 0,
    pack_single_batch.single_unit_view: None,
    pack_single_batch.resume_single_unit: None,
    pack_settings.get_pack_settings: None,
    pack_shift.shift_figures: None,
    tracking_pool.pool_left: None,
    # every scanner read is classified first (ui/devices/pipeline.py): without these a station
    # offline would refuse every scan before the pack screen saw it
    scanning.classify: None,
    scanning.get_scan_patterns: None,
}

#: signing in and out at the station: on the store, not journaled (a restarted station signs
#: its packer in from its copy; those log-ins are not in the shared database's audit log)
LOCAL: frozenset[Callable[..., Any]] = frozenset({auth.login, auth.login_badge, auth.logout})

#: what the refusal names, for the calls a station makes most (others: their own name)
OFFLINE_WORDS = {
    "get_work": "claiming new work",
    "close_handover": "closing a handover",
    "scan_parcel": "scanning parcels onto a handover",
    "pick_scan": "picking",
}


def refusal_for(fn: Callable[..., Any]) -> OfflineRefused:
    name = getattr(fn, "__name__", "this action")
    return OfflineRefused(what=OFFLINE_WORDS.get(name, name.replace("_", " ")))


def session_arg(fn: Callable[..., Any]) -> int | None:
    action = BY_FN.get(fn)
    if action is not None:
        return action.session_arg
    return READS.get(fn)


def summary(result: Any) -> dict[str, Any]:
    """What the journal keeps of an action's answer: enough to map ids and compare outcomes."""
    view = getattr(result, "view", result)
    return {
        "ok": bool(getattr(result, "ok", True)),
        "kind": str(getattr(result, "kind", "")),
        "refusal": str(getattr(result, "refusal", "")),
        "session_id": getattr(view, "session_id", None),
        "order": getattr(view, "order_number", None),
        "status": getattr(view, "status", None),
        "tracking": str(getattr(result, "tracking_number", "")),
    }
