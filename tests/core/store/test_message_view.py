"""One message for the reading pane: sanitised HTML, remote images, inline images, files."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from desktop_app.core.errors import ConfigError
from desktop_app.core.mail.sanitize import REMOTE_PLACEHOLDER
from desktop_app.core.mailbox import Mailbox

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def rich_mail(mid: str, sender: str = "news@brand.example") -> bytes:
    png = base64.encodebytes(PNG).decode().replace("\n", "\r\n")
    return (
        f"From: Brand <{sender}>\r\nTo: Shop <support@myshop.example>\r\n"
        "Cc: Other <other@example.com>\r\n"
        f"Subject: Your order\r\nMessage-ID: <{mid}>\r\n"
        "Date: Thu, 26 Nov 2026 07:00:00 +0100\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n'
        '--outer\r\nContent-Type: multipart/related; boundary="rel"\r\n\r\n'
        '--rel\r\nContent-Type: multipart/alternative; boundary="alt"\r\n\r\n'
        "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Thanks for the cream!\r\n\r\nOn Tue, 24 Nov 2026, Shop wrote:\r\n> It shipped.\r\n"
        "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        '<p onclick="x()">Thanks <b>for</b> the cream!</p><script>alert(1)</script>'
        '<img src="cid:logo@brand" alt="logo"><img src="https://track.example/p.gif" alt="t">'
        '<a href="javascript:alert(1)">bad</a><a href="https://brand.example/">ok</a>\r\n'
        "--alt--\r\n"
        "--rel\r\nContent-Type: image/png\r\nContent-ID: <logo@brand>\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{png}"
        "--rel--\r\n"
        "--outer\r\nContent-Type: application/pdf\r\n"
        'Content-Disposition: attachment; filename="../../CON.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
        "--outer--\r\n"
    ).encode()


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Mailbox]:
    mailbox = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "a.eml").write_bytes(rich_mail("a@brand.example"))
    (folder / "b.eml").write_bytes(rich_mail("b@brand.example"))
    (folder / "c.eml").write_bytes(
        b"Subject: broken\r\nContent-Type: multipart/mixed\r\n\r\nno boundary"
    )
    mailbox.import_path(folder)
    yield mailbox
    mailbox.close()


def message_id(box: Mailbox, key: str) -> int:
    with box.store.session() as s:
        value = s.execute(text("SELECT id FROM messages WHERE dedup_key = :k"), {"k": key}).scalar()
    assert isinstance(value, int)
    return value


def test_message_view(box: Mailbox) -> None:
    view = box.views.message_view(message_id(box, "<a@brand.example>"))
    assert view.subject == "Your order"
    assert view.from_line == "Brand <news@brand.example>"
    assert view.to_line == "Shop <support@myshop.example>"
    assert view.cc_line == "Other <other@example.com>"
    assert view.date is not None and view.date.utcoffset() is not None
    assert view.text.strip() == "Thanks for the cream!"
    assert "It shipped." in view.quoted and "wrote:" in view.quoted
    assert view.html is not None
    assert "<script" not in view.html and "onclick" not in view.html
    assert "javascript:" not in view.html and 'href="https://brand.example/"' in view.html
    assert view.remote_images_blocked == 1 and "track.example" not in view.html
    assert REMOTE_PLACEHOLDER in view.html
    assert 'src="cid:logo@brand"' in view.html
    assert view.inline_images == {"logo@brand": ("image/png", PNG)}
    files = {a.filename: a for a in view.attachments}
    assert files["_CON.pdf"].content_type == "application/pdf" and not files["_CON.pdf"].inline
    assert any(a.inline for a in view.attachments)


def test_remote_images_allowed_per_message_or_sender(box: Mailbox) -> None:
    a, b = message_id(box, "<a@brand.example>"), message_id(box, "<b@brand.example>")
    allowed_once = box.views.message_view(a, allow_remote=True)
    assert allowed_once.remote_images_blocked == 0
    assert 'src="https://track.example/p.gif"' in (allowed_once.html or "")
    assert box.views.message_view(a).remote_images_blocked == 1  # not remembered
    box.views.allow_remote_images(a, for_sender=False)
    assert box.views.message_view(a).remote_images_blocked == 0
    assert box.views.message_view(b).remote_images_blocked == 1
    box.views.allow_remote_images(b, for_sender=True)
    assert box.views.message_view(b).remote_images_blocked == 0


def test_raw_source_and_broken_mail(box: Mailbox) -> None:
    a = message_id(box, "<a@brand.example>")
    assert box.views.raw_source(a) == rich_mail("a@brand.example")
    with box.store.session() as s:
        broken = s.execute(text("SELECT id FROM messages WHERE subject = 'broken'")).scalar()
    assert isinstance(broken, int)
    view = box.views.message_view(broken)
    assert view.problems  # a plain note above the message
    assert box.views.raw_source(broken).endswith(b"no boundary")
    with pytest.raises(ConfigError):
        box.views.raw_source(987654)
    with pytest.raises(ConfigError):
        box.views.message_view(987654)


def test_save_attachment(box: Mailbox, tmp_path: Path) -> None:
    a = message_id(box, "<a@brand.example>")
    part = next(x.part for x in box.views.message_view(a).attachments if not x.inline)
    out = tmp_path / "saved"
    first = box.views.save_attachment(a, part, out)
    second = box.views.save_attachment(a, part, out)
    assert (first.name, second.name) == ("_CON.pdf", "_CON (2).pdf")
    assert first.parent == out and first.read_bytes() == b"%PDF-1.4\n"
    with pytest.raises(ConfigError, match="no attachment"):
        box.views.save_attachment(a, "9.9", out)
