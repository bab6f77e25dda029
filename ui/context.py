"""What every screen is given: the services, who is logged in, the bus."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.bootstrap import Services
from app.domain.users import Actor, Permission
from ui.bus import Bus


@dataclass
class UiContext:
    services: Services
    actor: Actor
    bus: Bus
    #: device handles and workers started by the station (scanner, scale, printer); filled by
    #: ui.devices when devices are configured
    devices: dict[str, Any] = field(default_factory=dict)

    def can(self, permission: Permission) -> bool:
        return self.actor.can(permission)
