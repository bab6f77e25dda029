"""after packing: an index for a station's shift figures (parcels labelled at a station since)

Revision ID: 0019_pack_after
Revises: 0018_rules
Create Date: 2026-12-06 14:00:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0019_pack_after"
down_revision: str | Sequence[str] | None = "0018_rules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.create_index(
            "ix_parcels_station_labelled", ["station_id", "labelled_at"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.drop_index("ix_parcels_station_labelled")
