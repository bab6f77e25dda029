"""Order intake: the one way orders enter the database (files, and programs handing records).

- Orders are keyed by (channel, the channel's order id). Importing the same file again changes
  nothing: each order keeps a fingerprint of what the channel said (``order_imports``). A changed
  order is updated while it is new, on hold or released (not yet allocated); later it is only
  reported, as is an order that was merged or split here.
- Each order goes in whole or not at all: it is parsed and checked in full before anything is
  written, the orders are written in batches with Core bulk inserts, and when a batch fails
  (another station imported the same order at the same moment) it is written again order by
  order, each in its own SAVEPOINT, so only the order at fault is left out.
- Transaction boundary: one transaction per batch of whole orders (BATCH_ORDERS). Cancelling
  stops before the next batch: the batches already committed stay (whole orders, checked and
  held or released), the batch being read is dropped, nothing of it is written. The user is told
  how many orders were saved; importing the same file again adds the rest, without doubles.
- Every new order gets the check rules (``app.domain.order_rules``): released when all pass,
  on hold with readable reasons otherwise; status history and audit rows are written with it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import (
    Channel,
    ImportBatch,
    utcnow,
)
from app.db.uow import UnitOfWork
from app.domain.errors import PackdeskError, ValidationError
from app.domain.orders import status_note
from app.domain.users import Actor, Permission
from app.importers.generic import Mapping
from app.importers.records import ImportItem, OrderRecord, RowProblem
from app.importers.sources import open_source
from app.services import import_profiles
from app.services.access import require_now, writes
from app.services.intake_batch import Counts, import_gc
from app.services.intake_writer import BatchWriter

log = logging.getLogger(__name__)

#: whole orders per transaction
BATCH_ORDERS = 1000
#: problems kept in the import log (all are counted)
PROBLEMS_KEPT = 2000


@dataclass(frozen=True)
class ImportProblem:
    """A problem of the import, with its row number and a plain reason."""

    row: int
    kind: str
    order: str
    reason: str
    #: the English template and its values, for translation on screen
    template: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, p: RowProblem) -> ImportProblem:
        return cls(p.row, p.kind.value, p.order, p.reason, p.template, dict(p.params))

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "kind": self.kind, "order": self.order, "reason": self.reason}


@dataclass(frozen=True)
class ImportProgress:
    """How far an import is, reported after every batch."""

    rows_done: int
    rows_total: int
    imported: int
    updated: int
    unchanged: int
    held: int
    rejected: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.rows_done / self.rows_total) if self.rows_total else 0.0


@dataclass(frozen=True)
class ImportResult:
    """What an import did; ``as_json()`` is the CLI's ``--json`` object."""

    batch_id: int
    channel: str
    channel_created: bool
    file: str
    format: str
    encoding: str
    rows: int
    imported: int
    updated: int
    unchanged: int
    held: int
    released: int
    rejected: int
    skipped: int
    not_updated: int
    problems: tuple[ImportProblem, ...]
    problems_total: int
    cancelled: bool
    order_ids: tuple[int, ...] = ()
    #: the generic mapping used, when the columns were guessed from the header
    guessed_columns: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "held": self.held,
            "released": self.released,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "not_updated": self.not_updated,
            "cancelled": self.cancelled,
            "channel": self.channel,
            "channel_created": self.channel_created,
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "rows": self.rows,
            "batch": self.batch_id,
            "errors": [p.as_json() for p in self.problems],
            "errors_total": self.problems_total,
        }


ProgressFn = Callable[[ImportProgress], None]
CancelFn = Callable[[], bool]


@writes(Permission.IMPORT_ORDERS)
def import_file(
    uow: UnitOfWork,
    actor: Actor,
    path: Path | str,
    *,
    fmt: str | None = None,
    channel: str | None = None,
    profile: str | None = None,
    mapping: Mapping | None = None,
    encoding: str = "",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    local: tzinfo | None = None,
) -> ImportResult:
    """Import a file. A generic file is read with ``mapping``, else the saved ``profile``, else
    the columns guessed from its header. A file that cannot be read at all raises
    ``ImportFileError`` before anything is written; everything else is a row-numbered problem in
    the result."""
    actor = require_now(uow, actor, Permission.IMPORT_ORDERS)
    path = Path(path)
    if mapping is None and profile:
        mapping = import_profiles.load_mapping(uow, profile)
    with open_source(path, fmt, mapping=mapping, encoding_name=encoding, local=local) as src:
        result = import_records(
            uow,
            actor,
            src.items,
            channel=channel or (profile or src.default_channel),
            platform=src.platform,
            file_name=path.name,
            fmt=src.format,
            encoding=src.encoding,
            rows_total=src.total_rows,
            row_of=lambda: src.row,
            progress=progress,
            cancel=cancel,
        )
        if src.guessed and src.mapping is not None:
            result = replace(result, guessed_columns=dict(src.mapping.columns))
        return result


