"""The `shopdesk outbox` commands: list what waits or went out, and flush (send what is due)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from desktop_app.cli import print_json
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
