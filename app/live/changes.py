"""What an announcement says: a kind of thing, which ones (or all of them), and who wrote it."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: the PostgreSQL channel the triggers of migration 0029_notify announce on
CHANNEL = "packdesk_changes"
#: the kind meaning "refresh everything" (after a reconnect, or a SQLite file that changed)
ALL = "*"
#: the kinds the database announces
KINDS = frozenset({"order", "wave", "batch", "handover", "print_job", "setting"})


@dataclass(frozen=True)
class Change:
    """``kind`` changed: the rows ``ids``, or every row of the kind when ``ids`` is empty (more
    rows than an announcement carries, or a kind without ids). ``sender`` is the writer's
    PostgreSQL ``application_name`` (``packdesk:<station>:<pid>``), empty when not known."""

    kind: str
    ids: tuple[int, ...] = ()
    sender: str = ""

    @property
    def everything(self) -> bool:
        return self.kind == ALL

    @property
    def station(self) -> str:
        """The writer's station code, when the sender is a Packdesk program."""
        parts = self.sender.split(":")
        return ":".join(parts[1:-1]) if len(parts) >= 3 and parts[0] == "packdesk" else ""


def refresh_everything(sender: str = "") -> Change:
    return Change(ALL, (), sender)


def parse_payload(payload: str) -> Change | None:
    """The change an announcement's payload describes; None (logged) when it is not one of ours.

    ``{"v": 1, "kind": "order", "ids": [3, 4], "sender": "packdesk:PACK-01:4711"}``; ``ids``
    null or missing: the whole kind. An unknown kind is kept (a newer station may announce
    more); screens ignore kinds they do not show."""
    try:
        data = json.loads(payload)
    except ValueError:
        log.warning("live update ignored: not JSON: %.80r", payload)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str) or not data["kind"]:
        log.warning("live update ignored: no kind: %.80r", payload)
        return None
    raw_ids = data.get("ids")
    ids: tuple[int, ...] = ()
    if isinstance(raw_ids, list):
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in raw_ids):
            log.warning("live update ids not whole numbers, whole kind refreshed: %.60r", payload)
        else:
            ids = tuple(raw_ids)
    sender = data.get("sender")
    return Change(data["kind"], ids, sender if isinstance(sender, str) else "")
