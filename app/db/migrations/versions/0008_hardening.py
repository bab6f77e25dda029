"""hardening: log-in throttling, masking policy per channel, purge time, station versions

Revision ID: 0008_hardening
Revises: 0007_hold_messages
Create Date: 2026-12-06 05:20:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0008_hardening'
down_revision: str | Sequence[str] | None = '0007_hold_messages'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'login_throttle',
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('subject', name=op.f('pk_login_throttle')),
    )
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('mask_policy', sa.String(length=16), server_default='ewaybill', nullable=False)
        )
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('app_version', sa.String(length=32), server_default='', nullable=False)
        )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('purged_at')
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_column('app_version')
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.drop_column('mask_policy')
    op.drop_table('login_throttle')
