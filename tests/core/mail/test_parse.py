"""parse_for_store and parse_for_display on synthetic messages: fields, limits, never raising."""

from __future__ import annotations

import base64
import random
import time
from datetime import UTC, datetime

import pytest

from desktop_app.core.mail.display import attachment_bytes, parse_for_display
from desktop_app.core.mail.parse import (
    MAX_BODY_CHARS,
    MAX_DEPTH,
    MAX_PARTS,
    ParsedMessage,
    html_to_text,
    parse_for_store,
)

SIMPLE = (
    b"Return-Path: <anna@example.org>\r\n"
    b"Message-ID: <order-1001@example.org> (added by relay)\r\n"
    b"From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <Joerg@Example.NET>\r\n"
    b'To: "Shop, Support" <Support@Shop.example>, other@Example.com\r\n'
    b"Cc: Anna <ANNA@example.org>\r\n"
    b"Reply-To: customer@example.net\r\n"
    b"Subject: =?UTF-8?B?UsO8Y2tzZW5kdW5n?= =?UTF-8?B?IHp1?=\r\n"
    b"   Bestellung\t #1001\r\n"
    b"Date: Tue, 3 Oct 2023 10:15:00 +0200\r\n"
    b"In-Reply-To: <reply-1@shop.example> <other@x>\r\n"
    b"References: <a@shop.example>\r\n <reply-1@shop.example> junk\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"\r\n"
    b"Hallo,=0D=0Ameine Bestellung ist kaputt angekommen. Gr=C3=BC=C3=9Fe\r\n"
)


def multipart(*parts: bytes, kind: str = "mixed", boundary: str = "b1", head: bytes = b"") -> bytes:
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + p + b"\r\n" for p in parts)
    return (
        head + b"Content-Type: multipart/" + kind.encode() + b'; boundary="'
        + boundary.encode() + b'"\r\n\r\npreamble\r\n' + body + b"--" + boundary.encode()
        + b"--\r\nepilogue\r\n"
    )  # fmt: skip


def test_simple_message_fields() -> None:
    m = parse_for_store(SIMPLE)
    assert m.message_id == "<order-1001@example.org>"
    assert m.subject == "Rücksendung zu Bestellung #1001"
    assert (m.from_name, m.from_addr) == ("Jörg Müller", "joerg@example.net")
    assert m.to_addrs == ("support@shop.example", "other@example.com")
    assert m.cc_addrs == ("anna@example.org",)
    assert m.reply_to_addrs == ("customer@example.net",)
    assert "Jörg Müller" in m.addresses and "Shop, Support" in m.addresses
    assert "anna@example.org" in m.addresses
    assert m.date == datetime(2023, 10, 3, 8, 15)
    assert m.in_reply_to == "<reply-1@shop.example>"
    assert m.references == ("<a@shop.example>", "<reply-1@shop.example>")
    assert m.body_text == "Hallo,\nmeine Bestellung ist kaputt angekommen. Grüße"
    assert m.snippet == "Hallo, meine Bestellung ist kaputt angekommen. Grüße"
    assert m.attachments == () and m.problems == ()


def test_missing_headers_are_normal() -> None:
    m = parse_for_store(b"Subject: hi\n\nbody\n")
    assert m == ParsedMessage(message_id=None, subject="hi", body_text="body", snippet="body")


def test_empty_and_whitespace_messages() -> None:
    assert parse_for_store(b"").problems == ("the message is empty",)
    assert parse_for_store(b" \r\n \n").problems == ("the message is empty",)


def test_message_id_without_brackets_takes_first_token() -> None:
    assert parse_for_store(b"Message-ID:  abc@def  (x)\n\n").message_id == "abc@def"
    assert parse_for_store(b"Message-ID: \n\n").message_id is None


def test_group_addresses() -> None:
    raw = (
        b"From: Someone <someone@example.com>\n"
        b"To: unlisted-recipients:; (no To-header on input)\n"
        b"Cc: Friends: Ann <ann@example.com>, bob@example.com;, carl@example.com\n"
        b"Subject: group\n\nhello\n"
    )
    m = parse_for_store(raw)
    assert m.to_addrs == ()
    assert m.cc_addrs == ("ann@example.com", "bob@example.com", "carl@example.com")
    assert m.problems == ()
    shown = parse_for_display(raw)
    assert shown.to == ()
    assert [a.addr for a in shown.cc] == ["ann@example.com", "bob@example.com", "carl@example.com"]
    assert shown.problems == ()


