"""The scan pipeline: every scan, whatever its source, becomes one classified ScanEvent.

``classify`` looks the scan up in the database: product barcodes (any of a SKU's barcodes, or a
GS1 GTIN in any of its forms: GTIN-14, EAN-13, UPC-A, EAN-8), SKUs, location barcodes, order
numbers and user badges. Totes and tracking numbers have no tables yet; they are recognised by
the configurable patterns (``scanning.patterns`` setting). Anything else is UNKNOWN, never
guessed; garbled input is INVALID with the reason.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, CompoundSelect, Select, bindparam, literal, select, union_all
from sqlalchemy.orm import Session

from app.db.models import (
    Location,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    SettingRow,
    User,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.devices.base import RawScan
from app.domain.errors import PackdeskError, UnknownBarcode
from app.domain.scans import (
    GS,
    AmbiguousBarcode,
    Command,
    Gs1Data,
    InvalidScan,
    ScanEvent,
    ScanKind,
    ScanPatterns,
    UnknownGtin,
    check_readable,
    command_text,
    gtin_equivalents,
    parse_command,
    parse_gs1,
    split_symbology,
    strip_framing,
)
from app.domain.users import Actor, Permission
from app.services.access import reads, step, writes

__all__ = [
    "SampleBarcode",
    "ScanEvent",
    "ScanKind",
    "ScanPatterns",
    "classify",
    "classify_in",
    "get_scan_patterns",
    "sample_barcodes",
    "set_scan_patterns",
]

PATTERNS_KEY = "scanning.patterns"

_KIND_WORDS = {
    ScanKind.PRODUCT: "a product",
    ScanKind.LOCATION: "a location",
    ScanKind.ORDER: "an order",
    ScanKind.BADGE: "a user badge",
}


@dataclass(frozen=True)
class _Match:
    kind: ScanKind
    id: int
    code: str
    label: str
    qty: int | None


@reads
def classify(
    uow: UnitOfWork,
    raw: RawScan | str,
    *,
    patterns: ScanPatterns | None = None,
    source: str = "",
) -> ScanEvent:
    """What a scan is. Never raises for bad input: unknown or garbled scans come back as
    UNKNOWN or INVALID events carrying an operator error."""
    return _classify(uow, raw, patterns, source, inside=False)


@step
def classify_in(
    uow: UnitOfWork,
    actor: Actor,
    raw: RawScan | str,
    *,
    patterns: ScanPatterns | None = None,
    source: str = "",
) -> ScanEvent:
    """``classify`` inside the caller's unit of work (a station that handles the scan in the
    same transaction: one round of statements less per scan)."""
    return _classify(uow, raw, patterns, source, inside=True)


@dataclass(frozen=True)
class PreparedScan:
    """A scan read and parsed, before its database look-up (``prepare_scan``): ``event`` is the
    answer already when no look-up is needed (a command, a garbled scan); otherwise ``lookup``
    holds the look-up's bound values (for ``LOOKUP``, or a statement that embeds its parts)."""

    base: dict[str, Any]
    text: str
    gs1: Gs1Data | None = None
    event: ScanEvent | None = None
    lookup: dict[str, Any] | None = None


def prepare_scan(raw: RawScan | str, source: str = "") -> PreparedScan:
    """Framing, symbology, readability, commands and GS1: everything that needs no database."""
    scan = raw if isinstance(raw, RawScan) else RawScan(text=raw, source=source)
    symbology, text = split_symbology(strip_framing(scan.text))
    symbology = scan.symbology or symbology
    base: dict[str, Any] = {
        "raw": scan.text,
        "text": text,
        "symbology": symbology,
        "source": scan.source or source,
    }
    try:
        check_readable(text)
        command = parse_command(text)
        if command is not None:
            event = ScanEvent(
                **base, kind=ScanKind.COMMAND, command=command[0], quantity=command[1], code=text
            )
            return PreparedScan(base, text, event=event)
        gs1 = parse_gs1(text, symbology)
    except InvalidScan as exc:
        return PreparedScan(base, text, event=ScanEvent(**base, kind=ScanKind.INVALID, error=exc))
    gtin_keys = gtin_equivalents(gs1.gtin) if gs1 and gs1.gtin else []
    keys = [text, *[k for k in gtin_keys if k != text]]
    return PreparedScan(base, text, gs1, lookup={"text": text, "keys": keys})


def decide_scan(prepared: PreparedScan, rows: Any, patterns: ScanPatterns) -> ScanEvent:
    """The event of a prepared scan from its look-up rows (kind, id, code, label, qty, key)."""
    if prepared.event is not None:
        return prepared.event
    exact, by_gtin = _matches(rows, prepared.text)
    return _decide(prepared.base, prepared.text, prepared.gs1, exact, by_gtin, patterns)


