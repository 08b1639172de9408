"""A frozen build's worker processes run their job, never the app (freeze_support comes first)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.ui.self_test import Failed, run_in_worker_process

ROOT = Path(__file__).resolve().parent.parent

# The entry script run as a frozen executable restarted as a spawned worker would be: a fake
# `desktop_app.app` / `desktop_app.cli` says so if the app (instead of the job) was started.
# PyInstaller's runtime hook makes freeze_support act on every platform (the standard library's
# acts on Windows only). The pipe to the parent is /dev/null: a worker reads nothing and exits.
HARNESS = """
import multiprocessing, multiprocessing.spawn, os, runpy, sys, types
sys.frozen = True
multiprocessing.freeze_support = multiprocessing.spawn.freeze_support  # as PyInstaller's hook
for name in ("desktop_app.app", "desktop_app.cli"):
    fake = types.ModuleType(name)
    fake.main = lambda *a: print("THE APP STARTED", flush=True) or 0
    sys.modules[name] = fake
fd = os.open(os.devnull, os.O_RDONLY)
sys.argv = ["Shopdesk", "--multiprocessing-fork", "pipe_handle=%d" % fd]
runpy.run_path({script!r}, run_name="__main__")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX file descriptor as the pipe")
@pytest.mark.parametrize("script", ["main.py", "desktop_app/__main__.py"])
def test_a_restarted_executable_runs_the_worker_not_the_app(script: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", HARNESS.format(script=str(ROOT / script))],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "THE APP STARTED" not in done.stdout
    assert "spawn_main" in done.stderr  # the worker's path was taken (its empty pipe: EOFError)


def test_a_worker_started_without_fork_answers() -> None:
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    assert run_in_worker_process() == f"{method}, 1 job"


def test_a_worker_that_does_not_run_the_job_is_a_failed_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing.forkserver
    import multiprocessing.resource_tracker
    import multiprocessing.spawn

    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", "/bin/false")  # exits at once
    # The helpers a failed check ends are this test's own, not those of the pytest process.
    tracker = multiprocessing.resource_tracker.ResourceTracker()
    monkeypatch.setattr(multiprocessing.resource_tracker, "_resource_tracker", tracker)
    server = multiprocessing.forkserver.ForkServer()
    monkeypatch.setattr(multiprocessing.forkserver, "_forkserver", server)
    with pytest.raises(Failed, match="a spawn worker failed"):
        run_in_worker_process("spawn")
