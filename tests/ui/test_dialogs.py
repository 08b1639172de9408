"""Snooze, tags, note and shortcuts dialogs, driven through their hooks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog

from desktop_app.ui.dialogs import (
    NoteDialog,
    ShortcutsDialog,
    SnoozeDialog,
    TagsDialog,
    ask_note,
    ask_snooze,
    ask_tags,
    snooze_presets,
)


def drive(action: Any) -> Any:
    """A dialog hook that runs `action(dialog)` once the dialog's event loop is running."""

    def hook(dialog: QDialog) -> None:
        QTimer.singleShot(0, lambda: action(dialog))

    return hook


def test_snooze_presets_follow_the_clock() -> None:
    wednesday_morning = datetime(2026, 11, 25, 9, 30)
    presets = dict(snooze_presets(wednesday_morning))
    assert presets["later"] == datetime(2026, 11, 25, 18, 0)
    assert presets["tomorrow"] == datetime(2026, 11, 26, 8, 0)
    assert presets["monday"] == datetime(2026, 11, 30, 8, 0)
    assert presets["week"] == datetime(2026, 12, 2, 8, 0)
    evening = dict(snooze_presets(datetime(2026, 11, 30, 19, 0)))  # a Monday evening
    assert "later" not in evening
    assert evening["monday"] == datetime(2026, 12, 7, 8, 0)


def test_snooze_presets_keep_aware_times_aware() -> None:
    presets = dict(snooze_presets(datetime(2026, 11, 25, 9, 30, tzinfo=UTC)))
    assert all(when.tzinfo is not None for when in presets.values())
    assert presets["tomorrow"] > datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def test_ask_snooze_returns_the_chosen_preset(qtbot: Any) -> None:
    now = datetime(2026, 11, 25, 9, 30)

    def choose(dialog: SnoozeDialog) -> None:
        dialog.choose("monday")
        dialog.accept()

    assert ask_snooze(None, now, dialog_hook=drive(choose)) == datetime(2026, 11, 30, 8, 0)


def test_ask_snooze_custom_time_and_cancel(qtbot: Any) -> None:
    now = datetime(2026, 11, 25, 9, 30)
    wanted = now + timedelta(days=3, hours=2)

    def custom(dialog: SnoozeDialog) -> None:
        dialog.custom.setDateTime(wanted)
        assert dialog.custom_button.isChecked()
        dialog.accept()

    assert ask_snooze(None, now, dialog_hook=drive(custom)) == wanted
    assert ask_snooze(None, now, dialog_hook=drive(lambda d: d.reject())) is None


def test_ask_tags_returns_added_and_removed(qtbot: Any) -> None:
    def edit(dialog: TagsDialog) -> None:
        assert dialog.list.count() == 3
        dialog.set_checked("refund", False)
        dialog.set_checked("wholesale", True)
        dialog.new.setText(" vip, refund2 ,")
        dialog.accept()

    result = ask_tags(None, ["refund", "late"], ["late", "wholesale"], dialog_hook=drive(edit))
    assert result == (["wholesale", "vip", "refund2"], ["refund"])
    assert ask_tags(None, [], [], dialog_hook=drive(lambda d: d.reject())) is None


def test_ask_note_needs_text(qtbot: Any) -> None:
    def write(dialog: NoteDialog) -> None:
        dialog.edit.setPlainText("  Refund promised by Friday.  ")
        dialog.accept()

    assert ask_note(None, dialog_hook=drive(write)) == "Refund promised by Friday."
    assert ask_note(None, dialog_hook=drive(lambda d: d.accept())) is None


def test_shortcuts_dialog_lists_keys(qtbot: Any) -> None:
    dialog = ShortcutsDialog(None, [("j", "Next case"), ("e", "Archive")])
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(1, 0).text() == "e"
    assert dialog.table.item(1, 1).text() == "Archive"
