"""Reading mbox files, Maildirs, .eml files and folder trees: exact bytes, folders, flags."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from desktop_app.core.mail.sources import (
    SourceMessage,
    SourceProblem,
    iter_source,
    maildir_flags,
    mbox_flags,
)

MESSAGES = [
    b"From: a@example.com\nSubject: one\n\nFirst body\n\nFrom the shop: hello\n>From quoted\n",
    b"From: b@example.com\r\nSubject: two\r\n\r\nCRLF body\r\n\r\n",
    b"From: c@example.com\nSubject: three\nStatus: RO\nX-Status: AF\n\nthird\n",
]


def write_mbox(path: Path, messages: list[bytes]) -> None:
    chunks = [b"From sender@example.com Mon Jan  1 00:00:00 2024\n" + m + b"\n" for m in messages]
    path.write_bytes(b"".join(chunks))


def read(path: Path) -> tuple[list[SourceMessage], list[SourceProblem]]:
    problems: list[SourceProblem] = []
    return list(iter_source(path, problems.append)), problems


def test_mbox_round_trips_bytes_exactly(tmp_path: Path) -> None:
    path = tmp_path / "Sent.mbox"
    write_mbox(path, MESSAGES)
    messages, problems = read(path)
    assert [m.raw for m in messages] == MESSAGES
    assert {m.folder for m in messages} == {"Sent"}
    assert [m.origin for m in messages] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert messages[2].flags == ("\\Answered", "\\Flagged", "\\Seen")
    assert problems == []


def test_mbox_with_crlf_separators(tmp_path: Path) -> None:
    crlf = [m.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n") for m in MESSAGES]
    data = b"".join(b"From x@y Mon Jan  1 00:00:00 2024\r\n" + m + b"\r\n" for m in crlf)
    (tmp_path / "Inbox").write_bytes(data)
    messages, _ = read(tmp_path / "Inbox")
    assert [m.raw for m in messages] == crlf


def test_mbox_from_lines_in_bodies_need_a_date(tmp_path: Path) -> None:
    body = b"Subject: x\n\nline\n\nFrom here on, it is body text.\n"
    write_mbox(tmp_path / "a.mbox", [body, body])
    assert [m.raw for m in read(tmp_path / "a.mbox")[0]] == [body, body]


def test_mbox_flags_from_headers() -> None:
    assert mbox_flags(b"Status: RO\nX-Status: DT\n\nStatus: F") == (
        "\\Deleted",
        "\\Draft",
        "\\Seen",
    )
    assert mbox_flags(b"X-Mozilla-Status: 0005\n\n") == ("\\Flagged", "\\Seen")
    assert mbox_flags(b"X-Mozilla-Status: zz\nStatus: O\n\n") == ()


def test_maildir_flags_from_names() -> None:
    assert maildir_flags("1700000000.M1P2.host:2,FRS") == ("\\Answered", "\\Flagged", "\\Seen")
    assert maildir_flags("1700000000.M1P2.host!2,DTab") == ("\\Deleted", "\\Draft")
    assert maildir_flags("1700000000.M1P2.host:2,P") == ("$Forwarded",)
    assert maildir_flags("1700000000.M1P2.host") == ()


def make_maildir(root: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    (root / "cur" / "1.M1.h:2,S").write_bytes(MESSAGES[0])
    (root / "new" / "2.M2.h").write_bytes(MESSAGES[1])
    (root / "tmp" / "3.M3.h").write_bytes(b"Subject: being delivered\n\n")
    (root / "dovecot-uidlist").write_bytes(b"3 V1700000000 N3\n1 1.M1.h\n")
    (root / "maildirfolder").write_bytes(b"")
    sent = root / ".Sent.2023"
    for sub in ("cur", "new", "tmp"):
        (sent / sub).mkdir(parents=True)
    (sent / "cur" / "4.M4.h:2,RS").write_bytes(MESSAGES[2])
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_bytes(b"ref: refs/heads/main\n")


def test_maildir_with_maildirpp_subfolders(tmp_path: Path) -> None:
    make_maildir(tmp_path / "Maildir")
    messages, problems = read(tmp_path / "Maildir")
    got = [(m.folder, m.raw, m.flags) for m in messages]
    assert got == [
        ("INBOX", MESSAGES[1], ()),
        ("INBOX", MESSAGES[0], ("\\Seen",)),
        ("Sent/2023", MESSAGES[2], ("\\Answered", "\\Seen")),
    ]
    assert problems == []


def test_single_eml_and_folder_tree(tmp_path: Path) -> None:
    eml = tmp_path / "one.eml"
    eml.write_bytes(b"   \r\n" + MESSAGES[1])  # odd start, still a message by its extension
    assert [(m.folder, m.raw) for m in read(eml)[0]] == [("Imported", b"   \r\n" + MESSAGES[1])]

    tree = tmp_path / "tree"
    (tree / "orders" / "2024").mkdir(parents=True)
    (tree / "a.eml").write_bytes(MESSAGES[0])
    (tree / "README").write_bytes(b"These are my old mails.\n")
    (tree / "orders" / "2024" / "12345").write_bytes(MESSAGES[1])
    write_mbox(tree / "orders" / "Archive.mbox", MESSAGES[2:])
    (tree / "Local.sbd").mkdir()
    write_mbox(tree / "Local.sbd" / "Work", MESSAGES[:1])
    messages, problems = read(tree)
    assert sorted((m.folder, m.raw) for m in messages) == sorted(
        [
            ("Imported", MESSAGES[0]),
            ("Local/Work", MESSAGES[0]),
            ("orders/2024", MESSAGES[1]),
            ("orders/Archive", MESSAGES[2]),
        ]
    )
    assert problems == []


def test_problems_are_reported_and_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_maildir(tmp_path / "Maildir")
    (tmp_path / "Maildir" / "cur" / "5.M5.h:2,").write_bytes(b"")
    unreadable = tmp_path / "Maildir" / "cur" / "6.M6.h:2,S"
    unreadable.write_bytes(MESSAGES[0])
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == unreadable:
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    messages, problems = read(tmp_path / "Maildir")
    assert len(messages) == 3
    assert [(Path(p.origin).name, p.problem) for p in problems] == [
        ("5.M5.h:2,", "empty file in a Maildir"),
        ("6.M6.h:2,S", "could not be read (Permission denied)"),
    ]


def test_empty_file_in_maildir_is_reported(tmp_path: Path) -> None:
    make_maildir(tmp_path / "Maildir")
    (tmp_path / "Maildir" / "cur" / "5.M5.h:2,").write_bytes(b"\n")
    messages, problems = read(tmp_path / "Maildir")
    assert len(messages) == 3
    assert [p.problem for p in problems] == ["empty file in a Maildir"]


def test_not_mail_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"just some notes\n")
    messages, problems = read(tmp_path / "notes.txt")  # named explicitly: kept, and reported
    assert [m.raw for m in messages] == [b"just some notes\n"]
    assert [p.problem for p in problems] == ["does not look like a mail message; imported as one"]
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "notes.txt").write_bytes(b"just some notes\n")
    assert read(tmp_path / "folder") == ([], [])  # inside a folder: skipped quietly
    with pytest.raises(FileNotFoundError):
        list(iter_source(tmp_path / "missing"))


def test_notmuch_corpus(corpora: Path) -> None:
    root = corpora / "notmuch" / "corpora"
    default, problems = read(root / "default")
    assert len(default) == 53 and problems == []
    assert Counter(m.folder for m in default) == {
        "INBOX": 28,
        "bar": 6,
        "bar/baz": 7,
        "foo": 6,
        "foo/baz": 6,
    }
    for message in default:
        assert message.raw == Path(message.origin).read_bytes()
    threading, _ = read(root / "threading")
    assert len(threading) == 12
    assert sum(m.flags == ("\\Seen",) for m in threading) == 3


def test_flanker_and_cpython_corpora(corpora: Path) -> None:
    flanker, problems = read(corpora / "flanker-messages")
    assert len(flanker) == 48 and problems == []
    mbox_style = [m for m in flanker if "#" in m.origin]
    assert {Path(m.origin).name.split("#")[0] for m in mbox_style} == {
        "torture.eml",
        "torture-part.eml",
        "zed.eml",
    }
    cpython, problems = read(corpora / "cpython-test-email")
    names = {Path(m.origin.split("#")[0]).name for m in cpython}
    # msg_19.txt is a bare digest body without headers: not recognisable as a message
    assert len(names) == 46 and "msg_19.txt" not in names and problems == []


def test_dovecot_mbox_files(corpora: Path) -> None:
    messages, _ = read(corpora / "dovecot-imaptest-thread" / "thread.mbox")
    assert [m.raw.split(b"\n")[0] for m in messages] == [
        b"Message-ID: <a@b>",
        b"Message-Id: <b@b>",
        b"Message-Id: <c@b>",
    ]
    assert messages[0].raw == b"Message-ID: <a@b>\n\nbody\n"
