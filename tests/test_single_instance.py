"""One desktop app per data folder; one schema upgrade per store at a time (the CLI included)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from filelock import FileLock

from desktop_app.app import APP_LOCK, hold_app_lock
from desktop_app.core.errors import StoreError
from desktop_app.core.store import migrate
from desktop_app.core.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
HOLDER = "import sys; from filelock import FileLock; lock = FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True); sys.stdin.read()"  # noqa: E501


@contextmanager
def held_by_another_process(lock_file: Path) -> Iterator[None]:
    """`lock_file` locked by a second process until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_the_app_lock_is_refused_while_another_process_holds_it(tmp_path: Path) -> None:
    with held_by_another_process(tmp_path / APP_LOCK):
        assert hold_app_lock(tmp_path) is None
    lock = hold_app_lock(tmp_path)  # the other one has quit
    assert lock is not None and lock.is_locked
    lock.release()


def test_a_second_app_says_so_and_exits_0_without_opening_the_store(tmp_path: Path) -> None:
    script = (
        "import sys, desktop_app.app as a\n"
        "a.QMessageBox.information = lambda *args: print('box:', args[2], flush=True)\n"
        "sys.exit(a.main(['Shopdesk']))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SHOPDESK_DATA_DIR=str(tmp_path))
    with held_by_another_process(tmp_path / APP_LOCK):
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert (done.returncode, done.stdout) == (0, "box: Shopdesk is already open.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [APP_LOCK]  # no store was opened


def test_an_upgrade_waits_for_another_processes_then_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shopdesk.sqlite3"
    monkeypatch.setattr(migrate, "MIGRATE_LOCK_TIMEOUT_S", 0.2)
    busy = "Another Shopdesk is updating this store"
    with (
        held_by_another_process(Path(f"{path}.migrate.lock")),
        pytest.raises(StoreError, match=busy) as caught,
    ):
        Store.open(path)
    assert "\n" not in str(caught.value)
    with contextlib.closing(sqlite3.connect(path)) as conn:  # nothing was built meanwhile
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    Store.open(path).close()  # once the other is done


def test_the_command_line_is_not_kept_out_by_the_app(tmp_path: Path) -> None:
    lock = FileLock(tmp_path / APP_LOCK)
    lock.acquire()
    try:
        Store.open(tmp_path / "shopdesk.sqlite3").close()  # what the CLI opens
    finally:
        lock.release()
