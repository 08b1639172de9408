"""UI fixtures: a store holding the demo shop (built once, copied per test), the task bridge."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.mailbox import Mailbox
from desktop_app.ui.taskman import TaskManager

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session", autouse=True)
def translations(qapp: Any) -> None:
    """The app's translator (English plurals: "3 days", not "3 day(s)")."""
    from desktop_app.app import install_translator

    install_translator(qapp)


@pytest.fixture(scope="session")
def demo_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the demo shop loaded as of NOW, closed; tests work on copies."""
    path = tmp_path_factory.mktemp("demo-store") / "shopdesk.sqlite3"
    box = Mailbox.open(path)
    try:
        box.load_demo(NOW)
    finally:
        box.close()
    return path


@pytest.fixture
def tasks(qtbot: Any) -> Iterator[TaskManager]:
    """The task bridge, shut down (its work finished) at the end."""
    manager = TaskManager()
    yield manager
    manager.shutdown(wait=True)


@pytest.fixture
def demo_box(demo_store_file: Path, tmp_path: Path, tasks: TaskManager) -> Iterator[Mailbox]:
    """A copy of the demo store; the task bridge stops before it closes."""
    path = tmp_path / "shopdesk.sqlite3"
    shutil.copy(demo_store_file, path)
    box = Mailbox.open(path)
    yield box
    tasks.shutdown(wait=True)
    box.close()


@pytest.fixture
def empty_box(tmp_path: Path, tasks: TaskManager) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path / "empty.sqlite3")
    yield box
    tasks.shutdown(wait=True)
    box.close()
