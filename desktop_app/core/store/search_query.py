"""The search box's language, parsed, and turned into conditions on cases.

Free words and "quoted phrases" go to the full-text index (every one must match; a trailing
``*`` makes a prefix). Operators:

* message-level (one message of the case must meet all of them together): ``from:`` (the
  sender's address or name contains the text, starting at a word: ``from:jane``,
  ``from:gmail.com``, ``from:"Jane Doe"``), ``to:`` (the same for To and Cc),
  ``has:attachment``, ``before:YYYY-MM-DD`` (sent before that day), ``after:YYYY-MM-DD``
  (sent on that day or later), and the words;
* case-level: ``order:1042`` (``#1042``, leading zeros and PrestaShop references too; several
  ``order:`` terms mean any of them), ``is:unread`` / ``is:read``, ``is:starred`` /
  ``is:unstarred``, ``status:open|waiting|done|trash`` (several mean any of them), ``tag:``
  (every one given).

Values may be quoted (``from:"Jane Doe"``). An unknown ``foo:bar`` (or ``is:``/``has:`` with an
unknown value) is searched as words. A date that cannot be read, or an unknown status, raises
`ConfigError` with one plain sentence naming it; nothing else raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, literal_column, or_, select, table, text
from sqlalchemy.orm import Session

from desktop_app.core.errors import ConfigError
from desktop_app.core.store.case_list import unread_condition
from desktop_app.core.store.models import Case, CaseTag, Message, OrderAlias
from desktop_app.core.store.queries import fts_query
from desktop_app.core.threads.cases import canonical

STATUSES = ("open", "waiting", "done", "trash")
_TERM = re.compile(r'\s*(?:([A-Za-z]+):)?("(?:[^"]*)"?|\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)  # what the unicode61 tokenizer keeps, roughly
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed search; empty tuples and None mean "not asked for"."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    from_: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    unread: bool | None = None
    starred: bool | None = None
    has_attachment: bool = False
    before: date | None = None
    after: date | None = None
    ignored: tuple[str, ...] = field(default=())  # operators given with nothing after them

    @property
    def empty(self) -> bool:
        return self == SearchQuery()


def _date(op: str, value: str) -> date:
    m = _DATE.fullmatch(value.strip())
    try:
        if m is None:
            raise ValueError
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ConfigError(
            f"{op}:{value} is not a date Shopdesk can read: write it as YYYY-MM-DD "
            f"(for example {op}:2024-03-31)."
        ) from None


def parse(query: str) -> SearchQuery:
    """Read the search box's text (see the module's docstring)."""
    words: list[str] = []
    phrases: list[str] = []
    lists: dict[str, list[str]] = {k: [] for k in ("from", "to", "order", "tag", "status")}
    flags: dict[str, bool | None] = {"unread": None, "starred": None}
    has_attachment = False
    before = after = None
    ignored: list[str] = []
    for m in _TERM.finditer(query):
        op, raw = (m[1] or "").lower(), m[2]
        quoted = raw.startswith('"')
        value = raw.strip('"').strip() if quoted else raw
        if not op:
            (phrases if quoted and " " in value else words).append(value)
            continue
        if not value:
            ignored.append(op)
            continue
        low = value.lower()
        if op in ("from", "to", "order", "tag"):
            lists[op].append(value)
        elif op == "status":
            if low not in STATUSES:
                raise ConfigError(
                    f"status:{value} is not a status: use status:open, status:waiting, "
                    "status:done or status:trash."
                )
            lists["status"].append(low)
        elif op == "is" and low in ("unread", "read"):
            flags["unread"] = low == "unread"
        elif op == "is" and low in ("starred", "unstarred", "flagged"):
            flags["starred"] = low != "unstarred"
        elif op == "has" and low in ("attachment", "attachments"):
            has_attachment = True
        elif op == "before":
            before = _date(op, value)
        elif op == "after":
            after = _date(op, value)
        else:  # an unknown operator: its text is searched as words
            words.append(f"{m[1]}:{value}")
    return SearchQuery(
        words=tuple(words),
        phrases=tuple(phrases),
        from_=tuple(lists["from"]),
        to=tuple(lists["to"]),
        orders=tuple(lists["order"]),
        tags=tuple(lists["tag"]),
        statuses=tuple(dict.fromkeys(lists["status"])),
        unread=flags["unread"],
        starred=flags["starred"],
        has_attachment=has_attachment,
        before=before,
        after=after,
        ignored=tuple(ignored),
    )


def _tokens(value: str) -> list[str]:
    return [t for t in _WORD.findall(value.lower()) if t]


def full_text(q: SearchQuery) -> str:
    """The FTS5 query for the words and phrases ("" when there are none)."""
    parts = [fts_query(" ".join(q.words))] if q.words else []
    for phrase in q.phrases:
        tokens = fts_query(phrase).replace('"', "").split()
        if tokens:
            parts.append('"' + " ".join(tokens) + '"')
    return " ".join(p for p in parts if p)


def address_filter(q: SearchQuery) -> str:
    """FTS5 terms narrowing `from:` and `to:` to messages naming those words (as a prefix)
    among their addresses; the exact check follows on the narrowed rows."""
    parts = []
    for value in (*q.from_, *q.to):
        tokens = _tokens(value)
        if tokens:
            parts.append('addresses : "' + " ".join(tokens) + '"*')
    return " ".join(parts)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def message_conditions(q: SearchQuery) -> list[ColumnElement[bool]]:
    """What one message must meet (SQLite: the words go through the FTS5 index)."""
    conds: list[ColumnElement[bool]] = []
    fts = " ".join(p for p in (full_text(q), address_filter(q)) if p)
    if fts:
        matching: Select[Any] = (
            select(literal_column("rowid"))
            .select_from(table("messages_fts"))
            .where(text("messages_fts MATCH :fts").bindparams(fts=fts))
        )
        conds.append(Message.id.in_(matching))
    for value in q.from_:
        conds.append(
            or_(
                Message.from_addr.contains(value, autoescape=True),
                Message.from_name.contains(value, autoescape=True),
            )
        )
    for value in q.to:
        conds.append(
            or_(
                Message.to_addrs.contains(value, autoescape=True),
                Message.cc_addrs.contains(value, autoescape=True),
            )
        )
    if q.has_attachment:
        conds.append(Message.has_attachments.is_(True))
    if q.before is not None:
        conds.append(Message.date < _midnight(q.before))
    if q.after is not None:
        conds.append(Message.date >= _midnight(q.after))
    return conds


def _order_names(value: str) -> set[str]:
    value = value.strip().lstrip("#").strip()
    return {canonical(value), value} if value else set()


def conditions(session: Session, q: SearchQuery) -> list[ColumnElement[bool]]:
    """Conditions on `Case` (joined with `CaseSummary`) for `case_list.case_ids`."""
    del session  # every look-up is a subquery; kept for conditions that may need one
    out: list[ColumnElement[bool]] = []
    per_message = message_conditions(q)
    if per_message:
        out.append(
            Case.id.in_(select(Message.case_id).where(Message.case_id.is_not(None), *per_message))
        )
    if q.orders:
        names = set().union(*(_order_names(v) for v in q.orders))
        aliased = select(OrderAlias.order_number).where(OrderAlias.alias.in_(sorted(names)))
        out.append(or_(Case.order_number.in_(sorted(names)), Case.order_number.in_(aliased)))
    if q.statuses:
        out.append(Case.status.in_(q.statuses))
    if q.unread is not None:
        out.append(unread_condition(q.unread))
    if q.starred is not None:
        out.append(Case.starred.is_(q.starred))
    for tag in q.tags:
        out.append(exists().where(CaseTag.case_id == Case.id, CaseTag.tag == tag))
    return out


__all__ = ["SearchQuery", "conditions", "full_text", "message_conditions", "parse"]
