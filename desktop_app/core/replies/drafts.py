"""Drafts kept locally as the merchant types: saved, found again per case, discarded."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.errors import ConfigError
from desktop_app.core.replies.compose import ReplyDraft, start_reply
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.models import Account, Draft
from desktop_app.core.store.shop_settings import load as load_shop


def save_draft(session: Session, draft: ReplyDraft, draft_id: int | None) -> int:
    """Insert or update a draft row; returns its id."""
    row = session.get(Draft, draft_id) if draft_id is not None else None
    if row is None:
        row = Draft(account_id=draft.account_id)
        session.add(row)
    row.account_id = draft.account_id
    row.case_id = draft.case_id
    row.reply_to_id = draft.reply_to_id
    row.kind = draft.kind
    row.to_addrs = json.dumps(list(draft.to), ensure_ascii=False)
    row.cc_addrs = json.dumps(list(draft.cc), ensure_ascii=False)
    row.subject = draft.subject
    row.body = draft.body
    row.language = draft.language
    row.template_key = draft.template_key
    row.attachments = json.dumps([str(p) for p in draft.attachments], ensure_ascii=False)
    row.updated_at = utcnow()
    session.flush()
    return row.id


def _addresses(text: str) -> tuple[str, ...]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        value = [a.strip() for a in text.split(",")]
    return tuple(str(a) for a in value if a)


def load_draft(session: Session, row: Draft) -> ReplyDraft:
    """The draft as the composer had it; threading headers come again from the message answered."""
    if row.reply_to_id is not None and row.kind in ("reply", "reply_all", "forward"):
        base = start_reply(session, row.reply_to_id, row.kind)
    else:
        account = session.get(Account, row.account_id)
        if account is None:
            raise ConfigError(f"The account of draft {row.id} no longer exists.")
        base = ReplyDraft(
            kind=row.kind,
            account_id=row.account_id,
            case_id=row.case_id,
            reply_to_id=None,
            from_addr=account.email,
            from_name=load_shop(session).name or account.name,
            to=(),
        )
    return dataclasses.replace(
        base,
        case_id=row.case_id,
        to=_addresses(row.to_addrs),
        cc=_addresses(row.cc_addrs),
        subject=row.subject,
        body=row.body,
        language=row.language,
        template_key=row.template_key,
        attachments=tuple(Path(p) for p in json.loads(row.attachments or "[]")),
    )


def draft_for_case(session: Session, case_id: int) -> tuple[int, ReplyDraft] | None:
    """The case's latest draft, or None."""
    row = session.scalar(
        select(Draft).where(Draft.case_id == case_id).order_by(Draft.updated_at.desc()).limit(1)
    )
    return None if row is None else (row.id, load_draft(session, row))


def discard_draft(session: Session, draft_id: int) -> None:
    row = session.get(Draft, draft_id)
    if row is not None:
        session.delete(row)
