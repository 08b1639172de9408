"""What follows new mail, in one place: its case, reopened cases, language and intent, summaries."""

from __future__ import annotations

from desktop_app.core.store import annotate, case_summaries, cases
from desktop_app.core.store.analysis import load_shop
from desktop_app.core.store.db import Store
from desktop_app.core.store.reopen import reopen_on_customer_reply


def settle_new_mail(store: Store) -> int:
    """After a sync or an import: group the new messages (returns how many), bring back the
    cases a customer answered, annotate the new customer mail, refresh the case list."""
    with store.session() as s:  # one transaction: all of it or, after a crash, none
        shop = load_shop(s)
        count = cases.assign_pending_in(s, shop)
        reopen_on_customer_reply(s, own=shop[1])
        annotate.annotate_pending(s, new_only=True, own=shop[1])
        case_summaries.refresh(s)  # the case list's summaries, in the same transaction
    return count
