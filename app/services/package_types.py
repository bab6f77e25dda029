"""Package types (cartons, polybags, envelopes): the list, the editor, the carton suggested
for an order's items, and the weight a parcel is expected to have.

The editor's rules (``save_package_type``): a code of 1 to 32 letters, digits, ``-`` or ``_``
(kept in capitals), unique; a barcode (optional) unique among package types and not already a
product's, a location's or a station command's, so a scan at the bench means one thing; a box
has its three inner dimensions, a polybag none (all 0: it takes whatever its weight limit
allows), an envelope either; the tare is less than the maximum weight (0: no limit). A package
type is never deleted (parcels keep pointing at it): it is made inactive, and is then neither
suggested nor found by its barcode.

The learned weight (``expectation_for``) reads the newest ``HISTORY_LIMIT`` (50) parcels with the
same contents and package that were labelled or shipped and whose weight came from the scale,
directly (``scale``) or accepted by a supervisor's override (``override``: the scale's reading,
looked at by a person; this is how a wrong catalogue weight is learned after three overrides).
Typed weights (``typed``) are left out: nobody measured them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app.db.models import Location, PackageType, Parcel, Product, ProductBarcode
from app.db.uow import UnitOfWork
from app.domain.cartons import Carton, ItemBox, Suggestion, suggest_carton
from app.domain.cartons import suggest as suggest_for_items
from app.domain.errors import NotFound, ValidationError
from app.domain.scans import COMMAND_PREFIX
from app.domain.users import Actor, Permission
from app.domain.weight_check import Expectation, Tolerance, expectation
from app.labels.carton_card import CartonCard, carton_card_pdf
from app.services.access import reads, writes

#: in the order the editor lists them
KINDS = ("box", "envelope", "polybag")
#: the parcels a learned expectation reads, newest first
HISTORY_LIMIT = 50
#: the parcels whose weight teaches: weighed by the scale (an override keeps the scale's weight)
LEARN_FROM_SOURCES = ("scale", "override")
LEARN_FROM_STATUSES = ("labelled", "shipped")
#: a carton's inner side, in mm, is at most this (a sanity check against typing cm as mm x 10)
MAX_SIDE_MM = 3000


@dataclass(frozen=True)
class PackageTypeInfo:
    id: int
    code: str
    name: str
    kind: str
    barcode: str
    length_mm: int
    width_mm: int
    height_mm: int
    tare_g: int
    max_weight_g: int
    active: bool

    @property
    def flexible(self) -> bool:
        return self.kind == "polybag" or not (self.length_mm and self.width_mm and self.height_mm)


@dataclass(frozen=True)
class PackageTypeDraft:
    """What the editor saves: ``id`` None adds a package type."""

    code: str
    name: str = ""
    kind: str = "box"
    barcode: str = ""
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    tare_g: int = 0
    max_weight_g: int = 0
    active: bool = True
    id: int | None = None


def _info(p: PackageType) -> PackageTypeInfo:
    return PackageTypeInfo(
        p.id,
        p.code,
        p.name,
        p.kind,
        p.barcode or "",
        p.inner_length_mm,
        p.inner_width_mm,
        p.inner_height_mm,
        p.tare_g,
        p.max_weight_g,
        p.active,
    )


def _carton(p: PackageType) -> Carton:
    return Carton(
        p.code,
        p.kind,
        p.inner_length_mm,
        p.inner_width_mm,
        p.inner_height_mm,
        p.tare_g,
        p.max_weight_g,
        p.id,
    )


def cartons(session: Session) -> list[Carton]:
    rows = session.scalars(select(PackageType).where(PackageType.active).order_by(PackageType.id))
    return [_carton(p) for p in rows]


def by_barcode(session: Session, text: str) -> Carton | None:
    """The active package type whose barcode (or code) is ``text``."""
    text = text.strip()
    if not text:
        return None
    row = session.scalar(
        select(PackageType).where(
            PackageType.active,
            or_(PackageType.barcode == text, PackageType.code == text.upper()),
        )
    )
    return _carton(row) if row else None


def suggest(session: Session, items: Sequence[ItemBox]) -> Carton | None:
    return suggest_carton(items, cartons(session))


def suggestion(session: Session, items: Sequence[ItemBox]) -> Suggestion:
    """The carton for the items, with how many units had no size (``app.domain.cartons``)."""
    return suggest_for_items(items, cartons(session))


def history_statement(contents_key: str, package_type_id: int | None) -> Select[tuple[int | None]]:
    """The weights of the newest earlier parcels with these contents in this package, as one
    query on ``ix_parcels_contents_package``."""
    same_package = (
        Parcel.package_type_id.is_(None)
        if package_type_id is None
        else Parcel.package_type_id == package_type_id
    )
    return (
        select(Parcel.weight_g)
        .where(
            Parcel.contents_key == contents_key,
            same_package,
            Parcel.status.in_(LEARN_FROM_STATUSES),
            Parcel.weight_source.in_(LEARN_FROM_SOURCES),
            Parcel.weight_g.is_not(None),
        )
        .order_by(Parcel.id.desc())
        .limit(HISTORY_LIMIT)
    )


def weight_history(session: Session, contents_key: str, package_type_id: int | None) -> list[int]:
    """What the newest earlier parcels with these contents in this package weighed."""
    rows = session.scalars(history_statement(contents_key, package_type_id))
    return [w for w in rows if w is not None]


def expectation_for(
    session: Session,
    contents_key: str,
    package_type_id: int | None,
    items_g: int,
    tare_g: int,
    tolerance: Tolerance,
    *,
    resolution_g: int = 1,
) -> Expectation:
    """The expected weight of a parcel: items plus tare within the tolerance, and, once
    enough earlier parcels had the same contents and package, what they weighed."""
    history = weight_history(session, contents_key, package_type_id) if contents_key else []
    return expectation(items_g, tare_g, tolerance, history, resolution_g=resolution_g)


# --- the editor --------------------------------------------------------------------------


@reads
def list_package_types(uow: UnitOfWork, include_inactive: bool = True) -> list[PackageTypeInfo]:
    """The package types in use first; boxes, then envelopes, then polybags; smallest first."""
    with uow:
        stmt = select(PackageType)
        if not include_inactive:
            stmt = stmt.where(PackageType.active)
        rows = [_info(p) for p in uow.session.scalars(stmt)]
    return sorted(
        rows,
        key=lambda p: (
            not p.active,
            KINDS.index(p.kind) if p.kind in KINDS else len(KINDS),
            p.length_mm * p.width_mm * p.height_mm,
            p.code,
        ),
    )


def _clean(draft: PackageTypeDraft) -> PackageTypeDraft:
    return replace(
        draft,
        code=draft.code.strip().upper(),
        name=draft.name.strip(),
        barcode=draft.barcode.strip(),
    )


def _check_fields(d: PackageTypeDraft) -> None:
    code = d.code
    if not code or len(code) > 32 or not code.replace("-", "").replace("_", "").isalnum():
        raise ValidationError(
            "The package code {code} cannot be used: use 1 to 32 letters, digits, - or _.",
            code=code,
        )
    if d.kind not in KINDS:
        raise ValidationError(
            "A package is a box, a polybag or an envelope, not {kind}.", kind=d.kind
        )
    if len(d.name) > 200:
        raise ValidationError("A package name has at most 200 characters.")
    _check_size(d)
    if d.tare_g < 0 or d.max_weight_g < 0:
        raise ValidationError(
            "The tare and the maximum weight are 0 or more grams. Correct the negative one."
        )
    if d.max_weight_g and d.tare_g >= d.max_weight_g:
        raise ValidationError(
            "The tare ({tare} g) must be less than the maximum weight ({max} g), which "
            "includes it. Correct one of them, or set the maximum to 0 for no limit.",
            tare=d.tare_g,
            max=d.max_weight_g,
        )
    if d.barcode and (
        len(d.barcode) > 64
        or not d.barcode.isascii()
        or not d.barcode.isprintable()
        or d.barcode.upper().startswith(COMMAND_PREFIX)
    ):
        raise ValidationError(
            "The barcode {barcode} cannot be printed or scanned as a package: use up to 64 "
            "letters, digits and signs, and not a station command.",
            barcode=d.barcode,
        )


def _check_size(d: PackageTypeDraft) -> None:
    sides = (d.length_mm, d.width_mm, d.height_mm)
    if any(s < 0 or s > MAX_SIDE_MM for s in sides):
        raise ValidationError(
            "Inner dimensions are 0 to {max} mm. Measure the inside of the package in millimetres.",
            max=MAX_SIDE_MM,
        )
    if d.kind == "polybag" and any(sides):
        raise ValidationError(
            "A polybag has no fixed size: leave its dimensions at 0. It takes whatever its "
            "maximum weight allows."
        )
    if d.kind == "box" and not all(sides):
        raise ValidationError(
            "A box needs its inner length, width and height in mm. Measure the inside, or "
            "make it a polybag."
        )
    if any(sides) and not all(sides):
        raise ValidationError(
            "Give all three inner dimensions, or none (0) for a package without a fixed size."
        )


def _check_unique(s: Session, d: PackageTypeDraft) -> None:
    others = select(PackageType).where(PackageType.id != (d.id or 0))
    taken = s.scalar(others.where(or_(PackageType.code == d.code, PackageType.barcode == d.code)))
    if taken is not None:
        raise ValidationError(
            "The code {code} is already used by the package {other}. Choose another code.",
            code=d.code,
            other=taken.code,
        )
    if not d.barcode:
        return
    taken = s.scalar(
        others.where(or_(PackageType.barcode == d.barcode, PackageType.code == d.barcode))
    )
    if taken is not None:
        raise ValidationError(
            "The barcode {barcode} is already the package {other}'s. Each package needs its "
            "own barcode.",
            barcode=d.barcode,
            other=taken.code,
        )
    if (
        s.scalar(select(ProductBarcode.id).where(ProductBarcode.barcode == d.barcode))
        or s.scalar(select(Product.id).where(Product.sku == d.barcode))
        or s.scalar(select(Location.id).where(Location.barcode == d.barcode))
    ):
        raise ValidationError(
            "The barcode {barcode} is already a product's or a location's: a scan at the "
            "bench must mean one thing. Choose another barcode.",
            barcode=d.barcode,
        )


@writes(Permission.MANAGE_SHIPPING)
def save_package_type(uow: UnitOfWork, actor: Actor, draft: PackageTypeDraft) -> PackageTypeInfo:
    """Add a package type (``draft.id`` None) or change one; audited with before and after."""
    d = _clean(draft)
    with uow:
        uow.require(actor, Permission.MANAGE_SHIPPING)
        _check_fields(d)
        s = uow.session
        _check_unique(s, d)
        row = None if d.id is None else s.get(PackageType, d.id)
        if d.id is not None and row is None:
            raise NotFound(what="Package type", key=str(d.id))
        before = None if row is None else asdict(_info(row))
        if row is None:
            row = PackageType(code=d.code)
            s.add(row)
        row.code, row.name, row.kind = d.code, d.name, d.kind
        row.barcode = d.barcode or None
        row.inner_length_mm, row.inner_width_mm = d.length_mm, d.width_mm
        row.inner_height_mm = d.height_mm
        row.tare_g, row.max_weight_g, row.active = d.tare_g, d.max_weight_g, d.active
        s.flush()
        info = _info(row)
        uow.audit(
            actor, "package_type.save", "package_type", info.code, before=before, after=asdict(info)
        )
        uow.commit()
        return info


@writes(Permission.MANAGE_SHIPPING)
def set_active(
    uow: UnitOfWork, actor: Actor, package_type_id: int, active: bool
) -> PackageTypeInfo:
    """Use a package type again, or stop suggesting it (it stays on the parcels that have it)."""
    with uow:
        uow.require(actor, Permission.MANAGE_SHIPPING)
        row = uow.session.get(PackageType, package_type_id)
        if row is None:
            raise NotFound(what="Package type", key=str(package_type_id))
        before = row.active
        row.active = active
        info = _info(row)
        uow.audit(
            actor,
            "package_type.active",
            "package_type",
            info.code,
            before={"active": before},
            after={"active": active},
        )
        uow.commit()
        return info


@reads
def carton_card_document(
    uow: UnitOfWork, actor: Actor, package_type_ids: Sequence[int] = ()
) -> bytes:
    """The carton card (A4 PDF) of the given package types, or of every active one."""
    with uow:
        uow.require(actor)
        stmt = select(PackageType).order_by(PackageType.code)
        if package_type_ids:
            stmt = stmt.where(PackageType.id.in_(list(package_type_ids)))
        else:
            stmt = stmt.where(PackageType.active)
        cards = [
            CartonCard(
                p.code,
                p.name,
                p.kind,
                p.barcode or p.code,
                p.inner_length_mm,
                p.inner_width_mm,
                p.inner_height_mm,
                p.max_weight_g,
            )
            for p in uow.session.scalars(stmt)
        ]
    if not cards:
        raise ValidationError("There is no package type to print. Add one first.")
    return carton_card_pdf(cards)
