"""test only: rebuild the orders table under its ON DELETE CASCADE children

Revision ID: t901_rebuild_orders
Revises: the program's head
"""

import sqlalchemy as sa
from alembic import op

from app.db.migrate import script_heads

revision = "t901_rebuild_orders"
down_revision = script_heads()  # on top of whatever the program's head is
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite: CREATE _alembic_tmp_orders, copy, DROP TABLE orders, rename. With foreign keys on,
    # the DROP deletes every order line, hold and status change (ON DELETE CASCADE).
    rebuild = "always" if op.get_bind().dialect.name == "sqlite" else "auto"
    # resolve_fks=False: the referenced tables need not be reflected (addresses has an index on
    # an expression that SQLAlchemy warns about)
    with op.batch_alter_table(
        "orders", recreate=rebuild, reflect_kwargs={"resolve_fks": False}
    ) as batch_op:
        batch_op.add_column(sa.Column("rebuild_probe", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_column("rebuild_probe")
