"""The analysis's worker processes start safely from a background thread (as the app calls it)."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store import analysis
from desktop_app.core.store.shop_settings import ShopSettings
from tests.core.store.test_cases import _cases, _corpus, _write
from tests.helpers.shop_mail import SHOP, mail


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Mailbox]:
    mailbox = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    mailbox.set_shop(ShopSettings(name="My Shop", addresses=(SHOP,)))
    yield mailbox
    mailbox.close()


def _many(tmp_path: Path) -> dict[str, bytes]:
    corpus = _corpus(tmp_path)
    for k in range(40):  # more customers asking about their orders
        corpus[f"q{k}"] = mail(
            f"q{k}@example.net",
            f"buyer{k}@example.net",
            f"Question about order #{2000 + k}",
            f"Hello, when does order #{2000 + k} ship?\n\nThanks,\nBuyer {k}",
            date=f"Thu, 26 Nov 2026 {8 + k % 10:02d}:{k:02d}:00 +0100",
        )
    return corpus


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")
def test_the_main_thread_alone_forks() -> None:
    if threading.active_count() > 1:
        pytest.skip("another Python thread runs in this test process")
    assert analysis.start_method() == "fork"


def test_a_threaded_process_is_never_forked() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert analysis.start_method() in ("forkserver", "spawn")
    finally:
        stop.set()
        other.join()


def test_regroup_from_a_background_thread_uses_worker_processes(
    box: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _write(tmp_path / "mail", _many(tmp_path))
    box.import_path(folder, assign=False)
    # Small numbers so that a few dozen messages go through the pool, in several batches.
    monkeypatch.setattr(analysis, "PARALLEL_MIN", 10)
    monkeypatch.setattr(analysis, "ANALYSIS_BATCH", 16)
    monkeypatch.setattr(analysis, "WORKER_CHUNK", 5)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    pools: list[Any] = []

    class Recorded(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            pools.append(kwargs["mp_context"].get_start_method())

    monkeypatch.setattr(analysis, "ProcessPoolExecutor", Recorded)
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait, daemon=True)  # another thread, as in the app
    busy.start()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            box.regroup_cases()
        except BaseException as exc:  # reported below
            errors.append(exc)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout=120)
    stop.set()
    assert not worker.is_alive(), "grouping from a background thread did not finish"
    assert not errors, errors
    # never a fork of this process, which runs other threads
    assert pools == ["forkserver" if sys.platform.startswith("linux") else "spawn"]
    cases = _cases(box)
    assert cases["c1"][0] == cases["n1"][0]  # the usual rules held
    assert cases["q7"][1] == "2007" and cases["q7"][0] != cases["q8"][0]


def test_workers_give_what_this_process_gives(
    box: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _write(tmp_path / "mail", _many(tmp_path))
    box.import_path(folder, assign=False)
    box.regroup_cases()
    here = list(box.export_case_rows())
    monkeypatch.setattr(analysis, "PARALLEL_MIN", 10)
    monkeypatch.setattr(analysis, "ANALYSIS_BATCH", 16)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with box.store.session() as s:
        from sqlalchemy import update

        from desktop_app.core.store.models import Message

        s.execute(update(Message).values(analyzed=False, order_refs="", snippet=""))
    box.regroup_cases()
    assert list(box.export_case_rows()) == here
