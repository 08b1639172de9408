"""Dovecot with its oauth2 passdb asking the fake identity provider's /tokeninfo.

Dovecot 2.3: `passdb { driver = oauth2; mechanisms = xoauth2 oauthbearer; args = FILE }` with
`tokeninfo_url = http://127.0.0.1:PORT/tokeninfo?access_token=` (the token is appended) and
`username_attribute = email`. The password passdb stays first, so the same server takes the
merchant's password (PLAIN/LOGIN) and OAuth tokens (XOAUTH2/OAUTHBEARER).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers.dovecot import DovecotServer
from tests.helpers.fake_idp import FakeIdp


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
