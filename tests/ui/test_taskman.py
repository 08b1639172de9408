"""The task bridge: results and errors arrive on the GUI thread, in order for the database."""

from __future__ import annotations

import threading
from typing import Any

from desktop_app.core.errors import ConfigError
from desktop_app.ui.taskman import TaskManager


def test_results_come_back_on_the_gui_thread_in_order(qtbot: Any) -> None:
    tasks = TaskManager()
    gui = threading.get_ident()
    seen: list[tuple[int, bool]] = []
    for i in range(5):
        tasks.run_db(lambda i=i: (i, threading.get_ident() != gui), seen.append)
    qtbot.waitUntil(lambda: len(seen) == 5)
    assert [i for i, _ in seen] == [0, 1, 2, 3, 4]
    assert all(off_gui for _, off_gui in seen)
    assert tasks.running == 0
    tasks.shutdown()


def test_errors_go_to_the_handler_or_become_a_plain_message(qtbot: Any) -> None:
    tasks = TaskManager()

    def fail() -> None:
        raise ConfigError("The password was not accepted.")

    got: list[BaseException] = []
    tasks.run_net(fail, on_error=got.append)
    qtbot.waitUntil(lambda: len(got) == 1)
    assert isinstance(got[0], ConfigError)
    with qtbot.waitSignal(tasks.task_failed) as blocker:
        tasks.run_db(fail)
    assert blocker.args == ["The password was not accepted."]
    with qtbot.waitSignal(tasks.task_failed) as blocker:
        tasks.run_db(lambda: 1 / 0)
    assert blocker.args[0].startswith("Something went wrong: ZeroDivisionError")
    tasks.shutdown()


def test_results_arriving_after_shutdown_are_dropped(qtbot: Any) -> None:
    """A callback that would ask for more work never runs into a closed task manager."""
    tasks = TaskManager()
    release = threading.Event()
    called: list[int] = []
    tasks.run_db(lambda: release.wait(5), lambda _: called.append(1))
    tasks._closed = True  # as shutdown() does first; the task is still running
    release.set()
    tasks.shutdown()
    with qtbot.assertNotEmitted(tasks.task_failed):
        qtbot.waitUntil(lambda: tasks.running == 0)
    assert called == []
