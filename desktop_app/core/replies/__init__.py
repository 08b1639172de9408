"""Replies: templates in the customer's language, the composer's drafts, the outbox, suggestions."""
