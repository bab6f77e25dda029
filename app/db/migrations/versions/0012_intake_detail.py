"""intake detail: address parts kept in full however long, lines partly fulfilled in the channel

Revision ID: 0012_intake_detail
Revises: 0011_protected_recipients
Create Date: 2026-12-06 07:50:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0012_intake_detail'
down_revision: str | Sequence[str] | None = '0011_protected_recipients'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the address parts a customer types, and their width before this revision
WIDENED = (
    ('name', 200),
    ('phone', 40),
    ('phone_digits', 40),
    ('company', 200),
    ('province', 100),
    ('city', 100),
    ('district', 100),
    ('street', 300),
    ('street2', 300),
    ('postal_code', 20),
)


def upgrade() -> None:
    """Upgrade schema."""
    # SQLite rebuilds the table to change a type, and cannot carry an expression index over
    # (it is not reflected): drop it first, make it again afterwards
    op.drop_index('ix_addresses_name_lower', table_name='addresses')
    with op.batch_alter_table('addresses', schema=None) as batch_op:
        for column, width in WIDENED:
            batch_op.alter_column(
                column, existing_type=sa.String(length=width), type_=sa.Text()
            )
    op.create_index('ix_addresses_name_lower', 'addresses', [sa.text('lower(name)')], unique=False)
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'channel_partly_fulfilled', sa.Boolean(), server_default='0', nullable=False
            )
        )


def downgrade() -> None:
    """Downgrade schema. Values longer than the old widths are cut to fit."""
    # rebuilding order_lines reflects the tables it refers to, addresses among them: the
    # expression index goes first here too
    op.drop_index('ix_addresses_name_lower', table_name='addresses')
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_column('channel_partly_fulfilled')
    for column, width in WIDENED:
        op.execute(
            sa.text(
                f'UPDATE addresses SET {column} = substr({column}, 1, {width}) '
                f'WHERE length({column}) > {width}'
            )
        )
    with op.batch_alter_table('addresses', schema=None) as batch_op:
        for column, width in WIDENED:
            batch_op.alter_column(
                column, existing_type=sa.Text(), type_=sa.String(length=width)
            )
    op.create_index('ix_addresses_name_lower', 'addresses', [sa.text('lower(name)')], unique=False)
