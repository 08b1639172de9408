"""The `shopdesk templates` commands: list the reply templates, render one for a case."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from desktop_app.cli import print_json
from desktop_app.core.errors import ConfigError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.replies.templates import Templates


def add_parser(sub: Any) -> None:
    templates = sub.add_parser("templates", help="canned replies (Jinja2 templates)")
    cmds = templates.add_subparsers(dest="templates_command", required=True)
    lst = cmds.add_parser("list", help="list the templates by category")
    lst.add_argument("--language", help="only this language (en, de, fi, lv, hi, hy)")
    lst.add_argument("--json", action="store_true", help="one JSON object per line")
    render = cmds.add_parser("render", help="fill a template in for a case and print it")
    render.add_argument("name", help="the template's name (shipping_status) or shortcut (ship)")
    render.add_argument("--case", type=int, required=True, help="the case's number")
    render.add_argument("--language", help="the reply's language (default: the customer's)")
    render.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a value the merchant types, e.g. discount_code=BDAY10 (repeatable)",
    )


def run(mailbox: Mailbox, args: argparse.Namespace) -> int:
    templates = mailbox.templates
    if args.templates_command == "list":
        for info in templates.list(args.language):
            if args.json:
                print_json(dataclasses.asdict(info))
            else:
                shortcut = f";{info.shortcut}" if info.shortcut else "-"
                own = "" if info.builtin and not info.modified else " *"
                print(
                    f"{info.language}\t{info.key}\t{shortcut}\t{info.category}\t{info.title}{own}"
                )
        return 0
    extra = parse_values(args.set)
    key = template_key(templates, args.name, args.case, args.language)
    rendered = templates.render_for_case(key, args.case, args.language, extra)
    if rendered.note:
        print(f"shopdesk: {rendered.note}", file=sys.stderr)
    print(f"Subject: {rendered.subject}")
    print()
    sys.stdout.write(rendered.body)
    return 0


def parse_values(items: list[str]) -> dict[str, str]:
    """`--set NAME=VALUE` options as a dict; a ConfigError names one that is not."""
    extra = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip().isidentifier():
            raise ConfigError(f"--set takes NAME=VALUE, not {item!r}.")
        extra[name.strip()] = value
    return extra


def template_key(templates: Templates, name: str, case_id: int, language: str | None) -> str:
    """The template `name` means: its key (shipping_status) or its shortcut (;ship, ship)."""
    key = name.lstrip(";")
    language = language or templates.reply_language(case_id)
    if templates.get(key, language) is None and templates.get(key, "en") is None:
        found = templates.find_shortcut(key, language)
        key = found.key if found is not None else key
    return key
