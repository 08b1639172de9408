"""The setup dialog's providers and browser sign-in: presets fill the form, Google sign-in
against the local identity provider and Dovecot, Cancel, a locked keyring and Retry."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop_app.core.accounts import presets, signin
from desktop_app.core.accounts.credentials import SERVICE
from desktop_app.core.accounts.oauth import SignInExpired
from desktop_app.core.accounts.settings import ServerSettings
from desktop_app.core.mailbox import Mailbox
from desktop_app.ui import setup_dialog
from desktop_app.ui.setup_dialog import SetupDialog
from desktop_app.ui.signin import SignInAgainDialog
from desktop_app.ui.taskman import TaskManager
from tests.core.accounts.conftest import empty_token_cache  # noqa: F401 - autouse
from tests.core.accounts.test_credentials import LockedKeyring
from tests.helpers.dovecot import DovecotServer
from tests.helpers.dovecot_oauth import (  # noqa: F401 - fixtures
    idp_fixture,
    oauth_dovecot_factory_fixture,
    sign_in,
)
from tests.helpers.fake_idp import FakeIdp, browse
from tests.ui.test_setup_dialog import run_test, shot


class Browser:
    """The merchant's browser: records the pages opened; approves them when `approve`."""

    def __init__(self, approve: bool = True) -> None:
        self.approve = approve
        self.opened: list[str] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        if self.approve:
            threading.Thread(target=browse, args=(url,), daemon=True).start()
        return True


@pytest.fixture
def mailbox(tmp_path: Path, tasks: TaskManager) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    yield box
    tasks.shutdown(wait=True)
    box.close()


@pytest.fixture
def browser() -> Browser:
    return Browser()


@pytest.fixture
def dialog(qtbot: Any, tasks: TaskManager, mailbox: Mailbox, browser: Browser) -> SetupDialog:
    widget = SetupDialog(tasks, mailbox, open_url=browser)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_address_fills_the_provider_and_its_sign_in(qtbot: Any, dialog: SetupDialog) -> None:
    qtbot.keyClicks(dialog.email, "candles@gmail.com")
    assert dialog.provider.currentData() == "gmail"
    assert (dialog.imap.host.text(), dialog.imap.port.value()) == ("imap.gmail.com", 993)
    assert (dialog.smtp.host.text(), dialog.smtp.port.value()) == ("smtp.gmail.com", 465)
    assert not dialog.servers.isVisible()  # known servers: tucked away, still editable
    assert not dialog.password.isVisible() and dialog.signin.button.isVisible()
    assert dialog.signin.button.text() == "Sign in with Google"
    assert dialog.app_password.isVisible()
    assert "support.google.com" in dialog.hint.text()
    assert not dialog.add_button.isEnabled()  # nothing to add before signing in
    settings = dialog.settings()
    assert (settings.auth_method, settings.oauth_provider) == ("oauth2", "google")
    shot(dialog, "setup-dialog-gmail")

    dialog.app_password.setChecked(True)
    assert dialog.password.isVisible() and not dialog.signin.isVisible()
    assert dialog.settings().auth_method == "password"

    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "help@fastmail.com")
    assert dialog.provider.currentData() == "fastmail"
    assert dialog.imap.host.text() == "imap.fastmail.com"
    assert dialog.password.isVisible() and not dialog.signin.isVisible()
    assert not dialog.app_password.isVisible()
    assert "app password" in dialog.hint.text()
    shot(dialog, "setup-dialog-fastmail")

    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "help@contoso.example")
    assert dialog.provider.currentData() == "generic" and dialog.servers.isVisible()
    assert dialog.imap.host.text() == "imap.contoso.example"
    dialog.provider.setCurrentIndex(dialog.provider.findData("microsoft365"))
    dialog.provider.activated.emit(dialog.provider.currentIndex())  # the merchant's choice
    assert dialog.imap.host.text() == "outlook.office365.com"
    assert dialog.smtp.port.value() == 587 and dialog.smtp.security.currentData() == "starttls"
    assert dialog.signin.button.text() == "Sign in with Microsoft"
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "help@contoso.example")
    assert dialog.provider.currentData() == "microsoft365"  # a choice stays

    dialog.provider.setCurrentIndex(dialog.provider.findData("generic"))
    dialog.provider.activated.emit(dialog.provider.currentIndex())
    qtbot.keyClicks(dialog.password, "pw")
    shot(dialog, "setup-dialog-generic")


