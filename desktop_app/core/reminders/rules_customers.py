"""Customer rules: birthdays and customer anniversaries, and the customer CSV they come from."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.core.errors import ConfigError
from desktop_app.core.reminders.clock import as_utc, at_local
from desktop_app.core.reminders.context import Context, Window
from desktop_app.core.reminders.model import Reminder
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.models import Customer
from desktop_app.core.threads.orders_csv import csv_delimiter, decode_csv


def occurrence(month_day: str, year: int) -> date | None:
    """The day a "MM-DD" falls on in `year`; Feb 29 is kept on Feb 28 in common years."""
    try:
        month, day = (int(x) for x in month_day.split("-"))
        return date(year, month, day)
    except ValueError:
        if month_day == "02-29":
            return date(year, 2, 28)
        return None


def _days(w: Window, ctx: Context) -> dict[str, list[date]]:
    """The local days the window touches, by "MM-DD" ("02-29" too when Feb 28 is there)."""
    first = as_utc(w.start).astimezone(ctx.tz).date() - timedelta(days=1)
    last = as_utc(w.end).astimezone(ctx.tz).date() + timedelta(days=1)
    found: dict[str, list[date]] = {}
    day = first
    while day <= last:
        found.setdefault(f"{day:%m-%d}", []).append(day)
        if day.month == 2 and day.day == 28 and not _leap(day.year):
            found.setdefault("02-29", []).append(day)
        day += timedelta(days=1)
    return found


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def birthdays(session: Session, ctx: Context, w: Window) -> list[Reminder]:
    """Birthdays and anniversaries at the greeting hour, shop time, on the day."""
    s = ctx.settings
    days = _days(w, ctx)
    found: list[Reminder] = []
    if s.birthday_on:
        for email, name, bday in session.execute(
            select(Customer.email, Customer.name, Customer.birthday).where(
                Customer.birthday.in_(days)
            )
        ):
            for day in days[bday or ""]:
                due = at_local(day, s.greeting_hour, ctx.tz)
                if w.start <= due <= w.end:
                    found.append(_greeting("birthday", email, name, day, due, "birthday"))
    if s.anniversary_on:
        since_md = func.strftime("%m-%d", Customer.since)
        for email, name, since in session.execute(
            select(Customer.email, Customer.name, Customer.since).where(
                Customer.since.is_not(None), since_md.in_(days)
            )
        ):
            if since is None:
                continue
            for day in days[f"{since:%m-%d}"]:
                years = day.year - since.year
                due = at_local(day, s.greeting_hour, ctx.tz)
                if years >= 1 and w.start <= due <= w.end:
                    what = f"{years} year{'s' if years > 1 else ''} as a customer"
                    found.append(_greeting("anniversary", email, name, day, due, what))
    return found


def _greeting(kind: str, email: str, name: str, day: date, due: datetime, what: str) -> Reminder:
    who = name or email
    return Reminder(
        key=f"{kind}:customer:{email.lower()}:{day.year}",
        rule="birthday",
        case_id=None,
        order_number=None,
        customer_email=email.lower(),
        customer_name=who,
        due_at=due,
        title=f"{who}: {what} today" if kind == "anniversary" else f"{who}'s birthday today",
        template_key="birthday_greeting" if kind == "birthday" else None,
        detail=f"{kind.capitalize()} on {day:%Y-%m-%d}.",
    )


def _month_day(text: str) -> str:
    """ "1990-02-29", "02-29" or "2-9" -> "MM-DD"; ValueError when it is no day of a year."""
    parts = text.strip().split("-")
    if len(parts) == 3:
        parts = parts[1:]
    if len(parts) != 2:
        raise ValueError(text)
    month, day = int(parts[0]), int(parts[1])
    date(2000, month, day)  # a leap year: Feb 29 is a day
    return f"{month:02d}-{day:02d}"


def import_customers(session: Session, account_id: int, path: Path) -> tuple[int, list[str]]:
    """Birthdays and customer-since dates (columns email, name, birthday, customer_since)."""
    problems: list[str] = []
    count = 0
    try:  # the encodings and delimiters of the orders import (Excel writes cp1252 and ';')
        text = decode_csv(path.read_bytes())
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
        rows = [
            {(k or "").strip().lower(): (v or "") for k, v in row.items() if isinstance(v, str)}
            for row in reader
        ]
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except csv.Error as exc:
        raise ConfigError(f"{path.name} is not a CSV file that can be read ({exc}).") from None
    if rows and "email" not in rows[0]:
        raise ConfigError(f"{path} has no 'email' column (email, name, birthday, customer_since).")
    for line, row in enumerate(rows, start=2):
        email = (row.get("email") or "").strip().lower()
        if "@" not in email:
            problems.append(f"line {line}: no e-mail address")
            continue
        birthday: str | None = None
        since: date | None = None
        try:
            if (row.get("birthday") or "").strip():
                birthday = _month_day(row["birthday"])
        except ValueError:
            problems.append(f"line {line}: {row['birthday']!r} is not a date (YYYY-MM-DD, MM-DD)")
        try:
            if (row.get("customer_since") or "").strip():
                since = date.fromisoformat(row["customer_since"].strip())
        except ValueError:
            problems.append(f"line {line}: {row['customer_since']!r} is not a date (YYYY-MM-DD)")
        customer = session.scalar(
            select(Customer).where(
                Customer.account_id == account_id, func.lower(Customer.email) == email
            )
        )
        if customer is None:
            customer = Customer(account_id=account_id, email=email, created_at=utcnow())
            session.add(customer)
        name = (row.get("name") or "").strip()
        if name:
            customer.name = name
        if birthday is not None:
            customer.birthday = birthday
        if since is not None:
            customer.since = since
        count += 1
    return count, problems
