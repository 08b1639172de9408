"""Telling the merchant reminders are due: an in-app banner always, a tray note where possible."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSystemTrayIcon, QWidget

if TYPE_CHECKING:
    from desktop_app.core.reminders.model import Reminder

TRAY_SHOWN_MS = 8_000


class ReminderBanner(QFrame):
    """ "3 reminders due — Show", visible while anything is due. Signal: `show_clicked()`."""

    show_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setAccessibleName(self.tr("Reminders due"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        self.label = QLabel()
        layout.addWidget(self.label, 1)
        self.button = QPushButton(self.tr("Show"))
        self.button.setAccessibleName(self.tr("Show the reminders due"))
        layout.addWidget(self.button)
        self.button.clicked.connect(self.show_clicked)
        self.hide()

    def set_count(self, count: int) -> None:
        text = self.tr("%n reminder(s) due", "", count)
        self.label.setText(f"<b>{text}</b> — " + self.tr("follow-ups waiting for you"))
        self.setVisible(count > 0)


class TrayNotifier(QObject):
    """A system notification for reminders newly due, once each; silent without a tray.

    Signal: `message_clicked()` when the merchant clicks the notification.
    """

    message_clicked = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("Shopdesk")
            self.tray.messageClicked.connect(self.message_clicked)
            self.tray.show()
        self._told: set[str] = set()
        self.last_text = ""  # what the last notification said (shown or, without a tray, not)

    def notify(self, due: Sequence[Reminder]) -> bool:
        """Tell about the reminders not told before; True when there were any."""
        new = [r for r in due if r.key not in self._told]
        self._told.update(r.key for r in due)
        if not new:
            return False
        if len(new) == 1:
            self.last_text = new[0].title
        else:
            self.last_text = self.tr("%n reminder(s) newly due", "", len(new))
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(
                self.tr("Shopdesk reminders"),
                self.last_text,
                QSystemTrayIcon.MessageIcon.Information,
                TRAY_SHOWN_MS,
            )
        return True

    def already_told(self, keys: Sequence[str]) -> None:
        """These were shown another way (the away dialog): no notification for them."""
        self._told.update(keys)

    def stop(self) -> None:
        if self.tray is not None:
            self.tray.hide()
