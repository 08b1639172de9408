"""SQLAlchemy schema, sessions, queries, full-text search and migrations."""
