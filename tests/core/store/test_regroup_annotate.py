"""A regroup annotates what `annotate_pending` would: each case's newest customer message."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store import analysis
from desktop_app.core.store.annotate import annotate_pending
from desktop_app.core.store.shop_settings import ShopSettings
from tests.core.store.test_analysis_pool import _many
from tests.core.store.test_cases import _write
from tests.helpers.shop_mail import SHOP, SHOPIFY_ORDER, mail


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Mailbox]:
    mailbox = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    mailbox.set_shop(ShopSettings(name="My Shop", addresses=(SHOP,)))
    yield mailbox
    mailbox.close()


def _corpus(tmp_path: Path) -> dict[str, bytes]:
    corpus = _many(tmp_path)
    corpus["de1"] = mail(
        "de1@example.net",
        "kunde@example.de",
        "Rücksendung",
        "Hallo, ich möchte die Creme zurückschicken, sie passt nicht zu meiner Haut. "
        "Wie bekomme ich mein Geld zurück?\n\nViele Grüße\nKarin",
        date="Wed, 25 Nov 2026 10:00:00 +0100",
    )
    corpus["de2"] = mail(  # the same customer later, in the same thread: the newest one counts
        "de2@example.net",
        "kunde@example.de",
        "Re: Rücksendung",
        "Wo ist meine Bestellung? Sie ist seit zwei Wochen nicht angekommen.\n\nKarin",
        date="Thu, 26 Nov 2026 10:00:00 +0100",
        reply_to="de1@example.net",
    )
    # Jane's second order, and her reply in the thread of the first one asking about it: it
    # goes to the second order's case, so the first order's case keeps an older customer
    # message as its newest (not the newest of its RFC thread: annotated after deciding).
    corpus["n2"] = mail(
        "n2@shopify.com",
        "mailer@shopify.com",
        "[My Shop] Order #1043 placed by Jane Doe",
        SHOPIFY_ORDER,
        date="Sat, 21 Nov 2026 10:00:00 +0100",
    )
    corpus["split"] = mail(
        "c9@example.com",
        "jane@example.com",
        "Re: Where is my order #1042?",
        "And my new order #1043, has it shipped yet?\n\nJane",
        date="Thu, 26 Nov 2026 18:00:00 +0100",
        reply_to="c1@example.com",
        refs="<c1@example.com>",
    )
    return corpus


def _annotations(box: Mailbox) -> dict[str, tuple[str | None, str | None]]:
    with box.store.session() as s:
        rows = s.execute(text("SELECT message_id, language, intent FROM messages")).all()
    return {str(m): (lang, intent) for m, lang, intent in rows}


def _customers(box: Mailbox) -> dict[str, str | None]:
    with box.store.session() as s:
        rows = s.execute(text("SELECT email, language FROM customers")).all()
    return {str(e): lang for e, lang in rows}


@pytest.mark.parametrize("pool", [False, True])
def test_regroup_annotates_like_annotate_pending(
    box: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: bool
) -> None:
    if pool:  # small numbers, so that a few dozen messages go through the worker processes
        monkeypatch.setattr(analysis, "PARALLEL_MIN", 10)
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
    box.import_path(_write(tmp_path / "mail", _corpus(tmp_path)), assign=False)
    box.regroup_cases()
    by_regroup, customers = _annotations(box), _customers(box)
    assert by_regroup["<de2@example.net>"] == ("de", "shipping")
    assert by_regroup["<de1@example.net>"] == (None, None)  # older: annotated when asked for
    assert customers["kunde@example.de"] == "de"
    assert by_regroup["<q7@example.net>"][1] not in (None, "")
    # the newest customer message of order #1042's case, and of #1043's (same RFC thread)
    assert by_regroup["<c2@work.example>"][1] not in (None, "")
    assert by_regroup["<c9@example.com>"][1] not in (None, "")
    assert all(v[1] == "" for k, v in by_regroup.items() if k.startswith("<n"))  # notices
    # the same as the pass after grouping that the regroup replaces
    with box.store.session() as s:
        s.execute(text("UPDATE messages SET language = NULL, intent = NULL"))
        s.execute(text("UPDATE customers SET language = NULL"))
        annotate_pending(s)
    assert _annotations(box) == by_regroup
    assert _customers(box) == customers


def test_a_second_regroup_keeps_annotations_and_adds_none(box: Mailbox, tmp_path: Path) -> None:
    box.import_path(_write(tmp_path / "mail", _corpus(tmp_path)), assign=False)
    box.regroup_cases()
    first = _annotations(box)
    box.regroup_cases()
    assert _annotations(box) == first
