"""The core runs without Qt; only the UI and the app import Qt; the import-linter contract holds."""

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


def test_only_the_ui_and_the_app_import_qt() -> None:
    """Qt lives in desktop_app/ui/ and desktop_app/app.py; every other module runs without it."""
    import ast

    package = ROOT / "desktop_app"
    offenders = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] == "ui" or relative.as_posix() == "app.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "PySide6" or n.startswith("PySide6.") for n in names):
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []
