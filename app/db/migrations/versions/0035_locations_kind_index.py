"""locations found by their kind (the outbound dock at every parcel, the quarantine, the totes)
through an index, not a read of every bin

Revision ID: 0035_locations_kind_index
Revises: 0034_exceptions_index
Create Date: 2026-12-07 12:45:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0035_locations_kind_index"
down_revision: str | Sequence[str] | None = "0034_exceptions_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_locations_warehouse_id_kind"


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(NAME, "locations", ["warehouse_id", "kind"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # statistics where the file keeps them (see 0031)
        analysed = bind.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).first()
        if analysed is not None:
            op.execute(f"ANALYZE {NAME}")


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(NAME, table_name="locations")