def test_unknown_charsets_are_decoded_and_recorded() -> None:
    raw = (
        b"Subject: =?x-unknown?q?caf=C3=A9?=\n"
        b"Content-Type: text/plain; charset=x-foo\n\ncaf\xc3\xa9 \xe2\x82\xac\n"
    )
    m = parse_for_store(raw)
    assert m.subject == "café"
    assert m.body_text == "café €"
    assert m.problems == (
        "unknown charset 'x-foo' in part 1; decoded as UTF-8",
        "unknown charset 'x-unknown' in the Subject header; decoded as UTF-8",
    )


@pytest.mark.parametrize("charset", [b"unknown-8bit", b"utf-8x", b"rot13", b"base64", b"idna"])
def test_odd_charsets_fall_back_to_cp1252(charset: bytes) -> None:
    m = parse_for_store(b"Content-Type: text/plain; charset=" + charset + b"\n\ncr\xe8me\n")
    assert m.body_text == "crème"
    name = charset.decode()
    assert m.problems == (f"unknown charset '{name}' in part 1; decoded as cp1252",)


def test_declared_charsets() -> None:
    raw = multipart(
        b"Content-Type: text/plain; charset=koi8-r\r\n\r\n\xf0\xd2\xc9\xd7\xc5\xd4",
        b"Content-Type: text/plain; charset=iso-8859-1\r\n\r\nGr\xfc\xdfe \x80",
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode("Küste".encode()),
    )
    assert parse_for_store(raw).body_text == "Привет\n\nGrüße €\n\nKüste"


def test_8bit_headers() -> None:
    raw = "Subject: Grüße\nFrom: Jörg <j@example.com>\n\nx".encode()
    m = parse_for_store(raw)
    assert (m.subject, m.from_name, m.problems) == ("Grüße", "Jörg", ())
    latin = parse_for_store(b"Subject: Gr\xfc\xdfe\n\nx")
    assert latin.subject == "Grüße"
    assert latin.problems == (
        "8-bit bytes in header Subject of the message are not UTF-8; read as cp1252",
    )


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (b"=?utf-8?q?a?= =?utf-8?q?b?=", "ab"),
        (b"=?utf-8?q?a?= plain =?utf-8?q?b?=", "a plain b"),
        (b"=?UTF-8?B?w6Q=?= =?ISO-8859-1?Q?=E4?=", "ää"),
        (b"=?utf-8?b?w6?= =?utf-8?b?Q=?=", "\ufffd"),
        (b"=?utf-8?q?split_=C3?= =?utf-8?q?=A4?=", "split ä"),
        (b"=?utf-8*en?q?lang?=", "lang"),
        (b"=?utf-8?q?unterminated", "=?utf-8?q?unterminated"),
        (b"=?utf-8?b?!!!?=", ""),
    ],
)
def test_encoded_words(subject: bytes, expected: str) -> None:
    assert parse_for_store(b"Subject: " + subject + b"\n\n").subject == expected


@pytest.mark.parametrize(
    ("value", "expected", "problem"),
    [
        (b"Tue, 3 Oct 2023 23:30:00 -0130", datetime(2023, 10, 4, 1, 0), None),
        (b"3 Oct 23 10:00 GMT", datetime(2023, 10, 3, 10, 0), None),
        (b"Tue, 1 Jan 9999 00:00:00 +0000", None, "Date header out of range"),
        (b"Thu, 1 Jan 1901 00:00:00 +0000", None, "Date header out of range"),
        (b"Mon, 31 Feb 2020 00:00:00 +0000", None, "unreadable Date header"),
        (b"yesterday", None, "unreadable Date header"),
        (b"Tue, 3 Oct 2023 10:00:00 +9999", datetime(2023, 10, 3, 10), "impossible time zone"),
    ],
)
def test_dates(value: bytes, expected: datetime | None, problem: str | None) -> None:
    m = parse_for_store(b"Date: " + value + b"\n\nx")
    assert m.date == expected
    if problem:
        assert problem in m.problems[0]
    else:
        assert m.problems == ()


def test_alternative_prefers_plain_text() -> None:
    raw = multipart(
        b"Content-Type: text/plain\r\n\r\nplain words",
        b"Content-Type: text/html\r\n\r\n<p>html words</p>",
        kind="alternative",
    )
    assert parse_for_store(raw).body_text == "plain words"


def test_html_only_is_stripped() -> None:
    page = (
        b"<html><head><title>T</title><style>p {color: red}</style></head><body>"
        b"<script>alert('x < y')</script><p>Hello&nbsp;<b>Anna</b> &amp; co</p>"
        b"<div>Order&#32;#1001</div><!-- hidden --><br>Thanks</body></html>"
    )
    m = parse_for_store(b"Content-Type: text/html; charset=utf-8\n\n" + page)
    assert m.body_text == "Hello Anna & co\n\nOrder #1001\n\nThanks"
    assert m.snippet == "Hello Anna & co Order #1001 Thanks"


