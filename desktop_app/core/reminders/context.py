"""What every rule needs: the settings, the shop's zone and addresses, the time window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.reminders.model import ReminderSettings
from desktop_app.core.store.case_list import NOTICE_KINDS_NOT_CUSTOMER
from desktop_app.core.store.models import Account
from desktop_app.core.store.shop_settings import own_addresses


@dataclass(frozen=True, slots=True)
class Window:
    """Reminders falling due in [start, end], with conditions judged as of `at` (all aware UTC).

    For the due list `at` is `end`; for the upcoming list `at` is now and `end` later.
    """

    start: datetime
    end: datetime
    at: datetime


@dataclass(frozen=True, slots=True)
class Context:
    settings: ReminderSettings
    tz: ZoneInfo
    own: frozenset[str]
    accounts: tuple[int, ...]
    memo: dict[Any, Any] = field(default_factory=dict)  # what several rules read, read once


def make_context(session: Session, settings: ReminderSettings) -> Context:
    from desktop_app.core.reminders.clock import zone

    accounts = tuple(session.scalars(select(Account.id)))
    return Context(settings, zone(settings), own_addresses(session), accounts)


def is_person(kind: str | None) -> bool:
    """Not a platform notice (order placed, shipped ...): a person wrote it."""
    return kind not in NOTICE_KINDS_NOT_CUSTOMER


def first_address(addrs: str) -> tuple[str, str]:
    """The first (name, address) of a To line ("Emma <emma@x>, ..." -> ("Emma", "emma@x"))."""
    from email.utils import getaddresses

    found = [(n, a) for n, a in getaddresses([addrs]) if a]
    return (found[0][0], found[0][1].lower()) if found else ("", "")
