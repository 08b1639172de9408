"""The "Sign in with Google / Microsoft" part of the setup dialog: browser, wait, Cancel."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.accounts import oauth, signin
from desktop_app.core.accounts.oauth import SignInCancelled, TokenSet
from desktop_app.core.accounts.oauth_flow import LoopbackFlow
from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.errors import ShopdeskError
from desktop_app.ui.taskman import TaskManager, plain_error


def open_in_browser(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


class SignInBox(QWidget):
    """Runs one browser sign-in at a time; the wait runs on a thread of its own, never here.

    Signals: `signed_in(object)` with the TokenSet; `sign_in_failed(str)` with a plain
    sentence; `busy_changed(bool)` while the browser is out.
    """

    signed_in = Signal(object)
    sign_in_failed = Signal(str)
    busy_changed = Signal(bool)
    _answered = Signal(object)  # from the waiting thread: (tokens, None) or (None, error)

    def __init__(
        self,
        tasks: TaskManager,
        open_url: Callable[[str], bool] = open_in_browser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.open_url = open_url
        self.provider_key: str | None = None
        self.tokens: TokenSet | None = None
        self._flow: LoopbackFlow | None = None
        self._cancelled = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.button = QPushButton()
        self.button.clicked.connect(self.start)
        row.addWidget(self.button)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the sign-in"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setObjectName("signin_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        layout.addWidget(self.status)
        self.login_hint = ""
        self._waiter: threading.Thread | None = None
        self._answered.connect(self._answer, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._flow is not None

    def set_provider(self, key: str | None) -> None:
        """Show the button for `key` (google | microsoft); a new provider forgets the sign-in."""
        if key != self.provider_key:
            self.reset()
        self.provider_key = key
        name = {"google": "Google", "microsoft": "Microsoft"}.get(key or "", "")
        self.button.setText(self.tr("Sign in with {name}").format(name=name))

    def reset(self) -> None:
        if self._flow is not None:
            self.cancel()
        self.tokens = None
        self._say("")

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def start(self) -> None:
        if self._flow is not None or self.provider_key is None:
            return
        try:
            flow = LoopbackFlow(oauth.provider(self.provider_key), self.login_hint)
        except ShopdeskError as exc:
            self._say(str(exc))
            self.sign_in_failed.emit(str(exc))
            return
        self._flow, self._cancelled, self.tokens = flow, False, None
        self.button.setEnabled(False)
        self.cancel_button.show()
        # Serving before the browser opens. The wait (minutes, while the merchant is in the
        # browser) has its own thread, never one of the few network workers syncs need.
        self._waiter = threading.Thread(
            target=self._wait, args=(flow,), name="shopdesk-signin-wait", daemon=True
        )
        self._waiter.start()
        if self.open_url(flow.authorization_url):
            self._say(self.tr("Waiting for you to finish in your browser…"))
        else:
            self._say(
                self.tr(
                    "Your browser did not open. Open this address in it to sign in:\n{url}"
                ).format(url=flow.authorization_url)
            )
        self.busy_changed.emit(True)

    def _wait(self, flow: LoopbackFlow) -> None:
        """On the waiting thread: the answer goes to the GUI thread by a queued signal, or
        nowhere when this box is gone (its dialog closed, after cancelling: see done())."""
        result: tuple[TokenSet | None, BaseException | None]
        try:
            result = (flow.wait(), None)
        except Exception as exc:  # delivered to _answer on the GUI thread
            result = (None, exc)
        with contextlib.suppress(RuntimeError):  # the C++ object is gone
            if shiboken6.isValid(self):
                self._answered.emit(result)

    def _answer(self, result: tuple[TokenSet | None, BaseException | None]) -> None:
        tokens, exc = result
        if tokens is not None:
            self._done(tokens)
        else:
            self._failed(exc or RuntimeError("no answer"))

    def cancel(self) -> None:
        if self._flow is not None:
            self._cancelled = True
            self._flow.cancel()

    def _finish(self) -> None:
        self._flow = None
        self.button.setEnabled(True)
        self.cancel_button.hide()
        self.busy_changed.emit(False)

    def _done(self, tokens: TokenSet) -> None:
        self._finish()
        self.tokens = tokens
        self._say(self.tr("Signed in as {user}.").format(user=self.login_hint))
        self.signed_in.emit(tokens)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, SignInCancelled) and self._cancelled:
            text = self.tr("Sign-in cancelled.")
        else:
            text = plain_error(exc, "signing in")
        self._say(text)
        self.sign_in_failed.emit(text)


class SignInAgainDialog(QDialog):
    """ "Sign in again" for an OAuth mailbox whose sign-in expired or was revoked: the browser
    sign-in, a login test with it, then the new refresh token into the keyring (all off the GUI
    thread). Emits `signed_in_again(str)` with the account's name."""

    signed_in_again = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        settings: AccountSettings,
        open_url: Callable[[str], bool] = open_in_browser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.settings = settings
        name = oauth.provider(settings.oauth_provider or "").name
        self.setWindowTitle(self.tr("Sign in again"))
        layout = QVBoxLayout(self)
        text = QLabel(
            self.tr(
                "Shopdesk can no longer reach {email}: its {name} sign-in expired or was "
                "revoked. Sign in again to go on syncing and sending."
            ).format(email=settings.email, name=name)
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.box = SignInBox(tasks, open_url)
        self.box.login_hint = settings.email
        self.box.set_provider(settings.oauth_provider)
        layout.addWidget(self.box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.box.signed_in.connect(self._save)
        self.resize(460, self.sizeHint().height())

    def done(self, result: int) -> None:
        """Cancel, Esc and the window's X end a browser sign-in still waiting."""
        self.box.cancel()
        super().done(result)

    def _save(self, tokens: TokenSet) -> None:
        settings = self.settings
        self.box.button.setEnabled(False)
        self.box.status.setText(
            self.tr("Checking the sign-in with {host}…").format(host=settings.imap.host)
        )
        self.tasks.run_net(
            lambda: signin.renew(settings, tokens),
            lambda _none: self._saved() if shiboken6.isValid(self) else None,
            lambda exc: self._failed(exc) if shiboken6.isValid(self) else None,
        )

    def _saved(self) -> None:
        self.signed_in_again.emit(self.settings.name)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.box.button.setEnabled(True)
        self.box.tokens = None
        self.box.status.setText(plain_error(exc, "signing in again"))
