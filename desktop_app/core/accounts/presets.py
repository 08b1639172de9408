"""Mail provider presets shipped with the app: servers, sign-in method and help per provider."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from desktop_app.core.accounts.settings import AccountSettings, ServerSettings


@dataclass(frozen=True, slots=True)
class Server:
    """Host, port and security of one server of a preset ("{domain}" is the address's domain)."""

    host: str
    port: int
    security: str  # ssl | starttls

    def settings(self, domain: str) -> ServerSettings:
        return ServerSettings(self.host.format(domain=domain), self.port, self.security)


@dataclass(frozen=True, slots=True)
class Preset:
    """One provider: how to reach it, how to sign in, and where its help is."""

    key: str
    name: str
    imap: Server
    smtp: Server
    domains: tuple[str, ...] = ()
    domain_prefixes: tuple[str, ...] = ()  # "gmx." matches gmx.de, gmx.at, gmx.ch ...
    # "outlook." matches outlook.es, outlook.co.uk, outlook.com.ar: the prefix then a public
    # suffix only, never outlook.<a company's own domain>
    country_prefixes: tuple[str, ...] = ()
    username: str = "email"  # email | local (the part before @)
    auth: str = "password"  # password | app_password | oauth2
    oauth_provider: str | None = None  # google | microsoft
    app_password_allowed: bool = False  # oauth2 providers that also take an app password
    hint: str = ""  # one sentence about the password (shown under the field)
    help_url: str = ""

    def username_for(self, email: str) -> str:
        return email.partition("@")[0] if self.username == "local" else email

    def matches(self, domain: str) -> bool:
        return (
            domain in self.domains
            or any(domain.startswith(p) for p in self.domain_prefixes)
            or any(
                domain.startswith(p) and _PUBLIC_SUFFIX.fullmatch(domain[len(p) :])
                for p in self.country_prefixes
            )
        )

    def account(self, email: str, name: str = "", app_password: bool = False) -> AccountSettings:
        """Account settings for `email` from this preset (OAuth unless `app_password`)."""
        email = email.strip()
        domain = email.rpartition("@")[2].lower()
        oauth = self.auth == "oauth2" and not app_password
        return AccountSettings(
            name=name.strip() or email,
            email=email,
            username=self.username_for(email),
            imap=self.imap.settings(domain),
            smtp=self.smtp.settings(domain),
            auth_method="oauth2" if oauth else "password",
            oauth_provider=self.oauth_provider if oauth else None,
        )


# com, a country (es, jp) or a country's second level (co.uk, com.br): what a free-mail
# provider's own domains end in.
_PUBLIC_SUFFIX = re.compile(r"com|[a-z]{2}|(?:co|com)\.[a-z]{2}")

_APP_PASSWORD = "Use an app password made in your {name} account settings, not your usual one."

PRESETS: tuple[Preset, ...] = (
    Preset(
        "gmail", "Gmail", Server("imap.gmail.com", 993, "ssl"),
        Server("smtp.gmail.com", 465, "ssl"),
        domains=("gmail.com", "googlemail.com"),
        auth="oauth2", oauth_provider="google", app_password_allowed=True,
        hint="Sign in with Google; with 2-Step Verification on, an app password works too.",
        help_url="https://support.google.com/mail/answer/185833",
    ),
    Preset(
        "outlook", "Outlook.com", Server("outlook.office365.com", 993, "ssl"),
        Server("smtp-mail.outlook.com", 587, "starttls"),
        domains=(
            "outlook.com", "hotmail.com", "live.com", "msn.com", "hotmail.co.uk", "hotmail.de",
            "hotmail.fr", "outlook.de", "outlook.fr", "live.co.uk", "live.de",
        ),
        country_prefixes=("hotmail.", "outlook.", "windowslive.", "live.", "msn."),
        auth="oauth2", oauth_provider="microsoft",
        hint="Outlook.com takes no passwords over IMAP any more: sign in with Microsoft.",
        help_url="https://support.microsoft.com/office/d088b986-291d-42b8-9564-9c414e2aa040",
    ),
    Preset(
        "microsoft365", "Microsoft 365 (work or school)",
        Server("outlook.office365.com", 993, "ssl"),
        Server("smtp.office365.com", 587, "starttls"),
        auth="oauth2", oauth_provider="microsoft",
        hint="Your administrator must allow IMAP and authenticated SMTP for this mailbox.",
        help_url="https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/"
        "pop3-and-imap4/pop3-and-imap4",
    ),
    Preset(
        "icloud", "iCloud Mail", Server("imap.mail.me.com", 993, "ssl"),
        Server("smtp.mail.me.com", 587, "starttls"),
        domains=("icloud.com", "me.com", "mac.com"), auth="app_password",  # the full address
        hint="Use an app-specific password from appleid.apple.com, not your Apple ID password.",
        help_url="https://support.apple.com/102654",
    ),
    Preset(
        "yahoo", "Yahoo Mail", Server("imap.mail.yahoo.com", 993, "ssl"),
        Server("smtp.mail.yahoo.com", 465, "ssl"),
        domains=("yahoo.com", "ymail.com", "rocketmail.com"), domain_prefixes=("yahoo.",),
        auth="app_password", hint=_APP_PASSWORD.format(name="Yahoo"),
        help_url="https://help.yahoo.com/kb/SLN15241.html",
    ),
    Preset(
        "fastmail", "Fastmail", Server("imap.fastmail.com", 993, "ssl"),
        Server("smtp.fastmail.com", 465, "ssl"),
        domains=("fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "fastmail.to",
                 "messagingengine.com"),
        auth="app_password", hint=_APP_PASSWORD.format(name="Fastmail"),
        help_url="https://www.fastmail.help/hc/en-us/articles/360058752854",
    ),
    Preset(
        "gmx", "GMX", Server("imap.gmx.net", 993, "ssl"), Server("mail.gmx.net", 587, "starttls"),
        domains=("gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.eu"), domain_prefixes=("gmx.",),
        hint="Turn on “POP3/IMAP access” in the GMX settings first.",
        help_url="https://support.gmx.com/pop-imap/imap/index.html",
    ),
    Preset(
        "gmx.com", "GMX (gmx.com)", Server("imap.gmx.com", 993, "ssl"),
        Server("mail.gmx.com", 587, "starttls"),
        domains=("gmx.com", "gmx.us", "gmx.co.uk", "gmx.fr"),
        hint="Turn on “POP3/IMAP access” in the GMX settings first.",
        help_url="https://support.gmx.com/pop-imap/imap/index.html",
    ),
    Preset(
        "webde", "WEB.DE", Server("imap.web.de", 993, "ssl"),
        Server("smtp.web.de", 587, "starttls"),
        domains=("web.de",),
        hint="Turn on “POP3/IMAP access” in the WEB.DE settings first.",
        help_url="https://hilfe.web.de/pop-imap/imap/imap-serverdaten.html",
    ),
    Preset(
        "zoho", "Zoho Mail", Server("imap.zoho.com", 993, "ssl"),
        Server("smtp.zoho.com", 465, "ssl"),
        domains=("zoho.com", "zohomail.com"),
        hint="With two-factor sign-in on, use an app-specific password from Zoho's settings.",
        help_url="https://www.zoho.com/mail/help/imap-access.html",
    ),
    Preset(
        "zoho.eu", "Zoho Mail (EU)", Server("imap.zoho.eu", 993, "ssl"),
        Server("smtp.zoho.eu", 465, "ssl"),
        domains=("zoho.eu", "zohomail.eu"),
        hint="With two-factor sign-in on, use an app-specific password from Zoho's settings.",
        help_url="https://www.zoho.com/mail/help/imap-access.html",
    ),
)  # fmt: skip

GENERIC = Preset(
    "generic", "Other mail host", Server("imap.{domain}", 993, "ssl"),
    Server("smtp.{domain}", 465, "ssl"),
    hint="Your mail host names its servers in its help pages; test the connection to be sure.",
)  # fmt: skip

BY_KEY = {p.key: p for p in (*PRESETS, GENERIC)}


def recognise(email: str) -> Preset:
    """The preset for an address's domain; the generic host guess when none fits."""
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    for preset in PRESETS:  # exact domains first: gmx.com is not gmx.de's "gmx."
        if domain in preset.domains:
            return preset
    for preset in PRESETS:
        if preset.matches(domain):
            return preset
    return GENERIC


def preset(key: str) -> Preset:
    """The preset named `key` (e.g. "gmail"); KeyError for an unknown one."""
    return BY_KEY[key]


def with_servers(
    settings: AccountSettings, imap: ServerSettings | None, smtp: ServerSettings | None
) -> AccountSettings:
    """The same account with other servers (a preset's hosts overridden, e.g. for a test)."""
    return replace(settings, imap=imap or settings.imap, smtp=smtp or settings.smtp)
