"""Where Shopdesk keeps its data on each platform."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Shopdesk"
STORE_FILENAME = "shopdesk.sqlite3"


def default_data_dir() -> Path:
    """The user data folder, overridable with SHOPDESK_DATA_DIR."""
    override = os.environ.get("SHOPDESK_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def store_path(data_dir: Path) -> Path:
    return data_dir / STORE_FILENAME
