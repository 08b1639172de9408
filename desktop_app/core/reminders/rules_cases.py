"""Case rules: waiting on the customer, snooze ended, first-response goal missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from desktop_app.core.mail.quotes import split_reply
from desktop_app.core.reminders.clock import (
    add_working_hours,
    as_utc,
    local_days_later,
    naive,
)
from desktop_app.core.reminders.context import Context, Window, first_address, is_ours, is_person
from desktop_app.core.reminders.model import Reminder
from desktop_app.core.store.models import Case, Message

CHUNK = 500


@dataclass(frozen=True, slots=True)
class _Msg:
    id: int
    case_id: int
    date: datetime  # aware UTC
    ours: bool
    person: bool
    from_name: str
    from_addr: str
    to_addrs: str
    order_number: str | None

    @property
    def by_customer(self) -> bool:
        return not self.ours and self.person


def _case_messages(session: Session, ctx: Context, lo: datetime, hi: datetime) -> list[_Msg]:
    """Messages dated in [lo, hi] of open cases (not merged, done, trashed or snoozed at hi)."""
    rows = session.execute(
        select(
            Message.id,
            Message.case_id,
            Message.date,
            is_ours(ctx.own).label("ours"),
            Message.notice_kind,
            Message.from_name,
            Message.from_addr,
            Message.to_addrs,
            Case.order_number,
        )
        .join(Case, Case.id == Message.case_id)
        .where(
            Message.account_id.in_(ctx.accounts),  # lets SQLite use (account_id, date)
            Message.date >= naive(lo),
            Message.date <= naive(hi),
            Case.merged_into_id.is_(None),
            Case.status.not_in(("done", "trash")),
            or_(Case.snoozed_until.is_(None), Case.snoozed_until <= naive(hi)),
        )
        .order_by(Message.case_id, Message.date, Message.id)
    ).all()
    return [
        _Msg(r[0], r[1] or 0, as_utc(r[2] or lo), bool(r[3]), is_person(r[4]), *r[5:9])
        for r in rows
    ]


def _by_case(msgs: list[_Msg]) -> dict[int, list[_Msg]]:
    found: dict[int, list[_Msg]] = {}
    for m in msgs:
        found.setdefault(m.case_id, []).append(m)
    return found


def _asks(session: Session, ids: list[int]) -> set[int]:
    """The messages whose new text (quotes and signature left out) asks something."""
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        for mid, body in session.execute(
            select(Message.id, Message.body_text).where(Message.id.in_(ids[start : start + CHUNK]))
        ):
            if "?" in split_reply(body or "").new_text:
                found.add(mid)
    return found


def waiting(session: Session, ctx: Context, w: Window) -> list[Reminder]:
    """The merchant's last message asked something and the customer has not answered."""
    days = ctx.settings.waiting_days
    lo = w.start - timedelta(days=days + 1)  # a local day can be 25 hours long
    per_case = _by_case(_case_messages(session, ctx, lo, w.at))
    last_ours: dict[int, _Msg] = {}
    for case_id, msgs in per_case.items():
        mine = [m for m in msgs if m.ours]
        if not mine:
            continue
        last = mine[-1]
        if any(m.by_customer and m.date > last.date for m in msgs):
            continue  # the customer answered: cancelled
        last_ours[case_id] = last
    asking = _asks(session, [m.id for m in last_ours.values()])
    found = []
    for case_id, m in last_ours.items():
        due = local_days_later(m.date, days, ctx.tz)
        if m.id not in asking or not w.start <= due <= w.end:
            continue
        customer = next((c for c in per_case[case_id] if c.by_customer), None)
        email = customer.from_addr.lower() if customer else first_address(m.to_addrs)
        name = customer.from_name if customer and customer.from_name else email
        found.append(
            Reminder(
                key=f"waiting:case:{case_id}:{m.id}",
                rule="waiting",
                case_id=case_id,
                order_number=m.order_number,
                customer_email=email,
                customer_name=name,
                due_at=due,
                title=f"No answer from {name} for {days} days",
                template_key=None,
                detail=f"You asked on {m.date:%Y-%m-%d %H:%M} UTC; no reply since.",
            )
        )
    return found


def first_response(session: Session, ctx: Context, w: Window) -> list[Reminder]:
    """A customer's message still unanswered after the goal's working hours."""
    s = ctx.settings
    daily = max(s.work_end - s.work_start, 1) * max(len(s.work_days), 1) / 7
    lo = w.start - timedelta(days=s.first_response_hours / daily + 7)
    found = []
    for case_id, msgs in _by_case(_case_messages(session, ctx, lo, w.at)).items():
        ours = [i for i, m in enumerate(msgs) if m.ours]
        after = msgs[ours[-1] + 1 :] if ours else msgs
        waiting_msg = next((m for m in after if m.by_customer), None)
        if waiting_msg is None:
            continue
        due = add_working_hours(waiting_msg.date, s.first_response_hours, s)
        if not w.start <= due <= w.end:
            continue
        name = waiting_msg.from_name or waiting_msg.from_addr
        found.append(
            Reminder(
                key=f"first_response:case:{case_id}:{waiting_msg.id}",
                rule="first_response",
                case_id=case_id,
                order_number=waiting_msg.order_number,
                customer_email=waiting_msg.from_addr.lower(),
                customer_name=name,
                due_at=due,
                title=f"{name} has waited over {s.first_response_hours:g} working hours",
                template_key=None,
                detail=f"Unanswered since {waiting_msg.date:%Y-%m-%d %H:%M} UTC.",
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
