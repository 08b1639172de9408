"""Small pieces of the composer: `;shortcut` spotting, attachments, the missing-values form."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.message_card import human_size

# ";ship" at the start of a line or after a space, then the character just typed.
_TOKEN = re.compile(r"(?:^|(?<=\s));([\w-]+)(\s?)$")
UNFILLED = ("{{", "{%")


def spot_shortcut(text_before_cursor: str, shortcuts: Iterable[str]) -> tuple[str, int, int] | None:
    """(shortcut, start, end) of a `;shortcut` just typed before the cursor, else None.

    It counts once complete: followed by a space or newline, or at once when no other
    shortcut starts with it (`;ship` expands as its last letter is typed).
    """
    found = _TOKEN.search(text_before_cursor)
    if found is None:
        return None
    word, space = found.group(1).lower(), found.group(2)
    known = {s.lower() for s in shortcuts if s}
    if word not in known:
        return None
    if not space and any(s != word and s.startswith(word) for s in known):
        return None
    return word, found.start(), found.end() - len(space)


def unfilled(*texts: str) -> bool:
    """True when a text still holds template syntax (never sent)."""
    return any(mark in text for text in texts for mark in UNFILLED)


def split_addresses(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in re.split(r"[,;]", text) if a.strip())


class AttachmentList(QWidget):
    """The files going with the message: names and sizes, add and remove.

    Signal: `changed()` when a file was added or removed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Attachments"))
        self.list.setMaximumHeight(64)
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(True)
        layout.addWidget(self.list, 1)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        layout.addWidget(self.remove_button)
        self.paths: list[Path] = []
        self._update()

    def set_paths(self, paths: Sequence[Path]) -> None:
        self.paths = []
        self.list.clear()
        self.add_paths(paths, announce=False)

    def add_paths(self, paths: Sequence[Path], announce: bool = True) -> None:
        for path in paths:
            if path in self.paths:
                continue
            size = path.stat().st_size if path.exists() else 0
            item = QListWidgetItem(f"{path.name} ({human_size(size)})")
            item.setToolTip(str(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.list.addItem(item)
            self.paths.append(path)
        self._update()
        if announce:
            self.changed.emit()

    def choose(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(self, self.tr("Attach files"))
        self.add_paths([Path(n) for n in names])

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.paths.remove(Path(item.data(Qt.ItemDataRole.UserRole)))
            self.list.takeItem(self.list.row(item))
        self._update()
        self.changed.emit()

    def _update(self) -> None:
        self.setVisible(bool(self.paths))


class MissingValuesForm(QFrame):
    """Asks for the values a template needs and the case lacks (a tracking number, a code).

    Signal: `filled(dict)` with each missing name and what the merchant typed.
    """

    filled = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("missingValues")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Skip"))
        self.fill_button = QPushButton(self.tr("Fill in"))
        self.fill_button.setDefault(True)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.fill_button)
        layout.addLayout(buttons)
        self.fill_button.clicked.connect(self._fill)
        self.cancel_button.clicked.connect(self.hide)
        self.edits: dict[str, QLineEdit | QDateEdit] = {}
        self.hide()

    def ask(self, title: str, missing: Sequence[str], known: Mapping[str, str]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.edits = {}
        self.label.setText(
            self.tr("“{title}” needs values this case does not have:").format(title=title)
        )
        for name in missing:
            edit: QLineEdit | QDateEdit
            if name.endswith("_at"):  # a date: picked, never typed free-form
                edit = QDateEdit(QDate.currentDate())
                edit.setCalendarPopup(True)
                edit.setDisplayFormat("yyyy-MM-dd")
            else:
                edit = QLineEdit(known.get(name, ""))
                edit.returnPressed.connect(self._fill)
            edit.setObjectName(f"missing_{name}")
            edit.setAccessibleName(label_for(name))
            self.edits[name] = edit
            self.form.addRow(label_for(name) + ":", edit)
        self.show()
        if self.edits:
            next(iter(self.edits.values())).setFocus()

    def _fill(self) -> None:
        values = {name: value_of(edit) for name, edit in self.edits.items()}
        empty = [name for name, value in values.items() if not value]
        if empty:
            self.edits[empty[0]].setFocus()
            return
        self.hide()
        self.filled.emit(values)


def value_of(edit: QLineEdit | QDateEdit) -> str:
    if isinstance(edit, QDateEdit):
        return edit.date().toString(Qt.DateFormat.ISODate)
    return edit.text().strip()


def label_for(name: str) -> str:
    """ "order.tracking_number" -> "Tracking number"."""
    words = name.rsplit(".", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:]
