"""case cover index with the notice kind

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The case list tells customers' mail from platform notices for every message of a screen of
# cases; notice_kind sits after the body in each row, so it joins the covering index.
BEFORE = ["case_id", "date", "seen", "has_attachments", "case_suggested"]


def upgrade() -> None:
    op.drop_index("ix_messages_case_cover", table_name="messages")
    op.create_index("ix_messages_case_cover", "messages", [*BEFORE, "notice_kind"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_messages_case_cover", table_name="messages")
    op.create_index("ix_messages_case_cover", "messages", BEFORE, unique=False)
