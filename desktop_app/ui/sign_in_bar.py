"""A bar over the cases when a mailbox's Google or Microsoft sign-in expired: "Sign in again"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.ui.signin import SignInAgainDialog
from desktop_app.ui.taskman import TaskManager


class SignInBar(QFrame):
    """Names the mailboxes whose sign-in must be renewed; the button opens the Sign in again
    dialog for the first of them. Emits `signed_in_again(str)` with the mailbox's name."""

    signed_in_again = Signal(str)

    def __init__(
        self,
        tasks: TaskManager,
        make_dialog: Callable[..., SignInAgainDialog] = SignInAgainDialog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.make_dialog = tasks, make_dialog
        self.setObjectName("signInBar")
        self.setAccessibleName(self.tr("Sign-in expired"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.button = QPushButton(self.tr("Sign in again"))
        layout.addWidget(self.button)
        self.button.clicked.connect(self.open_dialog)
        self.waiting: dict[str, AccountSettings] = {}  # by mailbox name, in order of failure
        self.dialog: SignInAgainDialog | None = None
        self.hide()

    def expired(self, settings: AccountSettings) -> None:
        """The sync of `settings` found its sign-in expired or revoked."""
        self.waiting[settings.name] = settings
        self._update()

    def open_dialog(self) -> None:
        if not self.waiting or (self.dialog is not None and self.dialog.isVisible()):
            return
        settings = next(iter(self.waiting.values()))
        self.dialog = self.make_dialog(self.tasks, settings, parent=self.window())
        self.dialog.signed_in_again.connect(self._renewed)
        self.dialog.open()

    def _renewed(self, name: str) -> None:
        self.waiting.pop(name, None)
        self._update()
        self.signed_in_again.emit(name)

    def _update(self) -> None:
        if not self.waiting:
            self.hide()
            return
        emails = ", ".join(s.email for s in self.waiting.values())
        self.label.setText(
            self.tr(
                "<b>Shopdesk cannot reach {emails}:</b> the sign-in expired or was revoked. "
                "Mail is not synced or sent until you sign in again."
            ).format(emails=emails)
        )
        self.show()
