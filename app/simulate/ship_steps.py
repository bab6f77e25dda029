"""The shipping desk's part of the shift, over the handover and tracking-export services:
the shipper scans every labelled parcel onto its carrier's open handover, closes each handover
(its manifest is written, its orders become shipped), then tracking goes back to the shop as
the channel's upload file.

This module is the only place the simulation names those services, by their agreed names
(``app.services.handover.scan_parcel`` / ``close_handover`` and
``app.services.tracking_export.export_tracking``). Where a build does not have them yet, the
shift says so in its report (``handover: "not available"``) instead of failing.
"""

from __future__ import annotations

import importlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from app.bootstrap import Services
from app.devices.document_printers import FolderPrinter
from app.domain.errors import PackdeskError
from app.domain.users import Actor
from app.services import printing
from app.simulate.plan import SimulationFailed, Tally
from app.simulate.world import ShelfParcel


@dataclass
class ShipReport:
    available: bool = True
    handovers: int = 0
    parcels_handed_over: int = 0
    orders_shipped: int = 0
    manifests: list[str] = field(default_factory=list)
    manifests_printed: int = 0
    export_file: str = ""
    export_rows: int = 0
    export_parcels: int = 0
    missing: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "handovers": self.handovers,
            "parcels_handed_over": self.parcels_handed_over,
            "orders_shipped": self.orders_shipped,
            "manifests": self.manifests,
            "manifests_printed": self.manifests_printed,
            "tracking_export": self.export_file,
            "tracking_export_rows": self.export_rows,
            "tracking_export_parcels": self.export_parcels,
            "missing": self.missing,
        }


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def ship(
    services: Services,
    shipper: Actor,
    parcels: list[ShelfParcel],
    channel: str,
    out_dir: Path,
    tally: Tally,
) -> ShipReport:
    """Hand every parcel over, close the handovers, export tracking for ``channel``."""
    handover = _module("app.services.handover")
    export = _module("app.services.tracking_export")
    report = ShipReport()
    if handover is None:
        report.available = False
        report.missing.append("app.services.handover")
    else:
        _hand_over(services, shipper, handover, parcels, out_dir, tally, report)
    if export is None:
        report.available = False
        report.missing.append("app.services.tracking_export")
    elif report.orders_shipped:
        t = time.perf_counter()
        result = services.run(
            export.export_tracking, shipper, channel, out=out_dir / f"tracking-{channel}.csv"
        )
        tally.app_s["tracking_export"] += time.perf_counter() - t
        tally.non_scan["shift:export_tracking_button"] += 1
        report.export_file = str(result.path)
        report.export_rows = int(result.rows)
        report.export_parcels = int(result.parcels)
    return report


def _hand_over(
    services: Services,
    shipper: Actor,
    handover: ModuleType,
    parcels: list[ShelfParcel],
    out_dir: Path,
    tally: Tally,
    report: ShipReport,
) -> None:
    opened: Counter[int] = Counter()
    for p in parcels:
        t, cpu = time.perf_counter(), time.thread_time()
        try:
            scanned = services.run(
                handover.scan_parcel, shipper, p.tracking, station_id=services.station_id
            )
        except PackdeskError as exc:
            raise SimulationFailed(
                what=f"the handover refused parcel {p.tracking} of order {p.order}: {exc.message}"
            ) from exc
        finally:
            spent = time.thread_time() - cpu  # read first: inside the wall interval
            took = time.perf_counter() - t
            tally.app_s["handover_scan"] += took
            tally.timed_scan("ship", took, "parcel", spent)
            tally.scans += 1
        opened[int(scanned.handover_id)] += 1
    manifests = out_dir / "manifests"
    manifests.mkdir(parents=True, exist_ok=True)
    desk = FolderPrinter(out_dir / "printed-at-ship-desk")
    for handover_id in sorted(opened):
        t = time.perf_counter()
        closed = services.run(handover.close_handover, shipper, handover_id, manifest_dir=manifests)
        tally.app_s["handover_close"] += time.perf_counter() - t
        tally.non_scan["shift:close_handover_button"] += 1
        report.handovers += 1
        report.parcels_handed_over += int(closed.parcels)
        report.orders_shipped += int(closed.orders_shipped)
        if closed.manifest_path:
            report.manifests.append(str(closed.manifest_path))
        t = time.perf_counter()
        printed = printing.process_pending(
            services.uow, desk, station_id=services.station_id, printer_role="document"
        )
        tally.app_s["print"] += time.perf_counter() - t
        report.manifests_printed += len(printed.sent)
