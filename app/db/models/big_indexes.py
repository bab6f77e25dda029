"""Indexes the main queries need at a million orders (migration 0031_big_indexes,
docs/big-data.md): each one found by ``bench/bench_big.py`` as a full read of a big table.

- ``ix_orders_pickup_id``: the Orders list's "pickup orders only" filter, newest first;
- ``ix_wave_orders_tote_upper``: the pack station finds the order a tote was given to;
- ``ix_parcels_tracking_number``: the returns bench and the Orders search find a parcel by its
  tracking number alone (the unique key leads with the carrier);
- ``ix_return_lines_pack_item_id``: the returns bench asks, for each shipped unit of the order,
  whether it came back before (it read every return line ever written);
- ``ix_parcels_carrier_status_labelled``: the handover's missing list, a carrier's labelled
  parcels not yet handed over, oldest first (SQLite walked every parcel by its label time);
- ``ix_audit_log_action_at``: the dashboard's scans per hour, one action over one day (the audit
  log grows with every scan);
- ``ix_orders_status_priority_placed`` (migration 0032_waiting_index): the waves' allocated
  orders waiting, highest priority then oldest first, read in that order up to their page
  (without it every allocated order was sorted before the first 2,000 were taken);
- ``ix_delivery_exceptions_status_since`` (migration 0034_exceptions_index): the delivery
  exceptions queue, open (or resolved) ones oldest first, read in that order up to its 2,000
  rows (resolved exceptions pile up with the parcels: without it all of them were sorted).
"""

from __future__ import annotations

from sqlalchemy import Index, func

from app.db.models.delivery import DeliveryException
from app.db.models.orders import Order
from app.db.models.packing import Parcel
from app.db.models.people import AuditEntry
from app.db.models.picking import WaveOrder
from app.db.models.returns import ReturnLine

BIG_INDEXES = (
    Index("ix_orders_pickup_id", Order.pickup, Order.id),
    Index("ix_wave_orders_tote_upper", func.upper(WaveOrder.tote_code)),
    Index("ix_parcels_tracking_number", Parcel.tracking_number),
    Index("ix_return_lines_pack_item_id", ReturnLine.pack_item_id),
    Index(
        "ix_parcels_carrier_status_labelled",
        Parcel.carrier_id,
        Parcel.status,
        Parcel.labelled_at,
    ),
    Index("ix_audit_log_action_at", AuditEntry.action, AuditEntry.at),
    Index(
        "ix_orders_status_priority_placed",
        Order.status,
        Order.priority.desc(),
        Order.placed_at,
        Order.id,
    ),
    Index(
        "ix_delivery_exceptions_status_since",
        DeliveryException.status,
        DeliveryException.since,
        DeliveryException.id,
    ),
)