def test_html_to_text_is_linear_on_hostile_markup() -> None:
    hostile = "<script" * 50_000 + "<" * 100_000 + "<style>" * 50_000 + "<!--" * 50_000
    start = time.process_time()
    html_to_text(hostile)
    assert time.process_time() - start < 2


def test_attachments_and_part_numbers() -> None:
    related = multipart(
        b"Content-Type: text/html\r\n\r\n<img src=cid:logo@x>",
        b"Content-Type: image/png\r\nContent-ID: <logo@x>\r\nContent-Transfer-Encoding: base64"
        b"\r\n\r\n" + base64.encodebytes(bytes(300)),
        kind="related",
        boundary="b2",
    )
    raw = multipart(
        b"Content-Type: text/plain\r\n\r\nsee attached",
        b"Content-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*=UTF-8''R%C3%BCcksendung%20%231001.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(bytes(1000)),
        b'Content-Type: text/plain; name="=?utf-8?q?Notiz_=C3=BC.txt?="\r\n\r\nnote',
        related,
        b"Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner body",
    )
    m = parse_for_store(raw)
    assert m.body_text == "see attached"
    got = [(a.part, a.filename, a.content_type, a.content_id, a.inline) for a in m.attachments]
    assert got == [
        ("2", "Rücksendung #1001.pdf", "application/pdf", None, False),
        ("3", "Notiz ü.txt", "text/plain", None, False),
        ("4.2", "part-4.2.png", "image/png", "logo@x", True),
        ("5", "message-5.eml", "message/rfc822", None, False),
    ]
    assert abs(m.attachments[0].size - 1000) <= 3
    assert abs(m.attachments[2].size - 300) <= 3
    assert m.problems == ()
    assert attachment_bytes(raw, "2") == bytes(1000)
    assert attachment_bytes(raw, "4.2") == bytes(300)
    assert attachment_bytes(raw, "5") == b"Subject: inner\r\n\r\ninner body"
    assert attachment_bytes(raw, "5.1") == b"inner body"
    with pytest.raises(KeyError):
        attachment_bytes(raw, "9")


def test_single_part_attachment_is_part_1() -> None:
    raw = (
        b"Content-Type: application/octet-stream; name=a.bin\n"
        b"Content-Transfer-Encoding: base64\n\nAAEC\n"
    )
    m = parse_for_store(raw)
    assert [(a.part, a.filename, a.size) for a in m.attachments] == [("1", "a.bin", 3)]
    assert attachment_bytes(raw, "1") == b"\x00\x01\x02"


def test_forwarded_message_text_is_used_when_there_is_no_other() -> None:
    raw = b"Content-Type: message/rfc822\n\nSubject: inner\nFrom: a@b\n\nthe inner text\n"
    m = parse_for_store(raw)
    assert m.body_text == "the inner text"
    assert [a.part for a in m.attachments] == ["1"]


def nested(levels: int) -> bytes:
    head = [b"Subject: deep\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"]
    for i in range(1, levels):
        head.append(b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i - 1, i))
    head.append(b"--b%d\r\nContent-Type: text/plain\r\n\r\ndeepest\r\n" % (levels - 1))
    head.extend(b"--b%d--\r\n" % i for i in range(levels - 1, -1, -1))
    return b"".join(head)


def test_deep_nesting_is_cut_and_recorded() -> None:
    raw = nested(10_000)
    start = time.process_time()
    m = parse_for_store(raw)
    assert time.process_time() - start < 5
    assert m.subject == "deep"
    assert m.body_text == ""
    assert m.problems == (f"MIME nesting deeper than {MAX_DEPTH} levels; inner parts not read",)
    shown = parse_for_display(raw)
    assert shown.problems == m.problems


def test_nesting_within_the_limit_is_read() -> None:
    assert parse_for_store(nested(MAX_DEPTH)).body_text == "deepest"


def test_too_many_parts() -> None:
    raw = multipart(*[b"Content-Type: image/gif\r\n\r\nGIF"] * (MAX_PARTS + 100))
    m = parse_for_store(raw)
    assert len(m.attachments) == MAX_PARTS
    assert m.problems == (f"more than {MAX_PARTS} MIME parts; the rest not read",)


def test_broken_multiparts() -> None:
    no_boundary = b"Content-Type: multipart/mixed\n\nsome text\n"
    m = parse_for_store(no_boundary)
    assert m.body_text == "some text"
    assert m.problems == ("no boundary given for the multipart in the message; read as plain text",)
    not_found = b"Content-Type: multipart/mixed; boundary=zz\n\n--yy\n\ntext\n"
    assert parse_for_store(not_found).problems == (
        "no MIME boundary line found in the message; read as plain text",
    )
    unclosed = b"Content-Type: multipart/mixed; boundary=zz\n\n--zz\n\ntext\n"
    m = parse_for_store(unclosed)
    assert (m.body_text, m.problems) == ("text", ("closing MIME boundary missing in the message",))


