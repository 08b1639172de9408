"""Arrays derived from the bundled models, kept on disk so that a new process skips rebuilding.

Each entry is named by a key that the caller derives from everything the arrays depend on
(the source files' SHA-256, the settings that shape them), and ends with the SHA-256 of its own
content: an entry that is missing, unreadable, cut short or altered is ignored (and rebuilt by
the caller), never used. Writes go to a temporary file renamed into place, so processes that
build the same entry at once do no harm. The folder is the user's cache folder for Shopdesk
(SHOPDESK_CACHE_DIR overrides it); nothing here is needed: without it the models are rebuilt.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import platformdirs

from desktop_app.core.paths import APP_NAME

FORMAT = 1  # bump when the layout of entries changes
_DIGEST = hashlib.sha256().digest_size

Arrays = dict[str, npt.NDArray[np.generic]]


def cache_dir() -> Path:
    override = os.environ.get("SHOPDESK_CACHE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "models"


def entry_path(name: str, key: str) -> Path:
    return cache_dir() / f"{name}-{FORMAT}-{key[:32]}.npz"


def load(name: str, key: str) -> Arrays | None:
    """The arrays saved under (name, key), or None when there is no intact entry."""
    try:
        blob = entry_path(name, key).read_bytes()
    except OSError:
        return None
    payload, digest = blob[:-_DIGEST], blob[-_DIGEST:]
    if len(blob) <= _DIGEST or hashlib.sha256(payload).digest() != digest:
        return None
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as data:
            arrays: Arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError, KeyError):
        return None
    if bytes(arrays.pop("_key", np.zeros(0, np.uint8))) != key.encode():
        return None
    return arrays


def save(name: str, key: str, arrays: Arrays) -> None:
    """Keep the arrays under (name, key); a folder that cannot be written is no error."""
    buffer = io.BytesIO()
    named: dict[str, Any] = {"_key": np.frombuffer(key.encode(), dtype=np.uint8), **arrays}
    np.savez(buffer, **named)
    payload = buffer.getvalue()
    target = entry_path(name, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
                out.write(hashlib.sha256(payload).digest())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
    _forget_others(name, target)


STALE_TEMPORARY_S = 3600  # a temporary file this old was left by a writer that was killed


def _forget_others(name: str, kept: Path) -> None:
    """Remove the entries of `name` other than `kept` (made for another model, format or
    version: ~45 MB each for the language model) and temporary files left by killed writers."""
    now = time.time()
    try:
        for path in kept.parent.iterdir():
            other_entry = path.name.startswith(f"{name}-") and path.suffix == ".npz"
            left_over = path.name.startswith(f".{name}-") and path.suffix == ".tmp"
            try:
                old = left_over and now - path.stat().st_mtime > STALE_TEMPORARY_S
                if (other_entry and path != kept) or old:
                    path.unlink()
            except OSError:
                continue  # another process's, or gone already
    except OSError:
        pass
