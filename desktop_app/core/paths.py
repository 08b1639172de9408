"""Where Shopdesk keeps its data on each platform, and where its bundled resources are."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Shopdesk"
STORE_FILENAME = "shopdesk.sqlite3"
BACKUPS_FOLDER = "backups"


def default_data_dir() -> Path:
    """The user data folder, overridable with SHOPDESK_DATA_DIR.

    Never the install folder: an installer may replace that whole on an upgrade
    (Windows: %LOCALAPPDATA%\\Shopdesk, macOS: ~/Library/Application Support/Shopdesk,
    Linux: $XDG_DATA_HOME/Shopdesk).
    """
    override = os.environ.get("SHOPDESK_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def store_path(data_dir: Path) -> Path:
    return data_dir / STORE_FILENAME


def backups_dir(store: Path) -> Path:
    """Where copies of the store taken before a schema upgrade are kept."""
    return store.parent / BACKUPS_FOLDER


def resources_dir() -> Path:
    """`resources/`: at the top of the source tree, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"
