"""returns: returns received from shipped orders, their lines (reason, disposition), and the
configurable return reasons with the six defaults

Revision ID: 0024_returns
Revises: 0023_delivery
Create Date: 2026-12-06 16:37:46.920820

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0024_returns"
down_revision: str | Sequence[str] | None = "0023_delivery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "return_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_reasons")),
        sa.UniqueConstraint("code", name=op.f("uq_return_reasons_code")),
    )
    op.create_table(
        "returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=48), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("scanned", sa.String(length=128), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["finished_by"], ["users.id"], name=op.f("fk_returns_finished_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_returns_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["received_by"], ["users.id"], name=op.f("fk_returns_received_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["stations.id"], name=op.f("fk_returns_station_id_stations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
        sa.UniqueConstraint("number", name=op.f("uq_returns_number")),
    )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index("ix_returns_finished_at", ["finished_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_returns_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            "uq_returns_open_order",
            ["order_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "return_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("serial", sa.String(length=128), nullable=True),
        sa.Column("pack_item_id", sa.Integer(), nullable=True),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=False),
        sa.Column("disposition", sa.String(length=16), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("scanned", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inspected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("inspected_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["inspected_by"], ["users.id"], name=op.f("fk_return_lines_inspected_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_return_lines_location_id_locations")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_return_lines_lot_id_lots")),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_return_lines_order_line_id_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["pack_item_id"],
            ["pack_items.id"],
            name=op.f("fk_return_lines_pack_item_id_pack_items"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_return_lines_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_return_lines_return_id_returns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_lines")),
    )
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_return_lines_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_return_lines_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_return_lines_reason_code"), ["reason_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_return_lines_return_id"), ["return_id"], unique=False)

    reasons = sa.table(
        "return_reasons",
        sa.column("code", sa.String),
        sa.column("name_en", sa.String),
        sa.column("name_zh", sa.String),
        sa.column("active", sa.Boolean),
        sa.column("position", sa.Integer),
    )
    op.bulk_insert(
        reasons,
        [
            {"code": code, "name_en": en, "name_zh": zh, "active": True, "position": i * 10}
            for i, (code, en, zh) in enumerate(DEFAULT_REASONS, start=1)
        ],
    )


#: the reasons a new database starts with (the migration's own copy: later edits are data)
DEFAULT_REASONS = (
    ("NOT_WANTED", "no longer wanted", "不想要了"),
    ("WRONG_SIZE", "wrong size", "尺码不合适"),
    ("DEFECTIVE", "defective", "质量问题"),
    ("WRONG_ITEM", "wrong item sent", "发错货"),
    ("DAMAGED", "damaged in transit", "运输破损"),
    ("REFUSED", "refused on delivery", "拒收"),
)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_lines_return_id"))
        batch_op.drop_index(batch_op.f("ix_return_lines_reason_code"))
        batch_op.drop_index(batch_op.f("ix_return_lines_product_id"))
        batch_op.drop_index(batch_op.f("ix_return_lines_order_line_id"))

    op.drop_table("return_lines")
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_returns_open_order",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_returns_order_id"))
        batch_op.drop_index("ix_returns_finished_at")

    op.drop_table("returns")
    op.drop_table("return_reasons")
