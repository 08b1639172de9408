"""Add a mailbox: provider from the address, password or browser sign-in, servers, a test."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.accounts import presets, signin
from desktop_app.core.accounts.oauth import SignInExpired, TokenSet
from desktop_app.core.accounts.settings import AccountSettings, is_loopback
from desktop_app.core.errors import (
    AuthenticationFailed,
    CertificateError,
    CredentialError,
    ShopdeskError,
)
from desktop_app.core.mailbox import Mailbox
from desktop_app.ui.server_box import IMAP_PORTS, SMTP_PORTS, ServerBox, probe_imap
from desktop_app.ui.signin import SignInBox, open_in_browser
from desktop_app.ui.taskman import TaskManager, plain_error

# The presets' hints (core strings, Qt-free) marked for lupdate; shown through
# QCoreApplication.translate("Presets", hint). A test keeps this list and the presets equal.
PRESET_HINTS = (
    QT_TRANSLATE_NOOP(
        "Presets", "Sign in with Google; with 2-Step Verification on, an app password works too."
    ),
    QT_TRANSLATE_NOOP(
        "Presets", "Outlook.com takes no passwords over IMAP any more: sign in with Microsoft."
    ),
    QT_TRANSLATE_NOOP(
        "Presets", "Your administrator must allow IMAP and authenticated SMTP for this mailbox."
    ),
    QT_TRANSLATE_NOOP(
        "Presets",
        "Use an app-specific password from appleid.apple.com, not your Apple ID password.",
    ),
    QT_TRANSLATE_NOOP(
        "Presets", "Use an app password made in your Yahoo account settings, not your usual one."
    ),
    QT_TRANSLATE_NOOP(
        "Presets",
        "Use an app password made in your Fastmail account settings, not your usual one.",
    ),
    QT_TRANSLATE_NOOP("Presets", "Turn on “POP3/IMAP access” in the GMX settings first."),
    QT_TRANSLATE_NOOP("Presets", "Turn on “POP3/IMAP access” in the WEB.DE settings first."),
    QT_TRANSLATE_NOOP(
        "Presets", "With two-factor sign-in on, use an app-specific password from Zoho's settings."
    ),
    QT_TRANSLATE_NOOP(
        "Presets",
        "Your mail host names its servers in its help pages; test the connection to be sure.",
    ),
)


class SetupDialog(QDialog):
    """The form to add a mailbox; emits `account_added(str)` with the account's name.

    The address picks a provider preset (servers, sign-in method, a hint); Gmail and Microsoft
    sign in through the browser (SignInBox) instead of a password. "Test connection" logs in on
    a network worker and shows a verdict; "Add mailbox" saves the account (the password or the
    sign-in goes only to the OS keyring) once a test of exactly these settings passed, testing
    first when needed. Signals: `account_added(str)`, `test_finished(bool)`.
    """

    account_added = Signal(str)
    test_finished = Signal(bool)

    def __init__(
        self,
        tasks: TaskManager,
        mailbox: Mailbox,
        parent: QWidget | None = None,
        open_url: Callable[[str], bool] = open_in_browser,
    ):
        super().__init__(parent)
        self.tasks = tasks
        self.mailbox = mailbox
        self.setWindowTitle(self.tr("Add your mailbox"))
        self._passed: tuple[AccountSettings, str] | None = None
        self._fingerprint: str | None = None
        self._busy = False
        self._add_after_test = False
        self._hosts_typed = False
        self._provider_chosen = False
        self.preset: presets.Preset = presets.GENERIC

        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Shopdesk reads your shop's support mailbox over IMAP and keeps a copy on "
                "this computer. Your password or sign-in is kept in the system keyring."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.email = QLineEdit()
        self.email.setPlaceholderText("support@yourshop.com")
        self.email.setAccessibleName(self.tr("E-mail address"))
        form.addRow(self.tr("E-mail address:"), self.email)
        self.provider = QComboBox()
        self.provider.setAccessibleName(self.tr("Mail provider"))
        for preset in (*presets.PRESETS, presets.GENERIC):
            self.provider.addItem(self._provider_name(preset), preset.key)
        form.addRow(self.tr("Provider:"), self.provider)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setStyleSheet("QLabel#hint { color: #5f6368; margin-bottom: 4px; }")
        self.hint.setWordWrap(True)
        self.hint.setOpenExternalLinks(True)
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        form.addRow(self.hint)  # the full width: a wrapped label in the field column gets
        # its height from a narrower guess and floats in empty space
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Account name"))
        form.addRow(self.tr("Name in Shopdesk:"), self.name)
        self.username = QLineEdit()
        self.username.setAccessibleName(self.tr("Username"))
        form.addRow(self.tr("Username:"), self.username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.password_label = QLabel(self.tr("Password:"))
        form.addRow(self.password_label, self.password)
        self.signin = SignInBox(tasks, open_url)
        form.addRow("", self.signin)
        self.app_password = QCheckBox(self.tr("Use an app password instead"))
        form.addRow("", self.app_password)
        layout.addLayout(form)

        self.servers_toggle = QToolButton()
        self.servers_toggle.setText(self.tr("Server settings"))
        self.servers_toggle.setCheckable(True)
        self.servers_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.servers_toggle.setStyleSheet("QToolButton { border: none; }")
        self.servers_toggle.toggled.connect(self._show_servers)
        layout.addWidget(self.servers_toggle)
        self.servers = QWidget()
        servers_layout = QVBoxLayout(self.servers)
        servers_layout.setContentsMargins(0, 0, 0, 0)
        self.imap = ServerBox(self.tr("Incoming mail (IMAP)"), IMAP_PORTS)
        servers_layout.addWidget(self.imap)
        self.smtp = ServerBox(self.tr("Outgoing mail (SMTP)"), SMTP_PORTS)
        servers_layout.addWidget(self.smtp)
        layout.addWidget(self.servers)

        self.problem = QLabel()
        self.problem.setObjectName("validation")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("QLabel#validation { color: #c0392b; }")
        layout.addWidget(self.problem)
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.verdict)
        self.trust = QCheckBox(self.tr("Trust this certificate"))
        self.trust.hide()
        self.trust.toggled.connect(lambda _on: self._changed())
        layout.addWidget(self.trust)

        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        buttons.addWidget(self.test_button)
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setAccessibleName(self.tr("Retry adding the mailbox"))
        self.retry_button.clicked.connect(self.add_mailbox)
        self.retry_button.hide()
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        self.add_button = QPushButton(self.tr("Add mailbox"))
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_mailbox)
        buttons.addWidget(self.add_button)
        layout.addLayout(buttons)

        self.email.textEdited.connect(self._email_edited)
        self.provider.activated.connect(self._provider_picked)
        self.app_password.toggled.connect(lambda _on: self._apply_mode())
        self.signin.signed_in.connect(self._signed_in)
        self.signin.busy_changed.connect(lambda _busy: (self._fit(), self._changed()))
        self.signin.sign_in_failed.connect(lambda _text: self._fit())
        for edit in (self.imap.host, self.smtp.host):
            edit.textEdited.connect(self._host_edited)
        for edit in (self.email, self.name, self.username, self.password, self.imap.host):
            edit.textChanged.connect(lambda _t: self._changed())
        for box in (self.imap, self.smtp):
            box.port.valueChanged.connect(lambda _v: self._changed())
            box.security.currentIndexChanged.connect(lambda _i: self._changed())
        self.resize(540, 0)
        self._set_preset(presets.GENERIC)
        self._changed()

    def done(self, result: int) -> None:
        """Cancel, Esc and the window's X end a browser sign-in still waiting."""
        self.signin.cancel()
        super().done(result)

    # ---------------------------------------------------------------- provider and form

    def _provider_name(self, preset: presets.Preset) -> str:
        if preset.key == "gmail":
            return self.tr("Gmail or Google Workspace")
        if preset.key == "generic":
            return self.tr("Other mail host")
        return preset.name

    def _email_edited(self, text: str) -> None:
        email = text.strip()
        if not self._provider_chosen and "@" in email:
            self._set_preset(presets.recognise(email))
        elif not self._hosts_typed:
            self._fill_servers()
        self.signin.login_hint = email
        self.signin.reset()
        self.username.setPlaceholderText(self.preset.username_for(email) if email else "")
        self.name.setPlaceholderText(email)

    def _provider_picked(self, _index: int) -> None:
        self._provider_chosen = True
        self._hosts_typed = False
        self._set_preset(presets.preset(self.provider.currentData()))

    def _set_preset(self, preset: presets.Preset) -> None:
        self.preset = preset
        self.provider.setCurrentIndex(self.provider.findData(preset.key))
        if not self._hosts_typed:
            self._fill_servers()
        email = self.email.text().strip()
        self.username.setPlaceholderText(preset.username_for(email) if email else "")
        link = f' <a href="{preset.help_url}">{self.tr("Help")}</a>' if preset.help_url else ""
        self.hint.setText(QCoreApplication.translate("Presets", preset.hint) + link)
        # A recognised provider's servers are known: tucked away, still editable.
        self.servers_toggle.setChecked(preset is presets.GENERIC)
        self._show_servers(preset is presets.GENERIC)
        self.signin.set_provider(preset.oauth_provider)
        self.app_password.setChecked(False)
        self._apply_mode()

    def _fill_servers(self) -> None:
        email = self.email.text().strip()
        domain = email.rpartition("@")[2].strip().lower() if "@" in email else ""
        if not domain and self.preset is presets.GENERIC:
            self.imap.host.clear()
            self.smtp.host.clear()
            return
        settings = self.preset.account(email or f"x@{domain}")
        self.imap.fill(settings.imap)
        if settings.smtp is not None:
            self.smtp.fill(settings.smtp)

    def _show_servers(self, shown: bool) -> None:
        self.servers.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.servers_toggle.setArrowType(arrow)
        self._fit()

    def _fit(self) -> None:
        """Take the height the form needs now (rows come and go with the provider)."""
        layout = self.layout()
        layout.activate()
        width = self.width()
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
        self.resize(width, max(height, layout.totalMinimumSize().height()))

    def uses_oauth(self) -> bool:
        return self.preset.auth == "oauth2" and not self.app_password.isChecked()

    def _apply_mode(self) -> None:
        oauth = self.uses_oauth()
        self.password.setVisible(not oauth)
        self.password_label.setVisible(not oauth)
        self.signin.setVisible(oauth)
        self.app_password.setVisible(self.preset.app_password_allowed)
        self._fit()
        self._changed()

    def _host_edited(self, _text: str) -> None:
        self._hosts_typed = True

    def _signed_in(self, _tokens: TokenSet) -> None:
        self._fit()
        self._passed = None
        self.test_connection()

    def settings(self) -> AccountSettings:
        email = self.email.text().strip()
        trusted = self._fingerprint if self.trust.isChecked() else None
        smtp = self.smtp.server() if self.smtp.host.text().strip() else None
        oauth = self.uses_oauth()
        return AccountSettings(
            name=self.name.text().strip() or email,
            email=email,
            username=self.username.text().strip() or self.preset.username_for(email),
            imap=self.imap.server(trusted),
            smtp=smtp,
            auth_method="oauth2" if oauth else "password",
            oauth_provider=self.preset.oauth_provider if oauth else None,
        )

    def problem_text(self) -> str:
        """The first thing in the form that cannot work, as a plain sentence ("" if none)."""
        settings = self.settings()
        if "@" not in settings.email or settings.email.startswith("@"):
            return self.tr("Enter the e-mail address of your shop's mailbox.")
        if not settings.imap.host:
            return self.tr("Enter the IMAP server (your provider names it, e.g. imap.gmail.com).")
        for what, server in (("IMAP", settings.imap), ("SMTP", settings.smtp)):
            if server is not None and server.security == "none" and not is_loopback(server.host):
                return self.tr(
                    "Without encryption {what} would send your password in the clear: choose "
                    "SSL/TLS or STARTTLS (no encryption is only for a server on this computer)."
                ).format(what=what)
        if self.uses_oauth():
            if self.signin.tokens is None:
                return self.tr("Sign in with {name} to connect this mailbox.").format(
                    name="Google" if settings.oauth_provider == "google" else "Microsoft"
                )
        elif not self.password.text():
            return self.tr("Enter the mailbox password.")
        return ""

    def _secret(self) -> str:
        """What the pass check compares besides the settings (never shown anywhere)."""
        if self.uses_oauth():
            return str(id(self.signin.tokens))
        return self.password.text()

    def _changed(self) -> None:
        problem = self.problem_text() if self._touched() else ""
        if self.uses_oauth() and self.signin.tokens is None:
            problem = ""  # the sign-in button says it
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        ready = not self._busy and not self.signin.busy and not self.problem_text()
        self.test_button.setEnabled(ready)
        self.add_button.setEnabled(ready)
        if self._passed is not None and self._passed != (self.settings(), self._secret()):
            self._passed = None
            self.verdict.clear()

    def _touched(self) -> bool:
        return any(w.text() for w in (self.email, self.imap.host, self.password))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (
            self.email, self.provider, self.name, self.username, self.password, self.signin,
            self.app_password, self.imap, self.smtp,
        ):  # fmt: skip
            widget.setEnabled(not busy)
        self._changed()

    # ---------------------------------------------------------------- test and add

    def test_connection(self) -> None:
        if self._busy or self.problem_text():
            return
        settings, secret = self.settings(), self._secret()
        self._set_busy(True)
        self.retry_button.hide()
        self._show_verdict(self.tr("Connecting to {host}…").format(host=settings.imap.host), None)
        if settings.uses_oauth:
            tokens = self.signin.tokens
            assert tokens is not None
            work: Callable[[], int] = lambda: signin.probe(settings, tokens)  # noqa: E731
        else:
            password = self.password.text()
            work = lambda: probe_imap(settings, password)  # noqa: E731
        self.tasks.run_net(
            work,
            lambda count: self._test_passed(settings, secret, count),
            lambda exc: self._test_failed(settings, exc),
        )

    def _test_passed(self, settings: AccountSettings, secret: str, folders: int) -> None:
        self._set_busy(False)
        self._passed = (settings, secret)
        self._show_verdict(self.tr("Connected — {count} folders found").format(count=folders), True)
        self.test_finished.emit(True)
        if self._add_after_test:
            self._add_after_test = False
            self.add_mailbox()

    def _test_failed(self, settings: AccountSettings, exc: BaseException) -> None:
        self._set_busy(False)
        self._add_after_test = False
        self._passed = None
        if isinstance(exc, CertificateError) and exc.fingerprint:
            self._fingerprint = exc.fingerprint
            first = str(exc).split(" If you know", 1)[0]
            text = self.tr(
                "{problem}\nIts SHA-256 fingerprint is {fingerprint}. If you know this server "
                "uses its own certificate (check the fingerprint with your provider), "
                "tick “Trust this certificate” and test again."
            ).format(problem=first, fingerprint=exc.fingerprint)
            self.trust.setText(
                self.tr("Trust this certificate ({short}…)").format(short=exc.fingerprint[:16])
            )
            self.trust.show()
        elif isinstance(exc, SignInExpired) and settings.uses_oauth:
            text = self.tr(
                "{host} did not accept this sign-in for {user}. Sign in again with that "
                "account (the browser may have used another one)."
            ).format(host=settings.imap.host, user=settings.username)
            self.signin.reset()
        elif isinstance(exc, AuthenticationFailed) and not settings.uses_oauth:
            text = self.tr(
                "{host} refused the username or password for {user}. Check them; some "
                "providers need an app password."
            ).format(host=settings.imap.host, user=settings.username)
        elif isinstance(exc, ShopdeskError):
            text = str(exc)
        else:
            text = self.tr("The test failed unexpectedly ({error}).").format(
                error=type(exc).__name__
            )
        self._show_verdict(text, False)
        self.test_finished.emit(False)

    def _show_verdict(self, text: str, ok: bool | None) -> None:
        self.verdict.setText(text)
        color = {True: "#1e7e34", False: "#c0392b", None: ""}[ok]
        self.verdict.setStyleSheet(f"QLabel#verdict {{ color: {color}; }}" if color else "")

    def add_mailbox(self) -> None:
        """Save the account once these exact settings passed a test (test first if not)."""
        if self._busy or self.problem_text():
            return
        settings, secret = self.settings(), self._secret()
        if self._passed != (settings, secret):
            self._add_after_test = True
            self.test_connection()
            return
        self._set_busy(True)
        self.retry_button.hide()
        if settings.uses_oauth:
            tokens = self.signin.tokens
            assert tokens is not None
            work: Callable[[], int] = lambda: signin.add_signed_in(  # noqa: E731
                self.mailbox.store, settings, tokens, check=False
            )
        else:
            password = self.password.text()
            work = lambda: self.mailbox.add_account(settings, password, check=False)  # noqa: E731
        self.tasks.run_db(work, lambda _id: self._added(settings), self._add_failed)

    def _added(self, settings: AccountSettings) -> None:
        self._busy = False
        self.password.clear()
        self.signin.tokens = None
        self._passed = None
        self.account_added.emit(settings.name)
        self.accept()

    def _add_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        text = plain_error(exc, "adding a mailbox")
        self._show_verdict(
            self.tr("The mailbox could not be added: {error}").format(error=text), False
        )
        # A locked or missing keyring: nothing was saved; unlock it and try again.
        self.retry_button.setVisible(isinstance(exc, CredentialError))
