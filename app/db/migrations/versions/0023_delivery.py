"""delivery: tracking events and the delivery exceptions queue

Revision ID: 0023_delivery
Revises: 0022_notices
Create Date: 2026-12-06 16:38:12.132705

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0023_delivery"
down_revision: str | Sequence[str] | None = "0022_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "delivery_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_delivery_exceptions_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["parcels.id"], name=op.f("fk_delivery_exceptions_parcel_id_parcels")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"], ["users.id"], name=op.f("fk_delivery_exceptions_resolved_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_exceptions")),
    )
    with op.batch_alter_table("delivery_exceptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delivery_exceptions_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_delivery_exceptions_parcel_id"), ["parcel_id"], unique=False
        )
        batch_op.create_index(
            "ix_delivery_exceptions_status_kind", ["status", "kind"], unique=False
        )
        batch_op.create_index(
            "uq_delivery_exceptions_open",
            ["parcel_id", "kind"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "tracking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("raw_status", sa.String(length=200), nullable=False),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["users.id"], name=op.f("fk_tracking_events_imported_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["parcels.id"], name=op.f("fk_tracking_events_parcel_id_parcels")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
        sa.UniqueConstraint(
            "parcel_id",
            "event_at",
            "raw_status",
            name=op.f("uq_tracking_events_parcel_id_event_at_raw_status"),
        ),
    )
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tracking_events_parcel_at", ["parcel_id", "event_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tracking_events_tracking_number"), ["tracking_number"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tracking_events_tracking_number"))
        batch_op.drop_index("ix_tracking_events_parcel_at")

    op.drop_table("tracking_events")
    with op.batch_alter_table("delivery_exceptions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_delivery_exceptions_open",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index("ix_delivery_exceptions_status_kind")
        batch_op.drop_index(batch_op.f("ix_delivery_exceptions_parcel_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_exceptions_order_id"))

    op.drop_table("delivery_exceptions")
