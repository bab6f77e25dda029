"""sync conflicts: offline stations' journal entries the server refused, for a supervisor

Revision ID: 0028_sync_conflicts
Revises: 0026_dashboard
Create Date: 2026-12-06 20:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0028_sync_conflicts"
down_revision: str | Sequence[str] | None = "0027_offline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("values", JSON, nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("happened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["users.id"], name=op.f("fk_sync_conflicts_resolved_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
        sa.UniqueConstraint("key", name=op.f("uq_sync_conflicts_key")),
    )
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_conflicts_station_id"), ["station_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sync_conflicts_order_number"), ["order_number"], unique=False
        )
        batch_op.create_index(
            "ix_sync_conflicts_open", ["resolved_at", "happened_at"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("sync_conflicts", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_conflicts_open")
        batch_op.drop_index(batch_op.f("ix_sync_conflicts_order_number"))
        batch_op.drop_index(batch_op.f("ix_sync_conflicts_station_id"))
    op.drop_table("sync_conflicts")
