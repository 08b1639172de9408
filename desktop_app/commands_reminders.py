"""`shopdesk reminders` (due, upcoming, dismiss, done, snooze) and `shopdesk customers import`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from desktop_app.cli import print_json
from desktop_app.core.errors import ConfigError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.reminders.model import Reminder

JSON_HELP = "print JSON Lines: one JSON object per reminder, newest first (due_at in UTC)"
TIME_HELP = "ISO time, e.g. 2026-11-30T09:00 (shop time zone) or 2026-11-30T07:00+00:00"


def add_parser(sub: Any) -> None:
    rem = sub.add_parser("reminders", help="follow-ups that are due: reviews, refills, answers")
    cmds = rem.add_subparsers(dest="reminders_command", required=True)
    due = cmds.add_parser("due", help="reminders due now (or at --at), newest first")
    due.add_argument("--json", action="store_true", help=JSON_HELP)
    due.add_argument("--at", metavar="ISO-TIME", help=f"as if it were then: {TIME_HELP}")
    upcoming = cmds.add_parser("upcoming", help="reminders falling due by --until, soonest first")
    upcoming.add_argument("--until", metavar="ISO-TIME", required=True, help=TIME_HELP)
    upcoming.add_argument("--json", action="store_true", help="one JSON object per line")
    for name, what in (("dismiss", "never show a reminder again"), ("done", "mark it acted on")):
        cmds.add_parser(name, help=what).add_argument("key", help="the reminder's key")
    snooze = cmds.add_parser("snooze", help="hide a reminder until a later time")
    snooze.add_argument("key", help="the reminder's key")
    snooze.add_argument("--until", metavar="ISO-TIME", required=True, help=TIME_HELP)

    customers = sub.add_parser("customers", help="customer dates for birthday reminders")
    ccmds = customers.add_subparsers(dest="customers_command", required=True)
    imp = ccmds.add_parser(
        "import", help="import a CSV: columns email, name, birthday, customer_since"
    )
    imp.add_argument("file", type=Path, metavar="FILE.csv")


def parse_time(text: str, tz: ZoneInfo) -> datetime:
    """An ISO time; without an offset it is the shop's local time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{text!r} is not an ISO time ({TIME_HELP}).") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def as_json(r: Reminder) -> dict[str, Any]:
    data = dataclasses.asdict(r)
    data["due_at"] = r.due_at.isoformat()
    return data


def _print(found: list[Reminder], as_lines: bool, tz: ZoneInfo) -> None:
    for r in found:
        if as_lines:
            print_json(as_json(r))
        else:
            print(f"{r.due_at.astimezone(tz):%Y-%m-%d %H:%M}\t{r.rule}\t{r.title}\t{r.key}")


def run(mailbox: Mailbox, args: argparse.Namespace) -> int:
    tz = ZoneInfo(mailbox.reminders.settings().timezone)
    command = args.reminders_command
    if command == "due":
        at = parse_time(args.at, tz) if args.at else None
        _print(mailbox.reminders.due(at), args.json, tz)
    elif command == "upcoming":
        _print(mailbox.reminders.upcoming(parse_time(args.until, tz)), args.json, tz)
    elif command == "dismiss":
        mailbox.reminders.dismiss(args.key)
    elif command == "done":
        mailbox.reminders.done(args.key)
    elif command == "snooze":
        mailbox.reminders.snooze(args.key, parse_time(args.until, tz))
    return 0


def customers(mailbox: Mailbox, args: argparse.Namespace) -> int:
    count, problems = mailbox.reminders.import_customers_csv(args.file)
    for problem in problems:
        print(f"{args.file}: {problem}", file=sys.stderr)
    print(f"Read {count} customers from {args.file}.", file=sys.stderr)
    return 0
