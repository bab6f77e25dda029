"""intake payments: the order's payment method, the amount to collect on delivery, pickup orders

Revision ID: 0009_intake_payments
Revises: 0008_hardening
Create Date: 2026-12-06 06:30:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0009_intake_payments'
down_revision: str | Sequence[str] | None = '0008_hardening'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('payment_method', sa.String(length=64), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('cod_amount', sa.Numeric(precision=12, scale=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column('pickup', sa.Boolean(), server_default='0', nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('pickup')
        batch_op.drop_column('cod_amount')
        batch_op.drop_column('payment_method')
