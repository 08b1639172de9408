"""A busy store and a broken pool of workers: a plain sentence, or the work done here."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop_app.core.errors import StoreError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store import analysis, db, regroup
from desktop_app.core.store.shop_settings import ShopSettings
from tests.core.store.test_cases import _write
from tests.core.store.test_regroup_annotate import _annotations, _corpus
from tests.helpers.shop_mail import SHOP


@pytest.fixture
def box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    set_pragmas = db._set_pragmas

    def impatient(conn: sqlite3.Connection, record: Any) -> None:
        set_pragmas(conn, record)
        conn.execute("PRAGMA busy_timeout=200")  # a busy store is reported quickly

    monkeypatch.setattr(db, "_set_pragmas", impatient)
    mailbox = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    mailbox.set_shop(ShopSettings(name="My Shop", addresses=(SHOP,)))
    mailbox.import_path(_write(tmp_path / "mail", _corpus(tmp_path)), assign=False)
    yield mailbox
    mailbox.close()


def test_new_mail_on_a_store_another_program_writes_is_a_plain_sentence(box: Mailbox) -> None:
    other = sqlite3.connect(box.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another Shopdesk window, or the command line, writing
    try:
        with pytest.raises(StoreError, match="busy in another program"):
            box.assign_new_messages()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert box.assign_new_messages() > 0  # and once it is free, the mail is grouped


def test_a_pool_that_broke_leaves_the_regroup_to_this_process(box: Mailbox) -> None:
    pool = ProcessPoolExecutor(2, mp_context=analysis._context())
    with pytest.raises(BrokenProcessPool):
        pool.submit(os._exit, 1).result()  # as when a worker dies mid-analysis
    with box.store.session() as s:
        account_id = int(s.scalar(text("SELECT min(account_id) FROM messages")))
        count = regroup._regroup(s, account_id, pool, analysis.load_shop(s))
    pool.shutdown()
    with box.store.session() as s:
        left = s.scalar(text("SELECT count(*) FROM messages WHERE case_id IS NULL"))
    assert count > 0 and left == 0
    by_broken_pool = _annotations(box)
    assert by_broken_pool["<de2@example.net>"] == ("de", "shipping")
    assert by_broken_pool["<de1@example.net>"] == (None, None)  # only each case's newest
