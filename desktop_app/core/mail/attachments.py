"""Attachment file names made safe to save under, and saving without overwriting anything."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

MAX_NAME_CHARS = 120  # whole name; the extension is kept when shortening
MAX_NAME_BYTES = 240  # in UTF-8: most file systems allow 255
MAX_EXT_CHARS = 16
FALLBACK = "attachment"
# Names Windows refuses whatever the extension ("CON.txt" too).
RESERVED = {
    "con", "prn", "aux", "nul", "clock$", "conin$", "conout$",
    *(f"com{i}" for i in "0123456789¹²³"),
    *(f"lpt{i}" for i in "0123456789¹²³"),
}  # fmt: skip
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')


def _allowed(ch: str) -> bool:
    category = unicodedata.category(ch)
    # controls, format characters (RTL/LTR overrides, zero-width ...), unassigned, surrogates
    return category not in ("Cc", "Cf", "Cn", "Cs", "Co") and ch not in "\u2028\u2029"


def clean_filename(name: str, fallback: str = FALLBACK) -> str:
    """A file name that is safe on Windows, macOS and Linux and shows what it is.

    No folders (only the last path element is kept), no control or bidi-override characters,
    no characters Windows forbids, no leading dots (no hidden files, no ".."), no trailing dots
    or spaces, no reserved device names (CON, NUL, COM1 ...: prefixed with "_"), at most
    MAX_NAME_CHARS characters with the extension kept; empty gives `fallback`.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(" " if ch in "\t\r\n" else ch if _allowed(ch) else "" for ch in name)
    name = _FORBIDDEN.sub("_", name)
    name = " ".join(name.split())  # tabs, newlines and runs of spaces: one space
    name = name.lstrip(". ").rstrip(". ")
    if not name:
        return fallback
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > MAX_EXT_CHARS or " " in ext:
        stem, ext = name, ""
    if stem.split(".")[0].strip().lower() in RESERVED:
        stem = "_" + stem
    tail = f".{ext}" if ext else ""
    if len(stem) + len(tail) > MAX_NAME_CHARS:
        stem = stem[: MAX_NAME_CHARS - len(tail)]
    while stem and len((stem + tail).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(". ")
    if not stem:
        stem = fallback
    return stem + tail


def unique_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `folder/name (2).ext`, `(3)` ... when that is taken."""
    target = folder / name
    if not target.exists():
        return target
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    n = 2
    while True:
        candidate = folder / (f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})")
        if not candidate.exists():
            return candidate
        n += 1


def save_new_file(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` under a cleaned `name` in `folder`, never over an existing file (the
    file is created exclusively, so a file appearing meanwhile is not overwritten either)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = clean_filename(name)
    for _ in range(1000):
        target = unique_path(folder, name)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0))
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return target
    raise FileExistsError(f"no free file name for {name} in {folder}")
