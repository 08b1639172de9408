"""`main.py --self-test` from source: every check named, exit 0, or 1 naming what failed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import desktop_app

ROOT = Path(__file__).resolve().parent.parent
CHECKS = (
    "store",
    "demo",
    "language",
    "templates",
    "translations",
    "timezones",
    "icon",
    "window",
    "tls",
    "workers",
)


def _run(tmp_path: Path, *args: str, **env: str) -> tuple[int, list[str]]:
    environ = dict(os.environ, QT_QPA_PLATFORM="offscreen", **env)
    environ["SHOPDESK_DATA_DIR"] = str(tmp_path / "merchant")  # must stay untouched
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stdout + done.stderr
    return done.returncode, done.stdout.splitlines()


def _check_lines(lines: list[str]) -> dict[str, str]:
    """check name -> its status word (ok, FAILED, skipped)."""
    out = {}
    for line in lines:
        status, sep, rest = line.partition(": ")
        if sep and status in {"ok", "FAILED", "skipped"}:
            out[rest.split(" (")[0].split(" — ")[0]] = status
    return out


def test_every_check_passes_and_a_skip_is_said(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    code, lines = _run(
        tmp_path,
        "--self-test",
        "--self-test-output",
        str(report),
        "--self-test-screenshot",
        str(tmp_path / "window.png"),
        SHOPDESK_SELF_TEST_SKIP="keyring",
    )
    assert code == 0, lines
    assert lines[0].startswith(f"Shopdesk {desktop_app.__version__} (Python ")
    status = _check_lines(lines)
    assert {name: status.get(name) for name in CHECKS} == dict.fromkeys(CHECKS, "ok")
    assert status["keyring"] == "skipped"
    assert "skipped: keyring — SHOPDESK_SELF_TEST_SKIP" in lines
    assert status["keyring backends"] == "ok"
    assert lines[-1] == "self-test: passed"
    assert report.read_text(encoding="utf-8").splitlines() == lines
    assert not (tmp_path / "merchant").exists()
    assert (tmp_path / "window.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_failed_checks_are_each_named_and_exit_1(tmp_path: Path) -> None:
    no_certificates = tmp_path / "no-certificates"
    no_certificates.mkdir()
    code, lines = _run(
        tmp_path,
        "--self-test",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        SSL_CERT_FILE="",  # OpenSSL finds no CA certificates (from source: no certifi fallback)
        SSL_CERT_DIR=str(no_certificates),
    )
    assert code == 1
    assert "FAILED: keyring — no backend" in lines
    assert "FAILED: tls — no trusted certificate authorities: secure connections would fail" in (
        lines
    )
    failed = [name for name, word in _check_lines(lines).items() if word == "FAILED"]
    assert failed == ["tls", "keyring"]  # the other checks still ran and passed
    assert lines[-1] == "self-test: FAILED"


def test_a_plain_file_keyring_does_not_pass(tmp_path: Path) -> None:
    code, lines = _run(
        tmp_path, "--self-test", PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring"
    )
    assert code == 1
    assert any(line.startswith("FAILED: keyring — keyrings.alt.file.") for line in lines)


def test_version(tmp_path: Path) -> None:
    code, lines = _run(tmp_path, "--version")
    assert (code, lines) == (0, [f"Shopdesk {desktop_app.__version__}"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Secret Service backend")
def test_the_native_keyring_backend_without_its_dependencies_fails(tmp_path: Path) -> None:
    hidden = tmp_path / "hidden"
    for name in ("secretstorage", "jeepney"):  # as if the build had left them out
        (hidden / name).mkdir(parents=True)
        (hidden / name / "__init__.py").write_text(f"raise ImportError('{name} left out')\n")
    code, lines = _run(
        tmp_path,
        "--self-test",
        SHOPDESK_SELF_TEST_SKIP="keyring",
        PYTHONPATH=os.pathsep.join([str(hidden), str(ROOT)]),
    )
    assert code == 1
    failed = [name for name, word in _check_lines(lines).items() if word == "FAILED"]
    assert failed == ["keyring backends"]
    assert (
        "FAILED: keyring backends — keyring.backends.SecretService cannot work without "
        "secretstorage: secretstorage left out"
    ) in lines
