"""import: column profiles, import log, order sources, customer keys

Revision ID: 0003_import
Revises: 0001
Create Date: 2026-11-26 07:05:33.786807

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '0003_import'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('customer_keys',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_keys_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_customer_keys'))
    )
    with op.batch_alter_table('customer_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_keys_customer_id'), ['customer_id'], unique=False)

    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('encoding', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('imported', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('problems', JSON, nullable=False),
    sa.Column('problems_total', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_import_batches_channel_id_channels')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_import_batches_station_id_stations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_batches_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batches_started_at'), ['started_at'], unique=False)

    op.create_table('import_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('mapping', JSON, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_import_profiles_updated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_profiles')),
    sa.UniqueConstraint('name', name=op.f('uq_import_profiles_name'))
    )
    op.create_table('order_imports',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.Column('channel_status', sa.String(length=64), nullable=False),
    sa.Column('channel_cancelled', sa.Boolean(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_order_imports_batch_id_import_batches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_imports_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_order_imports'))
    )
    with op.batch_alter_table('order_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_imports_batch_id'), ['batch_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('order_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_imports_batch_id'))
    op.drop_table('order_imports')
    op.drop_table('import_profiles')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batches_started_at'))
    op.drop_table('import_batches')
    with op.batch_alter_table('customer_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_keys_customer_id'))
    op.drop_table('customer_keys')
