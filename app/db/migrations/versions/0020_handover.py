"""handover: carrier handovers (交接单) and their parcels, and the carriers' cut-off time

Revision ID: 0020_handover
Revises: 0019_pack_after
Create Date: 2026-12-06 16:37:49.235101

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = "0020_handover"
down_revision: str | Sequence[str] | None = "0019_pack_after"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("parcels", sa.Integer(), nullable=False),
        sa.Column("weight_g", sa.Integer(), nullable=False),
        sa.Column("manifest_path", sa.Text(), nullable=False),
        sa.Column("manifest_job_id", sa.Integer(), nullable=True),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopened_by", sa.Integer(), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_id"], ["carriers.id"], name=op.f("fk_handovers_carrier_id_carriers")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["users.id"], name=op.f("fk_handovers_closed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["manifest_job_id"],
            ["print_jobs.id"],
            name=op.f("fk_handovers_manifest_job_id_print_jobs"),
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["users.id"], name=op.f("fk_handovers_opened_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["reopened_by"], ["users.id"], name=op.f("fk_handovers_reopened_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_handovers_station_id_stations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
        sa.UniqueConstraint(
            "carrier_id", "day", "seq", name=op.f("uq_handovers_carrier_id_day_seq")
        ),
        sa.UniqueConstraint("number", name=op.f("uq_handovers_number")),
    )
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handovers_carrier_id"), ["carrier_id"], unique=False)
        batch_op.create_index(
            "uq_handovers_open_carrier_day",
            ["carrier_id", "day"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "handover_parcels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("scanned", sa.String(length=128), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scanned_by", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["handover_id"],
            ["handovers.id"],
            name=op.f("fk_handover_parcels_handover_id_handovers"),
        ),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["parcels.id"], name=op.f("fk_handover_parcels_parcel_id_parcels")
        ),
        sa.ForeignKeyConstraint(
            ["scanned_by"], ["users.id"], name=op.f("fk_handover_parcels_scanned_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_handover_parcels_station_id_stations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_parcels")),
        sa.UniqueConstraint("parcel_id", name=op.f("uq_handover_parcels_parcel_id")),
    )
    with op.batch_alter_table("handover_parcels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handover_parcels_handover_id"), ["handover_id"], unique=False
        )

    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.create_index("ix_parcels_status_carrier", ["status", "carrier_id"], unique=False)

    with op.batch_alter_table("carriers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cutoff_time", sa.String(length=5), server_default="", nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("carriers", schema=None) as batch_op:
        batch_op.drop_column("cutoff_time")

    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.drop_index("ix_parcels_status_carrier")

    with op.batch_alter_table("handover_parcels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_parcels_handover_id"))

    op.drop_table("handover_parcels")
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_handovers_open_carrier_day",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_handovers_carrier_id"))

    op.drop_table("handovers")
