"""Composing: addresses, a single Re:, threading headers, quote, HTML alternative, attachments."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.errors import ConfigError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.replies.compose import (
    ReplyDraft,
    build_message,
    new_message_id,
    reply_subject,
    start_reply,
    trim_references,
)
from desktop_app.core.store.ingest import FetchedMessage, ingest_batch
from desktop_app.core.store.models import Folder
from desktop_app.core.store.shop_settings import ShopSettings


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Mailbox]:
    mailbox = Mailbox.open(tmp_path / "shopdesk.sqlite3")
    imap = ServerSettings("127.0.0.1", 143, "none")
    settings = AccountSettings(name="Shop", email="shop@shop.example", username="shop", imap=imap)
    mailbox.add_account(settings, "pw", check=False)
    mailbox.set_shop(ShopSettings(name="Jürgens Laden", addresses=("orders@shop.example",)))
    yield mailbox
    mailbox.close()


def store(box: Mailbox, raw: bytes, uid: int = 1) -> int:
    """Put one message into the account's INBOX; returns its store id."""
    with box.store.session() as s:
        folder = Folder(account_id=1, name="INBOX", role="inbox", uidvalidity=1, last_uid=0)
        s.add(folder)
        s.flush()
        ingest_batch(s, 1, folder.id, 1, [FetchedMessage(uid=uid, raw=raw)])
    box.assign_new_messages()
    found = box.search("Bestellung")
    return found[0].id


def customer_mail(**headers: str) -> bytes:
    base = {
        "From": "=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@kunde.example>",
        "To": "shop@shop.example, Anna <anna@kunde.example>",
        "Cc": "orders@shop.example, Bob <bob@kunde.example>",
        "Subject": "AW: Re: RE: Bestellung #1001",
        "Message-ID": "<kunde-2@kunde.example>",
        "References": "<root@shop.example> <kunde-1@kunde.example>",
        "Date": "Tue, 24 Nov 2026 10:00:00 +0200",
    } | headers
    head = "".join(f"{k}: {v}\r\n" for k, v in base.items() if v)
    body = "Wo bleibt meine Bestellung #1001?\r\n\r\nGrüße\r\nJürgen\r\n"
    return (
        head + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    ).encode() + body.encode()


def test_reply_threads_with_a_single_re_and_quotes(box: Mailbox) -> None:
    mid = store(box, customer_mail())
    with box.store.session() as s:
        draft = start_reply(s, mid, "reply")
    assert draft.to == ("juergen@kunde.example",) and draft.cc == ()
    assert draft.subject == "Re: Bestellung #1001"
    assert draft.in_reply_to == "<kunde-2@kunde.example>"
    assert draft.references == (
        "<root@shop.example>",
        "<kunde-1@kunde.example>",
        "<kunde-2@kunde.example>",
    )
    assert draft.from_addr == "shop@shop.example" and draft.from_name == "Jürgens Laden"
    # the attribution line in the customer's language (German once detected, else English)
    expected = {
        None: "On 2026-11-24 08:00 UTC, Jürgen Müller wrote:",
        "de": "Am 2026-11-24 08:00 UTC schrieb Jürgen Müller:",
    }
    assert draft.quoted.splitlines()[0] == expected[draft.language]
    assert "> Wo bleibt meine Bestellung #1001?" in draft.quoted.splitlines()


def test_reply_to_header_is_honoured(box: Mailbox) -> None:
    mid = store(box, customer_mail(**{"Reply-To": "Jürgen <j.private@kunde.example>"}))
    with box.store.session() as s:
        assert start_reply(s, mid, "reply").to == ("j.private@kunde.example",)


def test_reply_all_leaves_out_our_own_addresses(box: Mailbox) -> None:
    mid = store(box, customer_mail())
    with box.store.session() as s:
        draft = start_reply(s, mid, "reply_all")
    assert draft.to == ("juergen@kunde.example",)
    assert draft.cc == ("anna@kunde.example", "bob@kunde.example")
    assert draft.recipients == ("juergen@kunde.example", "anna@kunde.example", "bob@kunde.example")


