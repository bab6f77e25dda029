"""a million orders: indexes the main queries were missing (docs/big-data.md)

Revision ID: 0031_big_indexes
Revises: 0026_dashboard
Create Date: 2026-12-06 20:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0031_big_indexes"
down_revision: str | Sequence[str] | None = "0029_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (table, index, columns or expressions); app/db/models/big_indexes.py says which query
#: needs which
INDEXES: tuple[tuple[str, str, list[str | sa.TextClause]], ...] = (
    ("orders", "ix_orders_pickup_id", ["pickup", "id"]),
    ("wave_orders", "ix_wave_orders_tote_upper", [sa.text("upper(tote_code)")]),
    ("parcels", "ix_parcels_tracking_number", ["tracking_number"]),
    ("return_lines", "ix_return_lines_pack_item_id", ["pack_item_id"]),
    ("parcels", "ix_parcels_carrier_status_labelled", ["carrier_id", "status", "labelled_at"]),
    ("audit_log", "ix_audit_log_action_at", ["action", "at"]),
)


def upgrade() -> None:
    """Upgrade schema."""
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    _statistics()


def _statistics() -> None:
    """SQLite: statistics for the new indexes where the file keeps statistics (analysed once),
    so the planner weighs them against the old ones from the first query on instead of on
    guesses (ANALYZE of one index reads a sample: seconds at a million orders). PostgreSQL
    needs nothing: a column index is judged by the table's statistics, and autovacuum analyses
    the tables."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    analysed = bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
    ).first()
    if analysed is not None:
        for _table, name, _columns in INDEXES:
            op.execute(f"ANALYZE {name}")
