"""Package types (cartons, polybags, envelopes): the list, the editor, the carton suggested
for an order's items, and the weight a parcel is expected to have.

FOUNDATION STUB: ``cartons``, ``by_barcode``, ``suggest`` and ``expectation_for`` work simply
(no learned history); the cartons helper completes them and adds the editor's services
(signatures fixed).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import PackageType
from app.domain.cartons import Carton, ItemBox, suggest_carton
from app.domain.weight_check import Expectation, Tolerance, expectation


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
    row = session.scalar(
        select(PackageType).where(
            PackageType.active, (PackageType.barcode == text) | (PackageType.code == text)
        )
    )
    return _carton(row) if row else None


def suggest(session: Session, items: Sequence[ItemBox]) -> Carton | None:
    return suggest_carton(items, cartons(session))


def expectation_for(
    session: Session,
    contents_key: str,
    package_type_id: int | None,
    items_g: int,
    tare_g: int,
    tolerance: Tolerance,
) -> Expectation:
    """The expected weight of a parcel: items plus tare within the tolerance, and, once
    enough earlier parcels had the same contents and package, what they weighed."""
    return expectation(items_g, tare_g, tolerance, ())
