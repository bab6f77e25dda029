"""hold messages: each hold's sentence as its English template and values

Revision ID: 0007_hold_messages
Revises: 0006_printing
Create Date: 2026-11-26 10:10:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0007_hold_messages'
down_revision: str | Sequence[str] | None = '0006_printing'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    """Upgrade schema: holds made before keep their English sentence (no template)."""
    with op.batch_alter_table('order_holds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('params', JSON, nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('order_holds', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('template')
