"""triage and server ops

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("case_notes", "account_id", "accounts"),
        _fk("case_notes", "case_id", "cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    op.create_index(op.f("ix_case_notes_case_id"), "case_notes", ["case_id"], unique=False)

    op.create_table(
        "case_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        _fk("case_tags", "account_id", "accounts"),
        _fk("case_tags", "case_id", "cases"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_tags")),
        sa.UniqueConstraint("case_id", "tag", name=op.f("uq_case_tags_case_id")),
    )
    op.create_index("ix_case_tags_tag", "case_tags", ["tag"], unique=False)

    op.create_table(
        "server_ops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("undo_group", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        _fk("server_ops", "account_id", "accounts"),
        _fk("server_ops", "location_id", "locations", ondelete="SET NULL"),
        _fk("server_ops", "message_id", "messages"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_ops")),
    )
    op.create_index(op.f("ix_server_ops_message_id"), "server_ops", ["message_id"], unique=False)
    op.create_index("ix_server_ops_pending", "server_ops", ["account_id", "state", "id"])
    op.create_index(op.f("ix_server_ops_undo_group"), "server_ops", ["undo_group"], unique=False)

    # Plain ADD COLUMN (no table rebuild): instant on a store of any size.
    op.add_column("cases", sa.Column("snoozed_until", sa.DateTime(), nullable=True))
    op.add_column(
        "cases", sa.Column("starred", sa.Boolean(), server_default="0", nullable=False)
    )
    op.add_column("cases", sa.Column("touched_at", sa.DateTime(), nullable=True))
    op.add_column("cases", sa.Column("status_changed_at", sa.DateTime(), nullable=True))
    op.add_column("messages", sa.Column("seen", sa.Boolean(), server_default="0", nullable=False))
    op.add_column(
        "messages", sa.Column("flagged", sa.Boolean(), server_default="0", nullable=False)
    )
    # Read and starred as the server's flags say; mail imported from files counts as read.
    op.execute(
        "UPDATE messages SET seen = 1 WHERE id IN (SELECT message_id FROM locations"
        " WHERE flags LIKE '%\\Seen%' AND NOT gone_from_server)"
        " OR account_id IN (SELECT id FROM accounts WHERE kind != 'imap')"
    )
    op.execute(
        "UPDATE messages SET flagged = 1 WHERE id IN (SELECT message_id FROM locations"
        " WHERE flags LIKE '%\\Flagged%' AND NOT gone_from_server)"
    )


def downgrade() -> None:
    for table, column in (
        ("messages", "flagged"),
        ("messages", "seen"),
        ("cases", "status_changed_at"),
        ("cases", "touched_at"),
        ("cases", "starred"),
        ("cases", "snoozed_until"),
    ):
        op.drop_column(table, column)
    op.drop_table("server_ops")
    op.drop_table("case_tags")
    op.drop_table("case_notes")
