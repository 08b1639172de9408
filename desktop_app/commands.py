"""What each CLI command does, printing for a person on stderr and for programs on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from desktop_app.cli import print_json, read_password
from desktop_app.core.accounts import oauth, oauth_flow, presets, signin
from desktop_app.core.accounts.oauth import TokenSet
from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.errors import ConfigError, ShopdeskError
from desktop_app.core.mailbox import Mailbox

DEFAULT_PORTS = {
    ("imap", "ssl"): 993,
    ("imap", "starttls"): 143,
    ("imap", "none"): 143,
    ("smtp", "ssl"): 465,
    ("smtp", "starttls"): 587,
    ("smtp", "none"): 25,
}


def run(args: argparse.Namespace, store_file: Path) -> int:
    mailbox = Mailbox.open(store_file)
    try:
        handler = HANDLERS[args.command]
        return handler(mailbox, args)
    finally:
        mailbox.close()


def _account(mailbox: Mailbox, args: argparse.Namespace) -> int:
    if args.account_command == "list":
        for a in mailbox.accounts():
            how = f", sign-in with {a.oauth_provider}" if a.uses_oauth else ""
            print(
                f"{a.name}\t{a.email}\t{a.kind}\t{a.imap.host}:{a.imap.port} "
                f"({a.imap.security}{how})"
            )
        return 0
    if args.account_command == "password":
        if mailbox.account(args.name).uses_oauth:
            raise ConfigError(
                f"{args.name} signs in through the browser: use `shopdesk account signin "
                f"{args.name}`."
            )
        mailbox.set_password(args.name, read_password(args.password_stdin))
        print(f"The password of {args.name} is replaced in the system keyring.", file=sys.stderr)
        return 0
    if args.account_command == "signin":
        settings = mailbox.account(args.name)
        signin.renew(settings, _browser_sign_in(settings))
        print(f"Signed in again to {settings.name}.", file=sys.stderr)
        return 0
    if args.account_command == "remove":
        mailbox.remove_account(args.name)
        print(f"Removed {args.name}, its local mail and its password.", file=sys.stderr)
        return 0
    settings = _new_account(args)
    settings.check()
    if settings.uses_oauth:
        signin.add_signed_in(mailbox.store, settings, _browser_sign_in(settings))
        print(
            f"Added {settings.name} ({settings.email}); the sign-in is in the system keyring.",
            file=sys.stderr,
        )
        return 0
    preset = presets.BY_KEY.get(args.provider or "")
    if preset is not None and preset.hint and sys.stdin.isatty():
        print(preset.hint, file=sys.stderr)
    password = read_password(args.password_stdin)
    if not password:
        raise ConfigError("No password given.")
    mailbox.add_account(settings, password, check=not args.no_check)
    print(
        f"Added {settings.name} ({settings.email}); the password is in the system keyring.",
        file=sys.stderr,
    )
    return 0


def _new_account(args: argparse.Namespace) -> AccountSettings:
    """Settings from a preset (named, or recognised from the address when no host is given),
    with any server option given overriding it."""
    if args.provider is None and not args.imap_host:
        args.provider = presets.recognise(args.email).key
    base = None
    if args.provider is not None:
        base = presets.preset(args.provider).account(
            args.email, args.name, app_password=args.app_password
        )
    trusted = (args.trust_cert or "").replace(":", "").lower() or None
    imap_security = args.imap_security if args.imap_host or base is None else base.imap.security
    from_preset = base is not None and not args.imap_host
    imap = ServerSettings(
        host=args.imap_host or (base.imap.host if base else ""),
        port=args.imap_port
        or (base.imap.port if base and from_preset else DEFAULT_PORTS["imap", imap_security]),
        security=imap_security,
        allow_insecure=args.allow_insecure,
        trusted_cert_sha256=trusted,
    )
    smtp = base.smtp if base else None
    if args.smtp_host:
        smtp = ServerSettings(
            host=args.smtp_host,
            port=args.smtp_port or DEFAULT_PORTS["smtp", args.smtp_security],
            security=args.smtp_security,
            allow_insecure=args.allow_insecure,
        )
    elif smtp is not None:
        smtp = replace(smtp, port=args.smtp_port or smtp.port, allow_insecure=args.allow_insecure)
    return AccountSettings(
        name=args.name,
        email=args.email,
        username=args.username or (base.username if base else args.email),
        imap=imap,
        smtp=smtp,
        extra_folders=tuple(args.folder),
        auth_method=base.auth_method if base else "password",
        oauth_provider=base.oauth_provider if base else None,
    )


def _browser_sign_in(settings: AccountSettings) -> TokenSet:
    """The browser sign-in from a terminal: open the page (and print its address)."""
    import webbrowser

    prov = oauth.provider(settings.oauth_provider or "")

    def open_browser(url: str) -> None:
        print(
            f"Sign in with {prov.name} in your browser. If it does not open, visit:\n{url}",
            file=sys.stderr,
            flush=True,
        )
        webbrowser.open(url)

    return oauth_flow.sign_in(prov, settings.email, open_browser)


def _progress(folder: str, done: int, total: int) -> None:
    """Fetch progress on stderr: a live counter on a terminal, a line per folder otherwise."""
    if not total:
        return
    if sys.stderr.isatty():
        print(
            f"\r{folder}: {done}/{total} new messages",
            end="" if done < total else "\n",
            file=sys.stderr,
            flush=True,
        )
    elif done == total:
        print(f"{folder}: {total} new messages", file=sys.stderr, flush=True)


def _sync(mailbox: Mailbox, args: argparse.Namespace) -> int:
    """Sync the named account, or every mailbox; one failing mailbox does not stop the others."""
    if args.account is not None:
        accounts = [mailbox.account(args.account)]
    else:
        accounts = mailbox.mail_accounts()
        if not accounts:
            raise ConfigError("No mailbox is set up yet: add one with `shopdesk account add`.")
    failed = 0
    for settings in accounts:
        try:
            report = mailbox.sync_account(settings, progress=_progress)
        except ShopdeskError as exc:
            if len(accounts) == 1:
                raise
            print(f"shopdesk: {settings.name}: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"Synced {report.summary()}.", file=sys.stderr)
    return 1 if failed else 0


def _watch(mailbox: Mailbox, args: argparse.Namespace) -> int:
    from desktop_app.core.sync.idle import watch_account

    watch_account(
        mailbox.store,
        mailbox.account(args.account),
        folder=args.folder,
        on_report=lambda r: print(f"Synced {r.summary()}.", file=sys.stderr),
    )
    return 0


def _import(mailbox: Mailbox, args: argparse.Namespace) -> int:
    if not args.path.exists():
        raise ConfigError(f"{args.path} does not exist.")
    report = mailbox.import_path(
        args.path, progress=lambda n: print(f"\rread {n}", end="", file=sys.stderr, flush=True)
    )
    print(
        f"\rImported {report.read} messages from {args.path}: {report.new_messages} new, "
        f"{report.already_there} already there, {report.problems} with parse problems.",
        file=sys.stderr,
    )
    return 0


def _search(mailbox: Mailbox, args: argparse.Namespace) -> int:
    results = mailbox.search(args.query, args.limit)
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "message_id": r.message_id,
                    "subject": r.subject,
                    "from": r.from_addr,
                    "date": r.date.isoformat() if r.date else None,
                    "folders": list(r.folders),
                    "snippet": r.snippet,
                }
                for r in results
            ]
        )
    else:
        for r in results:
            print(f"{r.date or ''!s:19}  {r.from_addr:30.30}  {r.subject}")
    return 0


def _stats(mailbox: Mailbox, args: argparse.Namespace) -> int:
    numbers = mailbox.stats()
    if args.json:
        print_json(numbers)
    else:
        for key, value in numbers.items():
            print(f"{key}: {value}")
    return 0


def _shop(mailbox: Mailbox, args: argparse.Namespace) -> int:
    from dataclasses import asdict, replace

    current = mailbox.shop()
    if args.shop_command == "show":
        print_json(asdict(current))
        return 0
    changes: dict[str, object] = {}
    if args.name is not None:
        changes["name"] = args.name
    if args.address is not None:
        changes["addresses"] = tuple(a.strip().lower() for a in args.address if a.strip())
    for key in ("order_prefix", "order_suffix", "order_pattern"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key) or ("" if key != "order_pattern" else None)
    mailbox.set_shop(replace(current, **changes))  # type: ignore[arg-type]
    print("Saved the shop's settings.", file=sys.stderr)
    return 0


def _orders(mailbox: Mailbox, args: argparse.Namespace) -> int:
    if not args.file.exists():
        raise ConfigError(f"{args.file} does not exist.")
    try:
        count, problems = mailbox.import_orders_csv(args.file)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    for problem in problems:
        print(f"shopdesk: {problem}", file=sys.stderr)
    print(f"Imported {count} orders from {args.file}.", file=sys.stderr)
    return 0


def _triage(mailbox: Mailbox, args: argparse.Namespace) -> int:
    """Triage from the command line; the server learns of it at the next sync."""
    triage, command = mailbox.triage, args.case_command
    if command == "undo":
        changes = triage.undo(args.token)
    elif command == "status":
        changes = triage.set_status(args.case_ids, args.status)
    elif command in ("read", "unread"):
        changes = triage.mark_read(args.case_ids, command == "read")
    else:
        changes = getattr(triage, command)(args.case_ids)
    print(changes.description + ".", file=sys.stderr)
    if changes.undo_token:
        print(f"Undo with: shopdesk case undo {changes.undo_token}", file=sys.stderr)
    if pending := triage.pending_count():
        print(f"Changes waiting for the next sync: {pending}.", file=sys.stderr)
    return 0


def _case(mailbox: Mailbox, args: argparse.Namespace) -> int:
    if args.case_command in ("status", "archive", "delete", "read", "unread", "undo"):
        return _triage(mailbox, args)
    if args.case_command == "regroup":
        count = mailbox.regroup_cases()
        print(f"Grouped {count} messages into cases.", file=sys.stderr)
        return 0
    if args.case_command == "merge":
        case_id = mailbox.correct(args.message_id, merge_into=args.into)
    elif args.case_command == "confirm":
        case_id = mailbox.confirm_suggestion(args.message_id)
    else:
        case_id = mailbox.correct(
            args.message_id,
            to_order=args.to_order,
            with_message=args.with_message,
            alone=args.alone,
        )
    print(f"{args.message_id} is now in case {case_id}.", file=sys.stderr)
    return 0


def _export(mailbox: Mailbox, args: argparse.Namespace) -> int:
    out = sys.stdout
    if args.export_what == "cases":
        for row in mailbox.export_case_rows():
            record = {
                "message_id": row.message_id,
                "folder": row.folder,
                "case_id": row.case_id,
                "thread_id": row.thread_id,
                "order": row.order,
                "suggested": row.suggested,
                "rule": row.rule,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    for row in mailbox.export_rows(include_gone=args.include_gone):
        record = {
            "message_id": row.message_id,
            "account": row.account,
            "folder": row.folder,
            "uid": row.uid,
            "flags": list(row.flags),
            "subject": row.subject,
        }
        if row.intent:  # customer messages only
            record["intent"] = row.intent
        if args.include_gone:
            record["gone_from_server"] = row.gone_from_server
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def _demo(mailbox: Mailbox, args: argparse.Namespace) -> int:
    if args.demo_command == "remove":
        if not mailbox.has_demo():
            print("There is no demo shop to remove.", file=sys.stderr)
            return 0
        mailbox.remove_demo()
        print("Removed the demo shop and everything it held.", file=sys.stderr)
        return 0
    count = mailbox.load_demo()
    if count:
        print(
            f'Loaded the demo shop: {count} messages in the account "Demo shop".', file=sys.stderr
        )
    else:
        print("The demo shop is loaded already.", file=sys.stderr)
    return 0


def _outbox(mailbox: Mailbox, args: argparse.Namespace) -> int:
    from desktop_app import commands_outbox

    return commands_outbox.run(mailbox, args)


def _reply(mailbox: Mailbox, args: argparse.Namespace) -> int:
    from desktop_app import commands_outbox

    return commands_outbox.reply(mailbox, args)


def _templates(mailbox: Mailbox, args: argparse.Namespace) -> int:
    from desktop_app import commands_templates

    return commands_templates.run(mailbox, args)


def _reminders(mailbox: Mailbox, args: argparse.Namespace) -> int:
    from desktop_app import commands_reminders

    return commands_reminders.run(mailbox, args)


def _customers(mailbox: Mailbox, args: argparse.Namespace) -> int:
    from desktop_app import commands_reminders

    return commands_reminders.customers(mailbox, args)


HANDLERS = {
    "demo": _demo,
    "shop": _shop,
    "orders": _orders,
    "case": _case,
    "account": _account,
    "sync": _sync,
    "watch": _watch,
    "import": _import,
    "search": _search,
    "stats": _stats,
    "export": _export,
    "outbox": _outbox,
    "reply": _reply,
    "templates": _templates,
    "reminders": _reminders,
    "customers": _customers,
}