def _classify(
    uow: UnitOfWork,
    raw: RawScan | str,
    patterns: ScanPatterns | None,
    source: str,
    *,
    inside: bool,
) -> ScanEvent:
    prepared = prepare_scan(raw, source)
    if prepared.event is not None:
        return prepared.event
    with nullcontext() if inside else uow:  # inside: the caller's unit of work is open
        rows = uow.session.execute(LOOKUP, prepared.lookup).all()
        if patterns is None:
            patterns = _load_patterns(uow)
    return decide_scan(prepared, rows, patterns)


def _decide(
    base: dict[str, Any],
    text: str,
    gs1: Gs1Data | None,
    exact: list[_Match],
    by_gtin: list[_Match],
    patterns: ScanPatterns,
) -> ScanEvent:
    kinds = {m.kind for m in exact}
    if len(kinds) > 1:
        what = ", ".join(sorted(_KIND_WORDS[k] for k in kinds))
        return ScanEvent(
            **base, kind=ScanKind.UNKNOWN, gs1=gs1, error=AmbiguousBarcode(code=text, what=what)
        )
    match = exact[0] if exact else (by_gtin[0] if by_gtin else None)
    if match is not None:
        return ScanEvent(
            **base,
            kind=match.kind,
            gs1=gs1,
            entity_id=match.id,
            code=match.code,
            label=match.label,
            quantity=match.qty,
        )
    if gs1 is not None and gs1.sscc and not gs1.gtin:
        return ScanEvent(**base, kind=ScanKind.SSCC, gs1=gs1, code=gs1.sscc)
    if GS not in text and patterns.is_tote(text):
        return ScanEvent(**base, kind=ScanKind.TOTE, code=text)
    carrier = patterns.carrier_of(text) if GS not in text else ""
    if carrier:
        return ScanEvent(**base, kind=ScanKind.TRACKING, code=text, carrier=carrier)
    error: PackdeskError = (
        UnknownGtin(gtin=gs1.gtin) if gs1 and gs1.gtin else UnknownBarcode(code=text)
    )
    return ScanEvent(**base, kind=ScanKind.UNKNOWN, gs1=gs1, error=error)


def lookup_parts() -> list[Select[Any]]:
    """One SELECT per table a scan may name, each giving (kind, id, code, label, qty, key) for
    the bound ``text`` and ``keys`` (the text and its GTIN forms)."""
    text: BindParameter[str] = bindparam("text")
    keys: BindParameter[list[str]] = bindparam("keys", expanding=True)
    parts: list[Select[Any]] = [
        select(
            literal("product").label("kind"),
            ProductBarcode.product_id,
            Product.sku,
            Product.name,
            ProductBarcode.pack_qty,
            ProductBarcode.barcode,
        )
        .join(Product, Product.id == ProductBarcode.product_id)
        .where(ProductBarcode.barcode.in_(keys)),
        select(
            literal("sku"), Product.id, Product.sku, Product.name, literal(1), Product.sku
        ).where(Product.sku == text),
        select(
            literal("location"),
            Location.id,
            Location.code,
            Location.code,
            literal(None),
            Location.barcode,
        ).where(Location.barcode == text),
        select(
            literal("order"), Order.id, Order.number, Order.status, literal(None), Order.number
        ).where(Order.number == text),
        select(
            literal("badge"),
            User.id,
            User.username,
            User.display_name,
            literal(None),
            User.badge_code,
        ).where(User.badge_code == text, User.active.is_(True)),
    ]
    return parts


#: every table a scan may name, in one UNION ALL: built once, run with bound values
LOOKUP: CompoundSelect[Any] = union_all(*lookup_parts())


def _matches(rows: Any, text: str) -> tuple[list[_Match], list[_Match]]:
    """Exact matches of ``text`` in every table, and product matches of the GTIN's forms."""
    exact: list[_Match] = []
    by_gtin: list[_Match] = []
    seen: set[tuple[ScanKind, int]] = set()
    for kind, id_, code, label, qty, key in rows:
        scan_kind = {
            "product": ScanKind.PRODUCT,
            "sku": ScanKind.PRODUCT,
            "location": ScanKind.LOCATION,
            "order": ScanKind.ORDER,
            "badge": ScanKind.BADGE,
        }[kind]
        if (scan_kind, id_) in seen:
            continue
        seen.add((scan_kind, id_))
        if kind == "order":
            label = f"order {code} ({label})"
        match = _Match(scan_kind, id_, code, label or code, qty)
        (exact if key == text else by_gtin).append(match)
    return exact, by_gtin


def patterns_of(value: Any) -> ScanPatterns:
    """The scan patterns from the setting's stored value (None: not set). A broken one must
    not stop scanning: the defaults apply, and the settings screen shows the fault."""
    if value is None:
        return ScanPatterns()
    try:
        return ScanPatterns.from_json(value)
    except PackdeskError:
        return ScanPatterns()


def _load_patterns(uow: UnitOfWork) -> ScanPatterns:
    row = uow.session.get(SettingRow, PATTERNS_KEY)
    return patterns_of(row.value if row is not None else None)


