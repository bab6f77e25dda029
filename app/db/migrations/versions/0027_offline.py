"""working through an outage: applied idempotency keys, tracking numbers kept for a station

Revision ID: 0027_offline
Revises: 0026_dashboard
Create Date: 2026-12-06 20:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0027_offline"
down_revision: str | Sequence[str] | None = "0026_dashboard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "applied_actions",
        sa.Column("key", sa.String(length=36), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "result",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_applied_actions_station_id_stations")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_applied_actions")),
    )
    op.create_index(
        op.f("ix_applied_actions_applied_at"), "applied_actions", ["applied_at"], unique=False
    )
    # a plain ADD COLUMN with its REFERENCES: rebuilding tracking_numbers on SQLite would
    # reflect the tables it refers to, whose expression index it cannot carry over
    fk = "fk_tracking_numbers_reserved_station_id_stations"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE tracking_numbers ADD COLUMN reserved_station_id INTEGER "
            f"CONSTRAINT {fk} REFERENCES stations (id)"
        )
    else:
        op.add_column(
            "tracking_numbers", sa.Column("reserved_station_id", sa.Integer(), nullable=True)
        )
        op.create_foreign_key(fk, "tracking_numbers", "stations", ["reserved_station_id"], ["id"])
    op.create_index(
        op.f("ix_tracking_numbers_reserved_station_id"),
        "tracking_numbers",
        ["reserved_station_id"],
        unique=False,
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(
        op.f("ix_tracking_numbers_reserved_station_id"), table_name="tracking_numbers"
    )
    if op.get_bind().dialect.name == "sqlite":
        op.drop_column("tracking_numbers", "reserved_station_id")  # SQLite 3.35+ drops it
    else:
        op.drop_constraint(
            op.f("fk_tracking_numbers_reserved_station_id_stations"),
            "tracking_numbers",
            type_="foreignkey",
        )
        op.drop_column("tracking_numbers", "reserved_station_id")
    op.drop_index(op.f("ix_applied_actions_applied_at"), table_name="applied_actions")
    op.drop_table("applied_actions")
