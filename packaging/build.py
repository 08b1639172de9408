"""Build the Shopdesk bundle from a clean virtual environment, then (optionally) self-test it.

    python3 packaging/build.py [--self-test] [--reuse-venv]

Makes build/venv afresh (the app installed from this tree with `pip install .`, plus
packaging/requirements-build.txt), runs PyInstaller on packaging/shopdesk.spec into dist/
(dist/Shopdesk/, and dist/Shopdesk.app on macOS), and prints the bundle's size. With
--self-test it runs the bundle's `--self-test` and exits with its status. When
SHOPDESK_GOOGLE_CLIENT_ID, SHOPDESK_GOOGLE_CLIENT_SECRET or SHOPDESK_MICROSOFT_CLIENT_ID are
set, resources/oauth_clients.json is written from them first, and bundled. Needs nothing but
Python 3.11+; installers are made from dist/ afterwards (see packaging/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
VENV = BUILD / "venv"
DIST = ROOT / "dist"
REPORT = BUILD / "self-test.txt"
SCREENSHOT = BUILD / "self-test.png"
OAUTH_CLIENTS = ROOT / "resources" / "oauth_clients.json"  # bundled with resources/; gitignored
# (provider, key) -> the build environment's variable (CI: the repository secret of that name)
CLIENT_VARIABLES = {
    ("google", "client_id"): "SHOPDESK_GOOGLE_CLIENT_ID",
    ("google", "client_secret"): "SHOPDESK_GOOGLE_CLIENT_SECRET",
    ("microsoft", "client_id"): "SHOPDESK_MICROSOFT_CLIENT_ID",
}
WINDOWS = sys.platform == "win32"
MACOS = sys.platform == "darwin"


def run(cmd: list[str], **kw: object) -> None:
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")


def make_venv(reuse: bool) -> None:
    """A fresh environment with the app and its runtime dependencies only (no test tools)."""
    if VENV.exists() and not reuse:
        shutil.rmtree(VENV)
    if not venv_python().exists():
        venv.create(VENV, with_pip=True, clear=True)
    py = str(venv_python())
    run([py, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    run([py, "-m", "pip", "install", "-q", "-r", str(ROOT / "packaging/requirements-build.txt")])
    run([py, "-m", "pip", "install", "-q", str(ROOT)], cwd=ROOT)


def write_oauth_clients(environ: Mapping[str, str], target: Path = OAUTH_CLIENTS) -> Path | None:
    """Write the OAuth client ids set in `environ` to `target` (the app reads it, bundled).

    {"google": {"client_id": ..., "client_secret": ...}, "microsoft": {"client_id": ...}}, each
    provider only when its variables are set. With none set nothing is written (a file already
    there, a maintainer's own, is left as it is). Values are never printed.
    """
    clients: dict[str, dict[str, str]] = {}
    for (provider, key), variable in CLIENT_VARIABLES.items():
        value = environ.get(variable, "").strip()
        if value:
            clients.setdefault(provider, {})[key] = value
    for provider, values in clients.items():
        if "client_id" not in values:
            raise SystemExit(
                f"{', '.join(CLIENT_VARIABLES[provider, k] for k in values)} is set without "
                f"{CLIENT_VARIABLES[provider, 'client_id']}"
            )
    if not clients:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(clients, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, target)
    print(f"wrote {target.name} ({', '.join(sorted(clients))})", file=sys.stderr, flush=True)
    return target


def pyinstaller() -> None:
    run(
        [
            str(venv_python()),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(ROOT / "packaging" / "shopdesk.spec"),
        ],
        cwd=ROOT,
    )


def bundle() -> Path:
    """The folder that is shipped: Shopdesk.app on macOS, dist/Shopdesk elsewhere."""
    return DIST / "Shopdesk.app" if MACOS else DIST / "Shopdesk"


def executable() -> Path:
    if MACOS:
        return bundle() / "Contents" / "MacOS" / "Shopdesk"
    return bundle() / ("Shopdesk.exe" if WINDOWS else "Shopdesk")


def size_mb(folder: Path) -> float:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1e6


def self_test() -> int:
    """Run the bundle's --self-test; its lines also go to build/self-test.txt, the window
    to build/self-test.png."""
    REPORT.unlink(missing_ok=True)
    cmd = [str(executable()), "--self-test", "--self-test-output", str(REPORT)]
    cmd += ["--self-test-screenshot", str(SCREENSHOT)]
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    code = subprocess.run(cmd, cwd=BUILD, timeout=300).returncode
    if WINDOWS and REPORT.exists():  # a windowed .exe has no stdout: show the report here
        print(REPORT.read_text(encoding="utf-8"), end="")
    if not REPORT.exists():
        print(f"the bundle wrote no self-test report (exit {code})", file=sys.stderr)
        return code or 1
    return code


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--self-test", action="store_true", help="run the bundle's self-test")
    parser.add_argument("--reuse-venv", action="store_true", help="keep build/venv (faster)")
    parser.add_argument("--skip-build", action="store_true", help="only self-test dist/")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if not args.skip_build:
        BUILD.mkdir(exist_ok=True)
        make_venv(args.reuse_venv)
        installed = time.monotonic()
        write_oauth_clients(os.environ)  # before PyInstaller: bundled with resources/
        pyinstaller()
        print(
            f"build: environment {installed - started:.0f} s, PyInstaller "
            f"{time.monotonic() - installed:.0f} s; {bundle()} is {size_mb(bundle()):.0f} MB",
            flush=True,
        )
    if args.self_test:  # on the platform given by QT_QPA_PLATFORM (CI: offscreen)
        return self_test()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
