"""protected recipients: the platform masks or encrypts the order's recipient

Revision ID: 0011_protected_recipients
Revises: 0010_listing_mappings
Create Date: 2026-12-06 08:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0011_protected_recipients'
down_revision: str | Sequence[str] | None = '0010_listing_mappings'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('recipient_protected', sa.Boolean(), server_default='0', nullable=False)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('recipient_protected')
