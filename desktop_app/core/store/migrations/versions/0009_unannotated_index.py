"""unannotated messages index

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Annotation looks for new messages with `intent IS NULL` at every assignment: a partial
    # index keeps that a look-up of the few new ones instead of a scan of the whole table.
    op.create_index(
        "ix_messages_unannotated",
        "messages",
        ["case_id"],
        unique=False,
        sqlite_where=sa.text("intent IS NULL"),
        postgresql_where=sa.text("intent IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_messages_unannotated", table_name="messages")
