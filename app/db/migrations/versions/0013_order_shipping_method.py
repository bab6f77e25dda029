"""order shipping method: kept, so that the pickup flag follows the pickup patterns

Revision ID: 0013_order_shipping_method
Revises: 0012_intake_detail
Create Date: 2026-12-06 09:10:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0013_order_shipping_method'
down_revision: str | Sequence[str] | None = '0012_intake_detail'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('shipping_method', sa.String(length=200), server_default='', nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('shipping_method')
