"""Read messages from mail files: mbox, Maildir (and Maildir++), single .eml files, folder trees."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_MESSAGE_BYTES = 256 * 1024 * 1024
SNIFF_BYTES = 4096
IMPORTED = "Imported"
INBOX = "INBOX"

_FROM_LINE = re.compile(rb"From \S*\s.*\b\d{1,2}:\d{2}\b.*\b\d{4}\b")
_HEADER_START = re.compile(rb"(?:\xef\xbb\xbf)?\s*[!-9;-~]+[ \t]*:")
_MAILDIR_INFO = re.compile(r"[:!;]2,([A-Za-z]*)$")
_MAILDIR_FLAGS = {
    "P": "$Forwarded",
    "R": "\\Answered",
    "S": "\\Seen",
    "T": "\\Deleted",
    "D": "\\Draft",
    "F": "\\Flagged",
}
_X_STATUS_FLAGS = {"A": "\\Answered", "F": "\\Flagged", "T": "\\Draft", "D": "\\Deleted"}
_MOZILLA_FLAGS = ((0x1, "\\Seen"), (0x2, "\\Answered"), (0x4, "\\Flagged"), (0x8, "\\Deleted"))
_STATUS_HEADERS = re.compile(
    rb"^(Status|X-Status|X-Mozilla-Status)[ \t]*:[ \t]*([^\r\n]*)", re.M | re.I
)
_MAILDIR_PARTS = ("cur", "new", "tmp")
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SourceMessage:
    """One message read from a file: its folder name, exact bytes, IMAP-style flags and origin."""

    folder: str
    raw: bytes
    flags: tuple[str, ...] = ()
    origin: str = ""  # the file path; for mbox messages "path#N" (N counts from 1)


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """Something that could not be read: where, and a short sentence saying what went wrong."""

    origin: str
    problem: str


ProblemHandler = Callable[[SourceProblem], None]


def _log_problem(problem: SourceProblem) -> None:
    _log.warning("%s: %s", problem.origin, problem.problem)


def iter_source(path: Path, on_problem: ProblemHandler | None = None) -> Iterator[SourceMessage]:
    """Every message in a file or directory tree, with its folder name, flags and origin.

    - An mbox file (its first line starts with ``From ``): each message, in the folder named
      after the file stem (``Sent.mbox`` -> ``Sent``). The bytes are the message exactly as
      stored, without its ``From `` line and without the blank line that separates it from the
      next message. ``>From `` lines are kept as stored, not unquoted: mboxo and mboxrd cannot be
      told apart from the file, and unquoting the wrong one would change the message. A separator
      is a ``From `` line with a time and a year after a blank line (or at the start of the file);
      Content-Length headers are not trusted. Flags come from ``Status``, ``X-Status`` and
      ``X-Mozilla-Status``. An ``.eml`` file that starts with a ``From `` envelope line is read
      the same way but keeps the folder a single message would get.
    - A single message file (``.eml``, or any file that starts like RFC 5322 headers): one
      message, folder ``Imported``. A single file named explicitly is imported even when it does
      not look like mail (nothing the merchant points at is dropped); that is reported.
    - A Maildir (a directory with ``cur/`` or ``new/``): messages in ``new/`` and ``cur/`` and
      loose message files beside them (notmuch's corpus layout), folder ``INBOX``; ``tmp/`` holds
      deliveries in progress and is skipped. Flags come from the ``:2,`` info of the file name.
      Maildir++ subfolders (``.Sent``, ``.Archive.2023``) become ``Sent`` and ``Archive/2023``.
    - Any other directory: every file in the tree, sniffed as above; files that do not look like
      mail (README, index files) are skipped quietly. Loose files at the top go to ``Imported``,
      files in sub-directories to the relative path (``foo/baz``), mbox files to their relative
      path without extension; Thunderbird's ``.sbd`` directory suffix is dropped.

    Files that cannot be read, empty files inside a Maildir, and messages over MAX_MESSAGE_BYTES
    yield nothing; each is reported as a `SourceProblem` to `on_problem` (by default a logged
    warning) and reading goes on. A `path` that does not exist raises FileNotFoundError.
    """
    report = on_problem or _log_problem
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file or folder: {path}")
    if path.is_dir():
        root = INBOX if _is_maildir(path) else IMPORTED
        if path.name.startswith(".") and _is_maildir(path):
            root = _maildirpp_name(path.name)
        yield from _walk(path, [], root, report)
        return
    kind = _sniff(path, report)
    if kind == "mbox":
        yield from _read_mbox(path, _mbox_folder(path, [], IMPORTED), report)
    elif kind == "message":
        yield from _read_message(path, IMPORTED, maildir_flags(path.name), report)
    elif kind == "other":  # named explicitly: keep it anyway, its parse problems say the rest
        report(SourceProblem(str(path), "does not look like a mail message; imported as one"))
        yield from _read_message(path, IMPORTED, (), report)


# ---------------------------------------------------------------------------------------------
# Sniffing and single files


def _sniff(path: Path, report: ProblemHandler, quiet: bool = False) -> str:
    """ "mbox", "message", "other" or "" (unreadable or empty: nothing to read)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        report(SourceProblem(str(path), f"could not be read ({exc.strerror or exc})"))
        return ""
    if not head.strip():
        if not quiet:
            report(SourceProblem(str(path), "empty file"))
        return ""
    if head.startswith(b"From "):
        return "mbox"
    if path.suffix.lower() == ".eml" or _HEADER_START.match(head):
        return "message"
    return "other"


def _read_bytes(path: Path, report: ProblemHandler) -> bytes | None:
    try:
        if path.stat().st_size > MAX_MESSAGE_BYTES:
            report(SourceProblem(str(path), f"larger than {MAX_MESSAGE_BYTES} bytes; skipped"))
            return None
        return path.read_bytes()
    except OSError as exc:
        report(SourceProblem(str(path), f"could not be read ({exc.strerror or exc})"))
        return None


def _read_message(
    path: Path, folder: str, flags: tuple[str, ...], report: ProblemHandler
) -> Iterator[SourceMessage]:
    raw = _read_bytes(path, report)
    if raw is not None:
        yield SourceMessage(folder=folder, raw=raw, flags=flags, origin=str(path))


# ---------------------------------------------------------------------------------------------
# mbox


def mbox_flags(raw: bytes) -> tuple[str, ...]:
    """IMAP flags from the Status, X-Status and X-Mozilla-Status headers of a message."""
    end = raw.find(b"\n\n")
    crlf_end = raw.find(b"\n\r\n")
    ends = [i for i in (end, crlf_end) if i >= 0]
    head = raw[: min(ends)] if ends else raw[:SNIFF_BYTES]
    flags: set[str] = set()
    for name, value in _STATUS_HEADERS.findall(head):
        text = value.decode("latin-1").strip()
        key = name.lower()
        if key == b"status" and "R" in text:
            flags.add("\\Seen")
        elif key == b"x-status":
            flags.update(flag for letter, flag in _X_STATUS_FLAGS.items() if letter in text)
        elif key == b"x-mozilla-status":
            flags.update(_mozilla_flags(text))
    return tuple(sorted(flags))


def _mozilla_flags(text: str) -> list[str]:
    try:
        bits = int(text[:4], 16)
    except ValueError:
        return []
    return [flag for bit, flag in _MOZILLA_FLAGS if bits & bit]


def _is_blank(line: bytes) -> bool:
    return line in (b"\n", b"\r\n")


def _mbox_chunks(lines: Iterable[bytes], origin: str, report: ProblemHandler) -> Iterator[bytes]:
    """The raw bytes of each message of an mbox given as lines (the first is a From line)."""
    current: list[bytes] = []
    size = 0
    too_big = False
    started = False
    prev_blank = True
    for line in lines:
        if prev_blank and line.startswith(b"From ") and (not started or _is_from_line(line)):
            if started and not too_big:
                yield _join_message(current)
            current, size, too_big, started = [], 0, False, True
            prev_blank = False
            continue
        prev_blank = _is_blank(line)
        if too_big:
            continue
        size += len(line)
        if size > MAX_MESSAGE_BYTES:
            report(
                SourceProblem(origin, f"a message larger than {MAX_MESSAGE_BYTES} bytes skipped")
            )
            current, too_big = [], True
            continue
        current.append(line)
    if started and not too_big:
        yield _join_message(current)


def _is_from_line(line: bytes) -> bool:
    """A ``From `` line that carries a time and a year (only its start is looked at)."""
    return _FROM_LINE.match(line[:200]) is not None


def _join_message(lines: list[bytes]) -> bytes:
    if lines and _is_blank(lines[-1]):
        lines = lines[:-1]
    return b"".join(lines)


def _read_mbox(path: Path, folder: str, report: ProblemHandler) -> Iterator[SourceMessage]:
    try:
        with path.open("rb") as fh:
            for index, raw in enumerate(_mbox_chunks(fh, str(path), report), 1):
                yield SourceMessage(folder, raw, mbox_flags(raw), f"{path}#{index}")
    except OSError as exc:
        report(SourceProblem(str(path), f"could not be read to the end ({exc.strerror or exc})"))


# ---------------------------------------------------------------------------------------------
# Maildir and directory trees


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() or (path / "new").is_dir()


def _maildirpp_name(name: str) -> str:
    return "/".join(p for p in name.lstrip(".").split(".") if p) or INBOX


def maildir_flags(filename: str) -> tuple[str, ...]:
    """IMAP flags from a Maildir file name's ``:2,`` info (lowercase keyword letters ignored)."""
    m = _MAILDIR_INFO.search(filename)
    if m is None:
        return ()
    return tuple(sorted({_MAILDIR_FLAGS[c] for c in m.group(1) if c in _MAILDIR_FLAGS}))


def _entries(path: Path, report: ProblemHandler) -> tuple[list[Path], list[Path]]:
    """Sorted (files, directories) of a directory; symlinked directories are not followed."""
    try:
        with os.scandir(path) as it:
            items = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        report(SourceProblem(str(path), f"folder could not be read ({exc.strerror or exc})"))
        return [], []
    files: list[Path] = []
    dirs: list[Path] = []
    for entry in items:
        try:
            if entry.is_dir(follow_symlinks=False):
                dirs.append(Path(entry.path))
            elif entry.is_file():
                files.append(Path(entry.path))
        except OSError as exc:
            report(SourceProblem(entry.path, f"could not be read ({exc.strerror or exc})"))
    return files, dirs


def _folder(parts: list[str], root: str) -> str:
    return "/".join(parts) if parts else root


def _walk(
    path: Path, parts: list[str], root: str, report: ProblemHandler
) -> Iterator[SourceMessage]:
    files, dirs = _entries(path, report)
    maildir = _is_maildir(path)
    folder = _folder(parts, root)
    for file in files:
        if not file.name.startswith("."):
            yield from _tree_file(file, parts, folder, report)
    if maildir:
        for sub in (path / "new", path / "cur"):
            for file in _entries(sub, report)[0] if sub.is_dir() else []:
                yield from _maildir_file(file, folder, report)
    for sub_dir in dirs:
        name = sub_dir.name
        if maildir and name in _MAILDIR_PARTS:
            continue
        if name.startswith("."):
            if _is_maildir(sub_dir):
                yield from _walk(sub_dir, [*parts, _maildirpp_name(name)], root, report)
            continue
        label = name.removesuffix(".sbd") if name.endswith(".sbd") else name
        yield from _walk(sub_dir, [*parts, label], root, report)


def _maildir_file(file: Path, folder: str, report: ProblemHandler) -> Iterator[SourceMessage]:
    if file.name.startswith("."):
        return
    raw = _read_bytes(file, report)
    if raw is None:
        return
    if not raw.strip():
        report(SourceProblem(str(file), "empty file in a Maildir"))
        return
    yield SourceMessage(folder, raw, maildir_flags(file.name), str(file))


def _mbox_folder(file: Path, parts: list[str], folder: str) -> str:
    """An mbox file is a folder of its own, except an .eml file that starts with a From line."""
    if file.suffix.lower() == ".eml" or not file.stem:
        return folder
    return "/".join([*parts, file.stem])


def _tree_file(
    file: Path, parts: list[str], folder: str, report: ProblemHandler
) -> Iterator[SourceMessage]:
    kind = _sniff(file, report, quiet=True)
    if kind == "mbox":
        yield from _read_mbox(file, _mbox_folder(file, parts, folder), report)
    elif kind == "message":
        yield from _read_message(file, folder, maildir_flags(file.name), report)
    elif kind == "other":
        _log.debug("%s: not a mail file; skipped", file)
