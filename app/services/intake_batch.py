"""What the writers of one import share: the import's context, the counts, and what one
attempt at a batch wrote (``app.services.intake_writer``, ``intake_insert``, ``intake_update``);
and the garbage collector's settings while an import runs.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from app.domain.users import Actor
from app.importers.records import OrderRecord, ProblemKind, RowProblem


@dataclass(frozen=True)
class ImportContext:
    """The import a batch belongs to: who imports, from which channel, which file."""

    actor: Actor
    channel_id: int
    batch_id: int
    file_name: str


@dataclass
class Counts:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0
    released: int = 0
    rejected: int = 0
    skipped: int = 0
    not_updated: int = 0

    def count_problem(self, kind: ProblemKind) -> None:
        if kind == ProblemKind.REJECTED:
            self.rejected += 1
        elif kind == ProblemKind.SKIPPED:
            self.skipped += 1
        elif kind == ProblemKind.NOT_UPDATED:
            self.not_updated += 1

    def add(self, other: Counts) -> None:
        for k in ("imported", "updated", "unchanged", "held", "released"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


@dataclass
class Written:
    counts: Counts = field(default_factory=Counts)
    problems: list[RowProblem] = field(default_factory=list)
    order_ids: list[int] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Existing:
    order_id: int
    status: str
    content_hash: str | None
    number: str


def problem(
    rec: OrderRecord, template: str, *, kind: ProblemKind = ProblemKind.REJECTED, **params: Any
) -> RowProblem:
    """A problem with the order ``rec`` (its row and its order id)."""
    return RowProblem(
        rec.row, template, {"order": rec.external_id, **params}, kind, rec.external_id
    )


_gc_lock = threading.Lock()
_gc_imports = 0
_gc_thresholds: tuple[int, int, int] = (0, 0, 0)
#: the youngest generation is collected after this many more allocations than deallocations
#: while an import runs (Python's default is 700): most objects of an order die before that
YOUNG_THRESHOLD = 10_000


@contextmanager
def import_gc() -> Iterator[None]:
    """While an import runs, Python's garbage collector works less for the same result: the
    objects alive before the import are left out of its full collections (``gc.freeze``), which
    the import's allocations set off again and again and each walked the whole application
    (SQLAlchemy, the phone number metadata, the screens); and the youngest generation is
    collected after 10,000 allocations instead of 700, so most of an order's objects are freed
    by their reference counts before any collection looks at them. Nothing is left uncollected:
    when the last running import ends, the older objects are back under collection and the
    thresholds as they were."""
    global _gc_imports, _gc_thresholds
    with _gc_lock:
        if _gc_imports == 0:
            _gc_thresholds = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(max(YOUNG_THRESHOLD, _gc_thresholds[0]), *_gc_thresholds[1:])
        _gc_imports += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_imports -= 1
            if _gc_imports == 0:
                gc.set_threshold(*_gc_thresholds)
                gc.unfreeze()
