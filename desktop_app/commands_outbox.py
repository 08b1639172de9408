"""`shopdesk outbox` (list, flush, retry, cancel) and `shopdesk reply` (queue a reply to a case)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli import print_json
from desktop_app.core.errors import ConfigError
from desktop_app.core.mailbox import Mailbox

STATES = ("queued", "sending", "sent", "filed", "failed", "cancelled")


def add_parser(sub: Any) -> None:
    outbox = sub.add_parser("outbox", help="replies waiting to be sent, and sent ones")
    cmds = outbox.add_subparsers(dest="outbox_command", required=True)
    lst = cmds.add_parser("list", help="list the outbox (newest last)")
    lst.add_argument("--state", action="append", choices=STATES, help="only these (repeatable)")
    lst.add_argument("--json", action="store_true", help="one JSON object per line")
    cmds.add_parser("flush", help="send the replies that are due; file copies in Sent")
    retry = cmds.add_parser("retry", help="queue a failed reply again")
    retry.add_argument("outbox_id", type=int)
    cancel = cmds.add_parser("cancel", help="cancel a reply still inside its undo window")
    cancel.add_argument("outbox_id", type=int)

    reply = sub.add_parser("reply", help="queue a reply to a case's latest customer message")
    reply.add_argument("--case", type=int, required=True, metavar="ID")
    text = reply.add_mutually_exclusive_group(required=True)
    text.add_argument(
        "--template", metavar="NAME", help="a template's name or shortcut: shipping_status, ;ship"
    )
    text.add_argument("--body-file", type=Path, metavar="FILE", help="the reply's text (UTF-8)")
    reply.add_argument("--language", help="the template's language (default: the customer's)")
    reply.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a value the template asks for, e.g. discount_code=SPRING10 (repeatable)",
    )
    reply.add_argument("--all", action="store_true", help="reply to all (not our own addresses)")
    reply.add_argument("--send", action="store_true", help="send it now (else: outbox flush)")


def run(mailbox: Mailbox, args: argparse.Namespace) -> int:
    command = args.outbox_command
    if command == "list":
        for item in mailbox.outbox.items(args.state):
            if args.json:
                print_json(dataclasses.asdict(item))
            else:
                error = f"  ({item.last_error})" if item.last_error else ""
                print(
                    f"{item.id}\t{item.state}\t{', '.join(item.to)}\t{item.subject}{error}",
                )
        return 0
    if command == "flush":
        report = mailbox.outbox.flush()
        if report.busy:
            print("Another flush of the outbox is running.", file=sys.stderr)
            return 0
        print(
            f"{report.sent} sent, {report.filed} filed in Sent, {report.failed} failed, "
            f"{report.requeued} waiting to be sent again"
            + (f", {report.recovered} settled after an interruption" if report.recovered else ""),
            file=sys.stderr,
        )
        for problem in report.problems:
            print(f"shopdesk: {problem}", file=sys.stderr)
        if report.offline:
            print("Offline: the replies wait in the outbox.", file=sys.stderr)
            return 2
        return 1 if report.failed else 0
    if command == "retry":
        if not mailbox.outbox.retry(args.outbox_id):
            print(f"shopdesk: reply {args.outbox_id} has not failed.", file=sys.stderr)
            return 1
        return 0
    if command == "cancel":
        if not mailbox.outbox.cancel(args.outbox_id):
            print(f"shopdesk: reply {args.outbox_id} can no longer be cancelled.", file=sys.stderr)
            return 1
        return 0
    raise AssertionError(command)


def _latest_from_customer(mailbox: Mailbox, case_id: int) -> int:
    messages = mailbox.views.case_messages(case_id)
    theirs = [m for m in messages if not m.ours] or messages
    if not theirs:
        raise ConfigError(f"Case {case_id} has no message to answer.")
    return theirs[-1].id


def reply(mailbox: Mailbox, args: argparse.Namespace) -> int:
    """Queue a reply (no undo window: the command itself is the decision), maybe send it."""
    from desktop_app.core.replies.compose import start_reply

    message_id = _latest_from_customer(mailbox, args.case)
    with mailbox.store.session() as s:
        draft = start_reply(s, message_id, "reply_all" if args.all else "reply")
    if args.template:
        from desktop_app.commands_templates import parse_values, template_key

        extra = parse_values(args.set)
        key = template_key(mailbox.templates, args.template, args.case, args.language)
        rendered = mailbox.templates.render_for_case(key, args.case, args.language, extra)
        if rendered.note:
            print(rendered.note, file=sys.stderr)
        draft = dataclasses.replace(
            draft, body=rendered.body, language=rendered.language, template_key=key
        )
    else:
        try:
            body = args.body_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"Cannot read {args.body_file}: {exc}.") from None
        draft = dataclasses.replace(draft, body=body)
    item = mailbox.outbox.queue(draft, undo_seconds=0)
    print_json(dataclasses.asdict(item))
    if not args.send:
        return 0
    args.outbox_command = "flush"
    return run(mailbox, args)