@pytest.mark.servers
def test_sign_in_with_google_tests_and_adds(
    qtbot: Any,
    dialog: SetupDialog,
    mailbox: Mailbox,
    idp: FakeIdp,
    browser: Browser,
    oauth_dovecot_factory: Callable[..., DovecotServer],
    tmp_path: Path,
    shopdesk_data_dir: Path,
) -> None:
    server = oauth_dovecot_factory()
    qtbot.keyClicks(dialog.email, server.user)  # a Google Workspace address: chosen by hand
    dialog.provider.setCurrentIndex(dialog.provider.findData("gmail"))
    dialog.provider.activated.emit(dialog.provider.currentIndex())
    dialog.servers_toggle.setChecked(True)
    dialog.imap.host.setText(server.host)
    dialog.imap.set_security("none")
    dialog.imap.port.setValue(server.port)
    dialog.smtp.host.setText(server.host)
    dialog.smtp.set_security("none")
    with qtbot.waitSignal(dialog.test_finished, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.signin.button, Qt.MouseButton.LeftButton)
    assert blocker.args == [True], dialog.verdict.text()
    assert browser.opened and "code_challenge_method=S256" in browser.opened[0]
    assert dialog.signin.status.text() == f"Signed in as {server.user}."
    assert dialog.verdict.text() == "Connected — 5 folders found"
    shot(dialog, "setup-dialog-gmail-signed-in")
    with qtbot.waitSignal(dialog.account_added, timeout=10_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    (account,) = mailbox.accounts()
    assert (account.auth_method, account.oauth_provider) == ("oauth2", "google")
    refresh = keyring.get_password(SERVICE, account.credential_key)
    assert refresh == idp.state.issued_refresh[0]
    assert mailbox.sync_account(account).folders
    for secret in idp.secrets_issued():
        for folder in (tmp_path, shopdesk_data_dir):
            for path in folder.rglob("*"):
                if path.is_file():
                    assert secret.encode() not in path.read_bytes(), path


def test_waiting_for_the_browser_can_be_cancelled(
    qtbot: Any, dialog: SetupDialog, idp: FakeIdp, browser: Browser
) -> None:
    browser.approve = False  # the merchant closes the tab
    qtbot.keyClicks(dialog.email, "candles@gmail.com")
    qtbot.mouseClick(dialog.signin.button, Qt.MouseButton.LeftButton)
    assert dialog.signin.status.text() == "Waiting for you to finish in your browser…"
    assert dialog.signin.cancel_button.isVisible() and not dialog.signin.button.isEnabled()
    assert not dialog.test_button.isEnabled()
    shot(dialog, "setup-dialog-gmail-waiting")
    with qtbot.waitSignal(dialog.signin.sign_in_failed, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.signin.cancel_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["Sign-in cancelled."]
    assert dialog.signin.button.isEnabled() and not dialog.signin.cancel_button.isVisible()
    assert idp.state.grants == []


def test_no_client_id_is_said_plainly(
    qtbot: Any, dialog: SetupDialog, monkeypatch: pytest.MonkeyPatch, browser: Browser
) -> None:
    monkeypatch.delenv("SHOPDESK_GOOGLE_CLIENT_ID", raising=False)
    qtbot.keyClicks(dialog.email, "candles@gmail.com")
    with qtbot.waitSignal(dialog.signin.sign_in_failed, timeout=5_000) as blocker:
        qtbot.mouseClick(dialog.signin.button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].startswith("Sign-in with Google is not set up in this copy")
    assert browser.opened == []


@pytest.mark.servers
def test_a_locked_keyring_is_said_plainly_and_retry_adds(
    qtbot: Any, dialog: SetupDialog, dovecot: DovecotServer, mailbox: Mailbox, keyring_backend: Any
) -> None:
    qtbot.keyClicks(dialog.email, dovecot.user)
    dialog.imap.host.setText(dovecot.host)
    dialog.imap.set_security("none")
    dialog.imap.port.setValue(dovecot.port)
    dialog.smtp.host.setText(dovecot.host)
    dialog.smtp.set_security("none")
    qtbot.keyClicks(dialog.password, dovecot.password)
    assert run_test(qtbot, dialog) is True
    keyring.set_keyring(LockedKeyring())
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.retry_button.isVisible, timeout=10_000)
    assert dialog.verdict.text() == (
        "The mailbox could not be added: The system keyring is locked: unlock it and try again."
    )
    assert mailbox.accounts() == []
    shot(dialog, "setup-dialog-keyring-locked")
    keyring.set_keyring(keyring_backend)  # the merchant unlocked it
    with qtbot.waitSignal(dialog.account_added, timeout=10_000):
        qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    assert [a.name for a in mailbox.accounts()] == [dovecot.user]


@pytest.mark.servers
def test_sign_in_again_after_a_revocation(
    qtbot: Any,
    tasks: TaskManager,
    mailbox: Mailbox,
    idp: FakeIdp,
    browser: Browser,
    oauth_dovecot_factory: Callable[..., DovecotServer],
) -> None:
    server = oauth_dovecot_factory()
    settings = presets.with_servers(
        presets.preset("gmail").account(server.user, name="Gmail"),
        ServerSettings(server.host, server.port, "none"),
        None,
    )
    signin.add_signed_in(mailbox.store, settings, sign_in("google", server.user))
    idp.revoke()
    with pytest.raises(SignInExpired):
        mailbox.sync_account(mailbox.account("Gmail"))

    again = SignInAgainDialog(tasks, mailbox.account("Gmail"), open_url=browser)
    qtbot.addWidget(again)
    again.show()
    assert "its Google sign-in expired or was revoked" in again.findChild(QLabel).text()
    shot(again, "sign-in-again")
    with qtbot.waitSignal(again.signed_in_again, timeout=20_000) as blocker:
        qtbot.mouseClick(again.box.button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["Gmail"] and again.result() == again.DialogCode.Accepted
    account = mailbox.account("Gmail")
    assert keyring.get_password(SERVICE, account.credential_key) == idp.state.issued_refresh[-1]
    assert mailbox.sync_account(account).folders


def _refused(port: int) -> bool:
    """Whether the loopback sign-in port no longer takes connections."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return True
    return False


@pytest.mark.parametrize("close", ["reject", "escape", "close"])
def test_closing_the_setup_dialog_ends_the_sign_in(
    qtbot: Any, dialog: SetupDialog, idp: FakeIdp, browser: Browser, tasks: TaskManager, close: str
) -> None:
    browser.approve = False
    qtbot.keyClicks(dialog.email, "candles@gmail.com")
    qtbot.mouseClick(dialog.signin.button, Qt.MouseButton.LeftButton)
    flow, waiter = dialog.signin._flow, dialog.signin._waiter
    assert flow is not None and waiter is not None and waiter.is_alive()
    assert tasks.running == 0  # the wait holds no network worker: syncs go on
    if close == "reject":
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    elif close == "escape":
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    else:
        dialog.close()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: not waiter.is_alive(), timeout=10_000)  # the wait ended
    assert _refused(flow.port)
    assert idp.state.grants == []


def test_closing_sign_in_again_ends_the_sign_in(
    qtbot: Any, tasks: TaskManager, idp: FakeIdp, browser: Browser
) -> None:
    browser.approve = False
    settings = presets.preset("gmail").account("candles@gmail.com", name="Gmail")
    again = SignInAgainDialog(tasks, settings, open_url=browser)
    again.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    again.show()
    qtbot.mouseClick(again.box.button, Qt.MouseButton.LeftButton)
    flow, waiter = again.box._flow, again.box._waiter
    assert flow is not None and waiter is not None and tasks.running == 0
    with qtbot.waitSignal(again.destroyed, timeout=5_000):
        again.close()  # the window's X; deleted on close, as the main window makes it
    qtbot.waitUntil(lambda: not waiter.is_alive(), timeout=10_000)  # the late answer dropped
    assert _refused(flow.port)


def test_every_preset_hint_is_marked_for_translation() -> None:
    """lupdate finds only marked strings: each preset's hint must be in PRESET_HINTS."""
    hints = {p.hint for p in (*presets.PRESETS, presets.GENERIC)}
    assert set(setup_dialog.PRESET_HINTS) == hints
