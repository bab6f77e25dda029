"""a million orders: the delivery exceptions queue read in its order up to its page
(docs/big-data.md)

Revision ID: 0034_exceptions_index
Revises: 0033_print_draw
Create Date: 2026-12-07 09:30:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0034_exceptions_index"
down_revision: str | Sequence[str] | None = "0033_print_draw"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_delivery_exceptions_status_since"


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(NAME, "delivery_exceptions", ["status", "since", "id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # statistics where the file keeps them (see 0031)
        analysed = bind.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).first()
        if analysed is not None:
            op.execute(f"ANALYZE {NAME}")


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(NAME, table_name="delivery_exceptions")
