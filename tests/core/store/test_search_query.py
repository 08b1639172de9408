"""The search language: parsing every operator, and searching cases on a small store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.core.errors import ConfigError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.search_query import SearchQuery, full_text, parse
from desktop_app.core.store.shop_settings import ShopSettings
from tests.core.store.test_case_list import CORPUS, NOW, SHOP, mail

# -- parsing -----------------------------------------------------------------------------------


def test_words_and_phrases() -> None:
    q = parse('refund "where is my order" cream*')
    assert q.words == ("refund", "cream*") and q.phrases == ("where is my order",)
    assert full_text(q) == '"refund" "cream"* "where is my order"'


def test_every_operator() -> None:
    q = parse(
        "from:jane@example.com to:shop order:#1042 is:unread is:starred status:open "
        "status:Waiting tag:refill has:attachment before:2024-03-31 after:2024/01/02 word"
    )
    assert q == SearchQuery(
        words=("word",),
        from_=("jane@example.com",),
        to=("shop",),
        orders=("#1042",),
        tags=("refill",),
        statuses=("open", "waiting"),
        unread=True,
        starred=True,
        has_attachment=True,
        before=date(2024, 3, 31),
        after=date(2024, 1, 2),
    )


def test_quoted_values_and_read_unstarred() -> None:
    q = parse('from:"Jane Doe" tag:"to do" is:read is:unstarred')
    assert q.from_ == ("Jane Doe",) and q.tags == ("to do",)
    assert q.unread is False and q.starred is False


def test_unknown_operators_are_words() -> None:
    q = parse("foo:bar is:weird has:pony subject:hello")
    assert q.words == ("foo:bar", "is:weird", "has:pony", "subject:hello")
    assert full_text(q) == '"foo" "bar" "is" "weird" "has" "pony" "subject" "hello"'


def test_bad_dates_and_statuses_are_plain_errors() -> None:
    with pytest.raises(ConfigError, match=r"before:2024-13-01 is not a date.*YYYY-MM-DD"):
        parse("before:2024-13-01")
    with pytest.raises(ConfigError, match="after:yesterday"):
        parse("after:yesterday")
    with pytest.raises(ConfigError, match="status:maybe"):
        parse("status:maybe")


def test_odd_input_never_raises() -> None:
    for odd in ('"unclosed phrase', "from:", '""', ":::", "***", "a:b:c", "\x00", "-" * 50):
        parse(odd)
    assert parse('"unclosed phrase').phrases == ("unclosed phrase",)
    assert parse("from:").from_ == () and parse('from:""').ignored == ("from",)
    assert parse("   ").empty


# -- searching ---------------------------------------------------------------------------------


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Mailbox]:
    mailbox = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    mailbox.set_shop(ShopSettings(name="My Shop", addresses=(SHOP,)))
    folder = tmp_path / "mail"
    folder.mkdir()
    corpus = dict(CORPUS)
    corpus["photo"] = photo_mail()
    for name, raw in corpus.items():
        (folder / f"{name}.eml").write_bytes(raw)
    mailbox.import_path(folder)
    with mailbox.store.session() as s:
        s.execute(text("UPDATE messages SET seen = 1"))
    yield mailbox
    mailbox.close()


def photo_mail() -> bytes:
    return (
        b"From: Erik <erik@example.se>\r\nTo: support@myshop.example\r\n"
        b"Subject: Broken jar\r\nMessage-ID: <e1@example.se>\r\n"
        b"Date: Thu, 26 Nov 2026 07:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe jar arrived broken, photo attached.\r\n"
        b"--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; "
        b'filename="jar.jpg"\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n--b--\r\n'
    )


def case_of(box: Mailbox, message_id: str) -> int:
    with box.store.session() as s:
        value = s.execute(
            text("SELECT case_id FROM messages WHERE message_id = :m"), {"m": f"<{message_id}>"}
        ).scalar()
    assert isinstance(value, int)
    return value


def found(box: Mailbox, query: str, queue: str = "all") -> set[int]:
    return set(box.views.case_ids(queue, NOW, query))


def test_search_by_words_phrases_and_senders(box: Mailbox) -> None:
    order = case_of(box, "c1@example.com")
    bob = case_of(box, "p1@example.org")
    erik = case_of(box, "e1@example.se")
    assert found(box, "parcel") == {order}
    assert found(box, "Helsinki") == {bob}
    assert found(box, '"ship to Helsinki"') == {bob}
    assert found(box, '"Helsinki ship"') == set()
    assert found(box, "warehou*") == {order}
    assert found(box, "from:bob") == {bob}
    assert found(box, 'from:"Bob Builder"') == {bob}
    assert found(box, "from:example.org helsinki") == {bob}
    assert found(box, "from:example.org parcel") == set()  # one message must match both
    assert found(box, "to:carla@example.net") == {case_of(box, "q1@example.net")}
    assert found(box, "has:attachment") == {erik}
    assert found(box, "has:attachment jar") == {erik}
    assert found(box, "") == found(box, "   ") and len(found(box, "")) == 4


def test_search_by_dates(box: Mailbox) -> None:
    carla = case_of(box, "q1@example.net")
    erik = case_of(box, "e1@example.se")
    assert found(box, "before:2026-11-24") == {carla, case_of(box, "n1@shopify.com")}
    assert found(box, "after:2026-11-26") == {erik}
    assert found(box, "after:2026-11-23 before:2026-11-24") == {carla}


def test_search_by_case_state(box: Mailbox) -> None:
    order = case_of(box, "c1@example.com")
    bob = case_of(box, "p1@example.org")
    assert found(box, "order:1042") == {order}
    assert found(box, "order:#1042") == {order}
    assert found(box, "order:001042") == {order}
    assert found(box, "order:9999") == set()
    with box.store.session() as s:
        s.execute(
            text("UPDATE cases SET status = 'waiting', starred = 1 WHERE id = :i"), {"i": bob}
        )
        s.execute(text("UPDATE messages SET seen = 0 WHERE case_id = :i"), {"i": order})
        s.execute(
            text("INSERT INTO case_tags (account_id, case_id, tag) VALUES (1, :i, 'refill')"),
            {"i": order},
        )
    assert found(box, "status:waiting") == {bob}
    assert found(box, "status:open status:waiting") == found(box, "")
    assert found(box, "is:starred") == {bob}
    assert bob not in found(box, "is:unstarred")
    assert found(box, "is:unread") == {order}
    assert order not in found(box, "is:read")
    assert found(box, "tag:refill") == {order}
    assert found(box, "tag:refill parcel is:unread") == {order}
    assert found(box, "tag:refill Helsinki") == set()
    # within a queue only
    assert found(box, "Helsinki", queue="open") == set()
    assert found(box, "Helsinki", queue="waiting") == {bob}


def test_search_with_odd_text_does_not_fail(box: Mailbox) -> None:
    for odd in ('"', 'AND OR NOT "', "NEAR(a b)", "col:umn", "*", "^x", "a-b", "'; DROP TABLE"):
        box.views.case_ids("all", NOW, odd)
    with pytest.raises(ConfigError):
        box.views.case_ids("all", NOW, "before:31.12.")


def test_new_mail_is_found_at_once(box: Mailbox, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "n.eml").write_bytes(
        mail(
            "z1@example.com",
            "zed@example.com",
            "Zebra print",
            "Do you sell zebra mugs?",
            date="Thu, 26 Nov 2026 10:00:00 +0000",
        )
    )
    box.import_path(folder)
    assert found(box, "zebra") == {case_of(box, "z1@example.com")}
