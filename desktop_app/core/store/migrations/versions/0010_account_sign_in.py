"""account sign-in method: password or OAuth 2.0 (the tokens stay in the keyring)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild); existing mailboxes sign in with a password.
    op.add_column(
        "accounts",
        sa.Column(
            "auth_method", sa.String(length=20), server_default="password", nullable=False
        ),
    )
    op.add_column("accounts", sa.Column("oauth_provider", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("accounts", "oauth_provider")
    op.drop_column("accounts", "auth_method")
