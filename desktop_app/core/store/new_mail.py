"""What follows new mail, in one place: its case, reopened cases, language and intent, summaries."""

from __future__ import annotations

from desktop_app.core.store import annotate, case_summaries, cases
from desktop_app.core.store.db import Store
from desktop_app.core.store.reopen import reopen_on_customer_reply


def settle_new_mail(store: Store) -> int:
    """After a sync or an import: group the new messages (returns how many), bring back the
    cases a customer answered, annotate the new customer mail, refresh the case list."""
    count = cases.assign_pending(store)
    with store.session() as s:
        reopen_on_customer_reply(s)
    with store.session() as s:
        annotate.annotate_pending(s, new_only=True)
    case_summaries.refresh_store(store)
    return count
