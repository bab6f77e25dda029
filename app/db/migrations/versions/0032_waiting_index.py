"""a million orders: the waves' allocated orders waiting stop at their page (docs/big-data.md)

Revision ID: 0032_waiting_index
Revises: 0031_big_indexes
Create Date: 2026-12-07 00:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0032_waiting_index"
down_revision: str | Sequence[str] | None = "0031_big_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_orders_status_priority_placed"


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        NAME, "orders", ["status", sa.text("priority DESC"), "placed_at", "id"], unique=False
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # statistics where the file keeps them (see 0031)
        analysed = bind.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).first()
        if analysed is not None:
            op.execute(f"ANALYZE {NAME}")


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(NAME, table_name="orders")
