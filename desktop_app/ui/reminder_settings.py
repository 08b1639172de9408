"""Reminder settings: each rule on or off with its parameters, the shop's time zone and hours.

Reads `Reminders.settings()` and writes `Reminders.save_settings()` through the task bridge;
the core checks what is saved (a ConfigError is shown as one plain line, nothing is saved).
"""

from __future__ import annotations

import dataclasses
import zoneinfo
from functools import cache
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.errors import ConfigError, ShopdeskError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.reminders.model import ReminderSettings
from desktop_app.ui.taskman import TaskManager


@cache
def time_zones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


class HourSpin(QSpinBox):
    """A whole local hour, shown as 09:00 (24:00 is the end of the day)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, 24)

    def textFromValue(self, value: int) -> str:
        return f"{value:02d}:00"

    def valueFromText(self, text: str) -> int:
        digits = text.split(":", 1)[0].strip()
        return int(digits) if digits.isdigit() else self.value()

    def validate(self, text: str, pos: int) -> Any:
        from PySide6.QtGui import QValidator

        head = text.split(":", 1)[0].strip()
        if not head:
            return (QValidator.State.Intermediate, text, pos)
        if head.isdigit() and 0 <= int(head) <= 24:
            return (QValidator.State.Acceptable, text, pos)
        return (QValidator.State.Invalid, text, pos)


class ReminderSettingsDialog(QDialog):
    """Edits `ReminderSettings`; loads and saves in the background.

    Signals: `loaded(object)` with the settings read, `saved(object)` with the settings written
    (the dialog then closes), `failed(str)` with a plain message shown in the dialog.
    """

    loaded = Signal(object)
    saved = Signal(object)
    failed = Signal(str)

    def __init__(self, tasks: TaskManager, mailbox: Mailbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks, self.mailbox = tasks, mailbox
        self.current: ReminderSettings | None = None
        self.setObjectName("reminderSettingsDialog")
        self.setWindowTitle(self.tr("Reminder settings"))
        self.setAccessibleName(self.tr("Reminder settings"))
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        grid.addWidget(self._waiting_group(), 0, 0)
        grid.addWidget(self._snooze_group(), 1, 0)
        grid.addWidget(self._greetings_group(), 2, 0)
        grid.addWidget(self._first_response_group(), 3, 0)
        grid.addWidget(self._review_group(), 0, 1)
        grid.addWidget(self._replenish_group(), 1, 1, 3, 1)
        grid.addWidget(self._shop_time_group(), 4, 0, 1, 2)
        self.form = QWidget()
        self.form.setLayout(grid)
        layout.addWidget(self.form)
        self.message = QLabel()
        self.message.setObjectName("settingsMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Message"))
        self.message.setStyleSheet("color: #b3261e;")
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(self.tr("Save reminder settings"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for box, fields in self._switches():
            box.toggled.connect(lambda on, fields=fields: [f.setEnabled(on) for f in fields])
        self._set_busy(True)
        self.tasks.run_db(self.mailbox.reminders.settings, self._loaded, self._failed)

    # -- building
    def _check(self, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setAccessibleName(text)
        return box

    def _spin(self, low: int, high: int, name: str, suffix: str = "") -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setAccessibleName(name)
        return spin

    def _group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        group = QGroupBox(title)
        group.setAccessibleName(title)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        return group, form

    def _waiting_group(self) -> QGroupBox:
        group, form = self._group(self.tr("Waiting on the customer"))
        self.waiting_on = self._check(self.tr("Remind me when my question gets no answer"))
        self.waiting_days = self._spin(1, 90, self.tr("Days without an answer"), self.tr(" days"))
        form.addRow(self.waiting_on)
        form.addRow(self.tr("After:"), self.waiting_days)
        return group

    def _snooze_group(self) -> QGroupBox:
        group, form = self._group(self.tr("Snooze"))
        self.snooze_on = self._check(self.tr("Snoozed cases come back at their time"))
        self.snooze_wake_on_reply = self._check(self.tr("…or at once when the customer writes"))
        form.addRow(self.snooze_on)
        form.addRow(self.snooze_wake_on_reply)
        return group

    def _review_group(self) -> QGroupBox:
        group, form = self._group(self.tr("Review request"))
        self.review_on = self._check(self.tr("Offer a review request after delivery"))
        self.review_days = self._spin(7, 15, self.tr("Days after delivery"), self.tr(" days"))
        self.transit_days = self._spin(
            0, 60, self.tr("Default transit days, when no delivery notice came"), self.tr(" days")
        )
        self.transit_days.setToolTip(
            self.tr("Delivery is taken as the shipping date plus this, when no notice says so.")
        )
        form.addRow(self.review_on)
        form.addRow(self.tr("Days after delivery (7-15):"), self.review_days)
        form.addRow(self.tr("Default transit time:"), self.transit_days)
        return group

    def _replenish_group(self) -> QGroupBox:
        group, form = self._group(self.tr("Replenishment"))
        self.replenish_on = self._check(self.tr("Offer a refill reminder after a purchase"))
        self.replenish_from = QComboBox()
        self.replenish_from.addItem(self.tr("delivery (else the order date)"), "delivered")
        self.replenish_from.addItem(self.tr("the order date"), "placed")
        self.replenish_from.setAccessibleName(self.tr("Count the interval from"))
        self.replenish_table = QTableWidget(0, 2)
        self.replenish_table.setHorizontalHeaderLabels(
            [self.tr("Product, SKU prefix or category"), self.tr("Days")]
        )
        self.replenish_table.setAccessibleName(self.tr("Replenishment intervals"))
        header = self.replenish_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.replenish_table.verticalHeader().hide()
        self.replenish_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_interval = QPushButton(self.tr("Add"))
        self.add_interval.setAccessibleName(self.tr("Add a replenishment interval"))
        self.add_interval.clicked.connect(self.add_interval_row)
        self.remove_interval = QPushButton(self.tr("Remove"))
        self.remove_interval.setAccessibleName(self.tr("Remove the selected interval"))
        self.remove_interval.clicked.connect(self.remove_interval_rows)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_interval)
        buttons.addWidget(self.remove_interval)
        buttons.addStretch(1)
        form.addRow(self.replenish_on)
        form.addRow(self.tr("Count from:"), self.replenish_from)
        form.addRow(self.replenish_table)
        form.addRow(buttons)
        return group

    def _greetings_group(self) -> QGroupBox:
        group, form = self._group(self.tr("Birthdays and anniversaries"))
        self.birthday_on = self._check(self.tr("Customer birthdays"))
        self.anniversary_on = self._check(self.tr("Customer anniversaries"))
        self.greeting_hour = HourSpin()
        self.greeting_hour.setRange(0, 23)
        self.greeting_hour.setAccessibleName(self.tr("Greetings fall due at"))
        form.addRow(self.birthday_on)
        form.addRow(self.anniversary_on)
        form.addRow(self.tr("Due at:"), self.greeting_hour)
        return group

    def _first_response_group(self) -> QGroupBox:
        group, form = self._group(self.tr("First response"))
        self.first_response_on = self._check(self.tr("Flag customer mail left unanswered"))
        self.first_response_hours = QDoubleSpinBox()
        self.first_response_hours.setRange(0.5, 200.0)
        self.first_response_hours.setSingleStep(0.5)
        self.first_response_hours.setDecimals(1)
        self.first_response_hours.setSuffix(self.tr(" working hours"))
        self.first_response_hours.setAccessibleName(self.tr("First-response goal in working hours"))
        form.addRow(self.first_response_on)
        form.addRow(self.tr("After:"), self.first_response_hours)
        return group

    def _shop_time_group(self) -> QGroupBox:
        group, form = self._group(self.tr("The shop's time"))
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.timezone.addItems(time_zones())
        self.timezone.setMaxVisibleItems(20)
        self.timezone.setMinimumContentsLength(24)
        self.timezone.setAccessibleName(self.tr("Time zone"))
        self.work_start = HourSpin()
        self.work_start.setAccessibleName(self.tr("Working hours start"))
        self.work_end = HourSpin()
        self.work_end.setAccessibleName(self.tr("Working hours end"))
        hours = QHBoxLayout()
        hours.addWidget(self.work_start)
        hours.addWidget(QLabel(self.tr("to")))
        hours.addWidget(self.work_end)
        hours.addStretch(1)
        days = QHBoxLayout()
        locale = QLocale()
        self.work_day_boxes: list[QCheckBox] = []
        for day in range(7):  # Monday = 0, as the core counts
            box = QCheckBox(locale.dayName(day + 1, QLocale.FormatType.ShortFormat))
            box.setAccessibleName(locale.dayName(day + 1, QLocale.FormatType.LongFormat))
            self.work_day_boxes.append(box)
            days.addWidget(box)
        days.addStretch(1)
        self.lookback_days = self._spin(
            1, 365, self.tr("List due reminders from the last days"), self.tr(" days")
        )
        form.addRow(self.tr("Time zone:"), self.timezone)
        form.addRow(self.tr("Working hours:"), hours)
        form.addRow(self.tr("Working days:"), days)
        form.addRow(self.tr("List due reminders from the last:"), self.lookback_days)
        return group

    def _switches(self) -> list[tuple[QCheckBox, list[QWidget]]]:
        return [
            (self.waiting_on, [self.waiting_days]),
            (self.snooze_on, [self.snooze_wake_on_reply]),
            (self.review_on, [self.review_days, self.transit_days]),
            (
                self.replenish_on,
                [
                    self.replenish_from,
                    self.replenish_table,
                    self.add_interval,
                    self.remove_interval,
                ],
            ),
            (self.first_response_on, [self.first_response_hours]),
        ]

    # -- replenishment rows
    def add_interval_row(self, match: str = "", days: int = 70) -> None:
        row = self.replenish_table.rowCount()
        self.replenish_table.insertRow(row)
        match_item = QTableWidgetItem(match)
        self.replenish_table.setItem(row, 0, match_item)
        days_item = QTableWidgetItem(str(days))
        days_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.replenish_table.setItem(row, 1, days_item)
        if not match:
            self.replenish_table.setCurrentCell(row, 0)
            self.replenish_table.editItem(match_item)

    def remove_interval_rows(self) -> None:
        rows = {index.row() for index in self.replenish_table.selectedIndexes()}
        if not rows and self.replenish_table.currentRow() >= 0:
            rows = {self.replenish_table.currentRow()}
        for row in sorted(rows, reverse=True):
            self.replenish_table.removeRow(row)

    def _intervals(self) -> tuple[tuple[str, int], ...]:
        found = []
        for row in range(self.replenish_table.rowCount()):
            match_item = self.replenish_table.item(row, 0)
            days_item = self.replenish_table.item(row, 1)
            match = match_item.text().strip() if match_item else ""
            text = days_item.text().strip() if days_item else ""
            if not match and not text:
                continue  # an empty row just added: ignored
            if not text.isdigit():
                raise ConfigError(
                    self.tr("Replenishment: “{days}” is not a number of days ({match}).").format(
                        days=text, match=match or self.tr("row {n}").format(n=row + 1)
                    )
                )
            found.append((match, int(text)))
        return tuple(found)

    # -- reading and writing
    def show_settings(self, s: ReminderSettings) -> None:
        self.current = s
        for name in (
            "waiting_on",
            "snooze_on",
            "snooze_wake_on_reply",
            "review_on",
            "replenish_on",
            "birthday_on",
            "anniversary_on",
            "first_response_on",
        ):
            getattr(self, name).setChecked(getattr(s, name))
        for name in ("waiting_days", "review_days", "greeting_hour", "work_start", "work_end"):
            getattr(self, name).setValue(getattr(s, name))
        self.lookback_days.setValue(s.lookback_days)
        self.first_response_hours.setValue(s.first_response_hours)
        self.transit_days.setValue(s.transit_days.get("default", 4))
        self.replenish_from.setCurrentIndex(max(0, self.replenish_from.findData(s.replenish_from)))
        self.replenish_table.setRowCount(0)
        for match, days in s.replenish:
            self.add_interval_row(match, days)
        self.timezone.setCurrentText(s.timezone)
        for day, box in enumerate(self.work_day_boxes):
            box.setChecked(day in s.work_days)
        for box, fields in self._switches():
            for f in fields:
                f.setEnabled(box.isChecked())

    def settings_from_form(self) -> ReminderSettings:
        """What the widgets say; ConfigError for an interval's days (the core checks the rest)."""
        base = self.current or ReminderSettings()
        return dataclasses.replace(
            base,
            waiting_on=self.waiting_on.isChecked(),
            waiting_days=self.waiting_days.value(),
            snooze_on=self.snooze_on.isChecked(),
            snooze_wake_on_reply=self.snooze_wake_on_reply.isChecked(),
            review_on=self.review_on.isChecked(),
            review_days=self.review_days.value(),
            transit_days={**base.transit_days, "default": self.transit_days.value()},
            replenish_on=self.replenish_on.isChecked(),
            replenish=self._intervals(),
            replenish_from=str(self.replenish_from.currentData()),
            birthday_on=self.birthday_on.isChecked(),
            anniversary_on=self.anniversary_on.isChecked(),
            greeting_hour=self.greeting_hour.value(),
            first_response_on=self.first_response_on.isChecked(),
            first_response_hours=self.first_response_hours.value(),
            timezone=self.timezone.currentText().strip(),
            work_start=self.work_start.value(),
            work_end=self.work_end.value(),
            work_days=tuple(d for d, box in enumerate(self.work_day_boxes) if box.isChecked()),
            lookback_days=self.lookback_days.value(),
        )

    def save(self) -> None:
        self.message.hide()
        try:
            wanted = self.settings_from_form()
        except ConfigError as exc:
            self._show_problem(str(exc))
            return
        self._set_busy(True)
        reminders = self.mailbox.reminders

        def write() -> ReminderSettings:
            reminders.save_settings(wanted)
            return wanted

        self.tasks.run_db(write, self._saved, self._failed)

    def _loaded(self, s: ReminderSettings) -> None:
        self.show_settings(s)
        self._set_busy(False)
        self.loaded.emit(s)

    def _saved(self, s: ReminderSettings) -> None:
        self.current = s
        self._set_busy(False)
        self.saved.emit(s)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ShopdeskError):
            self._show_problem(str(exc))
        else:
            self._show_problem(self.tr("The reminder settings could not be read or saved."))

    def _show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.failed.emit(text)

    def _set_busy(self, busy: bool) -> None:
        self.form.setEnabled(not busy)
        self.save_button.setEnabled(not busy and self.current is not None)


def open_reminder_settings(
    tasks: TaskManager, mailbox: Mailbox, parent: QWidget, on_saved: Any = None
) -> ReminderSettingsDialog:
    """The dialog, shown window-modal; deleted when closed."""
    dialog = ReminderSettingsDialog(tasks, mailbox, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_saved is not None:
        dialog.saved.connect(lambda _s: on_saved())
    dialog.open()
    return dialog
