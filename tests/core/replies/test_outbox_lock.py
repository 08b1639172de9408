"""One flush at a time across processes: a held lock file means "busy", nothing is sent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from desktop_app.core.mailbox import Mailbox

HOLDER = """
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


def test_a_flush_while_another_process_flushes_is_busy(tmp_path: Path) -> None:
    box = Mailbox.open(tmp_path / "s.sqlite3")
    lock_path = f"{box.store.path}.outbox-lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, lock_path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert box.outbox.flush().busy
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)
    assert not box.outbox.flush().busy  # released with the other process
    box.close()
