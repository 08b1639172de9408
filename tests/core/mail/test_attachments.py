"""Attachment names made safe, and saving that never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.mail.attachments import (
    MAX_NAME_BYTES,
    MAX_NAME_CHARS,
    clean_filename,
    save_new_file,
)


@pytest.mark.parametrize(
    ("hostile", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\evil.dll", "evil.dll"),
        ("C:\\Users\\x\\invoice.pdf", "invoice.pdf"),
        ("/absolute/path.txt", "path.txt"),
        ("..", "attachment"),
        ("...", "attachment"),
        ("", "attachment"),
        ("   ", "attachment"),
        ("CON.txt", "_CON.txt"),
        ("con", "_con"),
        ("NUL", "_NUL"),
        ("com1.pdf", "_com1.pdf"),
        ("LPT9", "_LPT9"),
        ("aux.tar.gz", "_aux.tar.gz"),
        ("console.txt", "console.txt"),
        ("a\x00b.pdf", "ab.pdf"),
        ("bell\x07.txt", "bell.txt"),
        ("line\nbreak.txt", "line break.txt"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # RTL override: shows as "invoiceexe.pdf"
        ("zero\u200bwidth.txt", "zerowidth.txt"),
        ("trailing. . .", "trailing"),
        ("trailing space.pdf  ", "trailing space.pdf"),
        (".hidden", "hidden"),
        ('what?<>:"|*.txt', "what_______.txt"),
        ("Rechnung Nr. 5.pdf", "Rechnung Nr. 5.pdf"),
        ("résumé.docx", "résumé.docx"),
        ("写真.jpg", "写真.jpg"),
    ],
)
def test_hostile_names(hostile: str, clean: str) -> None:
    assert clean_filename(hostile) == clean


def test_long_names_keep_their_extension() -> None:
    name = clean_filename("x" * 1000 + ".pdf")
    assert name.endswith(".pdf") and len(name) == MAX_NAME_CHARS
    wide = clean_filename("ä" * 1000 + ".jpeg")
    assert wide.endswith(".jpeg") and len(wide.encode()) <= MAX_NAME_BYTES
    odd_ext = clean_filename("a." + "b" * 500)
    assert len(odd_ext) <= MAX_NAME_CHARS


def test_nothing_left_is_attachment() -> None:
    assert clean_filename("\u202e\x00/") == "attachment"
    assert clean_filename("\x01\x02", fallback="part-2") == "part-2"


def test_save_never_overwrites(tmp_path: Path) -> None:
    first = save_new_file(tmp_path, "photo.jpg", b"one")
    second = save_new_file(tmp_path, "photo.jpg", b"two")
    third = save_new_file(tmp_path, "../photo.jpg", b"three")
    assert [p.name for p in (first, second, third)] == [
        "photo.jpg",
        "photo (2).jpg",
        "photo (3).jpg",
    ]
    assert first.read_bytes() == b"one" and second.read_bytes() == b"two"
    assert all(p.parent == tmp_path for p in (first, second, third))
    noext = save_new_file(tmp_path, "README", b"x")
    again = save_new_file(tmp_path, "README", b"y")
    assert (noext.name, again.name) == ("README", "README (2)")
