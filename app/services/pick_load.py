"""Reading the batch in hand in few statements (the pick screen does this at every scan).

1. ``HEAD``: the batch, its wave, its current task (the open or skipped task with the lowest
   ``seq``) with that task's product, location and lot, the code of the task's tote, the
   allocation rules' settings, the scan patterns, the acting user's row and the kind of the
   location just scanned (scalar subqueries: no round trip of their own). The batch, wave,
   task, product, location and lot come back as entities, so the rest of the unit of work
   finds them in the session (the stock moves of a put read the product and location again:
   no statement).
2. ``TASKS``: every task of the batch not cancelled, in route order, each with its location's
   code, aisle and ``y`` (its access point on the map), its product's name and tracking, its
   lot and its tote's code: what the screen shows, with no statement per task.

The statements are built once (building and keying a statement costs more than running it on
SQLite) and run with bound values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, bindparam, select
from sqlalchemy.orm import Session, aliased

from app.db.models import (
    Location,
    Lot,
    PickBatch,
    PickTask,
    Product,
    SettingRow,
    User,
    Wave,
    WaveOrder,
)
from app.domain.allocation import AllocationRules
from app.domain.scans import ScanPatterns
from app.domain.waves import TaskStatus
from app.services.allocation import SETTING_POLICY, SETTING_SHELF_LIFE, rules_of
from app.services.scanning import PATTERNS_KEY, patterns_of

OPEN = (TaskStatus.OPEN.value, TaskStatus.SKIPPED.value)

_T = aliased(PickTask)
_CURRENT = (
    select(_T.id)
    .where(_T.batch_id == PickBatch.id, _T.status.in_(OPEN))
    .order_by(_T.seq, _T.id)
    .limit(1)
    .correlate(PickBatch)
    .scalar_subquery()
)


def _tote_code(task: Any) -> Any:
    """The code of the tote in the task's slot (NULL when it has none: the bulk tote)."""
    return (
        select(WaveOrder.tote_code)
        .where(WaveOrder.batch_id == task.batch_id, WaveOrder.tote_slot == task.tote_slot)
        .order_by(WaveOrder.id)
        .limit(1)
        .correlate(task)
        .scalar_subquery()
    )


def _setting(key: str) -> Any:
    return select(SettingRow.value).where(SettingRow.key == key).scalar_subquery()


#: the location whose barcode was scanned (a bin, or the tote a put goes into)
_SCANNED = aliased(Location)

#: the batch (``bid``) with everything a scan decides on; ``uid`` the acting user (NULL for a
#: system actor), ``scan_text`` the text scanned (NULL for a button): the location with that
#: barcode, if any, comes back (a put uses it as the tote's), and the scan patterns for
#: classifying it
HEAD = (
    select(
        PickBatch,
        Wave,
        PickTask,
        Product,
        Location,
        Lot,
        _tote_code(PickTask),
        select(User.active).where(User.id == bindparam("uid")).scalar_subquery(),
        select(User.role).where(User.id == bindparam("uid")).scalar_subquery(),
        _setting(SETTING_POLICY),
        _setting(SETTING_SHELF_LIFE),
        _SCANNED,
        _setting(PATTERNS_KEY),
    )
    .join(Wave, Wave.id == PickBatch.wave_id)
    .outerjoin(PickTask, PickTask.id == _CURRENT)
    .outerjoin(Product, Product.id == PickTask.product_id)
    .outerjoin(Location, Location.id == PickTask.location_id)
    .outerjoin(Lot, Lot.id == PickTask.lot_id)
    .outerjoin(_SCANNED, _SCANNED.barcode == bindparam("scan_text", type_=String))
    .where(PickBatch.id == bindparam("bid"))
)

#: the batch's tasks not cancelled, in route order, with what the screen shows of each
TASKS = (
    select(
        PickTask,
        Location.code,
        Location.aisle,
        Location.y,
        Product.sku,
        Product.name,
        Product.lot_tracked,
        Product.expiry_tracked,
        Product.serial_tracked,
        Product.image_path,
        Lot.lot_number,
        Lot.expiry_date,
        _tote_code(PickTask),
    )
    .join(Location, Location.id == PickTask.location_id)
    .join(Product, Product.id == PickTask.product_id)
    .outerjoin(Lot, Lot.id == PickTask.lot_id)
    .where(PickTask.batch_id == bindparam("bid"), PickTask.status != TaskStatus.CANCELLED.value)
    .order_by(PickTask.seq, PickTask.id)
)


@dataclass(frozen=True)
class TaskFacts:
    """What a task's screen and scan sequence need besides the task row itself."""

    location: str
    sku: str
    name: str
    lot_tracked: bool
    expiry_tracked: bool
    serial_tracked: bool
    image_path: str
    lot: str
    expiry: date | None
    #: the code of the tote in the task's slot ("" when none: the batch's bulk tote)
    tote_code: str
    #: the location's aisle and depth, for its access point on the map
    aisle: str = ""
    y: float = 0.0


@dataclass(frozen=True)
class Head:
    batch: PickBatch
    wave: Wave
    task: PickTask | None
    facts: TaskFacts | None
    #: the acting user's ``active`` and ``role`` as read (for ``UnitOfWork.require_read``)
    user_row: tuple[Any, Any]
    rules: AllocationRules
    #: the location whose barcode was scanned (None: no such location)
    scanned_location: Location | None

    @property
    def scanned_location_kind(self) -> str | None:
        return self.scanned_location.kind if self.scanned_location is not None else None

    #: the scan patterns (tote and tracking-number patterns) for classifying the scan
    patterns: ScanPatterns


def read_head(s: Session, batch_id: int, user_id: int | None, scan_text: str | None) -> Head | None:
    """The batch in hand and its current task; None when there is no such batch."""
    row = s.execute(HEAD, {"bid": batch_id, "uid": user_id, "scan_text": scan_text}).one_or_none()
    if row is None:
        return None
    batch, wave, task, product, location, lot, tote, active, role, policy, days, scanned, pat = row
    facts = None
    if task is not None:
        facts = TaskFacts(
            location.code,
            product.sku,
            product.name,
            product.lot_tracked,
            product.expiry_tracked,
            product.serial_tracked,
            product.image_path,
            lot.lot_number if lot is not None else "",
            lot.expiry_date if lot is not None else None,
            tote or "",
            location.aisle,
            location.y,
        )
    rules = rules_of(policy, days)
    return Head(batch, wave, task, facts, (active, role), rules, scanned, patterns_of(pat))


def read_tasks(s: Session, batch_id: int) -> list[tuple[PickTask, TaskFacts]]:
    """The batch's tasks not cancelled, in route order, each with its facts."""
    out = []
    for r in s.execute(TASKS, {"bid": batch_id}):
        task, code, aisle, y, sku, name, lot_t, exp_t, ser_t, image, lot, expiry, tote = r
        facts = TaskFacts(
            code, sku, name, lot_t, exp_t, ser_t, image, lot or "", expiry, tote or "", aisle, y
        )
        out.append((task, facts))
    return out
