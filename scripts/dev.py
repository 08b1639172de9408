"""Set up the development environment in .venv/ and run the app or the tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".shopdesk-installed"
DEBIAN_TEST_PACKAGES = ["dovecot-imapd"]
# What Qt's xcb platform plugin needs beyond a bare Debian (a desktop install has them).
DEBIAN_QT_PACKAGES = [
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xinerama0",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libdbus-1-3",
    # Fonts, so text never renders as boxes (offscreen screenshots too): Latin, Cyrillic,
    # Armenian and more, and Devanagari for the Hindi mail of the demo shop.
    "fonts-dejavu-core",
    "fonts-lohit-deva",
]


def run(cmd: list[str], **kw: object) -> None:
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def is_root_debian() -> bool:
    return os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get") is not None


def apt_install(packages: list[str]) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", *packages], env=env)


def ensure_venv() -> None:
    if PY.exists():
        return
    try:
        venv.create(VENV, with_pip=True)
    except (subprocess.CalledProcessError, OSError):
        if not is_root_debian():
            message = "Could not create .venv: install your system's python3-venv package."
            raise SystemExit(message) from None
        shutil.rmtree(VENV, ignore_errors=True)
        minor = f"python3.{sys.version_info.minor}-venv"
        apt_install(["python3-venv", minor])
        venv.create(VENV, with_pip=True)


def ensure_installed(extra: str) -> None:
    spec = f".[{extra}]" if extra else "."
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    run([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    run([str(PY), "-m", "pip", "install", "-q", "-e", spec], cwd=ROOT)
    STAMP.write_text(digest)


def missing_qt_libraries() -> list[str]:
    """Shared libraries Qt's xcb plugin cannot find (Linux only)."""
    if not sys.platform.startswith("linux") or not shutil.which("ldd"):
        return []
    plugins = list(VENV.glob("lib/python3*/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so"))
    if not plugins:
        return []
    out = subprocess.run(["ldd", str(plugins[0])], capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if "not found" in line]


def ensure_qt_runtime() -> None:
    missing = missing_qt_libraries()
    if not missing:
        return
    if is_root_debian():
        apt_install(DEBIAN_QT_PACKAGES)
    else:
        print(
            f"Qt needs {', '.join(missing)}: install them with\n  sudo apt-get install "
            + " ".join(DEBIAN_QT_PACKAGES),
            file=sys.stderr,
        )


def ensure_test_servers() -> None:
    if shutil.which("dovecot") or Path("/usr/sbin/dovecot").exists():
        return
    if is_root_debian():
        apt_install(DEBIAN_TEST_PACKAGES)
    else:
        print(
            "Dovecot is not installed: IMAP integration tests will be skipped "
            "(install the dovecot-imapd package to run them).",
            file=sys.stderr,
        )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"app", "test"}:
        print("usage: python3 scripts/dev.py app|test [args...]", file=sys.stderr)
        return 2
    what, rest = argv[0], argv[1:]
    ensure_venv()
    if what == "app":
        ensure_installed("")
        ensure_qt_runtime()
        return subprocess.call([str(PY), str(ROOT / "main.py"), *rest], cwd=ROOT)
    ensure_installed("test")
    ensure_test_servers()
    lint_paths = [
        p
        for p in ("desktop_app", "tests", "bench", "scripts", "packaging", "main.py")
        if (ROOT / p).exists()
    ]
    try:
        run([str(BIN / "ruff"), "check", *lint_paths], cwd=ROOT)
        run([str(BIN / "lint-imports")], cwd=ROOT)
        run([str(PY), "-m", "mypy"], cwd=ROOT)
    except subprocess.CalledProcessError as exc:
        print(
            f"dev.py: {' '.join(map(str, exc.cmd[:3]))} failed (exit {exc.returncode})",
            file=sys.stderr,
        )
        return exc.returncode or 1
    return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
