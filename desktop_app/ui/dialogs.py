"""Small dialogs: snooze until, tags, a note, the sheet of keyboard shortcuts.

Each `ask_*` function builds its dialog, hands it to an optional `dialog_hook` (tests drive the
dialog from there, e.g. with `QTimer.singleShot(0, ...)`), runs it and returns the answer, or
None when the merchant cancelled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

DialogHook = Callable[[QDialog], None]


def _run(dialog: QDialog, hook: DialogHook | None) -> bool:
    if hook is not None:
        hook(dialog)
    return dialog.exec() == QDialog.DialogCode.Accepted


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


# ---------------------------------------------------------------- snooze


def snooze_presets(now: datetime) -> list[tuple[str, datetime]]:
    """(key, time) of the presets: the computer's local time, aware when `now` is aware."""
    if now.tzinfo is not None:
        now = now.astimezone()
    day = now.date()

    def at(d: date, hour: int) -> datetime:
        return datetime.combine(d, time(hour), tzinfo=now.tzinfo)

    presets = []
    if now < at(day, 18):
        presets.append(("later", at(day, 18)))
    presets.append(("tomorrow", at(day + timedelta(days=1), 8)))
    monday = day + timedelta(days=(7 - day.weekday()) or 7)
    presets.append(("monday", at(monday, 8)))
    presets.append(("week", at(day + timedelta(days=7), 8)))
    return presets


class SnoozeDialog(QDialog):
    """Presets (later today, tomorrow, next Monday, in a week) and a custom date and time."""

    def __init__(self, parent: QWidget | None, now: datetime) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Snooze until"))
        self.now = now
        labels = {
            "later": self.tr("Later today"),
            "tomorrow": self.tr("Tomorrow morning"),
            "monday": self.tr("Next Monday"),
            "week": self.tr("In a week"),
        }
        layout = QVBoxLayout(self)
        self.choices: dict[str, tuple[QRadioButton, datetime | None]] = {}
        locale = QLocale()
        for key, when in snooze_presets(now):
            stamp = locale.toString(_qdatetime(when), QLocale.FormatType.ShortFormat)
            button = QRadioButton(f"{labels[key]}   ({stamp})")
            layout.addWidget(button)
            self.choices[key] = (button, when)
        self.custom_button = QRadioButton(self.tr("Pick a date and time:"))
        layout.addWidget(self.custom_button)
        self.custom = QDateTimeEdit(_qdatetime(now + timedelta(days=2)))
        self.custom.setCalendarPopup(True)
        self.custom.setMinimumDateTime(_qdatetime(now))
        self.custom.setAccessibleName(self.tr("Custom snooze time"))
        self.custom.dateTimeChanged.connect(lambda _v: self.custom_button.setChecked(True))
        layout.addWidget(self.custom)
        self.choices["custom"] = (self.custom_button, None)
        next(iter(self.choices.values()))[0].setChecked(True)
        layout.addWidget(_buttons(self, self.tr("Snooze")))

    def choose(self, key: str) -> None:
        self.choices[key][0].setChecked(True)

    def value(self) -> datetime:
        for button, when in self.choices.values():
            if button.isChecked() and when is not None:
                return when
        picked = self.custom.dateTime().toPython()
        assert isinstance(picked, datetime)
        if self.now.tzinfo is not None:
            picked = picked.replace(tzinfo=None).astimezone()  # naive local -> aware local
        return picked


def _qdatetime(value: datetime) -> QDateTime:
    if value.tzinfo is not None:
        value = value.astimezone()  # shown in the computer's local time
    return QDateTime(
        QDate(value.year, value.month, value.day),
        QTime(value.hour, value.minute, value.second),
    )


def ask_snooze(
    parent: QWidget | None, now: datetime, dialog_hook: DialogHook | None = None
) -> datetime | None:
    dialog = SnoozeDialog(parent, now)
    return dialog.value() if _run(dialog, dialog_hook) else None


# ---------------------------------------------------------------- tags


class TagsDialog(QDialog):
    """Known tags as checkboxes (checked when the case has them) and a field for new ones."""

    def __init__(self, parent: QWidget | None, current: Sequence[str], known: Sequence[str]):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tags"))
        self.current = list(dict.fromkeys(current))
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Tags"))
        for tag in sorted(set(known) | set(current), key=str.casefold):
            item = QListWidgetItem(tag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if tag in self.current else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        layout.addWidget(self.list)
        layout.addWidget(QLabel(self.tr("New tags (separated by commas):")))
        self.new = QLineEdit()
        self.new.setAccessibleName(self.tr("New tags"))
        self.new.setPlaceholderText(self.tr("e.g. refund, wholesale"))
        layout.addWidget(self.new)
        layout.addWidget(_buttons(self, self.tr("Apply")))

    def set_checked(self, tag: str, checked: bool) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.text() == tag:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def value(self) -> tuple[list[str], list[str]]:
        checked = [
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
        typed = [t.strip() for t in self.new.text().split(",") if t.strip()]
        wanted = list(dict.fromkeys(checked + typed))
        added = [t for t in wanted if t not in self.current]
        removed = [t for t in self.current if t not in wanted]
        return added, removed


def ask_tags(
    parent: QWidget | None,
    current: Sequence[str],
    known: Sequence[str],
    dialog_hook: DialogHook | None = None,
) -> tuple[list[str], list[str]] | None:
    """(added, removed), or None when cancelled."""
    dialog = TagsDialog(parent, current, known)
    return dialog.value() if _run(dialog, dialog_hook) else None


# ---------------------------------------------------------------- note


class NoteDialog(QDialog):
    """A multi-line field for an internal note (never sent to the customer)."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a note"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Internal note (the customer never sees it):")))
        self.edit = QPlainTextEdit()
        self.edit.setAccessibleName(self.tr("Note"))
        layout.addWidget(self.edit)
        buttons = _buttons(self, self.tr("Add note"))
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.edit.textChanged.connect(lambda: ok.setEnabled(bool(self.value())))
        layout.addWidget(buttons)
        self.resize(420, 220)

    def value(self) -> str:
        return self.edit.toPlainText().strip()


def ask_note(parent: QWidget | None, dialog_hook: DialogHook | None = None) -> str | None:
    dialog = NoteDialog(parent)
    if not _run(dialog, dialog_hook):
        return None
    return dialog.value() or None


# ---------------------------------------------------------------- shortcuts


class ShortcutsDialog(QDialog):
    """The sheet of keyboard shortcuts: key -> what it does."""

    def __init__(self, parent: QWidget | None, shortcuts: Sequence[tuple[str, str]]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(shortcuts), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Key"), self.tr("Action")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, (key, description) in enumerate(shortcuts):
            key_item = QTableWidgetItem(key)
            font = key_item.font()
            font.setBold(True)
            key_item.setFont(font)
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, QTableWidgetItem(description))
        layout.addWidget(self.table)
        note = QLabel(self.tr("Single-key shortcuts do not fire while you type in a field."))
        note.setWordWrap(True)
        layout.addWidget(note)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.resize(460, 520)
