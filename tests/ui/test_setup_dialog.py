"""The mailbox setup dialog against a real Dovecot: verdicts, certificate trust, adding."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import Qt

from desktop_app.core.accounts.credentials import SERVICE
from desktop_app.core.mailbox import Mailbox
from desktop_app.ui.setup_dialog import SetupDialog
from desktop_app.ui.taskman import TaskManager


def shot(widget: Any, name: str) -> None:
    folder = os.environ.get("SHOPDESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def mailbox(tmp_path: Path, tasks: TaskManager) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    yield box
    tasks.shutdown(wait=True)
    box.close()


@pytest.fixture
def dialog(qtbot: Any, tasks: TaskManager, mailbox: Mailbox) -> SetupDialog:
    widget = SetupDialog(tasks, mailbox)
    qtbot.addWidget(widget)
    return widget


def fill(qtbot: Any, dialog: SetupDialog, server: Any, password: str, security: str) -> None:
    qtbot.keyClicks(dialog.email, server.user)
    dialog.imap.host.clear()
    qtbot.keyClicks(dialog.imap.host, server.host)
    dialog.imap.set_security(security)
    dialog.imap.port.setValue(server.port)
    dialog.smtp.host.clear()
    qtbot.keyClicks(dialog.smtp.host, server.host)
    dialog.smtp.set_security("none")
    qtbot.keyClicks(dialog.password, password)


def run_test(qtbot: Any, dialog: SetupDialog) -> bool:
    with qtbot.waitSignal(dialog.test_finished, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    return bool(blocker.args[0])


def test_form_defaults_and_validation(qtbot: Any, dialog: SetupDialog) -> None:
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    assert not dialog.test_button.isEnabled()
    qtbot.keyClicks(dialog.email, "support@myshop.example")
    assert dialog.imap.host.text() == "imap.myshop.example"
    assert dialog.smtp.host.text() == "smtp.myshop.example"
    assert dialog.username.placeholderText() == "support@myshop.example"
    assert (dialog.imap.port.value(), dialog.smtp.port.value()) == (993, 465)
    dialog.imap.set_security("starttls")
    dialog.smtp.set_security("starttls")
    assert (dialog.imap.port.value(), dialog.smtp.port.value()) == (143, 587)
    dialog.imap.port.setValue(1143)  # the merchant's own port stays
    dialog.imap.set_security("ssl")
    assert dialog.imap.port.value() == 1143
    qtbot.keyClicks(dialog.password, "x")
    assert dialog.test_button.isEnabled() and not dialog.problem.text()
    dialog.imap.set_security("none")
    assert "in the clear" in dialog.problem.text()
    assert not dialog.test_button.isEnabled() and not dialog.add_button.isEnabled()
    dialog.imap.host.setText("localhost")
    assert not dialog.problem.text()
    assert dialog.settings().username == "support@myshop.example"
    assert dialog.settings().name == "support@myshop.example"


@pytest.mark.servers
def test_wrong_password_gives_a_plain_verdict(qtbot: Any, dialog: SetupDialog, dovecot: Any):
    fill(qtbot, dialog, dovecot, "not-the-password", "none")
    assert run_test(qtbot, dialog) is False
    text = dialog.verdict.text()
    assert "refused the username or password" in text and dovecot.user in text
    assert "not-the-password" not in text and "Traceback" not in text
    shot(dialog, "setup-dialog-wrong-password")


@pytest.mark.servers
def test_unreachable_server_gives_a_plain_verdict(
    qtbot: Any, dialog: SetupDialog, dovecot: Any
) -> None:
    fill(qtbot, dialog, dovecot, dovecot.password, "none")
    dovecot.stop()
    assert run_test(qtbot, dialog) is False
    assert "refused the connection" in dialog.verdict.text()


@pytest.mark.servers
def test_add_mailbox_keeps_the_password_only_in_the_keyring(
    qtbot: Any,
    dialog: SetupDialog,
    dovecot: Any,
    mailbox: Mailbox,
    tmp_path: Path,
    shopdesk_data_dir: Path,
) -> None:
    fill(qtbot, dialog, dovecot, dovecot.password, "none")
    assert run_test(qtbot, dialog) is True
    assert dialog.verdict.text() == "Connected — 5 folders found"
    shot(dialog, "setup-dialog")
    with qtbot.waitSignal(dialog.account_added, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [dovecot.user]
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.password.text() == ""
    (account,) = mailbox.accounts()
    assert (account.imap.host, account.imap.port, account.imap.security) == (
        dovecot.host,
        dovecot.port,
        "none",
    )
    assert account.smtp is not None and account.smtp.port == 587
    assert keyring.get_password(SERVICE, account.credential_key) == dovecot.password
    secret = dovecot.password.encode()
    for folder in (tmp_path, shopdesk_data_dir):
        for path in folder.rglob("*"):
            if path.is_file():
                assert secret not in path.read_bytes(), path


@pytest.mark.servers
def test_add_without_a_test_tests_first(
    qtbot: Any, dialog: SetupDialog, dovecot: Any, mailbox: Mailbox
) -> None:
    fill(qtbot, dialog, dovecot, "wrong", "none")
    with qtbot.waitSignal(dialog.test_finished, timeout=20_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert mailbox.accounts() == []
    dialog.password.setText(dovecot.password)
    with qtbot.waitSignal(dialog.account_added, timeout=20_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert [a.name for a in mailbox.accounts()] == [dovecot.user]


@pytest.mark.servers
def test_untrusted_certificate_can_be_trusted(
    qtbot: Any, dialog: SetupDialog, tls_dovecot: Any, mailbox: Mailbox
) -> None:
    fill(qtbot, dialog, tls_dovecot, tls_dovecot.password, "starttls")
    assert run_test(qtbot, dialog) is False
    assert "could not be verified" in dialog.verdict.text()
    assert "SHA-256 fingerprint" in dialog.verdict.text()
    assert "--trust-cert" not in dialog.verdict.text()
    assert dialog.trust.isVisibleTo(dialog) and not dialog.trust.isChecked()
    shot(dialog, "setup-dialog-certificate")
    dialog.trust.setChecked(True)
    assert run_test(qtbot, dialog) is True
    with qtbot.waitSignal(dialog.account_added, timeout=10_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    (account,) = mailbox.accounts()
    assert account.imap.trusted_cert_sha256 == dialog._fingerprint
