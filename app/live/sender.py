"""The name this program's PostgreSQL sessions go by: the sender of its announcements."""

from __future__ import annotations

import os

#: PostgreSQL keeps at most 63 bytes of ``application_name``
MAX_NAME = 63


def sender_name(station: str, pid: int | None = None) -> str:
    """``packdesk:<station>:<process id>``: which station wrote a change, and whether it was
    this very program (two windows of one station are two processes)."""
    tail = f":{os.getpid() if pid is None else pid}"
    head = f"packdesk:{station}".encode()[: MAX_NAME - len(tail)].decode("utf-8", "ignore")
    return head + tail
