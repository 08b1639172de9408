"""Alembic environment: runs migrations on the connection handed over by the store."""

from __future__ import annotations

from alembic import context

from desktop_app.core.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when run by the alembic command line
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
)
# migrate.upgrade() hands over a connection already in its BEGIN IMMEDIATE transaction: Alembic
# then neither begins nor commits one here, so every step commits (or rolls back) together.
with context.begin_transaction():
    context.run_migrations()
