"""Case rules: waiting on the customer, snooze ended, first-response goal missed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import String, and_, or_, select, type_coerce
from sqlalchemy.orm import Session

from desktop_app.core.mail.quotes import split_reply
from desktop_app.core.reminders.clock import (
    add_working_hours,
    as_utc,
    local_days_later,
    naive,
    working_hours_before,
)
from desktop_app.core.reminders.context import Context, Window, first_address, is_person
from desktop_app.core.reminders.model import Reminder
from desktop_app.core.store.case_list import is_ours
from desktop_app.core.store.models import Case, Message

CHUNK = 500
QUESTION_MARKS = ("?", "\u055e", "\uff1f", "\u061f")  # Latin, Armenian, full-width, Arabic


class _Msg(NamedTuple):  # thousands per call: a tuple is quick to make, sorts by date
    date: datetime  # aware UTC
    id: int
    case_id: int
    ours: bool
    by_customer: bool


@dataclass(frozen=True, slots=True)
class _Who:
    from_name: str
    from_addr: str
    to_addrs: str


def _lo(ctx: Context, w: Window) -> datetime:
    """How far back the case rules read messages: a reminder due at `w.start` began there."""
    s = ctx.settings
    # The goal's working days, spread over the week, plus the days off and a night around.
    work_days = math.ceil(s.first_response_hours / max(s.work_end - s.work_start, 1))
    days = work_days * 7 / max(len(s.work_days), 1) + 8 - len(s.work_days)
    return w.start - max(timedelta(days=s.waiting_days + 1), timedelta(days=days))


def _by_case(session: Session, ctx: Context, w: Window) -> dict[int, list[_Msg]]:
    """The messages dated from `_lo` to `w.at` of each live case (not merged, done, trashed or
    snoozed at `w.at`), oldest first; read once per window for both case rules.

    Reads the covering index `ix_messages_reminders`, never the rows: a row's body is large.
    """
    memo = ctx.memo.get(("by_case", w))
    if memo is not None:
        return memo  # type: ignore[no-any-return]
    rows = (
        session.connection()
        .execute(  # Core, not ORM: no per-row ORM overhead
            select(
                Message.id,
                Message.case_id,
                type_coerce(Message.date, String),  # parsed below, ten times faster
                is_ours(ctx.own).label("ours"),
                Message.notice_kind,
                Case.order_number,
            )
            .join(Case, Case.id == Message.case_id)
            .where(
                Message.account_id.in_(ctx.accounts),
                Message.date >= naive(_lo(ctx, w)),
                Message.date <= naive(w.at),
                Case.merged_into_id.is_(None),
                Case.status.not_in(("done", "trash")),
                or_(Case.snoozed_until.is_(None), Case.snoozed_until <= naive(w.at)),
            )
        )
        .all()
    )
    found: dict[int, list[_Msg]] = {}
    orders: dict[int, str | None] = {}
    for mid, case_id, date, ours, kind, order_number in rows:
        if case_id is None:
            continue
        when = datetime.fromisoformat(date).replace(tzinfo=UTC)
        found.setdefault(case_id, []).append(
            _Msg(when, mid, case_id, bool(ours), not ours and is_person(kind))
        )
        orders[case_id] = order_number
    for msgs in found.values():
        msgs.sort()  # by date, then id
    ctx.memo[("by_case", w)] = found
    ctx.memo["orders"] = orders
    return found


def _order_numbers(ctx: Context) -> dict[int, str | None]:
    return ctx.memo["orders"]  # type: ignore[no-any-return]


def _who(session: Session, ids: list[int]) -> dict[int, _Who]:
    found: dict[int, _Who] = {}
    for start in range(0, len(ids), CHUNK):
        for mid, name, addr, to in session.connection().execute(
            select(Message.id, Message.from_name, Message.from_addr, Message.to_addrs).where(
                Message.id.in_(ids[start : start + CHUNK])
            )
        ):
            found[mid] = _Who(name, addr, to)
    return found


def _asks(session: Session, ids: list[int]) -> set[int]:
    """The messages whose new text (quotes and signature left out) asks something."""
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        for mid, body in session.connection().execute(
            select(Message.id, Message.body_text).where(
                Message.id.in_(ids[start : start + CHUNK]),
                # No question mark at all: no need to split the text.
                or_(*(Message.body_text.contains(q) for q in QUESTION_MARKS)),
            )
        ):
            new_text = split_reply(body or "").new_text
            if any(q in new_text for q in QUESTION_MARKS):
                found.add(mid)
    return found


def waiting(session: Session, ctx: Context, w: Window) -> list[Reminder]:
    """The merchant's last message asked something and the customer has not answered."""
    days = ctx.settings.waiting_days
    per_case = _by_case(session, ctx, w)
    # Cheap bounds first (a local day is 23 to 25 hours long), the exact local time after.
    lo, hi = w.start - timedelta(days=days, hours=2), w.end - timedelta(days=days, hours=-2)
    last_ours: dict[int, _Msg] = {}
    for case_id, msgs in per_case.items():
        last = next((m for m in reversed(msgs) if m.ours), None)
        if last is None or not lo <= last.date <= hi:
            continue
        if msgs[-1] is not last and any(m.by_customer and m.date > last.date for m in msgs):
            continue  # the customer answered: cancelled
        if w.start <= local_days_later(last.date, days, ctx.tz) <= w.end:
            last_ours[case_id] = last
    live = _order_numbers(ctx)
    asking = _asks(session, [m.id for c, m in last_ours.items() if c in live])
    kept = {c: m for c, m in last_ours.items() if c in live and m.id in asking}
    first = {c: next((m for m in per_case[c] if m.by_customer), None) for c in kept}
    who = _who(session, [m.id for m in kept.values()] + [m.id for m in first.values() if m])
    found = []
    for case_id, m in kept.items():
        customer = first[case_id]
        if customer is not None:
            email = who[customer.id].from_addr.lower()
            name = who[customer.id].from_name or email
        else:
            name, email = first_address(who[m.id].to_addrs)
            name = name or email
        found.append(
            Reminder(
                key=f"waiting:case:{case_id}:{m.id}",
                rule="waiting",
                case_id=case_id,
                order_number=live[case_id],
                customer_email=email,
                customer_name=name,
                due_at=local_days_later(m.date, days, ctx.tz),
                title=f"No answer from {name} for {days} days",
                template_key=None,
                detail=f"You asked on {m.date:%Y-%m-%d %H:%M} UTC; no reply since.",
            )
        )
    return found


