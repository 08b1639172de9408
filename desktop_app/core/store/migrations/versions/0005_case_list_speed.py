"""case list speed: covering indexes, case folders, summaries without text

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_DIRTY_OF_MESSAGE = (
    "INSERT OR IGNORE INTO case_summary_dirty(case_id) SELECT case_id FROM messages"
    " WHERE id = {row}.message_id AND case_id IS NOT NULL;"
)
# The triggers list the cases whose summary went stale; `store.case_summaries.refresh` rebuilds
# them. SQLite only (a shared PostgreSQL store would need them as plpgsql trigger functions).
TRIGGERS = {
    "case_summary_mi": """CREATE TRIGGER case_summary_mi AFTER INSERT ON messages
    WHEN new.case_id IS NOT NULL BEGIN
        INSERT OR IGNORE INTO case_summary_dirty(case_id) VALUES (new.case_id);
    END""",
    "case_summary_md": """CREATE TRIGGER case_summary_md AFTER DELETE ON messages
    WHEN old.case_id IS NOT NULL BEGIN
        INSERT OR IGNORE INTO case_summary_dirty(case_id) VALUES (old.case_id);
    END""",
    "case_summary_mu": """CREATE TRIGGER case_summary_mu
    AFTER UPDATE OF case_id, seen, date, case_suggested, has_attachments ON messages
    WHEN old.case_id IS NOT new.case_id OR old.seen IS NOT new.seen OR old.date IS NOT new.date
        OR old.case_suggested IS NOT new.case_suggested
        OR old.has_attachments IS NOT new.has_attachments
    BEGIN
        INSERT OR IGNORE INTO case_summary_dirty(case_id)
            SELECT old.case_id WHERE old.case_id IS NOT NULL;
        INSERT OR IGNORE INTO case_summary_dirty(case_id)
            SELECT new.case_id WHERE new.case_id IS NOT NULL;
    END""",
    "case_summary_li": f"""CREATE TRIGGER case_summary_li AFTER INSERT ON locations BEGIN
        {_DIRTY_OF_MESSAGE.format(row="new")}
    END""",
    "case_summary_ld": f"""CREATE TRIGGER case_summary_ld AFTER DELETE ON locations BEGIN
        {_DIRTY_OF_MESSAGE.format(row="old")}
    END""",
    "case_summary_lu": f"""CREATE TRIGGER case_summary_lu
    AFTER UPDATE OF gone_from_server, folder_id, message_id ON locations
    WHEN old.gone_from_server IS NOT new.gone_from_server OR old.folder_id IS NOT new.folder_id
        OR old.message_id IS NOT new.message_id
    BEGIN
        {_DIRTY_OF_MESSAGE.format(row="old")}
        {_DIRTY_OF_MESSAGE.format(row="new")}
    END""",
    "case_summary_oi": f"""CREATE TRIGGER case_summary_oi AFTER INSERT ON server_ops
    WHEN new.kind IN ('move', 'delete') BEGIN
        {_DIRTY_OF_MESSAGE.format(row="new")}
    END""",
    "case_summary_ou": f"""CREATE TRIGGER case_summary_ou AFTER UPDATE OF state ON server_ops
    WHEN new.kind IN ('move', 'delete') AND old.state IS NOT new.state BEGIN
        {_DIRTY_OF_MESSAGE.format(row="new")}
    END""",
    "case_summary_od": f"""CREATE TRIGGER case_summary_od AFTER DELETE ON server_ops
    WHEN old.kind IN ('move', 'delete') BEGIN
        {_DIRTY_OF_MESSAGE.format(row="old")}
    END""",
}
OLD_TRIGGERS = ("case_summary_mi", "case_summary_md", "case_summary_mu")


def _summaries(with_text: bool) -> None:
    columns: list[sa.Column[Any]] = [
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=True),
        sa.Column("message_count", sa.Integer(), nullable=False),
        sa.Column("unread", sa.Integer(), nullable=False),
        sa.Column("has_attachments", sa.Boolean(), nullable=False),
        sa.Column("suggested", sa.Boolean(), nullable=False),
    ]
    if with_text:
        columns += [
            sa.Column("subject", sa.Text(), nullable=False),
            sa.Column("last_line", sa.Text(), nullable=False),
        ]
    op.create_table(
        "case_summaries",
        *columns,
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_summaries_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_summaries")),
    )


def _mark_all_stale() -> None:
    op.execute("DELETE FROM case_summary_dirty")
    op.execute(
        "INSERT INTO case_summary_dirty(case_id) SELECT DISTINCT case_id FROM messages"
        " WHERE case_id IS NOT NULL"
    )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in OLD_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    # The summaries are a cache rebuilt from the messages: a new shape, made afresh.
    op.drop_index("ix_case_summaries_last_at", table_name="case_summaries")
    op.drop_table("case_summaries")
    _summaries(with_text=False)
    op.create_index(
        "ix_case_summaries_last_at", "case_summaries", ["last_at", "case_id"], unique=False
    )
    op.create_table(
        "case_folders",
        sa.Column("folder_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_folders_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["folder_id"],
            ["folders.id"],
            name=op.f("fk_case_folders_folder_id_folders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("folder_id", "case_id", name=op.f("pk_case_folders")),
    )
    op.create_index("ix_case_folders_case_id", "case_folders", ["case_id"], unique=False)
    op.drop_index("ix_messages_case_date", table_name="messages")
    op.create_index(
        "ix_messages_case_cover",
        "messages",
        ["case_id", "date", "seen", "has_attachments", "case_suggested"],
        unique=False,
    )
    op.create_index(
        "ix_messages_id_case",
        "messages",
        ["id", "case_id", "date", "has_attachments"],
        unique=False,
    )
    if sqlite:
        for ddl in TRIGGERS.values():
            op.execute(ddl)
    _mark_all_stale()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_messages_id_case", table_name="messages")
    op.drop_index("ix_messages_case_cover", table_name="messages")
    op.create_index("ix_messages_case_date", "messages", ["case_id", "date"], unique=False)
    op.drop_index("ix_case_folders_case_id", table_name="case_folders")
    op.drop_table("case_folders")
    op.drop_index("ix_case_summaries_last_at", table_name="case_summaries")
    op.drop_table("case_summaries")
    _summaries(with_text=True)
    op.create_index("ix_case_summaries_last_at", "case_summaries", ["last_at"], unique=False)
    if sqlite:
        import importlib.util
        from pathlib import Path

        path = Path(__file__).with_name("0004_case_summaries.py")
        spec = importlib.util.spec_from_file_location("shopdesk_migration_0004", path)
        assert spec is not None and spec.loader is not None
        previous = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(previous)
        for ddl in previous.TRIGGERS:
            op.execute(ddl)
    _mark_all_stale()
