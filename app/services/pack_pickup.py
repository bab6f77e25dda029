"""The pickup shelf slot of a packed pickup order (自提货架位).

A pickup order gets no carrier and no label: its parcels go on the pickup shelf, in the lowest
slot of the packing settings' list (``PackSettings.pickup_slots``) that no other order waits
in. A slot is taken while a parcel in it (not voided) belongs to an order being packed or
packed; it is free again once the order is collected (shipped or delivered), cancelled or its
parcel voided. All the order's parcels share its slot.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Order, Parcel, SettingRow
from app.domain.pack_settings import SETTINGS_KEY
from app.domain.pickup_shelf import expand_slots, lowest_free
from app.services.pack_state import P_VOIDED, State

#: the orders whose parcels still wait on the shelf
WAITING = ("packing", "packed", "on_hold")


def taken_slots(s: Session, *, but_order: int | None = None) -> set[str]:
    """The slots a parcel waits in."""
    q = (
        select(Parcel.pickup_slot)
        .join(Order, Order.id == Parcel.order_id)
        .where(
            Parcel.pickup_slot.is_not(None),
            Parcel.status != P_VOIDED,
            Order.status.in_(WAITING),
        )
        .distinct()
    )
    if but_order is not None:
        q = q.where(Order.id != but_order)
    return {slot for slot in s.scalars(q) if slot}


def slot_for(s: Session, st: State) -> str:
    """The order's slot: the one its other parcels are in, else the lowest free ("" when every
    slot is taken or the settings list none). Two stations finishing pickup orders at once take
    turns: the packing settings' row is locked (``FOR UPDATE``; SQLite's write lock already
    serialises them)."""
    mine = next((p.pickup_slot for p in st.parcels if p.pickup_slot), None)
    if mine:
        return mine
    slots = expand_slots(st.settings.pickup_slots)
    if not slots:
        return ""
    s.execute(select(SettingRow.key).where(SettingRow.key == SETTINGS_KEY).with_for_update())
    return lowest_free(slots, taken_slots(s, but_order=st.order.id))
