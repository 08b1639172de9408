"""Customer messages get a language and an intent after grouping; customers their language."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.errors import ConfigError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.annotate import annotate_pending
from desktop_app.core.store.shop_settings import ShopSettings

SHOP = "help@shop.example"
RETURN_DE = (
    "Hallo,\n\nich möchte die Schuhe zurückschicken, sie sind zu klein. Wie geht das?\n\n"
    "Viele Grüße\nAnna"
)
WHERE_EN = "Hi,\n\nmy parcel still has not arrived and the tracking has not moved. Any news?"
THANKS_FI = "Kiitos paljon, paketti tuli tänään perille ja kaikki on kunnossa!"


def _eml(folder: Path, name: str, sender: str, subject: str, body: str, day: int, **kw: str) -> str:
    mid = f"<{name}@example.com>"
    parent = kw.get("reply_to", "")
    refs = f"In-Reply-To: {parent}\nReferences: {parent}\n" if parent else ""
    (folder / f"{name}.eml").write_text(
        f"From: {sender}\nTo: {kw.get('to', SHOP)}\nSubject: {subject}\nMessage-ID: {mid}\n"
        f"{refs}Date: Mon, {day:02d} Nov 2026 10:00:00 +0000\n"
        f"Content-Type: text/plain; charset=utf-8\n\n{body}\n",
        encoding="utf-8",
    )
    return mid


def _box(tmp_path: Path) -> Mailbox:
    box = Mailbox.open(tmp_path / "s.sqlite3")
    box.set_shop(ShopSettings(name="Shop", addresses=(SHOP,)))
    return box


def _rows(tmp_path: Path, sql: str, *args: object) -> list[Any]:
    with sqlite3.connect(tmp_path / "s.sqlite3") as db:
        return db.execute(sql, args).fetchall()


def _message(tmp_path: Path, mid: str) -> tuple[str | None, str | None]:
    rows = _rows(tmp_path, "SELECT language, intent FROM messages WHERE message_id = ?", mid)
    assert rows, mid
    return rows[0][0], rows[0][1]


def _case(tmp_path: Path, mid: str) -> int:
    return int(_rows(tmp_path, "SELECT case_id FROM messages WHERE message_id = ?", mid)[0][0])


def _customer(tmp_path: Path, email: str) -> tuple[str | None, str | None]:
    rows = _rows(tmp_path, "SELECT language, language_source FROM customers WHERE email = ?", email)
    assert len(rows) == 1, rows
    return rows[0][0], rows[0][1]


def test_customer_mail_is_annotated_and_the_shops_own_is_not(tmp_path: Path) -> None:
    box = _box(tmp_path)
    folder = tmp_path / "a"
    folder.mkdir()
    question = _eml(folder, "q", "Anna Bauer <anna@example.de>", "Rücksendung", RETURN_DE, 2)
    answer = _eml(
        folder, "r", SHOP, "AW: Rücksendung", "Schicken Sie sie einfach an uns zurück.", 3,
        reply_to=question, to="anna@example.de",
    )  # fmt: skip
    box.import_path(folder)
    assert _message(tmp_path, question) == ("de", "return")
    assert _message(tmp_path, answer) == (None, "")  # ours: marked, never looked at again
    assert _customer(tmp_path, "anna@example.de") == ("de", "detected")
    name = _rows(tmp_path, "SELECT name FROM customers WHERE email = 'anna@example.de'")[0][0]
    assert name == "Anna Bauer"
    assert box.views.case_rows([_case(tmp_path, question)])[0].language == "de"
    box.close()


def test_only_each_cases_newest_customer_message_until_export(tmp_path: Path) -> None:
    box = _box(tmp_path)
    folder = tmp_path / "a"
    folder.mkdir()
    first = _eml(folder, "m1", "lee@example.com", "Where is my parcel?", WHERE_EN, 2)
    second = _eml(
        folder, "m2", "lee@example.com", "Re: Where is my parcel?",
        "Please cancel the order, I do not need it any more.", 4, reply_to=first,
    )  # fmt: skip
    box.import_path(folder)
    assert _case(tmp_path, first) == _case(tmp_path, second)
    assert _message(tmp_path, second) == ("en", "cancel")
    assert _message(tmp_path, first) == (None, None)  # older: annotated when asked for
    exported = {r.message_id: r.intent for r in box.export_rows()}
    assert exported == {first: "shipping", second: "cancel"}
    assert _message(tmp_path, first) == ("en", "shipping")
    box.close()


def test_export_jsonl_has_an_intent_for_customer_messages_only(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    from desktop_app.core.paths import store_path

    data = tmp_path / "data"
    data.mkdir()
    box = Mailbox.open(store_path(data))  # the CLI's store, which knows the shop's address
    box.set_shop(ShopSettings(name="Shop", addresses=(SHOP,)))
    box.close()
    folder = tmp_path / "a"
    folder.mkdir()
    q = _eml(folder, "q", "lee@example.com", "Where is my parcel?", WHERE_EN, 2)
    a = _eml(folder, "a", SHOP, "Re: Where is my parcel?", "It left today.", 3, reply_to=q)
    root = Path(__file__).resolve().parents[3]
    run = [sys.executable, "-m", "desktop_app", "--data-dir", str(data)]
    subprocess.run([*run, "import", str(folder)], cwd=root, check=True, capture_output=True)
    out = subprocess.run(
        [*run, "export", "messages", "--format", "jsonl"],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    records = {r["message_id"]: r for r in map(json.loads, out.splitlines())}
    assert records[q]["intent"] == "shipping"
    assert "intent" in records[q] and "intent" not in records[a]


def test_customer_language_follows_their_recent_mail_unless_the_merchant_chose(
    tmp_path: Path,
) -> None:
    box = _box(tmp_path)
    for day, (name, body) in enumerate(
        [("c1", WHERE_EN), ("c2", THANKS_FI), ("c3", THANKS_FI + " Kiitos vielä!")], start=2
    ):
        folder = tmp_path / name
        folder.mkdir()
        _eml(folder, name, "sam@example.fi", f"Subject {name}", body, day)
        box.import_path(folder)
    assert _customer(tmp_path, "sam@example.fi") == ("fi", "detected")
    box.set_customer_language("Sam@Example.fi", "en")
    assert _customer(tmp_path, "sam@example.fi") == ("en", "merchant")
    folder = tmp_path / "c4"
    folder.mkdir()
    _eml(folder, "c4", "sam@example.fi", "Lisää", THANKS_FI, 9)
    box.import_path(folder)
    assert _customer(tmp_path, "sam@example.fi") == ("en", "merchant")  # kept
    box.set_customer_language("sam@example.fi", None)  # detect again
    assert _customer(tmp_path, "sam@example.fi") == ("fi", "detected")
    box.close()


def test_setting_a_language_is_checked(tmp_path: Path) -> None:
    box = _box(tmp_path)
    with pytest.raises(ConfigError, match="not a language code"):
        box.set_customer_language("anna@example.de", "German")
    with pytest.raises(ConfigError, match=r"nobody@example\.com"):
        box.set_customer_language("nobody@example.com", "de")
    box.close()


def test_a_marketplace_relay_is_annotated_but_gives_no_customer(tmp_path: Path) -> None:
    box = _box(tmp_path)
    folder = tmp_path / "a"
    folder.mkdir()
    mid = _eml(
        folder, "m", "eBay <ebay@ebay.com>", "Other: buyer42 sent a message about Soap #123",
        "New message from: buyer42\n\nBitte stornieren Sie meine Bestellung, ich habe doppelt "
        "bestellt.\n\nItem: Soap\nItem number: 123456789012\n", 2,
    )  # fmt: skip
    box.import_path(folder, assign=False)
    with sqlite3.connect(tmp_path / "s.sqlite3") as db:
        db.execute("UPDATE messages SET notice_kind = 'message'")
    with box.store.session() as s:
        assert annotate_pending(s) == 1
    assert _message(tmp_path, mid) == ("de", "cancel")
    assert _rows(tmp_path, "SELECT count(*) FROM customers")[0][0] == 0
    box.close()


def test_a_second_pass_finds_nothing_and_is_quick(tmp_path: Path) -> None:
    box = _box(tmp_path)
    folder = tmp_path / "a"
    folder.mkdir()
    for i in range(30):
        _eml(folder, f"m{i}", f"c{i}@example.com", f"Order #{1000 + i}", WHERE_EN, 2 + i % 20)
    box.import_path(folder)
    assert _rows(tmp_path, "SELECT count(*) FROM messages WHERE intent = 'shipping'")[0][0] == 30
    with box.store.session() as s:
        t0 = time.perf_counter()
        assert annotate_pending(s) == 0
        assert time.perf_counter() - t0 < 1.0
    box.close()


@pytest.mark.servers
def test_sync_annotates_new_customer_mail(dovecot: Any, tmp_path: Path) -> None:
    from desktop_app.core.store.accounts import add_account, find_account
    from desktop_app.core.sync.account import AccountSync
    from tests.core.sync.conftest import account_settings

    box = _box(tmp_path)
    raw = (
        b"From: Lena <lena@example.de>\r\nTo: merchant@shop.test\r\nSubject: Stornierung\r\n"
        b"Message-ID: <storno@example.de>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0100\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Bitte stornieren Sie meine Bestellung, ich brauche sie nicht mehr.\r\n"
    )
    dovecot.append("INBOX", raw)
    with box.store.session() as s:
        add_account(s, account_settings(dovecot))
        settings = find_account(s, "Shop")
    syncer = AccountSync(box.store, settings, password=lambda _s: dovecot.password)
    try:
        assert syncer.sync().new_messages == 1
    finally:
        syncer.close()
    assert _message(tmp_path, "<storno@example.de>") == ("de", "cancel")
    assert _customer(tmp_path, "lena@example.de") == ("de", "detected")
    box.close()
