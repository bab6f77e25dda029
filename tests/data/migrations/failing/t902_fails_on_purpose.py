"""test only: some DDL and DML, then a unique key is broken

Revision ID: t902_fails_on_purpose
Revises: the program's head
"""

import sqlalchemy as sa
from alembic import op

from app.db.migrate import script_heads

revision = "t902_fails_on_purpose"
down_revision = script_heads()  # on top of whatever the program's head is
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("migration_probe", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("failed_probe", sa.String(length=20), nullable=True))
    op.execute("UPDATE stations SET name = 'changed by a failed upgrade'")
    op.execute("INSERT INTO migration_probe (id) VALUES (1)")
    op.execute("INSERT INTO migration_probe (id) VALUES (1)")  # the primary key refuses this


def downgrade() -> None:
    raise NotImplementedError
