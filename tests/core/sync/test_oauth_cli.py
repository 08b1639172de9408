"""The CLI's sign-in: `account add --provider gmail` through a browser, `account signin` after a
revocation, presets recognised from the address (main() run in this process, for speed)."""

from __future__ import annotations

import io
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest

from desktop_app.cli import main
from desktop_app.core.accounts.credentials import SERVICE
from tests.core.accounts.conftest import empty_token_cache  # noqa: F401 - autouse
from tests.core.sync.conftest import make_message
from tests.helpers.dovecot import DovecotServer
from tests.helpers.dovecot_oauth import (  # noqa: F401 - fixtures
    idp_fixture,
    oauth_dovecot_factory_fixture,
)
from tests.helpers.fake_idp import FakeIdp, browse

pytestmark = pytest.mark.servers


def cli(
    data: Path, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    """`shopdesk ARGS` in this process (the same main() the command runs): code, out, err."""
    capsys.readouterr()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(["--data-dir", str(data), *args])
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err


def test_add_gmail_through_the_browser_then_sign_in_again(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    oauth_dovecot_factory: Callable[..., DovecotServer],
    idp: FakeIdp,
) -> None:
    server = oauth_dovecot_factory()
    server.append("INBOX", make_message(1))
    opened: list[str] = []

    def browser(url: str) -> bool:  # webbrowser.open: the page loads, the provider approves
        opened.append(url)
        threading.Thread(target=browse, args=(url,), daemon=True).start()
        return True

    monkeypatch.setattr(webbrowser, "open", browser)
    data = tmp_path / "data"
    local = ["--imap-host", server.host, "--imap-port", str(server.port)]
    local += ["--imap-security", "none", "--smtp-host", server.host, "--smtp-security", "none"]
    code, _out, err = cli(data, capsys, "account", "add", "--provider", "gmail", "--name",
                          "Gmail", "--email", server.user, *local)  # fmt: skip
    assert code == 0, err
    assert f"Sign in with Google in your browser. If it does not open, visit:\n{opened[0]}" in err
    assert "the sign-in is in the system keyring" in err
    key = f"oauth2://google/{server.user}"
    assert keyring.get_password(SERVICE, key) == idp.state.issued_refresh[0]
    assert "sign-in with google" in cli(data, capsys, "account", "list")[1]
    assert "1 new" in cli(data, capsys, "sync")[2]

    idp.revoke()
    code, _out, err = cli(data, capsys, "sync")
    assert code == 1 and "Traceback" not in err
    assert err.strip() == (
        f"shopdesk: Your Google sign-in for {server.user} has expired or was revoked: "
        "sign in again."
    )
    code, _out, err = cli(data, capsys, "account", "signin", "Gmail")
    assert code == 0 and err.endswith("Signed in again to Gmail.\n"), err
    assert keyring.get_password(SERVICE, key) == idp.state.issued_refresh[-1]
    server.append("INBOX", make_message(2))
    code, _out, err = cli(data, capsys, "sync")
    assert code == 0 and "1 new" in err, err

    code, _out, err = cli(data, capsys, "account", "password", "Gmail", "--password-stdin",
                          stdin="x\n")  # fmt: skip
    assert code == 1
    assert "signs in through the browser: use `shopdesk account signin Gmail`" in err
    assert cli(data, capsys, "account", "remove", "Gmail")[0] == 0
    assert keyring.get_password(SERVICE, key) is None


def test_the_address_picks_the_preset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    code, _out, err = cli(data, capsys, "account", "add", "--name", "Shop", "--email",
                          "help@fastmail.com", "--password-stdin", "--no-check",
                          stdin="app-password\n")  # fmt: skip
    assert code == 0, err
    assert "imap.fastmail.com:993 (ssl)" in cli(data, capsys, "account", "list")[1]
    code, _out, err = cli(data, capsys, "account", "add", "--name", "Own", "--email",
                          "help@candles.example", "--password-stdin", "--no-check",
                          stdin="pw\n")  # fmt: skip
    assert code == 0, err
    assert "imap.candles.example:993 (ssl)" in cli(data, capsys, "account", "list")[1]
