"""printing: print job retry time and status change time

Revision ID: 0006_printing
Revises: 0004_order_actions
Create Date: 2026-11-26 09:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0006_printing'
down_revision: str | Sequence[str] | None = '0004_order_actions'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('updated_at')
