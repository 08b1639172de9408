"""The demo shop: loaded once into its own account, dates moved to now, removed whole."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Table, func, select

from desktop_app.core import demo
from desktop_app.core.mail.display import parse_for_display
from desktop_app.core.mail.parse import parse_for_store
from desktop_app.core.mail.sources import iter_source
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store import models
from desktop_app.core.store.accounts import add_account
from desktop_app.core.store.models import Account, Case, Message, Order
from desktop_app.core.store.shop_settings import ShopSettings
from tests.helpers.shop_mail import SHOPIFY_ORDER, mail

NOW = datetime(2031, 6, 17, 9, 30, tzinfo=UTC)
DEMO_MESSAGES = 55
LANGUAGE_MARKERS = {
    "en": re.compile(r"\b(?:Thank you|Hello|Hi)\b"),
    "de": re.compile(r"\b(?:Bestellung|Viele Grüße|Hallo)\b"),
    "fi": re.compile(r"\b(?:tilau\w*|Terveisin|Hei)\b"),
    "lv": re.compile(r"\b(?:pasūtījum\w*|Paldies|Labdien)\b"),
    "hi": re.compile(r"[\u0900-\u097f]{3,}"),
    "hy": re.compile(r"[\u0530-\u058f]{3,}"),
}

# What the demo puts in the store, each through its account's foreign keys.
DEMO_HOLDS = (
    "folders",
    "blobs",
    "messages",
    "locations",
    "attachments",
    "customers",
    "orders",
    "order_lines",
    "cases",
    "thread_nodes",
    "case_corrections",
)


@pytest.fixture
def mailbox(tmp_path: Path) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path / "shopdesk.sqlite3")
    try:
        yield box
    finally:
        box.close()


def naive(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(tzinfo=None)


def cases_by_anchor(mailbox: Mailbox) -> dict[str, list[Message]]:
    found: dict[str, list[Message]] = {}
    with mailbox.store.session() as s:
        rows = s.execute(
            select(Case.anchor, Message).join(Message, Message.case_id == Case.id)
        ).all()
        for anchor, message in rows:
            found.setdefault(anchor, []).append(message)
    for messages in found.values():
        messages.sort(key=lambda m: m.date or datetime.min)
    return found


def test_every_demo_file_parses_without_problems() -> None:
    messages = list(iter_source(demo.demo_dir() / "mail"))
    assert len(messages) == DEMO_MESSAGES
    assert {m.folder for m in messages} == {"INBOX", "Sent"}
    for m in messages:
        parsed = parse_for_store(m.raw)
        assert parsed.problems == (), (m.origin, parsed.problems)
        assert parsed.date is not None and parsed.message_id, m.origin
    shown = [parse_for_display(m.raw) for m in messages]
    assert not [d for d in shown if d.problems]
    types = [next(v for k, v in d.headers if k.lower() == "content-type") for d in shown]
    html_only_remote = [
        d
        for d, kind in zip(shown, types, strict=True)
        if kind.startswith("text/html") and '<img src="https://' in (d.html or "")
    ]
    assert len(html_only_remote) == 1  # remote images to block, in HTML-only mail
    assert len([d for d in shown if d.attachments]) == 1


def test_load_stores_the_demo_in_its_own_account(mailbox: Mailbox) -> None:
    assert demo.should_offer_demo(mailbox)
    assert not mailbox.has_demo()
    assert mailbox.load_demo(NOW) == DEMO_MESSAGES
    assert mailbox.has_demo()
    with mailbox.store.session() as s:
        account = s.scalar(select(Account).where(Account.kind == "demo"))
        assert account is not None and account.name == "Demo shop"
        folders = {f.name: f.role for f in account.folders}
        assert folders == {"INBOX": "inbox", "Sent": "sent"}
        messages = list(s.scalars(select(Message).where(Message.account_id == account.id)))
        assert len(messages) == DEMO_MESSAGES
        assert [m for m in messages if m.problems] == []
        assert sum(m.has_attachments for m in messages) == 1
        assert all(m.case_id is not None for m in messages)
        # The newest message arrived a few hours before `now`, none in the future.
        newest = max(m.date for m in messages if m.date)
        assert naive(NOW) - timedelta(hours=6) < newest < naive(NOW)
        customers_wrote = " ".join(
            m.body_text for m in messages if "northwind" not in m.from_addr and not m.notice_kind
        )
    languages = {code for code, rx in LANGUAGE_MARKERS.items() if rx.search(customers_wrote)}
    assert languages == set(LANGUAGE_MARKERS)
    assert mailbox.shop().name == "Northwind Botanicals"  # nothing was set: the demo's apply


def test_cases_group_notices_and_customer_mail_by_order(mailbox: Mailbox) -> None:
    mailbox.load_demo(NOW)
    cases = cases_by_anchor(mailbox)
    order = cases["order:4127"]  # notice, shipping notice, question, reply, thanks
    assert [m.notice_kind for m in order[:2]] == ["order_placed", "shipped"]
    assert {m.from_addr for m in order[2:]} == {
        "emma.clarke@inbox.example",
        "hello@northwind-botanicals.example",
    }
    assert len(order) == 5
    woo = cases["order:18342"]  # WooCommerce, the photo, and the "AW:" without References
    assert any(m.subject.startswith("AW:") and not m.references for m in woo)
    assert any(m.has_attachments for m in woo)
    second_address = cases["order:4140"]
    assert "d.roberts@harbourlight-design.example" in {m.from_addr for m in second_address}
    presales = [ms for a, ms in cases.items() if not a.startswith("order:")]
    alone = [ms for ms in presales if ms[0].subject.startswith("Question about the face cream")]
    assert len(alone) == 1 and len(alone[0]) == 1
    assert len([a for a in cases if a.startswith("order:")]) >= 15
    with mailbox.store.session() as s:
        orders = dict(s.execute(select(Order.number, Order.sources)).all())
    assert orders["4058"] == "csv" and "notice" in orders["4127"]


def test_some_customers_have_waited_more_than_two_days(mailbox: Mailbox) -> None:
    mailbox.load_demo(NOW)
    overdue = [
        anchor
        for anchor, messages in cases_by_anchor(mailbox).items()
        if "northwind" not in messages[-1].from_addr
        and not messages[-1].notice_kind
        and messages[-1].date is not None
        and messages[-1].date < naive(NOW) - timedelta(days=2)
    ]
    assert len(overdue) >= 2
    assert {"order:18342", "order:4131", "order:4135", "order:18351"} <= set(overdue)


def test_load_twice_does_nothing(mailbox: Mailbox) -> None:
    mailbox.load_demo(NOW)
    assert mailbox.load_demo(NOW + timedelta(days=3)) == 0
    with mailbox.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == DEMO_MESSAGES
        assert s.scalar(select(func.count()).select_from(Account)) == 1


def test_remove_takes_everything_of_the_demo_and_nothing_else(
    mailbox: Mailbox, tmp_path: Path
) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "order.eml").write_bytes(
        mail(
            "o1@shopify.com",
            "mailer@shopify.com",
            "[My Shop] Order #1001 placed by Jane Doe",
            SHOPIFY_ORDER,
            date="Thu, 20 Nov 2025 10:00:00 +0000",
        )
    )
    (other / "question.eml").write_bytes(
        mail(
            "q1@example.com",
            "jane@example.com",
            "Where is order #1001?",
            "Hello, where is it?",
            date="Fri, 21 Nov 2025 10:00:00 +0000",
        )
    )
    mailbox.import_path(other)
    mailbox.load_demo(NOW)
    with mailbox.store.session() as s:
        presales = s.scalar(select(Message.dedup_key).where(Message.from_addr.like("olivia%")))
    assert presales is not None
    mailbox.correct(presales, to_order="4127")  # a correction of the demo's, to go with it
    assert mailbox.shop() == ShopSettings()  # another account existed: settings untouched
    assert len(cases_by_anchor(mailbox)["order:18342"]) == 5  # grouped all the same
    with mailbox.store.session() as s:
        before = {t.name: s.scalar(select(func.count()).select_from(t)) for t in _account_tables()}
    mailbox.remove_demo()
    assert not mailbox.has_demo()
    assert not demo.should_offer_demo(mailbox)
    with mailbox.store.session() as s:
        assert [a.name for a in s.scalars(select(Account))] == ["Imported mail"]
        after = {t.name: s.scalar(select(func.count()).select_from(t)) for t in _account_tables()}
        for table in _account_tables():
            demo_left = s.scalar(
                select(func.count()).select_from(table).where(table.c.account_id != 1)
            )
            assert demo_left == 0, table.name
        setting = s.get(models.Setting, demo.STATE_KEY)
        assert setting is not None and '"removed": true' in setting.value
    assert after["messages"] == 2 and after["cases"] == 1 and after["orders"] == 1
    for name in DEMO_HOLDS:
        assert before[name] > after[name], name
    assert before["messages"] == 2 + DEMO_MESSAGES
    cases = cases_by_anchor(mailbox)
    assert [len(ms) for ms in cases.values()] == [2]
    assert not demo.should_offer_demo(mailbox)  # not even after a restart: it is stored


def test_remove_takes_back_the_shop_settings_it_applied(mailbox: Mailbox) -> None:
    mailbox.load_demo(NOW)
    assert mailbox.shop().addresses[0] == "hello@northwind-botanicals.example"
    mailbox.remove_demo()
    assert mailbox.shop() == ShopSettings()
    with mailbox.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == 0


def test_settings_changed_by_the_merchant_stay_after_removal(mailbox: Mailbox) -> None:
    mailbox.load_demo(NOW)
    mine = ShopSettings(name="Kalnu Ziepes", addresses=("info@kalnu.example",))
    mailbox.set_shop(mine)
    mailbox.remove_demo()
    assert mailbox.shop() == mine


def test_not_offered_once_a_mailbox_syncs(mailbox: Mailbox) -> None:
    from desktop_app.core.accounts.settings import AccountSettings, ServerSettings

    with mailbox.store.session() as s:
        add_account(
            s,
            AccountSettings(
                name="Shop",
                email="me@shop.example",
                username="me",
                imap=ServerSettings("imap.shop.example", 993, "ssl"),
            ),
        )
    assert not demo.should_offer_demo(mailbox)


def test_dates_move_by_one_offset_and_only_in_date_and_received() -> None:
    raw = (
        b"Received: from a by b with ESMTPS id X\r\n\tfor <x@y>; Fri, 28 Feb 2025 19:42:03 +0000 "
        b"(UTC)\r\nDate: Fri, 28 Feb 2025 21:42:00 +0200\r\nSubject: Date: Fri, 28 Feb 2025\r\n"
        b"\r\nDate: Fri, 28 Feb 2025 21:42:00 +0200\r\n"
    )
    moved = demo.shift_dates(raw, timedelta(days=3, hours=1))
    assert b"; Mon, 03 Mar 2025 20:42:03 +0000\r\n" in moved
    assert b"\r\nDate: Mon, 03 Mar 2025 22:42:00 +0200\r\nSubject: Date: Fri, 28 Feb 2025\r\n" in (
        moved
    )
    assert moved.endswith(b"\r\n\r\nDate: Fri, 28 Feb 2025 21:42:00 +0200\r\n")  # body as it was


def _account_tables() -> list[Table]:
    return [
        t
        for t in models.Base.metadata.sorted_tables
        if "account_id" in t.c and t.name != "accounts"
    ]


def test_cli_demo_load_and_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop_app.cli import main

    data = ["--data-dir", str(tmp_path)]
    assert main([*data, "demo", "load"]) == 0
    assert f"{DEMO_MESSAGES} messages" in capsys.readouterr().err
    assert main([*data, "demo", "load"]) == 0
    assert "already" in capsys.readouterr().err
    assert main([*data, "search", "Pumpspender"]) == 0
    assert "jonas.becker@posteo.example" in capsys.readouterr().out
    assert main([*data, "demo", "remove"]) == 0
    assert "Removed the demo shop" in capsys.readouterr().err
    assert main([*data, "stats", "--json"]) == 0
    assert '"messages": 0' in capsys.readouterr().out


def test_a_load_that_fails_halfway_leaves_no_demo(
    mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(demo, "_mark_read", broken)
    with pytest.raises(RuntimeError):
        mailbox.load_demo(NOW)
    assert not mailbox.has_demo()
    assert demo.should_offer_demo(mailbox)  # offered again next time
    assert mailbox.shop() == ShopSettings()
    with mailbox.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Message)) == 0
    monkeypatch.undo()
    assert mailbox.load_demo(NOW) == DEMO_MESSAGES


def test_the_merchants_orders_never_go_into_the_demo(mailbox: Mailbox) -> None:
    mailbox.load_demo(NOW)
    export = Path(__file__).parent / "threads" / "fixtures" / "shopify_orders.csv"
    count, _problems = mailbox.import_orders_csv(export)
    assert count > 0
    mailbox.remove_demo()
    with mailbox.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Order)) == count
