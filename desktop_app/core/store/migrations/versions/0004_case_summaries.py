"""case summaries for the case list

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Triggers list the cases whose summary went stale; `store.case_summaries.refresh` rebuilds them.
# SQLite only (a shared PostgreSQL store would need the same as plpgsql trigger functions).
TRIGGERS = [
    """CREATE TRIGGER case_summary_mi AFTER INSERT ON messages
    WHEN new.case_id IS NOT NULL BEGIN
        INSERT OR IGNORE INTO case_summary_dirty(case_id) VALUES (new.case_id);
    END""",
    """CREATE TRIGGER case_summary_md AFTER DELETE ON messages
    WHEN old.case_id IS NOT NULL BEGIN
        INSERT OR IGNORE INTO case_summary_dirty(case_id) VALUES (old.case_id);
    END""",
    """CREATE TRIGGER case_summary_mu AFTER UPDATE OF case_id, seen, date, case_suggested,
        has_attachments, snippet, subject ON messages
    WHEN old.case_id IS NOT new.case_id OR old.seen IS NOT new.seen OR old.date IS NOT new.date
        OR old.case_suggested IS NOT new.case_suggested
        OR old.has_attachments IS NOT new.has_attachments OR old.snippet IS NOT new.snippet
        OR old.subject IS NOT new.subject
    BEGIN
        INSERT OR IGNORE INTO case_summary_dirty(case_id)
            SELECT old.case_id WHERE old.case_id IS NOT NULL;
        INSERT OR IGNORE INTO case_summary_dirty(case_id)
            SELECT new.case_id WHERE new.case_id IS NOT NULL;
    END""",
]


def upgrade() -> None:
    op.create_table(
        "case_summaries",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=True),
        sa.Column("message_count", sa.Integer(), nullable=False),
        sa.Column("unread", sa.Integer(), nullable=False),
        sa.Column("has_attachments", sa.Boolean(), nullable=False),
        sa.Column("suggested", sa.Boolean(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("last_line", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_summaries_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_summaries")),
    )
    op.create_index("ix_case_summaries_last_at", "case_summaries", ["last_at"], unique=False)
    op.create_table(
        "case_summary_dirty",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_summary_dirty")),
    )
    op.create_index("ix_messages_case_date", "messages", ["case_id", "date"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for ddl in TRIGGERS:
            op.execute(ddl)
    # every existing case is summarised on the next read of the case list
    op.execute(
        "INSERT INTO case_summary_dirty(case_id) SELECT DISTINCT case_id FROM messages"
        " WHERE case_id IS NOT NULL"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("case_summary_mi", "case_summary_md", "case_summary_mu"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_messages_case_date", table_name="messages")
    op.drop_table("case_summary_dirty")
    op.drop_index("ix_case_summaries_last_at", table_name="case_summaries")
    op.drop_table("case_summaries")
