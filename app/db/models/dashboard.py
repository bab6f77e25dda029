"""Indexes the KPI dashboard's day-range statements use (migration 0026_dashboard): the day's
labelled parcels, status changes, pack exceptions and finished pick batches of the whole
warehouse, read by time alone (the stations' own indexes lead with the station)."""

from __future__ import annotations

from sqlalchemy import Index

from app.db.models.orders import OrderStatusChange
from app.db.models.packing import PackException, Parcel
from app.db.models.picking import PickBatch

DASHBOARD_INDEXES = (
    Index("ix_parcels_labelled_at", Parcel.labelled_at),
    Index("ix_order_status_history_at", OrderStatusChange.at),
    Index("ix_pack_exceptions_created_at", PackException.created_at),
    Index("ix_pick_batches_finished_at", PickBatch.finished_at),
)
