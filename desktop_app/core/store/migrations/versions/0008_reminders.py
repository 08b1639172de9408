"""reminders: reminder states, customer birthdays and anniversaries

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("snoozed_until", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_states")),
        sa.UniqueConstraint("key", name=op.f("uq_reminder_states_key")),
    )
    # Plain ADD COLUMN (no table rebuild): instant on a store of any size.
    op.add_column("customers", sa.Column("birthday", sa.String(length=5), nullable=True))
    op.add_column("customers", sa.Column("since", sa.Date(), nullable=True))
    # The review and replenishment rules read orders by date.
    op.create_index("ix_orders_delivered_shipped", "orders", ["delivered_at", "shipped_at"])
    op.create_index("ix_orders_delivered_placed", "orders", ["delivered_at", "placed_at"])
    op.create_index("ix_orders_placed_at", "orders", ["placed_at"], unique=False)
    op.create_index("ix_cases_snoozed_until", "cases", ["snoozed_until"], unique=False)
    op.create_index("ix_cases_order_number", "cases", ["order_number"], unique=False)
    # Who wrote what when, read without touching the message rows (their bodies).
    op.create_index(
        "ix_messages_reminders",
        "messages",
        ["account_id", "date", "case_id", "notice_kind", "from_addr"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_messages_reminders", table_name="messages")
    op.drop_index("ix_cases_order_number", table_name="cases")
    op.drop_index("ix_cases_snoozed_until", table_name="cases")
    op.drop_index("ix_orders_placed_at", table_name="orders")
    op.drop_index("ix_orders_delivered_placed", table_name="orders")
    op.drop_index("ix_orders_delivered_shipped", table_name="orders")
    op.drop_column("customers", "since")
    op.drop_column("customers", "birthday")
    op.drop_table("reminder_states")
