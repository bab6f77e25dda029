"""tracking: the tracking-number format a carrier's numbers have (checked when its pool is
loaded)

Revision ID: 0017_tracking
Revises: 0016_packing
Create Date: 2026-12-06 13:55:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0017_tracking"
down_revision: str | Sequence[str] | None = "0016_packing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("carriers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tracking_format", sa.String(length=32), server_default="", nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("carriers", schema=None) as batch_op:
        batch_op.drop_column("tracking_format")
