"""Copies of the store taken before a schema upgrade (SQLite online backup); putting one back."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.core.paths import backups_dir

KEEP = 3  # the newest copies kept; older ones are deleted after each successful upgrade
_NAME = re.compile(r"^shopdesk-(?P<revision>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?\.sqlite3$")


def backup_name(revision: str, now: datetime) -> str:
    """`shopdesk-<revision>-<UTC time>.sqlite3`: sortable by time, naming the schema it holds."""
    return f"shopdesk-{revision}-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.sqlite3"


def take_backup(store: Path, revision: str, now: datetime | None = None) -> Path:
    """Copy `store` with SQLite's online backup into the backups folder; returns the copy.

    The copy is written under a temporary name and renamed when complete, so a copy that is
    there is whole. Nothing is deleted here: the caller prunes (`prune`) once the upgrade the
    copy was taken for has succeeded, so a failed attempt never costs an older copy.
    """
    folder = backups_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    name = backup_name(revision, now or datetime.now(UTC))
    target = folder / name
    n = 1
    while target.exists():  # two upgrades within one second
        target = folder / name.replace(".sqlite3", f"-{n}.sqlite3")
        n += 1
    partial = target.with_name(target.name + ".partial")
    try:
        with (
            contextlib.closing(sqlite3.connect(store)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)  # no half copy is left behind (a full disk, say)
        raise
    return target


def list_backups(folder: Path) -> list[Path]:
    """The copies in `folder`, oldest first."""
    found = []
    for path in folder.glob("shopdesk-*.sqlite3"):
        match = _NAME.match(path.name)
        if match:
            found.append((match["stamp"], int(match["n"] or 0), path))
    return [path for _stamp, _n, path in sorted(found)]


def prune(folder: Path, keep: int = KEEP) -> None:
    """Delete all but the newest `keep` copies."""
    for old in list_backups(folder)[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()


def restore_backup(backup: Path, store: Path) -> None:
    """Put `backup` back as `store`; stale -wal and -shm files of the store are removed first.

    Every connection to the store must be closed. The copy itself is kept.
    """
    for suffix in ("-wal", "-shm", "-journal"):
        stale = store.with_name(store.name + suffix)
        if stale.exists():
            stale.unlink()
    partial = store.with_name(store.name + ".restoring")
    shutil.copyfile(backup, partial)  # the copy's pages as they are: the store as it was
    os.replace(partial, store)
