"""One QObject that re-emits what the services changed; screens refresh only for what
concerns them (Anki's operation_did_execute)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Bus(QObject):
    #: entity kind ("order", "stock", "print_job", "device", ...) and the ids changed (may be empty)
    changed = Signal(str, list)
    #: a classified scan (app.services.scanning.ScanEvent) for the current station screen
    scanned = Signal(object)
    #: device status changed: device role ("scanner", "scale", "printer"), human text, ok flag
    device_status = Signal(str, str, bool)

    def notify(self, kind: str, ids: list[int] | None = None) -> None:
        self.changed.emit(kind, list(ids or []))