def first_response(session: Session, ctx: Context, w: Window) -> list[Reminder]:
    """A customer's message still unanswered after the goal's working hours."""
    s = ctx.settings
    # Cheap bounds first: the goal ends by w.end only for messages up to `latest`; the
    # longest stretch without working time is the days off plus two nights.
    latest = working_hours_before(w.end, s.first_response_hours, s)
    off = timedelta(days=9 - len(s.work_days))
    earliest = working_hours_before(w.start, s.first_response_hours, s) - off
    waiting: dict[int, tuple[_Msg, datetime]] = {}
    for case_id, msgs in _by_case(session, ctx, w).items():
        waiting_msg = None  # the customer's first message since our last one
        for m in reversed(msgs):
            if m.ours:
                break
            if m.by_customer:
                waiting_msg = m
        if waiting_msg is None or not earliest <= waiting_msg.date <= latest:
            continue
        due = add_working_hours(waiting_msg.date, s.first_response_hours, s)
        if w.start <= due <= w.end:
            waiting[case_id] = waiting_msg, due
    live = {c: _order_numbers(ctx)[c] for c in waiting}
    who = _who(session, [waiting[c][0].id for c in live])
    found = []
    for case_id, order_number in live.items():
        m, due = waiting[case_id]
        name = who[m.id].from_name or who[m.id].from_addr
        found.append(
            Reminder(
                key=f"first_response:case:{case_id}:{m.id}",
                rule="first_response",
                case_id=case_id,
                order_number=order_number,
                customer_email=who[m.id].from_addr.lower(),
                customer_name=name,
                due_at=due,
                title=f"{name} has waited over {s.first_response_hours:g} working hours",
                template_key=None,
                detail=f"Unanswered since {m.date:%Y-%m-%d %H:%M} UTC.",
            )
        )
    return found


def snoozed(session: Session, ctx: Context, w: Window) -> list[Reminder]:
    """A snoozed case whose time has come."""
    rows = session.execute(
        select(Case.id, Case.snoozed_until, Case.order_number).where(
            and_(
                Case.snoozed_until >= naive(w.start),
                Case.snoozed_until <= naive(w.end),
                Case.merged_into_id.is_(None),
                Case.status != "trash",
            )
        )
    ).all()
    people = _customers_of(session, [r[0] for r in rows])
    found = []
    for case_id, until, order_number in rows:
        due = as_utc(until or w.start)
        email, name = people.get(case_id, ("", ""))
        found.append(
            Reminder(
                key=f"snooze:case:{case_id}:{due:%Y%m%dT%H%M}",
                rule="snooze",
                case_id=case_id,
                order_number=order_number,
                customer_email=email,
                customer_name=name or email,
                due_at=due,
                title=f"Snoozed case is back: {name or email or f'case {case_id}'}",
                template_key=None,
                detail=f"Snoozed until {due:%Y-%m-%d %H:%M} UTC.",
            )
        )
    return found


def _customers_of(session: Session, case_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each case's first sender (address, name); the customer in most cases."""
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(case_ids), CHUNK):
        for case_id, addr, name in session.execute(
            select(Message.case_id, Message.from_addr, Message.from_name)
            .where(Message.case_id.in_(case_ids[start : start + CHUNK]))
            .order_by(Message.case_id, Message.date.desc())
        ):
            found[case_id or 0] = (addr.lower(), name)
    return found