def test_boundary_prefix_of_inner_boundary() -> None:
    inner = multipart(
        b"Content-Type: text/plain\r\n\r\ninner one", b"\r\ninner two", boundary="abc-inner"
    )
    raw = multipart(inner, b"Content-Type: image/gif\r\n\r\nGIF", boundary="abc")
    m = parse_for_store(raw)
    assert m.body_text == "inner one\n\ninner two"
    assert [a.part for a in m.attachments] == ["2"]


def test_header_block_oddities() -> None:
    indented = parse_for_store(b"   \r\nSubject: x\r\n\r\nbody")
    assert indented.subject == "x"
    assert indented.problems == (
        "the header block of the message starts with an indented line; ignored",
    )
    no_blank = parse_for_store(b"Subject: x\nthis is body text\nmore\n")
    assert (no_blank.subject, no_blank.body_text) == ("x", "this is body text\nmore")
    assert parse_for_store(b"From sender Mon Jan  1 00:00:00 2024\nSubject: y\n\nz").problems == ()


def test_huge_header_and_body_are_bounded() -> None:
    raw = b"Subject: " + b"=?utf-8?q?x?= " * 100_000 + b"\nTo: " + b"a@b.c, " * 200_000
    raw += b"\n\n" + b"word " * (MAX_BODY_CHARS // 2)
    start = time.process_time()
    m = parse_for_store(raw)
    assert time.process_time() - start < 5
    assert len(m.subject) == 100_000
    assert len(m.body_text) <= MAX_BODY_CHARS
    assert len(m.snippet) <= 200
    assert any("longer than" in p for p in m.problems)


def test_never_raises_on_random_bytes() -> None:
    rng = random.Random(42)
    pieces = [b"\r\n", b"\n", b"--b", b"=?", b"?=", b":", b";", b'"', b"<", b">", b"\xff", b" "]
    pieces += [b"Content-Type: multipart/mixed; boundary=b\n", b"charset=x\n", b"\n\n", b"=C3"]
    base = multipart(b"Content-Type: text/plain\r\n\r\nx", boundary="b", head=SIMPLE[:300])
    for _ in range(1500):
        raw = bytearray(base)
        for _ in range(rng.randint(1, 12)):
            i = rng.randrange(len(raw) + 1)
            if rng.random() < 0.5:
                raw[i:i] = rng.choice(pieces)
            else:
                del raw[i : i + rng.randint(1, 40)]
        assert isinstance(parse_for_store(bytes(raw)), ParsedMessage)
        assert parse_for_display(bytes(raw)) is not None
    for _ in range(300):
        blob = rng.randbytes(rng.randint(0, 3000))
        assert isinstance(parse_for_store(blob), ParsedMessage)


def test_display_message() -> None:
    raw = multipart(
        multipart(
            b"Content-Type: text/plain; charset=utf-8\r\n\r\nHallo Anna",
            b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Hallo <b>Anna</b></p>",
            kind="alternative",
            boundary="alt",
        ),
        b"Content-Type: image/jpeg; name=photo.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(b"\xff\xd8jpeg"),
        head=SIMPLE.split(b"Content-Type")[0],
    )
    shown = parse_for_display(raw)
    assert shown.subject == "Rücksendung zu Bestellung #1001"
    assert [(a.name, a.addr) for a in shown.from_addrs] == [("Jörg Müller", "joerg@example.net")]
    assert [a.name for a in shown.to] == ["Shop, Support", ""]
    assert shown.date == datetime(2023, 10, 3, 8, 15, tzinfo=UTC)
    assert shown.date is not None and shown.date.utcoffset() is not None
    assert shown.message_id == "<order-1001@example.org>"
    assert shown.text == "Hallo Anna"
    assert shown.html == "<p>Hallo <b>Anna</b></p>"
    assert [(a.part, a.filename) for a in shown.attachments] == [("2", "photo.jpg")]
    assert attachment_bytes(raw, "2") == b"\xff\xd8jpeg"
    assert ("Subject", "Rücksendung zu Bestellung #1001") in shown.headers
    assert shown.problems == ()


def test_display_falls_back_per_header() -> None:
    raw = (
        b"From: <<<<\nTo: unlisted-recipients:; (no To-header on input)\n"
        b"Subject: =?x-unknown?q?caf=C3=A9?=\nDate: 1 Jan 9999 00:00 +0000\n\nbody"
    )
    shown = parse_for_display(raw)
    assert shown.to == ()
    assert shown.subject == "café"
    assert shown.date is None
    assert shown.text == "body"
    assert "Date header out of range: '1 Jan 9999 00:00 +0000'" in shown.problems
