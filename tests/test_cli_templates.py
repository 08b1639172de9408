"""`shopdesk templates list` and `templates render`: text, JSON, one plain line on error."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.core.mailbox import Mailbox
from tests.helpers import reply_cases


@pytest.fixture
def data(tmp_path: Path) -> Path:
    from desktop_app.core.paths import store_path

    box = Mailbox.open(store_path(tmp_path))
    try:
        reply_cases.load_reply_demo(box)
    finally:
        box.close()
    return tmp_path


def run(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), "templates", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_text_and_json(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(data, capsys, "list", "--language", "en")
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == 12 and {r[0] for r in rows} == {"en"}
    assert ["en", "shipping_status", ";ship", "Shipping", "Where is my order?"] in rows
    code, out, _ = run(data, capsys, "list", "--json")
    items = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(items) >= 12
    assert {"key", "language", "shortcut", "subject", "body", "builtin"} <= set(items[0])


def test_render_by_name_or_shortcut(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = str(reply_cases.case_of_path(data, reply_cases.FULL_ORDER))
    code, out, err = run(data, capsys, "render", "shipping_status", "--case", case)
    assert code == 0 and err == ""
    # Ani writes in Armenian: the reply follows her language unless told otherwise
    assert out.startswith("Subject: Ձեր #4124 պատվերը ճանապարհին է\n\nՀարգելի Ani,\n")  # noqa: RUF001
    code, out, err = run(
        data, capsys, "render", "shipping_status", "--case", case, "--language", "en"
    )
    assert code == 0 and err == ""
    assert out.startswith("Subject: Your order #4124 is on its way\n\nHello Ani,\n")
    assert "05212384761187" in out
    code, by_shortcut, _ = run(data, capsys, "render", ";ship", "--case", case, "--language", "en")
    assert code == 0 and by_shortcut == out
    code, out, _ = run(
        data, capsys, "render", "birthday", "--case", case, "--set", "discount_code=BDAY10"
    )
    assert code == 0 and "BDAY10" in out


def test_render_errors_are_one_plain_line(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bare = str(reply_cases.case_of_path(data, reply_cases.BARE_ORDER))
    code, out, err = run(data, capsys, "render", "ship", "--case", bare)
    assert code == 1 and out == ""
    assert err.startswith("shopdesk: This reply needs ") and "(order.tracking_number)" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    code, _, err = run(data, capsys, "render", "nothing_like_it", "--case", bare)
    assert code == 1 and err == "shopdesk: There is no template 'nothing_like_it'.\n"
    code, _, err = run(data, capsys, "render", "ship", "--case", "424242")
    assert code == 1 and err == "shopdesk: There is no case 424242.\n"
    code, _, err = run(data, capsys, "render", "ship", "--case", bare, "--set", "oops")
    assert code == 1 and "NAME=VALUE" in err


def test_reply_takes_a_shortcut_and_refuses_a_malformed_set(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = str(reply_cases.case_of_path(data, reply_cases.FULL_ORDER))
    reply = ["--data-dir", str(data), "reply", "--case", case, "--language", "en"]
    code = main([*reply, "--template", "ship", "--set", "oops"])
    _out, err = capsys.readouterr()
    assert code == 1 and "--set takes NAME=VALUE, not 'oops'" in err  # nothing queued
    code = main([*reply, "--template", ";ship"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["state"] == "queued"
    _code, rendered, _ = run(
        data, capsys, "render", "shipping_status", "--case", case, "--language", "en"
    )
    first_line = rendered.split("\n\n", 1)[1].strip().splitlines()[0]
    box = Mailbox.open(data / "shopdesk.sqlite3")
    try:
        with box.store.session() as s:
            from desktop_app.core.store.models import OutboxItem

            [raw] = [i.raw for i in s.query(OutboxItem)]
        text = email.message_from_bytes(raw, policy=email.policy.default)
        body = text.get_body(("plain",))
        assert body is not None and first_line in body.get_content()
    finally:
        box.close()
