"""The core runs without Qt: the import-linter contract holds; the core imports with Qt blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLOCK_QT = """
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("Qt is blocked in the core")
sys.meta_path.insert(0, Block())
import desktop_app.core as core
for info in pkgutil.walk_packages(core.__path__, "desktop_app.core."):
    if ".migrations" in info.name:
        continue
    importlib.import_module(info.name)
import desktop_app.cli, desktop_app.commands
assert not any(m.startswith("PySide6") for m in sys.modules)
print("ok")
"""


def test_core_imports_with_qt_blocked() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_import_linter_contract_holds() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(exe)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The core never imports Qt KEPT" in result.stdout
