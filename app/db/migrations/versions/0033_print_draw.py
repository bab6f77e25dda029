"""print jobs drawn by the print worker: what to draw, kept until it is drawn (docs/labels.md)

Revision ID: 0033_print_draw
Revises: 0032_waiting_index
Create Date: 2026-12-07 08:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0033_print_draw"
down_revision: str | Sequence[str] | None = "0032_waiting_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("print_jobs") as batch:
        batch.add_column(
            sa.Column(
                "draw",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("print_jobs") as batch:
        batch.drop_column("draw")
