""" "While you were away": each reminder due since the last run, with Open and Dismiss."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.dates import local_time
from desktop_app.ui.models.reminder_model import relative

if TYPE_CHECKING:
    from desktop_app.core.reminders.model import Reminder


class AwayRow(QFrame):
    """One reminder: its title, who and when, and its two buttons."""

    def __init__(self, reminder: Reminder, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reminder = reminder
        self.setObjectName("awayRow")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        who = reminder.customer_name or reminder.customer_email
        facts = [who]
        if reminder.order_number:
            facts.append(f"#{reminder.order_number}")
        stamp = local_time(reminder.due_at)
        facts.append(
            self.tr("due {when} ({ago})").format(when=stamp, ago=relative(reminder.due_at, now))
        )
        self.label = QLabel(f"<b>{_escape(reminder.title)}</b><br>{_escape(' · '.join(facts))}")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setAccessibleName(self.tr("Open: {title}").format(title=reminder.title))
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.setAccessibleName(
            self.tr("Dismiss: {title}").format(title=reminder.title)
        )
        layout.addWidget(self.open_button)
        layout.addWidget(self.dismiss_button)


class AwayDialog(QDialog):
    """Lists `Reminders.away()`; the caller marks them seen when it closes.

    Signals: `open_requested(object)` and `dismiss_requested(object)` with the `Reminder`.
    """

    open_requested = Signal(object)
    dismiss_requested = Signal(object)

    def __init__(
        self,
        reminders: Sequence[Reminder],
        clock: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("awayDialog")
        self.setWindowTitle(self.tr("While you were away"))
        self.resize(640, 460)
        now = clock()
        layout = QVBoxLayout(self)
        self.heading = QLabel(
            self.tr("%n reminder(s) fell due while Shopdesk was closed.", "", len(reminders))
        )
        layout.addWidget(self.heading)
        holder = QWidget()
        self.rows_layout = QVBoxLayout(holder)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(2)
        self.rows: list[AwayRow] = []
        for reminder in reminders:
            row = AwayRow(reminder, now)
            row.open_button.clicked.connect(lambda _c=False, r=row: self._open(r))
            row.dismiss_button.clicked.connect(lambda _c=False, r=row: self._dismiss(r))
            self.rows_layout.addWidget(row)
            self.rows.append(row)
        self.rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)
        note = QLabel(self.tr("What you neither open nor dismiss here stays in the Due list."))
        note.setEnabled(False)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        if self.rows:
            self.rows[0].open_button.setFocus()

    def listed_keys(self) -> list[str]:
        """The reminders still listed."""
        return [row.reminder.key for row in self.rows]

    def _open(self, row: AwayRow) -> None:
        row.open_button.setText(self.tr("Opened"))
        self.open_requested.emit(row.reminder)

    def _dismiss(self, row: AwayRow) -> None:
        self.rows.remove(row)
        row.hide()
        row.deleteLater()
        self.dismiss_requested.emit(row.reminder)
        self.heading.setText(
            self.tr("%n reminder(s) fell due while Shopdesk was closed.", "", len(self.rows))
        )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
