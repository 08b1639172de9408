"""The IDLE watcher stores mail that arrives while idle, and reconnects after a dropped link."""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

import pytest

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.accounts import add_account, find_account
from desktop_app.core.sync.account import SyncReport
from desktop_app.core.sync.idle import IdleSettings, IdleWatcher
from tests.core.sync.conftest import account_settings, make_message
from tests.helpers.proxy import CuttingProxy

pytestmark = pytest.mark.servers

LIVENESS_S = 15  # a bound against hanging, not a speed assertion (see bench for latency)


def _start(
    box: Mailbox, server: Any, port: int | None = None, **timing: float
) -> tuple[IdleWatcher, threading.Thread, queue.Queue[SyncReport]]:
    settings = account_settings(server, port=port or server.port)
    with box.store.session() as s:
        add_account(s, settings)
        settings = find_account(s, "Shop")
    reports: queue.Queue[SyncReport] = queue.Queue()
    watcher = IdleWatcher(
        box.store,
        settings,
        on_report=reports.put,
        password=lambda _s: server.password,
        timing=IdleSettings(backoff_first_s=0.2, **timing),
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    assert watcher.connected.wait(LIVENESS_S)
    return watcher, thread, reports


def _wait_for_new(reports: queue.Queue[SyncReport]) -> SyncReport:
    deadline = time.monotonic() + LIVENESS_S
    while time.monotonic() < deadline:
        report = reports.get(timeout=max(0.01, deadline - time.monotonic()))
        if report.new_messages:
            return report
    raise AssertionError("new mail was not synced")


def test_mail_arriving_while_idle_is_stored(dovecot: Any, mailbox: Mailbox) -> None:
    dovecot.append("INBOX", make_message(1))
    watcher, thread, reports = _start(mailbox, dovecot)
    try:
        assert reports.get(timeout=LIVENESS_S).new_messages == 1
        started = time.monotonic()
        dovecot.append("INBOX", make_message(2))
        _wait_for_new(reports)
        print(f"stored {time.monotonic() - started:.3f} s after arrival")
        assert mailbox.stats()["messages"] == 2
    finally:
        watcher.stop()
        thread.join(LIVENESS_S)
    assert not thread.is_alive()


def test_idle_is_renewed(dovecot: Any, mailbox: Mailbox) -> None:
    watcher, thread, reports = _start(mailbox, dovecot, renew_s=0.5)
    try:
        reports.get(timeout=LIVENESS_S)
        time.sleep(1.5)  # several renewals pass with nothing new
        dovecot.append("INBOX", make_message(3))
        _wait_for_new(reports)
    finally:
        watcher.stop()
        thread.join(LIVENESS_S)


def test_reconnects_after_a_dropped_connection(dovecot: Any, mailbox: Mailbox) -> None:
    with CuttingProxy(dovecot.host, dovecot.port) as proxy:
        watcher, thread, reports = _start(mailbox, dovecot, port=proxy.port)
        errors: list[Exception] = []
        watcher.on_error = errors.append
        try:
            reports.get(timeout=LIVENESS_S)
            proxy.cut_after_bytes(0)  # the next bytes from the server kill the link
            dovecot.append("INBOX", make_message(4))
            _wait_for_new(reports)
            assert errors, "the drop was not noticed"
            assert mailbox.stats()["messages"] == 1
        finally:
            watcher.stop()
            thread.join(LIVENESS_S)
