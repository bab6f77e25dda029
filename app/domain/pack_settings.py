"""The packing settings (one JSON row in ``settings``, key ``packing``): the weight tolerance,
what the station may do without a scale or a full scan, and what the packing slip carries."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from app.domain.errors import ValidationError
from app.domain.pickup_shelf import expand_slots
from app.domain.weight_check import Tolerance

SETTINGS_KEY = "packing"


@dataclass(frozen=True)
class PackSettings:
    #: weight tolerance: a percentage of the expected weight, at least ``tolerance_floor_g``
    tolerance_pct: float = 5.0
    tolerance_floor_g: int = 20
    #: no scale at the station: the packer may type the weight (audited)
    allow_typed_weight: bool = False
    #: no label for an order whose items were not all scanned (force-verified lines count as
    #: not scanned)
    labels_need_full_scan: bool = False
    #: weigh every parcel (False: a station without a scale packs without the weight gate)
    require_weight: bool = True
    #: A4 | Letter
    slip_paper: str = "A4"
    #: print the packing slip (False: no slip)
    print_slip: bool = True
    #: path of the shop's logo (PNG/JPEG) printed on the slip; "" none
    logo_path: str = ""
    return_instructions: str = ""
    #: the sender printed on labels and slips (the shop)
    sender_name: str = ""
    sender_phone: str = ""
    sender_country: str = "CN"
    sender_province: str = ""
    sender_city: str = ""
    sender_district: str = ""
    sender_street: str = ""
    sender_postal_code: str = ""
    #: the pickup shelf's slots (自提货架位), names and ranges: a packed pickup order takes the
    #: lowest free one ("" : no shelf slots, the pickup slip names none)
    pickup_slots: str = "P-01..P-40"

    @property
    def tolerance(self) -> Tolerance:
        return Tolerance(self.tolerance_pct, self.tolerance_floor_g)

    def __post_init__(self) -> None:
        if not 0 <= self.tolerance_pct <= 100:
            raise ValidationError(
                "The weight tolerance must be between 0 and 100 %, not {pct}.",
                pct=self.tolerance_pct,
            )
        if self.tolerance_floor_g < 0:
            raise ValidationError("The weight tolerance floor cannot be negative.")
        expand_slots(self.pickup_slots)  # refused here when it cannot be read
        if self.slip_paper not in ("A4", "Letter"):
            raise ValidationError(
                "The packing slip paper is A4 or Letter, not {paper}.", paper=self.slip_paper
            )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> PackSettings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})