def test_forward_quotes_the_original_inline(box: Mailbox) -> None:
    mid = store(box, customer_mail())
    with box.store.session() as s:
        draft = start_reply(s, mid, "forward")
    assert draft.to == () and draft.subject == "Fwd: Bestellung #1001"
    assert draft.in_reply_to is None and draft.references[-1] == "<kunde-2@kunde.example>"
    assert "---------- Forwarded message ----------" in draft.quoted
    assert "Wo bleibt meine Bestellung #1001?" in draft.quoted
    with box.store.session() as s, pytest.raises(ConfigError):
        start_reply(s, mid, "bounce")


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: Re: Hello", "Re: Hello"),
        ("RE: AW: Hello", "Re: Hello"),
        ("SV: Vs: Hello", "Re: Hello"),
        ("Antw: Re[2]: Hello", "Re: Hello"),
        ("Vá: Odp: Hello", "Re: Hello"),
        ("ՊԱՏ: Բարև", "Re: Բարև"),
        ("Hello", "Re: Hello"),
        ("Return of order #5", "Re: Return of order #5"),
        ("Fwd: Hello", "Re: Fwd: Hello"),
    ],
)
def test_reply_subject(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


def test_references_keep_the_first_and_the_latest() -> None:
    ids = [f"<{i}@x>" for i in range(40)]
    trimmed = trim_references(ids)
    assert len(trimmed) == 20 and trimmed[0] == "<0@x>" and trimmed[-1] == "<39@x>"
    assert trimmed[1] == "<21@x>"
    assert trim_references(["<a@x>", "<a@x>", "<b@x>"]) == ("<a@x>", "<b@x>")


def test_message_bytes_text_html_attachments_non_ascii(tmp_path: Path) -> None:
    attachment = tmp_path / "Rechnung Größe ü.pdf"
    attachment.write_bytes(b"%PDF-1.4 test")
    picture = tmp_path / "фото.jpg"
    picture.write_bytes(b"\xff\xd8\xff")
    draft = ReplyDraft(
        kind="reply",
        account_id=1,
        case_id=None,
        reply_to_id=None,
        from_addr="shop@shop.example",
        from_name="Jürgens Laden",
        to=("Jürgen <juergen@kunde.example>",),
        cc=("anna@kunde.example",),
        subject="Re: Größe <b>M</b>",
        body="Hallo Jürgen,\n\nTracking: https://track.example/a?b=1&c=2.\n<script>x</script>",
        in_reply_to="<kunde-2@kunde.example>",
        references=("<root@shop.example>", "<kunde-2@kunde.example>"),
        quoted="On x, Jürgen wrote:\n> Wo bleibt meine Bestellung?",
        attachments=(attachment, picture),
        language="de",
    )
    message_id = new_message_id("shop@shop.example")
    assert message_id.startswith("<") and message_id.endswith("@shop.example>")
    raw = build_message(draft, message_id, "Jürgens Laden\nhttps://shop.example")
    assert b"\r\n" in raw and max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert all(b < 128 for b in raw)  # 7-bit clean for any server
    msg = message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["Message-ID"] == message_id and msg["Subject"] == "Re: Größe <b>M</b>"
    assert msg["From"].addresses[0].display_name == "Jürgens Laden"
    assert msg["In-Reply-To"] == "<kunde-2@kunde.example>"
    assert msg["References"] == "<root@shop.example> <kunde-2@kunde.example>"
    assert msg["Date"] is not None and msg["Content-Language"] == "de"
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert plain is not None and html is not None
    text = plain.get_content().replace("\r\n", "\n")
    assert text.index("Hallo Jürgen") < text.index("-- \nJürgens Laden") < text.index("> Wo")
    markup = html.get_content()
    assert "&lt;script&gt;" in markup and "<script>" not in markup
    assert '<a href="https://track.example/a?b=1&amp;c=2">' in markup
    assert "<blockquote>" in markup
    files = {p.get_filename(): p.get_content_type() for p in msg.iter_attachments()}
    assert files == {"Rechnung Größe ü.pdf": "application/pdf", "фото.jpg": "image/jpeg"}
    assert b"filename*=utf-8''Rechnung%20Gr%C3%B6%C3%9Fe" in raw  # RFC 2231


def test_message_needs_a_recipient_and_readable_files(tmp_path: Path) -> None:
    draft = ReplyDraft("new", 1, None, None, "shop@shop.example", "Shop", to=())
    with pytest.raises(ConfigError, match="recipient"):
        build_message(draft, "<a@b>", "")
    missing = dataclasses.replace(draft, to=("a@b.example",), attachments=(tmp_path / "x.pdf",))
    with pytest.raises(ConfigError, match=r"x\.pdf"):
        build_message(missing, "<a@b>", "")


def test_drafts_saved_found_again_and_discarded(box: Mailbox, tmp_path: Path) -> None:
    mid = store(box, customer_mail())
    with box.store.session() as s:
        draft = start_reply(s, mid, "reply_all")
    case_id = draft.case_id
    assert case_id is not None and box.outbox.draft_for_case(case_id) is None
    draft = dataclasses.replace(draft, body="Halb fertig", attachments=(tmp_path / "a.pdf",))
    draft_id = box.outbox.save_draft(draft, None)
    assert box.outbox.save_draft(dataclasses.replace(draft, body="Fertig"), draft_id) == draft_id
    found = box.outbox.draft_for_case(case_id)
    assert found is not None
    assert found[0] == draft_id
    again = found[1]
    assert again.body == "Fertig" and again.cc == draft.cc and again.subject == draft.subject
    assert again.in_reply_to == "<kunde-2@kunde.example>"
    assert again.attachments == (tmp_path / "a.pdf",)
    box.outbox.discard_draft(draft_id)
    assert box.outbox.draft_for_case(case_id) is None
