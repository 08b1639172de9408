"""The keyboard, declared once: key, action name and description (Gmail's keys where it has one)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


@dataclass(frozen=True, slots=True)
class Shortcut:
    """One key: `action` names the handler the main window gives for it."""

    key: str  # a QKeySequence string ("J", "Shift+I", "#")
    action: str
    description: str  # English, marked for translation; see `describe`
    shown: str = ""  # how the sheet writes the key, when not the key itself


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("J", "next_case", QT_TRANSLATE_NOOP("Shortcuts", "Next case"), "j"),
    Shortcut("K", "previous_case", QT_TRANSLATE_NOOP("Shortcuts", "Previous case"), "k"),
    Shortcut("O", "open_case", QT_TRANSLATE_NOOP("Shortcuts", "Open the case"), "o / Enter"),
    Shortcut("U", "back_to_list", QT_TRANSLATE_NOOP("Shortcuts", "Back to the case list"), "u"),
    Shortcut("E", "archive", QT_TRANSLATE_NOOP("Shortcuts", "Archive"), "e"),
    Shortcut("#", "delete", QT_TRANSLATE_NOOP("Shortcuts", "Delete (to Trash)"), "#"),
    Shortcut("R", "reply", QT_TRANSLATE_NOOP("Shortcuts", "Reply"), "r"),
    Shortcut("A", "reply_all", QT_TRANSLATE_NOOP("Shortcuts", "Reply to all"), "a"),
    Shortcut("F", "forward", QT_TRANSLATE_NOOP("Shortcuts", "Forward"), "f"),
    Shortcut("C", "compose", QT_TRANSLATE_NOOP("Shortcuts", "Write a new message"), "c"),
    Shortcut("/", "search", QT_TRANSLATE_NOOP("Shortcuts", "Search"), "/"),
    Shortcut("S", "star", QT_TRANSLATE_NOOP("Shortcuts", "Star or unstar"), "s"),
    Shortcut("Shift+I", "mark_read", QT_TRANSLATE_NOOP("Shortcuts", "Mark as read"), "Shift+I"),
    Shortcut("Shift+U", "mark_unread", QT_TRANSLATE_NOOP("Shortcuts", "Mark as unread"), "Shift+U"),
    Shortcut("Z", "undo", QT_TRANSLATE_NOOP("Shortcuts", "Undo the last action"), "z"),
    Shortcut("W", "waiting", QT_TRANSLATE_NOOP("Shortcuts", "Waiting on customer"), "w"),
    Shortcut("D", "done", QT_TRANSLATE_NOOP("Shortcuts", "Done"), "d"),
    Shortcut("Shift+O", "reopen", QT_TRANSLATE_NOOP("Shortcuts", "Open again"), "Shift+O"),
    Shortcut("B", "snooze", QT_TRANSLATE_NOOP("Shortcuts", "Snooze until …"), "b"),
    Shortcut("X", "dismiss", QT_TRANSLATE_NOOP("Shortcuts", "Dismiss a reminder (Due)"), "x"),
    Shortcut("L", "tags", QT_TRANSLATE_NOOP("Shortcuts", "Tags …"), "l"),
    Shortcut("T", "note", QT_TRANSLATE_NOOP("Shortcuts", "Add an internal note"), "t"),
    Shortcut("F5", "sync", QT_TRANSLATE_NOOP("Shortcuts", "Sync now"), "F5"),
    Shortcut("?", "help", QT_TRANSLATE_NOOP("Shortcuts", "This sheet of shortcuts"), "?"),
)


def describe(shortcut: Shortcut) -> str:
    return QCoreApplication.translate("Shortcuts", shortcut.description)


def sheet() -> list[tuple[str, str]]:
    """(key as written, what it does) for the shortcuts dialog."""
    return [(s.shown or s.key, describe(s)) for s in SHORTCUTS]


def typing_in(widget: QWidget | None) -> bool:
    """True when keys typed now go into a text field (so single-letter keys must not act)."""
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return True
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return False


def install(window: QWidget, handlers: Mapping[str, Callable[[], None]]) -> dict[str, QAction]:
    """A window-wide QShortcut per key, and a QAction per action for the menus (by name).

    The keys do nothing while a text field has focus: Qt's text fields take plain keys first
    (ShortcutOverride), and the handler is skipped for any that reach it anyway (function
    keys such as F5 excepted). The menu actions carry the key as a hint only, so choosing
    them from a menu always acts.
    """
    actions: dict[str, QAction] = {}
    for shortcut in SHORTCUTS:
        handler = handlers.get(shortcut.action)
        if handler is None:
            continue
        key = QKeySequence(shortcut.key)
        qshortcut = QShortcut(key, window)
        qshortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        qshortcut.setObjectName(f"shortcut_{shortcut.action}")
        function_key = shortcut.key[0] == "F" and shortcut.key[1:].isdigit()

        def fire(handler: Callable[[], None] = handler, always: bool = function_key) -> None:
            if always or not typing_in(QApplication.focusWidget()):
                handler()

        qshortcut.activated.connect(fire)
        action = QAction(f"{describe(shortcut)}\t{shortcut.shown or shortcut.key}", window)
        action.setObjectName(f"action_{shortcut.action}")
        action.triggered.connect(lambda _checked=False, handler=handler: handler())
        actions[shortcut.action] = action
    return actions
