"""Dovecot with its oauth2 passdb asking the fake identity provider's /tokeninfo.

Dovecot 2.3: `passdb { driver = oauth2; mechanisms = xoauth2 oauthbearer; args = FILE }` with
`tokeninfo_url = http://127.0.0.1:PORT/tokeninfo?access_token=` (the token is appended) and
`username_attribute = email`. The password passdb stays first, so the same server takes the
merchant's password (PLAIN/LOGIN) and OAuth tokens (XOAUTH2/OAUTHBEARER).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.accounts import oauth_flow
from desktop_app.core.accounts.oauth import TokenSet, provider
from tests.helpers.dovecot import DovecotServer
from tests.helpers.fake_idp import FakeIdp, browse


def oauth_config(idp: FakeIdp, folder: Path) -> list[str]:
    """The dovecot.conf lines (and the oauth2 args file under `folder`) for `idp`."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    args = folder / "dovecot-oauth2.conf.ext"
    args.write_text(
        f"tokeninfo_url = {idp.url}/tokeninfo?access_token=\n"
        "introspection_mode = get\n"
        "username_attribute = email\n"
    )
    args.chmod(0o644)
    return [
        "passdb {",
        "  driver = oauth2",
        "  mechanisms = xoauth2 oauthbearer",
        f"  args = {args}",
        "}",
    ]


def start_oauth_dovecot(
    factory: Callable[..., DovecotServer],
    idp: FakeIdp,
    folder: Path,
    mechanisms: str = "xoauth2 oauthbearer",
    **kwargs: Any,
) -> DovecotServer:
    """A Dovecot from `factory` (the conftest fixture) for `idp.state.user`, taking OAuth
    `mechanisms` (e.g. only "xoauth2") besides plain passwords; its oauth2 file in `folder`
    (outside pytest's private temp tree: see the dovecot_factory fixture)."""
    return factory(
        user=idp.state.user,
        auth_mechanisms=f"plain login {mechanisms}",
        extra_config=oauth_config(idp, folder),
        **kwargs,
    )


def sign_in(key: str = "google", user: str = "") -> TokenSet:
    """The whole browser sign-in, the "browser" approving in a thread (the idp fixture's env)."""

    def open_browser(url: str) -> None:
        threading.Thread(target=browse, args=(url,), daemon=True).start()

    return oauth_flow.sign_in(provider(key), user, open_browser)


# Fixtures: import them into a test module (`from tests.helpers.dovecot_oauth import ...`).


@pytest.fixture(name="idp")
def idp_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIdp]:
    """The fake identity provider, Shopdesk's Google and Microsoft pointed at it."""
    server = FakeIdp()
    for key in ("google", "microsoft"):
        for name, value in server.env(key).items():
            monkeypatch.setenv(name, value)
    yield server
    server.close()


@pytest.fixture(name="oauth_dovecot_factory")
def oauth_dovecot_factory_fixture(
    dovecot_factory: Callable[..., DovecotServer], idp: FakeIdp
) -> Iterator[Callable[..., DovecotServer]]:
    """Start Dovecots taking the idp's tokens: ``start(mechanisms="xoauth2", **kwargs)``."""
    folders: list[Path] = []

    def start(mechanisms: str = "xoauth2 oauthbearer", **kwargs: Any) -> DovecotServer:
        folder = Path(tempfile.mkdtemp(prefix="shopdesk-oauth-"))
        folders.append(folder)
        return start_oauth_dovecot(dovecot_factory, idp, folder, mechanisms, **kwargs)

    try:
        yield start
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
