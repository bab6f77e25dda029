"""A carrier plug-in that can track: numbers from the pool like the built-in plug-in, and
``track`` answering from what its configuration says the carrier knows (``{"delivered":
[numbers], "lost": [numbers]}``; every other number is in transit). It keeps the numbers it was
asked about, so a test sees that parcels already delivered are not asked again. The tests
install it under the entry-point group ``packdesk.carriers`` as ``tracktest``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from app.carriers.base import TrackingUpdate
from app.carriers.pool import PoolCarrier

PICKED_UP = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SIGNED = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)


class TrackingCarrier(PoolCarrier):
    name = "tracktest"
    #: every call of ``track``: the numbers asked about
    asked: list[list[str]] = []

    def track(self, numbers: Sequence[str], config: dict[str, Any]) -> Sequence[TrackingUpdate]:
        TrackingCarrier.asked.append(list(numbers))
        out: list[TrackingUpdate] = []
        for n in numbers:
            out.append(TrackingUpdate(n, "Shipment picked up", PICKED_UP, "Hangzhou"))
            if n in config.get("delivered", []):
                out.append(TrackingUpdate(n, "已签收", SIGNED, "上海市"))
            elif n in config.get("lost", []):
                out.append(TrackingUpdate(n, "快件丢失", SIGNED, "上海市"))
        return out
