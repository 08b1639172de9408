"""The parsers on the shared real-mail corpora: no exception, bounded time, known problems."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest

from desktop_app.core.mail.display import attachment_bytes, parse_for_display
from desktop_app.core.mail.parse import MAX_PARTS, ParsedMessage, parse_for_store

PER_MESSAGE_SECONDS = 5.0  # a hang guard, not a speed check
CORPUS_FOLDERS = (
    "cpython-test-email",
    "flanker-messages",
    "notmuch",
    "dovecot-imaptest-thread",
    "talon-fixtures",
    "zapier-email-reply-parser",
    "ecommerce-subject-patterns",
)


def corpus_files(root: Path) -> list[Path]:
    return sorted(p for folder in CORPUS_FOLDERS for p in (root / folder).rglob("*") if p.is_file())


def store(corpora: Path, name: str) -> ParsedMessage:
    return parse_for_store((corpora / name).read_bytes())


def test_every_corpus_file_parses_within_bounds(corpora: Path) -> None:
    files = corpus_files(corpora)
    assert len(files) > 200
    started = time.process_time()
    for path in files:
        raw = path.read_bytes()
        before = time.process_time()
        parsed = parse_for_store(raw)
        shown = parse_for_display(raw)
        for attachment in shown.attachments:
            attachment_bytes(raw, attachment.part)
        spent = time.process_time() - before
        assert spent < PER_MESSAGE_SECONDS, f"{path} took {spent:.1f} s"
        assert isinstance(parsed, ParsedMessage)
        assert parsed.attachments == shown.attachments, path
    assert time.process_time() - started < 20


def test_real_mailing_list_mail_has_no_problems(corpora: Path) -> None:
    files = sorted(p for p in (corpora / "notmuch" / "corpora").rglob("*") if p.is_file())
    files = [p for p in files if p.name != "README"]
    assert len(files) == 65
    for path in files:
        parsed = parse_for_store(path.read_bytes())
        assert parsed.problems == (), path
        assert parsed.message_id and parsed.message_id.startswith("<"), path
        assert parsed.from_addr, path


FLANKER_PROBLEMS = {
    "enclosed-broken.eml": (
        "the header block of the message starts with an indented line; ignored",
        "closing MIME boundary missing in the message",
    ),
    "missing-final-boundary.eml": ("closing MIME boundary missing in the message",),
    "false-multipart.eml": ("no MIME boundary line found in the message; read as plain text",),
    "mailformed-headers.eml": (
        "8-bit bytes in header To, Subject of the message are not UTF-8; read as cp1252",
        "no MIME boundary line found in the message; read as plain text",
    ),
    "from-encoding.eml": (
        "8-bit bytes in header From of the message are not UTF-8; read as cp1252",
    ),
    "spam/broken-headers.eml": (
        "8-bit bytes in header Subject of the message are not UTF-8; read as cp1252",
    ),
    "iphone.eml": ("the header block of the message starts with an indented line; ignored",),
    "multipart.eml": (),
    "torture.eml": (),
    "bounce/office365.eml": (),
}


@pytest.mark.parametrize(("name", "problems"), FLANKER_PROBLEMS.items())
def test_flanker_problems(corpora: Path, name: str, problems: tuple[str, ...]) -> None:
    assert store(corpora, "flanker-messages/" + name).problems == problems


def test_flanker_endless_enclosed_message(corpora: Path) -> None:
    raw = (corpora / "flanker-messages" / "enclosed-endless.eml").read_bytes()
    before = time.process_time()
    parsed = parse_for_store(raw)
    assert time.process_time() - before < PER_MESSAGE_SECONDS
    assert (parsed.subject, parsed.body_text) == ("Wow", "Hello")
    assert [(a.part, a.filename, a.content_type) for a in parsed.attachments] == [
        ("2", "thanks.eml", "message/rfc822")
    ]
    inner = parse_for_display(attachment_bytes(raw, "2"))
    assert f"more than {MAX_PARTS} MIME parts; the rest not read" in inner.problems
    assert inner.subject == "Thanks!"
    assert inner.text.startswith("dudes... you're kicking ass.")


def test_flanker_fields(corpora: Path) -> None:
    encoded = store(corpora, "flanker-messages/encoded-header.eml")
    assert (encoded.from_name, encoded.from_addr) == ("Foo, Bar", "foo.bar@example.com")
    bilingual = store(corpora, "flanker-messages/bilingual-simple.eml")
    assert bilingual.subject == "Simple text. How are you? Как ты поживаешь?"
    assert "эта линия по-русски." in bilingual.body_text
    long_header = store(corpora, "flanker-messages/long-header.eml")
    phrase = "Die heiße Zypernsonne quälte Max und Victoria ja böse auf dem Weg bis zur Küste"
    assert long_header.subject.startswith(phrase + phrase)
    russian = store(corpora, "flanker-messages/russian-attachment-yahoo.eml")
    assert russian.attachments[0].filename.startswith("Картинка")
    assert "очень, очень длинным" in russian.attachments[0].filename
    assert russian.attachments[0].content_type == "image/png"
    torture = store(corpora, "flanker-messages/torture.eml")
    assert torture.subject == "Multi-media mail demonstration"
    assert len(torture.attachments) >= 8
    assert torture.body_text.startswith("This is a demonstration of multi-part mail")
    html_only = store(corpora, "flanker-messages/long-links.eml")
    assert "<" not in html_only.body_text and html_only.body_text


def test_cpython_headers_and_dates(corpora: Path) -> None:
    m = store(corpora, "cpython-test-email/msg_01.txt")
    assert m.subject == "This is a test message"
    assert m.from_addr == "bbb@ddd.com"
    assert m.date == datetime(2001, 5, 4, 18, 5, 44)
    bounce = store(corpora, "cpython-test-email/msg_43.txt")
    assert (bounce.from_name, bounce.from_addr) == ("MAILER DAEMON", "")
    lyrics = store(corpora, "cpython-test-email/msg_10.txt")
    assert lyrics.to_addrs == ("cravindogs@cravindogs.com",)
    assert lyrics.date == datetime(2001, 4, 20, 23, 35, 2)


def test_cpython_charsets_and_transfer_encodings(corpora: Path) -> None:
    body = store(corpora, "cpython-test-email/msg_10.txt").body_text
    assert body.split("\n\n") == [
        "This is a 7bit encoded message.",
        "¡This is a Quoted Printable encoded message!",
        "This is a Base64 encoded message.",
        "This is a Base64 encoded message.",
        "This has no Content-Transfer-Encoding: header.",
    ]
    rfc2231_charset = store(corpora, "cpython-test-email/msg_32.txt")
    assert rfc2231_charset.body_text == "Some message."
    assert rfc2231_charset.problems == ()


def test_cpython_attachments(corpora: Path) -> None:
    raw = (corpora / "cpython-test-email" / "msg_07.txt").read_bytes()
    m = parse_for_store(raw)
    assert [(a.part, a.filename, a.content_type) for a in m.attachments] == [
        ("2", "dingusfish.gif", "image/gif")
    ]
    data = attachment_bytes(raw, "2")
    assert data.startswith(b"GIF87a") and abs(len(data) - m.attachments[0].size) <= 3
    nested = store(corpora, "cpython-test-email/msg_13.txt")
    assert [(a.part, a.filename) for a in nested.attachments] == [("2.2", "dingusfish.gif")]
    two = store(corpora, "cpython-test-email/msg_22.txt")
    assert [a.filename for a in two.attachments] == ["wibble.JPG", "wibble2.JPG"]
    riscos = store(corpora, "cpython-test-email/msg_26.txt")
    assert [(a.filename, a.content_type) for a in riscos.attachments] == [
        ("clock.bmp", "application/riscos")
    ]
    signed = store(corpora, "cpython-test-email/msg_45.txt")
    assert [(a.filename, a.content_type) for a in signed.attachments] == [
        ("signature.asc", "application/pgp-signature")
    ]
    forwarded = store(corpora, "cpython-test-email/msg_46.txt")
    assert [a.content_type for a in forwarded.attachments] == ["message/rfc822"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("msg_14.txt", "invalid Content-Type 'text' in the message; read as text/plain"),
        ("msg_15.txt", "no MIME boundary line found in part 1; read as plain text"),
        ("msg_25.txt", "no boundary given for the multipart in the message; read as plain text"),
        ("msg_38.txt", "closing MIME boundary missing in part 1"),
        ("msg_41.txt", "no boundary given for the multipart in the message; read as plain text"),
    ],
)
def test_cpython_broken_mime_is_recorded(corpora: Path, name: str, problem: str) -> None:
    assert problem in store(corpora, "cpython-test-email/" + name).problems


def test_cpython_message_rfc822_at_the_top(corpora: Path) -> None:
    raw = (corpora / "cpython-test-email" / "msg_11.txt").read_bytes()
    m = parse_for_store(raw)
    assert m.subject == "The enclosing message"
    assert m.body_text == "Here is the body of the message."
    assert parse_for_display(attachment_bytes(raw, "1")).subject == "An enclosed message"
