"""Waves, batches and pick tasks: their states and the ways a batch is picked."""

from __future__ import annotations

from enum import StrEnum


class PickMethod(StrEnum):
    #: pick to tote (cluster): each order has its tote slot on the cart
    CLUSTER = "cluster"
    #: single-unit orders (一单一品): SKUs picked in bulk into one tote, matched at the bench
    SINGLE_UNIT = "single_unit"
    #: pick then sort (先拣后播): SKUs picked in bulk, then sorted into sort wall slots
    PICK_SORT = "pick_sort"


class WaveStatus(StrEnum):
    PLANNED = "planned"
    RELEASED = "released"
    PICKING = "picking"
    PICKED = "picked"
    CANCELLED = "cancelled"


class BatchStatus(StrEnum):
    PLANNED = "planned"
    #: released: free to claim
    READY = "ready"
    PICKING = "picking"
    PICKED = "picked"
    CANCELLED = "cancelled"


class TaskStatus(StrEnum):
    OPEN = "open"
    SKIPPED = "skipped"
    DONE = "done"
    SHORT = "short"
    CANCELLED = "cancelled"


class TaskStep(StrEnum):
    """What the picker scans next for the task in hand."""

    LOCATION = "location"
    PRODUCT = "product"
    QTY = "qty"
    TOTE = "tote"


class ShortReason(StrEnum):
    EMPTY = "empty"
    DAMAGED = "damaged"
    NOT_FOUND = "not_found"


class UnitKind(StrEnum):
    ANY = "any"
    SINGLE = "single"
    MULTI = "multi"
