"""listing mappings: channel listings mapped to products (6-packs, kits); what the channel sold
kept on the order lines

Revision ID: 0010_listing_mappings
Revises: 0009_intake_payments
Create Date: 2026-12-06 07:45:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision: str = '0010_listing_mappings'
down_revision: str | Sequence[str] | None = '0009_intake_payments'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'listing_mappings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel_id', sa.Integer(), nullable=True),
        sa.Column('match_kind', sa.String(length=16), nullable=False),
        sa.Column('match_text', sa.String(length=300), nullable=False),
        sa.Column('match_key', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['channel_id'], ['channels.id'],
            name=op.f('fk_listing_mappings_channel_id_channels'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['created_by'], ['users.id'], name=op.f('fk_listing_mappings_created_by_users')
        ),
        sa.ForeignKeyConstraint(
            ['updated_by'], ['users.id'], name=op.f('fk_listing_mappings_updated_by_users')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_mappings')),
    )
    op.create_index(
        'uq_listing_mappings_channel', 'listing_mappings',
        ['channel_id', 'match_kind', 'match_key'], unique=True,
        sqlite_where=sa.text('channel_id IS NOT NULL'),
        postgresql_where=sa.text('channel_id IS NOT NULL'),
    )
    op.create_index(
        'uq_listing_mappings_every_channel', 'listing_mappings',
        ['match_kind', 'match_key'], unique=True,
        sqlite_where=sa.text('channel_id IS NULL'),
        postgresql_where=sa.text('channel_id IS NULL'),
    )
    op.create_table(
        'listing_mapping_parts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mapping_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('units', sa.Integer(), nullable=False),
        sa.CheckConstraint('units > 0', name=op.f('ck_listing_mapping_parts_units_positive')),
        sa.ForeignKeyConstraint(
            ['mapping_id'], ['listing_mappings.id'],
            name=op.f('fk_listing_mapping_parts_mapping_id_listing_mappings'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['product_id'], ['products.id'],
            name=op.f('fk_listing_mapping_parts_product_id_products'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_mapping_parts')),
    )
    with op.batch_alter_table('listing_mapping_parts', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_listing_mapping_parts_mapping_id'), ['mapping_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_listing_mapping_parts_product_id'), ['product_id'], unique=False
        )
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('listing_sku', sa.String(length=64), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('listing_id', sa.String(length=64), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('listing_title', sa.String(length=300), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('listing_qty', sa.Integer(), server_default='0', nullable=False)
        )
        batch_op.add_column(sa.Column('mapping_id', sa.Integer(), nullable=True))
    # the lines imported so far are what their channel sold
    op.execute(
        "UPDATE order_lines SET listing_sku = sku, listing_title = name, listing_qty = qty"
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_column('mapping_id')
        batch_op.drop_column('listing_qty')
        batch_op.drop_column('listing_title')
        batch_op.drop_column('listing_id')
        batch_op.drop_column('listing_sku')
    with op.batch_alter_table('listing_mapping_parts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_mapping_parts_product_id'))
        batch_op.drop_index(batch_op.f('ix_listing_mapping_parts_mapping_id'))
    op.drop_table('listing_mapping_parts')
    op.drop_index('uq_listing_mappings_every_channel', table_name='listing_mappings')
    op.drop_index('uq_listing_mappings_channel', table_name='listing_mappings')
    op.drop_table('listing_mappings')
