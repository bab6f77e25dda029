"""the KPI dashboard: indexes for the day's parcels, status changes, exceptions and batches

Revision ID: 0026_dashboard
Revises: 0025_pack_more
Create Date: 2026-12-06 17:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0026_dashboard"
down_revision: str | Sequence[str] | None = "0025_pack_more"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("parcels", "ix_parcels_labelled_at", "labelled_at"),
    ("order_status_history", "ix_order_status_history_at", "at"),
    ("pack_exceptions", "ix_pack_exceptions_created_at", "created_at"),
    ("pick_batches", "ix_pick_batches_finished_at", "finished_at"),
)


def upgrade() -> None:
    """Upgrade schema."""
    for table, name, column in INDEXES:
        op.create_index(name, table, [column], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