@writes(Permission.IMPORT_ORDERS)
def import_records(
    uow: UnitOfWork,
    actor: Actor,
    items: Iterable[ImportItem],
    *,
    channel: str,
    platform: str = "manual",
    file_name: str = "",
    fmt: str = "records",
    encoding: str = "",
    rows_total: int = 0,
    row_of: Callable[[], int] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    batch_orders: int | None = None,
) -> ImportResult:
    """Take orders (and the parser's problems) into the database; see the module docstring."""
    channel_id, channel_code, created = ensure_channel(uow, actor, channel, platform)
    batch_id = _start_batch(uow, actor, channel_id, file_name, fmt, encoding)
    writer = BatchWriter(actor, channel_id, batch_id, file_name)
    counts = Counts()
    problems: list[ImportProblem] = []
    total_problems = 0
    cancelled = False
    status = "failed"
    last_row = 0

    def note(p: RowProblem) -> None:
        nonlocal total_problems
        total_problems += 1
        if len(problems) < PROBLEMS_KEPT:
            problems.append(ImportProblem.of(p))
        counts.count_problem(p.kind)

    def report() -> None:
        if progress is not None:
            progress(
                ImportProgress(
                    rows_done=row_of() if row_of else last_row,
                    rows_total=rows_total,
                    imported=counts.imported,
                    updated=counts.updated,
                    unchanged=counts.unchanged,
                    held=counts.held,
                    rejected=counts.rejected,
                )
            )

    try:
        with import_gc():
            for batch in _batches(items, batch_orders or BATCH_ORDERS, note):
                if cancel is not None and cancel():
                    cancelled = True
                    break
                last_row = max(r.last_row or r.row for r in batch) if batch else last_row
                for p in writer.write(uow, batch, counts):
                    note(p)
                report()
            else:
                if cancel is not None and cancel():
                    cancelled = True
            status = "cancelled" if cancelled else "done"
    except KeyboardInterrupt:
        status = "cancelled"
        raise
    finally:
        rows = row_of() if row_of else last_row
        _finish_batch(uow, actor, batch_id, status, counts, problems, total_problems, rows)
    return ImportResult(
        batch_id=batch_id,
        channel=channel_code,
        channel_created=created,
        file=file_name,
        format=fmt,
        encoding=encoding,
        rows=rows,
        imported=counts.imported,
        updated=counts.updated,
        unchanged=counts.unchanged,
        held=counts.held,
        released=counts.released,
        rejected=counts.rejected,
        skipped=counts.skipped,
        not_updated=counts.not_updated,
        problems=tuple(problems),
        problems_total=total_problems,
        cancelled=cancelled,
        order_ids=tuple(writer.order_ids),
    )


def _batches(
    items: Iterable[ImportItem], size: int, note: Callable[[RowProblem], None]
) -> Iterator[list[OrderRecord]]:
    """Whole orders in lists of ``size``; problems go to ``note`` as they come."""
    batch: list[OrderRecord] = []
    for item in items:
        if isinstance(item, RowProblem):
            note(item)
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- channels -------------------------------------------------------------------------------


@writes(Permission.IMPORT_ORDERS)
def ensure_channel(
    uow: UnitOfWork, actor: Actor, name: str, platform: str = "manual"
) -> tuple[int, str, bool]:
    """The channel with this code or name, created when there is none: (id, code, created)."""
    name = name.strip()
    if not name:
        raise ValidationError("Say which sales channel the orders come from.")
    with uow:
        uow.require(actor, Permission.IMPORT_ORDERS)
        s = uow.session
        found = s.execute(
            select(Channel.id, Channel.code).where(
                (func.lower(Channel.code) == name.lower()) | (Channel.name == name)
            )
        ).first()
        if found is not None:
            return found[0], found[1], False
        code = _channel_code(s, name)
        ch = Channel(code=code, name=name[:200], platform=platform[:32], active=True)
        s.add(ch)
        s.flush()
        uow.audit(
            actor,
            "channel.create",
            "channel",
            code,
            after={"code": code, "name": ch.name, "platform": platform},
            note=status_note("created_by_import"),
        )
        uow.commit()
        return ch.id, code, True


def _channel_code(s: Session, name: str) -> str:
    base = re.sub(r"[\W_]+", "-", name.lower()).strip("-")[:28] or "channel"
    code, n = base, 1
    while s.scalar(select(Channel.id).where(Channel.code == code)) is not None:
        n += 1
        code = f"{base}-{n}"
    return code


# --- the import log -------------------------------------------------------------------------


def _start_batch(
    uow: UnitOfWork, actor: Actor, channel_id: int, file_name: str, fmt: str, encoding: str
) -> int:
    with uow:
        b = ImportBatch(
            user_id=actor.user_id,
            station_id=actor.station_id,
            channel_id=channel_id,
            file_name=file_name[:300],
            format=fmt[:16],
            encoding=encoding[:32],
            status="running",
            problems=[],
        )
        uow.session.add(b)
        uow.commit()
        return b.id


def _finish_batch(
    uow: UnitOfWork,
    actor: Actor,
    batch_id: int,
    status: str,
    counts: Counts,
    problems: list[ImportProblem],
    total: int,
    rows: int,
) -> None:
    try:
        with uow:
            b = uow.session.get(ImportBatch, batch_id)
            if b is None:
                return
            b.status = status
            b.finished_at = utcnow()
            b.rows = rows
            b.imported, b.updated, b.unchanged = counts.imported, counts.updated, counts.unchanged
            b.held, b.rejected, b.skipped = counts.held, counts.rejected, counts.skipped
            b.problems = [p.as_json() for p in problems]
            b.problems_total = total
            uow.audit(
                actor,
                "import.finish",
                "import_batch",
                batch_id,
                after={
                    "status": status,
                    "file": b.file_name,
                    "imported": counts.imported,
                    "updated": counts.updated,
                    "held": counts.held,
                    "rejected": counts.rejected,
                },
            )
            uow.commit()
    except (PackdeskError, sa_exc.SQLAlchemyError):
        # the import's own error is the one to show; the log row stays "running"
        log.exception("could not record the end of import batch %s", batch_id)
