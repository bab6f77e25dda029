"""What the writers of one import share: the import's context, the counts, and what one
attempt at a batch wrote (``app.services.intake_writer``, ``intake_insert``, ``intake_update``).
"""

from __future__ import annotations

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
