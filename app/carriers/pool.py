"""The built-in ``pool`` plug-in: numbers from the carrier's loaded pool, labels printed here.

Chinese e-waybill accounts and many postal services hand out ranges or lists of numbers ahead
of time; they are loaded with ``packdesk carriers pool load`` and given out once each. This
plug-in asks the service layer for the next free number (``ParcelRequest.take_pool_number``)
and lets Packdesk draw the label. Voiding is the pool's own business (the number is marked void
and listed for the carrier). Its manifest is a CSV of the parcels handed over.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from app.carriers.base import CarrierError, CarrierLabel, ManifestParcel, ParcelRequest


class PoolCarrier:
    name = "pool"
    #: it reads the pool and the master number only: the parcel's addresses and count are not
    #: looked up for it (``carrier_ship.parcel_request``)
    needs_parcel_details = False

    def ship(self, request: ParcelRequest) -> CarrierLabel:
        if request.take_pool_number is None:
            raise CarrierError(carrier=request.carrier_code, detail="no number pool was offered.")
        number = request.take_pool_number()
        return CarrierLabel(number, master_tracking=request.master_tracking)

    def void(self, tracking_numbers: Sequence[str], config: dict[str, Any]) -> None:
        """Nothing to tell anyone now: voided pool numbers are listed for the carrier."""

    def manifest(self, parcels: Sequence[ManifestParcel], config: dict[str, Any]) -> bytes:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["tracking_number", "order_number", "weight_kg", "service", "cod_amount"])
        for p in parcels:
            cod = "" if p.cod_amount is None else f"{p.cod_amount:.2f}"
            w.writerow(
                [p.tracking_number, p.order_number, f"{p.weight_g / 1000:.3f}", p.service_code, cod]
            )
        return out.getvalue().encode("utf-8")
