"""Cases per order: the rules, suggestions, corrections that stick, incremental = from scratch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.shop_settings import ShopSettings
from tests.helpers.shop_mail import SHOP, SHOPIFY_ORDER, mail


def _corpus(folder: Path) -> dict[str, bytes]:
    return {
        "notice": mail(
            "n1@shopify.com",
            "mailer@shopify.com",
            "[My Shop] Order #1042 placed by Jane Doe",
            SHOPIFY_ORDER,
            date="Fri, 20 Nov 2026 10:00:00 +0100",
        ),
        "ask": mail(
            "c1@example.com",
            "jane@example.com",
            "Where is my order #1042?",
            "Hello, my parcel has not arrived yet. Phone +49 30 1234567.",
            date="Tue, 24 Nov 2026 09:00:00 +0100",
        ),
        "reply": mail(
            "s1@myshop.example",
            SHOP,
            "Re: Where is my order #1042?",
            "Hi Jane, it left our warehouse yesterday.\n\n> Hello, my parcel...",
            date="Tue, 24 Nov 2026 11:00:00 +0100",
            reply_to="c1@example.com",
        ),
        "other_address": mail(
            "c2@work.example",
            "jane.doe@work.example",
            "Re: Re: Where is it",
            "Thanks! Writing from my work address.",
            date="Tue, 24 Nov 2026 12:00:00 +0100",
            reply_to="s1@myshop.example",
            refs="<c1@example.com> <s1@myshop.example>",
        ),
        "no_number": mail(
            "c3@example.com",
            "jane@example.com",
            "Question about the cream",
            "How often should I use it?",
            date="Wed, 25 Nov 2026 08:00:00 +0100",
        ),
        "presales": mail(
            "p1@example.org",
            "bob@example.org",
            "Do you ship to Finland?",
            "Hi, do you ship to Helsinki 00100? Bob",
            date="Wed, 25 Nov 2026 09:00:00 +0100",
        ),
    }


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Mailbox]:
    mailbox = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    mailbox.set_shop(ShopSettings(name="My Shop", addresses=(SHOP,)))
    yield mailbox
    mailbox.close()


def _write(folder: Path, messages: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, raw in messages.items():
        (folder / f"{name}.eml").write_bytes(raw)
    return folder


def _cases(box: Mailbox) -> dict[str, tuple[int | None, str | None, bool]]:
    return {
        r.message_id.strip("<>").split("@")[0]: (r.case_id, r.order, r.suggested)
        for r in box.export_case_rows()
        if r.message_id
    }


def test_everything_about_an_order_is_one_case(box: Mailbox, tmp_path: Path) -> None:
    box.import_path(_write(tmp_path / "mail", _corpus(tmp_path)))
    cases = _cases(box)
    order_case = cases["n1"][0]
    for key in ("c1", "s1", "c2", "c3"):
        assert cases[key][0] == order_case, key
    assert cases["c3"][2] is True  # no number: shown there as a suggestion
    assert cases["c1"][2] is False and cases["n1"][1] == "1042"
    assert cases["p1"][0] != order_case  # pre-sales: its own case
    stats = box.stats()
    assert stats["orders"] == 1 and stats["customers"] >= 2


def _groups(cases: dict[str, tuple[int | None, str | None, bool]]) -> list[list[str]]:
    ids = {case for case, _order, _suggested in cases.values()}
    return sorted(sorted(k for k in cases if cases[k][0] == cid) for cid in ids)


def test_incremental_assignment_equals_regroup(box: Mailbox, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    for name, raw in corpus.items():  # one message at a time, as mail arrives
        box.import_path(_write(tmp_path / f"one-{name}", {name: raw}))
    incremental = _cases(box)
    box.regroup_cases()
    regrouped = _cases(box)
    assert _groups(incremental) == _groups(regrouped)


def test_two_orders_of_one_customer_stay_apart(box: Mailbox, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    corpus["notice2"] = mail(
        "n2@shopify.com",
        "mailer@shopify.com",
        "[My Shop] Order #1077 placed by Jane Doe",
        SHOPIFY_ORDER.replace("1042", "1077"),
        date="Wed, 25 Nov 2026 10:00:00 +0100",
    )
    # a reply in the old thread that is about the new order
    corpus["new_in_old"] = mail(
        "c4@example.com",
        "jane@example.com",
        "Re: Where is my order #1042?",
        "And my new order #1077: can you add a sample?",
        date="Wed, 25 Nov 2026 11:00:00 +0100",
        reply_to="s1@myshop.example",
    )
    box.import_path(_write(tmp_path / "mail", corpus))
    cases = _cases(box)
    assert cases["n2"][0] != cases["n1"][0]
    assert cases["c4"][0] == cases["n2"][0] and cases["c4"][1] == "1077"


def test_corrections_stick_across_regroup_and_reimport(box: Mailbox, tmp_path: Path) -> None:
    folder = _write(tmp_path / "mail", _corpus(tmp_path))
    box.import_path(folder)
    box.correct("<p1@example.org>", to_order="1042")  # the merchant knows better
    box.correct("<c3@example.com>", alone=True)
    box.regroup_cases()
    box.import_path(folder)
    cases = _cases(box)
    assert cases["p1"][0] == cases["n1"][0]
    assert cases["c3"][0] not in {cases["n1"][0], cases["p1"][0]}
    box.correct("<c3@example.com>", merge_into="<c1@example.com>")
    box.regroup_cases()
    cases = _cases(box)
    assert cases["c3"][0] == cases["n1"][0]


@pytest.mark.parametrize("corpus", ["default", "threading"])
def test_store_threads_equal_notmuch(tmp_path: Path, corpora: Path, corpus: str) -> None:
    import json

    truth = json.loads(
        (corpora / "notmuch" / "ground-truth" / f"{corpus}.threads.notmuch.json").read_text()
    )
    expected = sorted(sorted(f"<{m['message_id']}>" for m in thread) for thread in truth["threads"])
    mailbox = Mailbox.open(tmp_path / "s.sqlite3")
    mailbox.import_path(corpora / "notmuch" / "corpora" / corpus)
    for regroup in (False, True):  # as imported (incrementally or in bulk) and from scratch
        if regroup:
            mailbox.regroup_cases()
        threads: dict[int | None, set[str]] = {}
        for row in mailbox.export_case_rows():
            threads.setdefault(row.thread_id, set()).add(row.message_id or "")
        assert sorted(sorted(t) for t in threads.values()) == expected
    mailbox.close()


def test_list_mail_naming_an_order_number_stays_in_its_thread(box: Mailbox, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    listed = mail(
        "l1@lists.example",
        "someone@example.net",
        "[shop-owners] Order #1042 webhook",
        "Does anyone else see order #1042 twice?",
        date="Wed, 25 Nov 2026 10:00:00 +0100",
    )
    corpus["list"] = listed.replace(
        b"MIME-Version", b"List-Id: <shop-owners.lists.example>\r\nMIME-Version", 1
    )
    box.import_path(_write(tmp_path / "mail", corpus))
    cases = _cases(box)
    assert cases["l1"][0] != cases["n1"][0] and cases["l1"][1] is None
    assert cases["c1"][0] == cases["n1"][0]


def test_a_notice_that_cannot_be_read_fully_keeps_its_problems(
    box: Mailbox, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from desktop_app.core.store.models import Message

    broken = mail(
        "n9@shopify.com",
        "mailer@shopify.com",
        "[My Shop] Order #1099 placed by Jane Doe",
        "Hello My Shop,\n\n(nothing else)",
        date="Fri, 20 Nov 2026 10:00:00 +0100",
    )
    folder = _write(tmp_path / "mail", {"broken": broken})
    box.import_path(folder)
    box.set_shop(ShopSettings(name="My Shop", addresses=(SHOP, "other@myshop.example")))
    with box.store.session() as s:  # analysed twice (the settings changed): noted once
        problems = s.scalar(
            select(Message.problems).where(Message.message_id == "<n9@shopify.com>")
        )
    assert problems and problems.count("\n") == len(set(problems.splitlines())) - 1
    assert _cases(box)["n9"][1] == "1099"  # the order is still recognised
    assert box.stats()["parse_problems"] == 1