@reads
def get_scan_patterns(uow: UnitOfWork) -> ScanPatterns:
    """The tote and tracking-number patterns of this warehouse."""
    with uow:
        return _load_patterns(uow)


@writes(Permission.MANAGE_SETTINGS)
def set_scan_patterns(uow: UnitOfWork, actor: Actor, patterns: ScanPatterns) -> ScanPatterns:
    """Change the tote and tracking-number patterns (validated when ``patterns`` was built)."""
    with uow:
        uow.require(actor, Permission.MANAGE_SETTINGS)
        row = uow.session.get(SettingRow, PATTERNS_KEY)
        before = row.value if row else None
        if row is None:
            row = SettingRow(key=PATTERNS_KEY, value=patterns.to_json())
            uow.session.add(row)
        else:
            row.value = patterns.to_json()
            row.updated_at = utcnow()
        uow.audit(
            actor, "settings.scan_patterns", "setting", PATTERNS_KEY, before, patterns.to_json()
        )
        uow.commit()
        return patterns


@dataclass(frozen=True)
class SampleBarcode:
    """A barcode taken from the database, for the emulator panel's list."""

    #: product | gs1 | location | order | command | tote | tracking | sscc | unknown
    kind: str
    text: str
    #: what it stands for: product name, location code, command word...
    detail: str = ""

    @property
    def label(self) -> str:
        return f"{self.kind}: {self.detail or self.text}"


@reads
def sample_barcodes(uow: UnitOfWork, per_kind: int = 4) -> list[SampleBarcode]:
    """Real barcodes of this database (products, a GS1-128 with lot and expiry built from a real
    GTIN, locations, orders), the command barcodes, and a tote, a parcel and an unknown code."""
    out: list[SampleBarcode] = []
    with uow:
        s = uow.session
        out.extend(_ready_to_pack(s, per_kind))
        gtin = ""
        for code, sku, name in s.execute(
            select(ProductBarcode.barcode, Product.sku, Product.name)
            .join(Product, Product.id == ProductBarcode.product_id)
            .order_by(ProductBarcode.id)
            .limit(per_kind)
        ):
            out.append(SampleBarcode("product", code, f"{sku} {name}"))
            if not gtin and code.isdigit() and len(code) in (8, 12, 13, 14):
                gtin = code
        for code, barcode in s.execute(
            select(Location.code, Location.barcode).order_by(Location.id).limit(per_kind)
        ):
            out.append(SampleBarcode("location", barcode, code))
        for (number,) in s.execute(select(Order.number).order_by(Order.id).limit(per_kind)):
            out.append(SampleBarcode("order", number, number))
    if gtin:
        expiry = (datetime.now(UTC).date() + timedelta(days=400)).replace(day=1)
        out.append(SampleBarcode("gs1", _gs1_128(gtin, "L2301", expiry), gtin))
    for command, qty in ((Command.CONFIRM, None), (Command.QUANTITY, 3), (Command.CANCEL, None)):
        word = f"{command.value} {qty}" if qty else command.value
        out.append(SampleBarcode("command", command_text(command, qty), word))
    out.append(SampleBarcode("tote", "TOTE-0042"))
    out.append(SampleBarcode("tracking", "SF1234567890123", "SF Express"))
    out.append(SampleBarcode("sscc", "]C100376130321109103420"))
    out.append(SampleBarcode("unknown", "NOT-A-REAL-CODE-1"))
    return out


def _ready_to_pack(s: Session, limit: int) -> list[SampleBarcode]:
    """Orders a packer can open now (allocated or picked), each followed by its items'
    barcodes: what a newcomer scans first on the demo's Pack screen."""
    out: list[SampleBarcode] = []
    ready = s.execute(
        select(Order.id, Order.number, Order.status)
        .where(Order.status.in_(("allocated", "picked")), Order.pickup.is_(False))
        .order_by(Order.id)
        .limit(limit)
    ).all()
    for order_id, number, status in ready:
        out.append(SampleBarcode("order", number, f"{number} · {status}"))
        for code, sku, qty in s.execute(
            select(ProductBarcode.barcode, Product.sku, OrderLine.qty)
            .join(Product, Product.id == ProductBarcode.product_id)
            .join(OrderLine, OrderLine.product_id == Product.id)
            .where(OrderLine.order_id == order_id, ProductBarcode.pack_qty == 1)
            .order_by(OrderLine.line_no, ProductBarcode.id)
        ):
            out.append(SampleBarcode("product", code, f"{number} → {sku} × {qty}"))
    return out


def _gs1_128(gtin: str, lot: str, expiry: date) -> str:
    """A GS1-128 scan as a scanner with AIM ids sends it: GTIN, lot (then GS), expiry DD=00."""
    return f"]C101{gtin.zfill(14)}10{lot}{GS}17{expiry:%y%m}00"
