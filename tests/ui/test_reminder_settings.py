"""The reminder settings dialog: loads in the background, saves what the widgets say."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox

from desktop_app.core.mailbox import Mailbox
from desktop_app.ui.reminder_settings import ReminderSettingsDialog
from desktop_app.ui.taskman import TaskManager
from tests.ui.test_screenshots import shot


def opened(qtbot: Any, tasks: TaskManager, box: Mailbox) -> ReminderSettingsDialog:
    dialog = ReminderSettingsDialog(tasks, box)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.show()
    return dialog


def tick(qtbot: Any, box: QCheckBox) -> None:
    """A click on the box itself (the widget may be wider than its text)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))


def test_changes_are_saved(qtbot: Any, tasks: TaskManager, empty_box: Mailbox) -> None:
    dialog = opened(qtbot, tasks, empty_box)
    assert dialog.review_days.value() == 10 and dialog.timezone.currentText() == "Europe/Riga"
    assert dialog.review_days.minimum() == 7 and dialog.review_days.maximum() == 15
    dialog.resize(dialog.sizeHint())
    shot(dialog, "reminder-settings")

    dialog.review_days.setValue(12)
    dialog.review_days.setValue(30)  # beyond the range: stays at 15
    assert dialog.review_days.value() == 15
    dialog.review_days.setValue(12)
    tick(qtbot, dialog.birthday_on)
    tick(qtbot, dialog.waiting_on)
    assert not dialog.waiting_days.isEnabled()  # its parameters follow the switch
    dialog.timezone.setCurrentText("Europe/Berlin")
    tick(qtbot, dialog.work_day_boxes[4])  # no Fridays
    dialog.add_interval_row("candles", 90)
    dialog.replenish_table.selectRow(0)  # "face cream"
    qtbot.mouseClick(dialog.remove_interval, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    s = empty_box.reminders.settings()
    assert s.review_days == 12 and not s.birthday_on and not s.waiting_on and s.anniversary_on
    assert s.timezone == "Europe/Berlin" and s.work_days == (0, 1, 2, 3)
    assert s.replenish[-1] == ("candles", 90) and ("face cream", 70) not in s.replenish
    assert not dialog.isVisible()


def test_an_unknown_time_zone_saves_nothing(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox
) -> None:
    dialog = opened(qtbot, tasks, empty_box)
    dialog.review_days.setValue(8)
    dialog.timezone.setCurrentText("Mars/Olympus")
    with qtbot.waitSignal(dialog.failed, timeout=5000) as failed:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "'Mars/Olympus' is not a known time zone" in failed.args[0]
    assert dialog.message.isVisible() and "Mars/Olympus" in dialog.message.text()
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert empty_box.reminders.settings().review_days == 10
    shot(dialog, "reminder-settings-error")


def test_a_bad_interval_is_told_before_saving(
    qtbot: Any, tasks: TaskManager, empty_box: Mailbox
) -> None:
    dialog = opened(qtbot, tasks, empty_box)
    dialog.add_interval_row("candles", 90)
    dialog.replenish_table.item(dialog.replenish_table.rowCount() - 1, 1).setText("soon")
    with qtbot.waitSignal(dialog.failed, timeout=1000) as failed:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "soon" in failed.args[0] and "candles" in failed.args[0]
    assert ("candles", 90) not in empty_box.reminders.settings().replenish


def test_the_menu_opens_it(qtbot: Any, tasks: TaskManager, demo_box: Mailbox) -> None:
    from tests.ui.test_main_window import open_window

    window = open_window(qtbot, tasks, demo_box)
    [action] = [a for a in window.menuBar().actions()[0].menu().actions() if "Reminder" in a.text()]
    action.trigger()
    dialog = window.findChild(ReminderSettingsDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.current is not None, timeout=5000)
    dialog.reject()
