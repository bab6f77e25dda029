"""What scans and device states are called on screen, in the operator's language."""

from __future__ import annotations

from app.devices.base import DeviceStatus
from app.devices.scales import ScaleReading
from app.devices.serial_link import LinkStatus
from app.domain.errors import PackdeskError
from app.domain.scans import Command, ScanEvent, ScanKind
from ui.i18n import error_text, printer_status_text, translate_loose


def tr(text: str) -> str:
    return translate_loose("Devices", text)


def kind_name(kind: ScanKind) -> str:
    return {
        ScanKind.LOCATION: tr("Location"),
        ScanKind.PRODUCT: tr("Product"),
        ScanKind.TOTE: tr("Tote"),
        ScanKind.ORDER: tr("Order"),
        ScanKind.TRACKING: tr("Tracking number"),
        ScanKind.BADGE: tr("User badge"),
        ScanKind.SSCC: tr("SSCC"),
        ScanKind.COMMAND: tr("Command"),
        ScanKind.UNKNOWN: tr("Unknown"),
        ScanKind.INVALID: tr("Unreadable"),
    }[kind]


def command_name(command: Command, qty: int | None = None) -> str:
    if command is Command.QUANTITY:
        return tr("Quantity {n}").format(n=qty)
    return {
        Command.CONFIRM: tr("Confirm"),
        Command.CANCEL: tr("Cancel"),
        Command.NEXT: tr("Next"),
        Command.REPRINT: tr("Reprint"),
    }[command]


def source_name(source: str) -> str:
    """``wedge`` -> "Keyboard", ``serial:/dev/ttyACM0`` -> "ttyACM0"."""
    if source == "wedge":
        return tr("Keyboard")
    if source.startswith("serial:"):
        port = source[len("serial:") :]
        return port.rstrip("/").rsplit("/", 1)[-1] or port
    return source


def describe_scan(event: ScanEvent) -> str:
    """One line for a scan: what it is, or why it was not accepted."""
    if event.error is not None:
        return error_text(event.error)
    if event.kind is ScanKind.COMMAND and event.command is not None:
        return tr("Command: {command}").format(command=command_name(event.command, event.quantity))
    if event.kind is ScanKind.PRODUCT:
        text = tr("Product {sku}: {name}").format(sku=event.code, name=event.label)
        if event.gs1 is not None and (event.gs1.lot or event.gs1.expiry):
            text += "  " + tr("lot {lot}, expires {expiry}").format(
                lot=event.gs1.lot or "-",
                expiry=event.gs1.expiry.isoformat() if event.gs1.expiry else "-",
            )
        return text
    if event.kind is ScanKind.TRACKING:
        return tr("Tracking number {code} ({carrier})").format(
            code=event.code, carrier=event.carrier
        )
    if event.kind is ScanKind.ORDER:
        return tr("Order {number}").format(number=event.code)
    if event.kind is ScanKind.BADGE:
        return tr("Badge of {user}").format(user=event.code)
    return tr("{kind} {code}").format(kind=kind_name(event.kind), code=event.code or event.text)


def scanner_status(status: DeviceStatus) -> tuple[str, str]:
    """(short text for the status bar, full sentence for the device screen)."""
    if isinstance(status, LinkStatus):
        if status.state == "connected":
            return tr("Scanner: ready"), tr("Connected on {port}.").format(port=status.port)
        if status.state == "stopped":
            return tr("Scanner: stopped"), tr("The scanner was stopped.")
        detail = error_text(status.error) if status.error else status.text
        return tr("Scanner: not connected"), tr("{problem} Packdesk keeps trying.").format(
            problem=detail
        )
    return (tr("Scanner: ready") if status.ok else tr("Scanner: not connected")), status.text


def weight_text(value: object, unit: str) -> str:
    return tr("{value} {unit}").format(value=value, unit=unit)


def scale_status(live: ScaleReading | PackdeskError) -> tuple[bool, str, str]:
    """(ok, short text for the status bar, full sentence for the device screen)."""
    if isinstance(live, PackdeskError):
        return False, tr("Scale: not ready"), error_text(live)
    problem = live.problem()
    if problem is not None and (live.stable or live.overload or live.underload):
        return False, tr("Scale: check it"), error_text(problem)
    shown = weight_text(f"{live.value:f}", live.unit)
    if live.stable:
        return (
            True,
            tr("Scale: {weight}").format(weight=shown),
            tr("{weight}, stable.").format(weight=shown),
        )
    return (
        True,
        tr("Scale: {weight}").format(weight=shown),
        tr("{weight}, moving.").format(weight=shown),
    )


def printer_status(status: DeviceStatus | PackdeskError | None) -> tuple[bool, str, str]:
    if status is None:
        return True, tr("Printer: none"), tr("No label printer is set up for this station.")
    if isinstance(status, PackdeskError):
        return False, tr("Printer: not answering"), error_text(status)
    if status.ok:
        return True, tr("Printer: ready"), printer_status_text(status.text)
    return False, tr("Printer: not ready"), printer_status_text(status.text)


def sample_label(kind: str, text: str, detail: str) -> str:
    """How the emulator panel lists a sample barcode."""
    shown = text.replace("\x1d", "<GS>")
    words = {
        "product": tr("Product {detail}"),
        "gs1": tr("GS1-128 of {detail}, with lot and expiry"),
        "location": tr("Location {detail}"),
        "order": tr("Order {detail}"),
        "command": tr("Command: {detail}"),
        "tote": tr("Tote"),
        "tracking": tr("Tracking number ({detail})"),
        "sscc": tr("SSCC (pallet)"),
        "unknown": tr("Unknown barcode"),
    }
    head = words.get(kind, "{detail}").format(detail=detail)
    return tr("{what}: {code}").format(what=head, code=shown)
