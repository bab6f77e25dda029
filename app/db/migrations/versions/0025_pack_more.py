"""packing, the gaps: the pickup shelf slot of a parcel, the parcel count a packer declares

Revision ID: 0025_pack_more
Revises: 0024_returns
Create Date: 2026-12-06 17:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0025_pack_more"
down_revision: str | Sequence[str] | None = "0024_returns"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pickup_slot", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_parcels_pickup_slot", ["pickup_slot"], unique=False)
    with op.batch_alter_table("pack_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parcel_count", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("pack_sessions", schema=None) as batch_op:
        batch_op.drop_column("parcel_count")
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.drop_index("ix_parcels_pickup_slot")
        batch_op.drop_column("pickup_slot")
