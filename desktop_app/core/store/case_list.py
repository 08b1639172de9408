"""The case list: queues and their counts, and a queue's case ids newest first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    distinct,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session

from desktop_app.core.errors import ConfigError
from desktop_app.core.store.case_summaries import naive_utc
from desktop_app.core.store.models import (
    Account,
    Case,
    CaseFolder,
    CaseSummary,
    CaseTag,
    Folder,
    Location,
    Message,
)
from desktop_app.core.views import Queue

CHUNK = 500
FIXED_LABELS = {
    "open": "Open",
    "waiting": "Waiting on customer",
    "snoozed": "Snoozed",
    "done": "Done",
    "all": "All",
    "trash": "Trash",
}
# Platform notices that are not a person writing (a relayed marketplace "message" is one).
NOTICE_KINDS_NOT_CUSTOMER = (
    "order_placed",
    "shipped",
    "delivered",
    "cancelled",
    "refunded",
    "other",
    "bulk",
)  # every platform notice kind but "message" (a buyer writing through a marketplace)
def in_sent() -> ColumnElement[bool]:
    """The message has a copy in a Sent folder: it is the merchant's, whatever its From."""
    return exists().where(
        Location.message_id == Message.id,
        Location.folder_id == Folder.id,
        Folder.role == "sent",
    )


def is_ours(own: frozenset[str]) -> ColumnElement[bool]:
    """The merchant wrote it: from one of the shop's addresses, or filed in Sent."""
    return or_(func.lower(Message.from_addr).in_(own), in_sent())


ROLE_ORDER = {"inbox": 0, "sent": 2, "drafts": 3, "archive": 4, "junk": 5, "trash": 6}


# -- queues ------------------------------------------------------------------------------------
def _listed() -> Select[Any]:
    """Cases the list shows: not merged into another, with at least one message."""
    return (
        select(Case.id)
        .join(CaseSummary, CaseSummary.case_id == Case.id)
        .where(Case.merged_into_id.is_(None))
    )


def _snoozed(now: datetime) -> ColumnElement[bool]:
    return and_(Case.snoozed_until.is_not(None), Case.snoozed_until > now)


def _awake(now: datetime) -> ColumnElement[bool]:
    return or_(Case.snoozed_until.is_(None), Case.snoozed_until <= now)


def queue_condition(queue: str, now: datetime) -> ColumnElement[bool]:
    """Which cases belong to the queue named `queue` (see `desktop_app.core.views`)."""
    now = naive_utc(now)
    if queue in ("open", "waiting"):
        return and_(Case.status == queue, _awake(now))
    if queue == "snoozed":
        return and_(_snoozed(now), Case.status != "trash")
    if queue == "done":
        return Case.status == "done"
    if queue in ("all", "search"):
        return Case.status != "trash"
    if queue == "trash":
        return Case.status == "trash"
    if queue.startswith("tag:") and queue[4:]:
        tagged = exists().where(CaseTag.case_id == Case.id, CaseTag.tag == queue[4:])
        return and_(tagged, Case.status != "trash")
    if queue.startswith("folder:") and queue[7:].isdigit():
        in_folder = select(CaseFolder.case_id).where(CaseFolder.folder_id == int(queue[7:]))
        return Case.id.in_(in_folder)
    raise ConfigError(f"There is no queue named {queue!r}.")


def queues(session: Session, now: datetime) -> list[Queue]:
    """Fixed queues, then one per tag (by name), then one per server folder."""
    now = naive_utc(now)
    snoozed = case((_snoozed(now), 1), else_=0)
    has_unread = case((CaseSummary.unread > 0, 1), else_=0)
    counts: dict[str, list[int]] = {key: [0, 0] for key in FIXED_LABELS}

    def add(key: str, n: int, unread: int) -> None:
        counts[key][0] += n
        counts[key][1] += unread

    for status, is_snoozed, n, unread in session.connection().execute(
        select(Case.status, snoozed, func.count(), func.sum(has_unread))
        .join(CaseSummary, CaseSummary.case_id == Case.id)
        .where(Case.merged_into_id.is_(None))
        .group_by(Case.status, snoozed)
    ):
        unread = int(unread or 0)
        if status == "trash":
            add("trash", n, unread)
            continue
        add("all", n, unread)
        if is_snoozed:
            add("snoozed", n, unread)
        if status in ("open", "waiting") and not is_snoozed:
            add(status, n, unread)
        if status == "done":
            add("done", n, unread)
    out = [Queue(k, FIXED_LABELS[k], c[0], c[1]) for k, c in counts.items() if k != "trash"]
    out += _tag_queues(session, has_unread)
    out += _folder_queues(session, has_unread)
    out.append(Queue("trash", FIXED_LABELS["trash"], counts["trash"][0], counts["trash"][1]))
    return out


def _tag_queues(session: Session, has_unread: Any) -> list[Queue]:
    rows = session.connection().execute(
        select(CaseTag.tag, func.count(distinct(Case.id)), func.sum(has_unread))
        .join(Case, Case.id == CaseTag.case_id)
        .join(CaseSummary, CaseSummary.case_id == Case.id)
        .where(Case.merged_into_id.is_(None), Case.status != "trash")
        .group_by(CaseTag.tag)
        .order_by(func.lower(CaseTag.tag), CaseTag.tag)
    )
    return [Queue(f"tag:{tag}", tag, n, int(unread or 0)) for tag, n, unread in rows]


def _folder_queues(session: Session, has_unread: Any) -> list[Queue]:
    counts = {
        folder_id: (n, int(unread or 0))
        for folder_id, n, unread in session.connection().execute(
            select(CaseFolder.folder_id, func.count(), func.sum(has_unread))
            .join(Case, Case.id == CaseFolder.case_id)
            .join(CaseSummary, CaseSummary.case_id == Case.id)
            .where(Case.merged_into_id.is_(None))
            .group_by(CaseFolder.folder_id)
        )
    }
    folders = list(
        session.connection().execute(
            select(Folder.id, Folder.name, Folder.role, Account.name, Account.id)
            .join(Account, Account.id == Folder.account_id)
            .where(Folder.gone_from_server.is_(False))
        ).all()
    )
    several = len({f[4] for f in folders}) > 1
    folders.sort(key=lambda f: (f[4], ROLE_ORDER.get(f[2] or "", 1), f[1].lower()))
    return [
        Queue(
            f"folder:{fid}",
            f"{account} / {name}" if several else name,
            *counts.get(fid, (0, 0)),
            role,
        )
        for fid, name, role, account, _aid in folders
    ]


# -- case ids ----------------------------------------------------------------------------------
def case_ids(
    session: Session, queue: str, now: datetime, where: Sequence[ColumnElement[bool]] = ()
) -> list[int]:
    """The ids of a queue's cases that also meet `where`, newest activity first."""
    newest: Any = CaseSummary.last_at
    if session.get_bind().dialect.name == "sqlite":
        # "+" keeps SQLite from walking the whole last_at index to skip a sort: sorting the
        # few cases a queue or a search leaves is faster than filtering all of them in order
        newest = literal_column("+case_summaries.last_at")
    query = (
        _listed()
        .where(queue_condition(queue, now), *where)
        .order_by(newest.desc(), CaseSummary.case_id.desc())
    )
    return list(session.connection().execute(query).scalars())


def unread_condition(unread: bool) -> ColumnElement[bool]:
    return CaseSummary.unread > 0 if unread else CaseSummary.unread == 0
