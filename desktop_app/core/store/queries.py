"""Read-side queries returning plain frozen values: search, stats, export rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from desktop_app.core.store.models import (
    Account,
    Case,
    Customer,
    Folder,
    Location,
    Message,
    Order,
)


@dataclass(frozen=True, slots=True)
class MessageSummary:
    """A message as a list shows it."""

    id: int
    message_id: str | None
    subject: str
    from_name: str
    from_addr: str
    date: datetime | None
    snippet: str
    folders: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One message in one folder."""

    message_id: str | None
    account: str
    folder: str
    uid: int
    flags: tuple[str, ...]
    subject: str
    gone_from_server: bool
    intent: str | None = None  # a customer's message: why they wrote (replies/intents.py)


_TOKEN = re.compile(r"[\w@.+-]+\*?", re.UNICODE)


def fts_query(user_text: str) -> str:
    """User words to a safe FTS5 query: every word must match; a trailing * is a prefix."""
    terms = []
    for token in _TOKEN.findall(user_text):
        prefix = token.endswith("*")
        word = token.rstrip("*").replace('"', "")
        if word:
            terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms)


def search(session: Session, user_text: str, limit: int = 200) -> list[MessageSummary]:
    query = fts_query(user_text)
    if not query:
        return []
    ids = [
        row[0]
        for row in session.execute(
            text(
                "SELECT rowid FROM messages_fts WHERE messages_fts MATCH :q ORDER BY rank LIMIT :n"
            ),
            {"q": query, "n": limit},
        )
    ]
    return summaries(session, ids)


def summaries(session: Session, ids: list[int]) -> list[MessageSummary]:
    if not ids:
        return []
    folders: dict[int, list[str]] = {}
    for mid, name in session.execute(
        select(Location.message_id, Folder.name)
        .join(Folder, Folder.id == Location.folder_id)
        .where(Location.message_id.in_(ids))
    ):
        folders.setdefault(mid, []).append(name)
    rows = {m.id: m for m in session.scalars(select(Message).where(Message.id.in_(ids)))}
    return [
        MessageSummary(
            id=m.id,
            message_id=m.message_id,
            subject=m.subject,
            from_name=m.from_name,
            from_addr=m.from_addr,
            date=m.date,
            snippet=m.snippet,
            folders=tuple(sorted(set(folders.get(m.id, [])))),
        )
        for m in (rows[i] for i in ids if i in rows)
    ]


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One message in one folder, with the case it is shown in."""

    message_id: str | None
    folder: str
    case_id: int | None
    thread_id: int | None
    order: str | None
    suggested: bool
    rule: str | None


def case_rows(session: Session) -> Iterator[CaseRow]:
    query = (
        select(
            Message.message_id,
            Folder.name,
            Message.case_id,
            Message.thread_id,
            Case.order_number,
            Message.case_suggested,
            Message.case_rule,
        )
        .join(Location, Location.message_id == Message.id)
        .join(Folder, Folder.id == Location.folder_id)
        .outerjoin(Case, Case.id == Message.case_id)
        .order_by(Message.case_id, Message.date, Message.id, Folder.name)
    )
    for mid, folder, case_id, thread_id, order, suggested, rule in session.execute(
        query.execution_options(yield_per=2000)
    ):
        yield CaseRow(mid, folder, case_id, thread_id, order, bool(suggested), rule)


def stats(session: Session) -> dict[str, int]:
    def count(q: object) -> int:
        return int(session.scalar(q) or 0)  # type: ignore[call-overload]

    return {
        "accounts": count(select(func.count()).select_from(Account)),
        "folders": count(select(func.count()).select_from(Folder)),
        "messages": count(select(func.count()).select_from(Message)),
        "locations": count(select(func.count()).select_from(Location)),
        "parse_problems": count(
            select(func.count()).select_from(Message).where(Message.problems != "")
        ),
        "cases": count(select(func.count()).select_from(Case).where(Case.merged_into_id.is_(None))),
        "orders": count(select(func.count()).select_from(Order)),
        "customers": count(select(func.count()).select_from(Customer)),
        "gone_from_server": count(
            select(func.count()).select_from(Location).where(Location.gone_from_server.is_(True))
        ),
    }


def export_rows(session: Session, include_gone: bool = False) -> Iterator[ExportRow]:
    query = (
        select(
            Message.message_id,
            Account.name,
            Folder.name,
            Location.uid,
            Location.flags,
            Message.subject,
            Location.gone_from_server,
            Message.intent,
        )
        .join(Message, Message.id == Location.message_id)
        .join(Folder, Folder.id == Location.folder_id)
        .join(Account, Account.id == Location.account_id)
        .order_by(Account.name, Folder.name, Location.uid)
    )
    if not include_gone:
        query = query.where(Location.gone_from_server.is_(False))
    for mid, account, folder, uid, flags, subject, gone, intent in session.execute(
        query.execution_options(yield_per=1000)
    ):
        yield ExportRow(
            mid, account, folder, uid, tuple(flags.split()), subject, gone, intent or None
        )
