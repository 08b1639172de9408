"""The merchant's corrections: move a message, merge cases, split one out."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.cases import _case_for, _corrected, assign_new
from desktop_app.core.store.models import (
    Case,
    CaseCorrection,
    Message,
)
from desktop_app.core.threads.cases import (
    Decision,
)


def _message_by_key(session: Session, account_id: int, key: str) -> Message:
    row = session.scalar(
        select(Message).where(Message.account_id == account_id, Message.dedup_key == key)
    )
    if row is None:
        from desktop_app.core.errors import ConfigError

        raise ConfigError(f"There is no message {key} in this mailbox.")
    return row


def correct_move(session: Session, account_id: int, key: str, target: str) -> int:
    """Move a message: target "order:<n>", "with:<message key>" or "split:<message key>"."""
    message = _message_by_key(session, account_id, key)
    if target.startswith("with:"):
        other = _message_by_key(session, account_id, target[5:])
        if other.case_id is None:
            assign_new(session, account_id)
    session.add(
        CaseCorrection(
            account_id=account_id, kind="move", message_key=key, target=target, created_at=utcnow()
        )
    )
    decision = _corrected(Decision("", "manual"), target, session, account_id)
    case = _case_for(session, account_id, decision.anchor)
    message.case_id, message.case_rule, message.case_suggested = case.id, "manual", False
    return case.id


def correct_merge(session: Session, account_id: int, key: str, into_key: str) -> int:
    """Merge the case of message `key` into the case of message `into_key`."""
    source = _message_by_key(session, account_id, key)
    target = _message_by_key(session, account_id, into_key)
    if source.case_id is None or target.case_id is None:
        assign_new(session, account_id)
        session.refresh(source)
        session.refresh(target)
    session.add(
        CaseCorrection(
            account_id=account_id,
            kind="merge",
            message_key=key,
            target=f"with:{into_key}",
            created_at=utcnow(),
        )
    )
    if source.case_id != target.case_id:
        session.execute(
            update(Case).where(Case.id == source.case_id).values(merged_into_id=target.case_id)
        )
        session.execute(
            update(Message).where(Message.case_id == source.case_id).values(case_id=target.case_id)
        )
    assert target.case_id is not None
    return target.case_id


def correct_split(session: Session, account_id: int, keys: list[str]) -> int:
    """Take these messages out into a case of their own."""
    case_id = 0
    for key in keys:
        case_id = correct_move(session, account_id, key, f"split:{keys[0]}")
    return case_id


def account_of_message(session: Session, key: str) -> int:
    """The account holding a message (a mailbox before imported mail)."""
    from desktop_app.core.errors import ConfigError
    from desktop_app.core.store.models import Account

    row = session.execute(
        select(Message.account_id)
        .join(Account, Account.id == Message.account_id)
        .where(Message.dedup_key == key)
        .order_by((Account.kind != "imap"), Account.id)
        .limit(1)
    ).first()
    if row is None:
        raise ConfigError(f"There is no message {key}.")
    return int(row[0])
