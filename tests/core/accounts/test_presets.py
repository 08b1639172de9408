"""Provider presets: the address's domain picks the servers; a preset passes a live login test."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop_app.core.accounts import presets
from desktop_app.core.accounts.settings import ServerSettings
from desktop_app.core.sync import connection
from tests.helpers.dovecot import DovecotServer


@pytest.mark.parametrize(
    ("email", "key"),
    [
        ("shop@gmail.com", "gmail"),
        ("Shop@GoogleMail.com", "gmail"),
        ("shop@outlook.com", "outlook"),
        ("shop@hotmail.com", "outlook"),
        ("shop@live.com", "outlook"),
        ("shop@icloud.com", "icloud"),
        ("shop@me.com", "icloud"),
        ("shop@mac.com", "icloud"),
        ("shop@yahoo.com", "yahoo"),
        ("shop@yahoo.co.uk", "yahoo"),
        ("shop@fastmail.com", "fastmail"),
        ("shop@gmx.de", "gmx"),
        ("shop@gmx.at", "gmx"),
        ("shop@gmx.com", "gmx.com"),
        ("shop@web.de", "webde"),
        ("shop@zoho.com", "zoho"),
        ("shop@zoho.eu", "zoho.eu"),
        ("shop@my-candles.example", "generic"),
        ("no-at-sign", "generic"),
    ],
)
def test_the_domain_picks_the_provider(email: str, key: str) -> None:
    assert presets.recognise(email).key == key


def test_every_preset_is_complete() -> None:
    keys = {p.key for p in presets.PRESETS}
    assert {"gmail", "outlook", "microsoft365", "icloud", "yahoo", "fastmail", "gmx", "webde"} <= (
        keys
    )
    assert {"zoho"} <= keys
    seen: set[str] = set()
    for preset in (*presets.PRESETS, presets.GENERIC):
        assert preset.imap.security in ("ssl", "starttls")
        assert preset.smtp.security in ("ssl", "starttls")
        assert preset.auth in ("password", "app_password", "oauth2")
        assert (preset.auth == "oauth2") == (preset.oauth_provider is not None)
        assert preset.hint.endswith(".")
        if preset is not presets.GENERIC:
            assert preset.help_url.startswith("https://")
        assert not seen & set(preset.domains), preset.key  # a domain belongs to one provider
        seen |= set(preset.domains)
        settings = preset.account("shop@example.org")
        settings.check()


def test_a_preset_fills_the_account() -> None:
    gmail = presets.recognise("shop@gmail.com").account("shop@gmail.com", name="Shop")
    assert (gmail.imap.host, gmail.imap.port, gmail.imap.security) == ("imap.gmail.com", 993, "ssl")
    assert (gmail.smtp and gmail.smtp.host) == "smtp.gmail.com"
    assert (gmail.auth_method, gmail.oauth_provider, gmail.name) == ("oauth2", "google", "Shop")
    assert gmail.credential_key == "oauth2://google/shop@gmail.com"
    app = presets.preset("gmail").account("shop@gmail.com", app_password=True)
    assert (app.auth_method, app.oauth_provider) == ("password", None)
    assert app.credential_key == "imap://shop@gmail.com@imap.gmail.com:993"
    icloud = presets.recognise("jane@icloud.com").account("jane@icloud.com")
    # Apple wants the full address (SMTP refuses the name alone)
    assert icloud.username == "jane@icloud.com" and icloud.imap.host == "imap.mail.me.com"
    outlook = presets.recognise("shop@hotmail.com").account("shop@hotmail.com")
    assert (outlook.oauth_provider, outlook.smtp and outlook.smtp.security) == (
        "microsoft",
        "starttls",
    )
    generic = presets.recognise("help@candles.example").account("help@candles.example")
    assert (generic.imap.host, generic.smtp and generic.smtp.host) == (
        "imap.candles.example",
        "smtp.candles.example",
    )
    assert generic.auth_method == "password"


@pytest.mark.servers
@pytest.mark.parametrize("key", ["fastmail", "generic", "gmx"])
def test_a_preset_pointed_at_dovecot_passes_the_connection_test(
    dovecot: DovecotServer, key: str
) -> None:
    """The live connection test of a preset: its settings, with the host overridden."""
    settings = presets.preset(key).account(dovecot.user)
    local = ServerSettings(dovecot.host, dovecot.port, "none")
    settings = presets.with_servers(settings, local, replace(local, port=1))
    client = connection.connect_and_login(settings.imap, settings.username, dovecot.password)
    try:
        assert {f[2] for f in client.list_folders()} >= {"INBOX", "Sent"}
    finally:
        connection.close(client)


@pytest.mark.parametrize(
    "domain",
    [
        "hotmail.it", "hotmail.es", "outlook.es", "outlook.it", "live.fr", "live.nl",
        "windowslive.com", "outlook.co.uk", "hotmail.com.br", "outlook.jp", "live.com.au",
    ],
)  # fmt: skip
def test_outlook_com_in_every_country(domain: str) -> None:
    assert presets.recognise(f"shop@{domain}").key == "outlook"


@pytest.mark.parametrize(
    "domain", ["outlook.candles.example", "outlook.acme.co.uk", "hotmailer.com", "live.shop"]
)
def test_a_company_domain_starting_like_outlook_is_not_outlook_com(domain: str) -> None:
    assert presets.recognise(f"shop@{domain}").key == "generic"
