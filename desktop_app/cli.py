"""Headless commands over the core: account, sync, watch, import, search, stats, export, demo."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop_app import __version__
from desktop_app.core.accounts.presets import BY_KEY
from desktop_app.core.errors import ShopdeskError, StoreError
from desktop_app.core.paths import default_data_dir, store_path

log = logging.getLogger("shopdesk")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="shopdesk", description="Shopdesk help desk, headless.")
    p.add_argument("--version", action="version", version=f"shopdesk {__version__}")
    p.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder of the local store (default: the user data folder)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens to stderr")
    sub = p.add_subparsers(dest="command", required=True)

    acc = sub.add_parser("account", help="add or list mailboxes").add_subparsers(
        dest="account_command", required=True
    )
    add = acc.add_parser("add", help="add a mailbox (the password goes into the OS keyring)")
    add.add_argument("--name", required=True)
    add.add_argument("--email", required=True)
    add.add_argument(
        "--provider",
        choices=list(BY_KEY),
        help="fill the servers from a provider preset (default: recognised from --email "
        "when --imap-host is not given); Gmail and Microsoft sign in through the browser",
    )
    add.add_argument(
        "--app-password", action="store_true", help="Gmail: an app password instead of sign-in"
    )
    add.add_argument("--imap-host")
    add.add_argument("--imap-port", type=int, default=None)
    add.add_argument("--imap-security", choices=["ssl", "starttls", "none"], default="ssl")
    add.add_argument("--smtp-host")
    add.add_argument("--smtp-port", type=int, default=None)
    add.add_argument("--smtp-security", choices=["ssl", "starttls", "none"], default="ssl")
    add.add_argument("--username", help="login name (default: the e-mail address)")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else it is asked for)",
    )
    add.add_argument(
        "--allow-insecure",
        action="store_true",
        help="allow an unencrypted connection to a host that is not this machine",
    )
    add.add_argument(
        "--trust-cert",
        metavar="SHA256",
        help="trust this server certificate (its SHA-256 fingerprint)",
    )
    add.add_argument(
        "--folder",
        action="append",
        default=[],
        help="another folder to sync besides INBOX and Sent (repeatable)",
    )
    add.add_argument(
        "--no-check", action="store_true", help="save without logging in to the server first"
    )
    acc.add_parser("list", help="list mailboxes")
    pw = acc.add_parser("password", help="replace a mailbox's password in the keyring")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    si = acc.add_parser("signin", help="sign in again to a Gmail or Microsoft mailbox")
    si.add_argument("name")
    rm = acc.add_parser("remove", help="remove a mailbox, its local mail and its password")
    rm.add_argument("name")

    sync = sub.add_parser("sync", help="fetch new mail and changes from the server")
    sync.add_argument("--account")
    watch = sub.add_parser("watch", help="sync, then keep INBOX up to date with IMAP IDLE")
    watch.add_argument("--account")
    watch.add_argument("--folder", default="INBOX")

    imp = sub.add_parser("import", help="import an mbox file, a Maildir, or .eml files")
    imp.add_argument("path", type=Path)

    search = sub.add_parser("search", help="full-text search over subject, addresses and body")
    search.add_argument("query")
    search.add_argument("--json", action="store_true")
    search.add_argument("--limit", type=int, default=200)

    stats = sub.add_parser("stats", help="counts of messages, folders, problems")
    stats.add_argument("--json", action="store_true")

    shop = sub.add_parser("shop", help="the shop's name, addresses and order numbers")
    shop_sub = shop.add_subparsers(dest="shop_command", required=True)
    shop_set = shop_sub.add_parser("set", help="change the shop's settings")
    shop_set.add_argument("--name")
    shop_set.add_argument(
        "--address",
        action="append",
        default=None,
        help="an address of the shop: mail from it is yours (repeatable)",
    )
    shop_set.add_argument("--order-prefix", help='order-number prefix, e.g. "SHOP-"')
    shop_set.add_argument("--order-suffix", help='order-number suffix, e.g. "-EU"')
    shop_set.add_argument("--order-pattern", help="your own order-number regex (one group)")
    shop_sub.add_parser("show", help="print the shop's settings as JSON")

    orders = sub.add_parser("orders", help="orders from platform exports").add_subparsers(
        dest="orders_command", required=True
    )
    orders_import = orders.add_parser("import", help="import a Shopify or WooCommerce CSV")
    orders_import.add_argument("file", type=Path)

    case = sub.add_parser("case", help="correct how mail is grouped into cases").add_subparsers(
        dest="case_command", required=True
    )
    move = case.add_parser("move", help="move a message to another case")
    move.add_argument("message_id", help="the message's Message-ID, with angle brackets")
    target = move.add_mutually_exclusive_group(required=True)
    target.add_argument("--to-order", metavar="NUMBER")
    target.add_argument(
        "--with",
        dest="with_message",
        metavar="MESSAGE_ID",
        help="into the case of this other message",
    )
    target.add_argument("--alone", action="store_true", help="into a case of its own")
    merge = case.add_parser("merge", help="merge a message's case into another's")
    merge.add_argument("message_id")
    merge.add_argument("--into", required=True, metavar="MESSAGE_ID")
    confirm = case.add_parser("confirm", help="confirm a suggested case")
    confirm.add_argument("message_id")
    case.add_parser("regroup", help="group all mail again (corrections are kept)")
    status = case.add_parser("status", help="mark cases open, waiting or done")
    status.add_argument("case_ids", nargs="+", type=int, metavar="CASE_ID")
    status.add_argument("status", choices=["open", "waiting", "done"])
    for name, what in (
        ("archive", "done, and their inbox mail moved to Archive on the server"),
        ("delete", "move their inbox mail to Trash on the server"),
        ("read", "mark every message of the cases read"),
        ("unread", "mark every message of the cases unread"),
    ):
        action = case.add_parser(name, help=what)
        action.add_argument("case_ids", nargs="+", type=int, metavar="CASE_ID")
    undo = case.add_parser("undo", help="undo an earlier change (its token was printed)")
    undo.add_argument("token")

    demo = sub.add_parser("demo", help="the demo shop (sample mail in an account of its own)")
    demo_sub = demo.add_subparsers(dest="demo_command", required=True)
    demo_sub.add_parser("load", help="load the demo shop (does nothing when it is there)")
    demo_sub.add_parser("remove", help="remove the demo shop and all it holds")

    export = sub.add_parser("export", help="export data").add_subparsers(
        dest="export_what", required=True
    )
    em = export.add_parser("messages", help="one JSON line per message and folder")
    em.add_argument("--format", choices=["jsonl"], default="jsonl")
    ec = export.add_parser("cases", help="one JSON line per message and folder, with its case")
    ec.add_argument("--format", choices=["jsonl"], default="jsonl")
    em.add_argument(
        "--include-gone", action="store_true", help="also list messages no longer on the server"
    )
    from desktop_app import commands_outbox, commands_reminders, commands_templates

    commands_outbox.add_parser(sub)
    commands_templates.add_parser(sub)
    commands_reminders.add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    data_dir: Path = args.data_dir or default_data_dir()
    try:
        from desktop_app import commands

        return commands.run(args, store_path(data_dir))
    except ShopdeskError as exc:
        print(f"shopdesk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("shopdesk: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `shopdesk export messages | head`
        sys.stderr.close()
        return 0
    except OSError as exc:
        if exc.errno == 28:  # ENOSPC
            print(
                f"shopdesk: {StoreError('The disk is full: free some space and try again.')}",
                file=sys.stderr,
            )
            return 1
        raise


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return getpass.getpass("Password: ")


def print_json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    sys.exit(main())
