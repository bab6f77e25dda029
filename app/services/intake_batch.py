"""What the writers of one import share: the import's context, the counts, and what one
attempt at a batch wrote (``app.services.intake_writer``, ``intake_insert``, ``intake_update``);
and the heap left out of full garbage collections while an import runs.
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


_frozen_lock = threading.Lock()
_frozen_imports = 0


@contextmanager
def older_objects_frozen() -> Iterator[None]:
    """While an import runs, the objects alive before it are left out of Python's full garbage
    collections (``gc.freeze``). The import allocates so much that those collections come
    again and again, and each walked the whole application (SQLAlchemy, the phone number
    metadata, the screens); now each walks what the import made. Nothing is lost: the older
    objects are back under collection when the last running import ends."""
    global _frozen_imports
    with _frozen_lock:
        if _frozen_imports == 0:
            gc.freeze()
        _frozen_imports += 1
    try:
        yield
    finally:
        with _frozen_lock:
            _frozen_imports -= 1
            if _frozen_imports == 0:
                gc.unfreeze()
