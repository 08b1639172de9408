"""End to end: r on a synced case, ;ship, send; the SMTP server gets one reply, threaded."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt

from desktop_app.core.accounts import credentials
from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.mailbox import Mailbox
from desktop_app.ui import composer as composer_module
from desktop_app.ui import reply_actions
from desktop_app.ui.taskman import TaskManager
from tests.helpers.smtp import SmtpServer
from tests.ui.test_composer import type_into
from tests.ui.test_main_window import open_window

pytestmark = [
    pytest.mark.servers,
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]

CUSTOMER = (
    b"From: Grace Walker <grace@customer.example>\r\n"
    b"To: shop@shop.example\r\n"
    b"Subject: Where is my order #1001?\r\n"
    b"Message-ID: <grace-1@customer.example>\r\n"
    b"Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Hello, I ordered last week and nothing has arrived yet. Where is my parcel?\r\n"
)


@pytest.fixture
def smtp_server(tmp_path: Path, dovecot: Any) -> Iterator[SmtpServer]:
    server = SmtpServer(tmp_path / "smtp", user=dovecot.user, password="smtp-secret")
    yield server
    server.close()


def test_r_ship_send_reaches_the_smtp_server_once_with_in_reply_to(
    qtbot: Any,
    tasks: TaskManager,
    empty_box: Mailbox,
    dovecot: Any,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(composer_module, "UNDO_SECONDS", 0.3)  # a short undo window
    monkeypatch.setattr(reply_actions, "UNDO_SECONDS", 0.3)
    settings = AccountSettings(
        name="Shop", email="shop@shop.example", username=dovecot.user,
        imap=ServerSettings(dovecot.host, dovecot.port, "none"),
        smtp=ServerSettings("127.0.0.1", smtp_server.port, "none"),
    )  # fmt: skip
    empty_box.add_account(settings, dovecot.password, check=False)
    credentials.set_secret(empty_box.account("Shop").smtp_credential_key, smtp_server.password)
    dovecot.append("INBOX", CUSTOMER)
    empty_box.sync()

    window = open_window(qtbot, tasks, empty_box)
    qtbot.waitUntil(lambda: window.cases.current_case_id() is not None, timeout=5000)
    case_id = window.cases.current_case_id()
    window.cases.setFocus()
    qtbot.keyClick(window.cases, Qt.Key.Key_R)
    composer = window.replies.composers[case_id]
    with qtbot.waitSignal(composer.ready, timeout=10_000):
        pass
    assert composer.to_edit.text() == "grace@customer.example"
    with qtbot.waitSignal(composer.values_asked, timeout=5000):
        type_into(qtbot, composer, ";ship")  # no order in the store: its values are asked
    for name, edit in composer.missing_form.edits.items():
        if hasattr(edit, "setDate"):
            edit.setDate(QDate(2026, 11, 20))
        else:
            edit.setText({"order.tracking_number": "00340434299870188230"}.get(name, "DHL"))
    with qtbot.waitSignal(composer.template_inserted, timeout=5000):
        composer.missing_form.fill_button.click()
    assert "00340434299870188230" in composer.body.toPlainText()
    composer.send()  # the preview
    assert composer.pages.currentWidget() is composer.preview_page
    with qtbot.waitSignal(window.replies.outbox.flushed, timeout=30_000) as flushed:
        composer.send()
    assert flushed.args[0].sent == 1, flushed.args[0]
    received = smtp_server.messages
    assert len(received) == 1 and received[0].rcpt_tos == ("grace@customer.example",)
    sent = message_from_bytes(received[0].data, policy=policy.default)
    assert sent["In-Reply-To"] == "<grace-1@customer.example>"
    assert sent["Subject"] == "Re: Where is my order #1001?"
    assert "00340434299870188230" in sent.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not window.outbox_button.isVisible(), timeout=5000)
    [item] = empty_box.outbox.items()
    assert item.state == "filed"
