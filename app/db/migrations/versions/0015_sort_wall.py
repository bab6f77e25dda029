"""sort wall: the unit in the sorter's hand, kept on the batch so a crash resumes it

Revision ID: 0015_sort_wall
Revises: 0014_picking
Create Date: 2026-12-06 10:30:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0015_sort_wall'
down_revision: str | Sequence[str] | None = '0014_picking'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('pick_batches', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'sort_hand',
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                nullable=True,
            )
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('pick_batches', schema=None) as batch_op:
        batch_op.drop_column('sort_hand')
