"""The CLI's sign-in: `account add --provider gmail` through a browser, `account signin` after a
revocation, presets recognised from the address."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest

from desktop_app.core.accounts.credentials import SERVICE
from tests.core.sync.conftest import make_message
from tests.helpers.dovecot import DovecotServer
from tests.helpers.dovecot_oauth import (  # noqa: F401 - fixtures
    idp_fixture,
    oauth_dovecot_factory_fixture,
)
from tests.helpers.fake_idp import FakeIdp

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parents[3]


def fake_browser(folder: Path) -> Path:
    """An executable for $BROWSER (Python's webbrowser runs it with the URL and waits)."""
    script = folder / "browser"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.helpers.fake_idp import browse\n"
        "browse(sys.argv[1])\n"
    )
    script.chmod(0o755)
    return script


def cli(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=dict(os.environ),
    )


def test_add_gmail_through_the_browser_then_sign_in_again(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    oauth_dovecot_factory: Callable[..., DovecotServer],
    idp: FakeIdp,
) -> None:
    server = oauth_dovecot_factory()
    server.append("INBOX", make_message(1))
    monkeypatch.setenv("BROWSER", str(fake_browser(tmp_path)))
    data = tmp_path / "data"
    local = ["--imap-host", server.host, "--imap-port", str(server.port)]
    local += ["--imap-security", "none", "--smtp-host", server.host, "--smtp-security", "none"]
    added = cli(data, "account", "add", "--provider", "gmail", "--name", "Gmail",
                "--email", server.user, *local)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Sign in with Google in your browser" in added.stderr
    assert "the sign-in is in the system keyring" in added.stderr
    key = f"oauth2://google/{server.user}"
    assert keyring.get_password(SERVICE, key) == idp.state.issued_refresh[0]
    listed = cli(data, "account", "list")
    assert "sign-in with google" in listed.stdout
    assert "1 new" in cli(data, "sync").stderr

    idp.revoke()
    failed = cli(data, "sync")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "has expired or was revoked: sign in again." in failed.stderr
    again = cli(data, "account", "signin", "Gmail")
    assert again.returncode == 0, again.stderr
    assert keyring.get_password(SERVICE, key) == idp.state.issued_refresh[-1]
    server.append("INBOX", make_message(2))
    synced = cli(data, "sync")
    assert synced.returncode == 0 and "1 new" in synced.stderr, synced.stderr

    refused = cli(data, "account", "password", "Gmail", "--password-stdin", stdin="x\n")
    assert refused.returncode == 1
    assert "signs in through the browser: use `shopdesk account signin Gmail`" in refused.stderr
    removed = cli(data, "account", "remove", "Gmail")
    assert removed.returncode == 0 and keyring.get_password(SERVICE, key) is None


def test_the_address_picks_the_preset(tmp_path: Path) -> None:
    data = tmp_path / "data"
    added = cli(data, "account", "add", "--name", "Shop", "--email", "help@fastmail.com",
                "--password-stdin", "--no-check", stdin="app-password\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = cli(data, "account", "list").stdout
    assert "imap.fastmail.com:993 (ssl)" in listed
    other = cli(data, "account", "add", "--name", "Own", "--email", "help@candles.example",
                "--password-stdin", "--no-check", stdin="pw\n")  # fmt: skip
    assert other.returncode == 0, other.stderr
    assert "imap.candles.example:993 (ssl)" in cli(data, "account", "list").stdout
