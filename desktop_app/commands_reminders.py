"""`shopdesk reminders` (due, upcoming, dismiss, done, snooze, settings, set) and
`shopdesk customers import`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from desktop_app.cli import print_json
from desktop_app.core.errors import ConfigError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.reminders.clock import zone
from desktop_app.core.reminders.model import Reminder, ReminderSettings

JSON_HELP = "print JSON Lines: one JSON object per reminder, newest first (due_at in UTC)"
SET_HELP = "a setting as `reminders settings` names it; on/off for switches, work_days=0,1,2,3,4"
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
    shown = cmds.add_parser("settings", help="each rule's switch and parameters, time zone, hours")
    shown.add_argument("--json", action="store_true", help="one JSON object")
    change = cmds.add_parser(
        "set", help="change settings, e.g. waiting_days=4 review_days=12 timezone=Europe/Berlin"
    )
    change.add_argument("pairs", nargs="+", metavar="KEY=VALUE", help=SET_HELP)

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


SETTABLE: dict[str, type] = {
    f.name: type(f.default)
    for f in dataclasses.fields(ReminderSettings)
    if isinstance(f.default, bool | int | float | str)
}
SETTABLE["work_days"] = tuple
TRUE, FALSE = ("on", "true", "yes", "1"), ("off", "false", "no", "0")


def _value(key: str, kind: type, text: str) -> object:
    """`text` as the setting's type; ConfigError in one plain line when it is not one."""
    text = text.strip()
    if kind is bool:
        if text.lower() in TRUE + FALSE:
            return text.lower() in TRUE
        raise ConfigError(f"{key} is on or off, not {text!r}.")
    try:
        if kind is tuple:
            return tuple(int(part) for part in text.split(",") if part.strip())
        if kind is int:
            return int(text)
        if kind is float:
            return float(text)
    except ValueError:
        names = {tuple: "whole numbers separated by commas", int: "a whole number"}
        what = names.get(kind, "a number")
        raise ConfigError(f"{key} must be {what}, not {text!r}.") from None
    return text


def apply_pairs(current: ReminderSettings, pairs: list[str]) -> ReminderSettings:
    """The settings with each KEY=VALUE applied; ConfigError names an unknown key or bad value."""
    changes: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep:
            raise ConfigError(f"{pair!r} is not KEY=VALUE (e.g. waiting_days=4).")
        if key not in SETTABLE:
            raise ConfigError(
                f"{key!r} is not a setting that can be set here; one of: {', '.join(SETTABLE)}."
            )
        changes[key] = _value(key, SETTABLE[key], text)
    return dataclasses.replace(current, **changes)


def _settings(mailbox: Mailbox, args: argparse.Namespace) -> None:
    s = mailbox.reminders.settings()
    if args.json:
        print_json(dataclasses.asdict(s))
        return
    for key, value in dataclasses.asdict(s).items():
        if isinstance(value, bool):
            shown = "on" if value else "off"
        elif isinstance(value, int | float | str):
            shown = str(value)
        elif key == "work_days":
            shown = ",".join(str(d) for d in value)
        else:
            shown = json.dumps(value, ensure_ascii=False)
        print(f"{key}={shown}")


def run(mailbox: Mailbox, args: argparse.Namespace) -> int:
    command = args.reminders_command
    if command == "settings":
        _settings(mailbox, args)
        return 0
    if command == "set":
        mailbox.reminders.save_settings(apply_pairs(mailbox.reminders.settings(), args.pairs))
        return 0
    tz = zone(mailbox.reminders.settings())
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
