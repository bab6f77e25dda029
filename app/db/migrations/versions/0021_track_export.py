"""tracking export: what was written back to the shops (files and uploads), and a carrier's
tracking page URL

Revision ID: 0021_track_export
Revises: 0020_handover
Create Date: 2026-12-06 17:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0021_track_export"
down_revision: str | Sequence[str] | None = "0020_handover"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "tracking_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("channel_order_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("format", sa.String(length=64), nullable=False),
        sa.Column("file", sa.String(length=500), nullable=False),
        sa.Column("remote_id", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.ForeignKeyConstraint(["parcel_id"], ["parcels.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tracking_exports", schema=None) as batch_op:
        batch_op.create_index("ix_tracking_exports_order_id", ["order_id"], unique=False)
        batch_op.create_index(
            "ix_tracking_exports_parcel_format", ["parcel_id", "format"], unique=False
        )
    with op.batch_alter_table("carriers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tracking_url", sa.String(length=500), server_default="", nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("carriers", schema=None) as batch_op:
        batch_op.drop_column("tracking_url")
    with op.batch_alter_table("tracking_exports", schema=None) as batch_op:
        batch_op.drop_index("ix_tracking_exports_parcel_format")
        batch_op.drop_index("ix_tracking_exports_order_id")
    op.drop_table("tracking_exports")
