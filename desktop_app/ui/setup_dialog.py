"""Add a mailbox: IMAP and SMTP servers, the password into the OS keyring, a connection test."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.accounts.settings import AccountSettings, ServerSettings, is_loopback
from desktop_app.core.errors import AuthenticationFailed, CertificateError, ShopdeskError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.sync import connection
from desktop_app.ui.taskman import TaskManager, plain_error

IMAP_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
SMTP_PORTS = {"ssl": 465, "starttls": 587, "none": 587}


def probe_imap(settings: AccountSettings, password: str) -> int:
    """Log in and count the folders (network worker only); raises plain ShopdeskErrors."""
    client = connection.connect_and_login(settings.imap, settings.username, password)
    try:
        return len(client.list_folders())
    finally:
        connection.close(client)


class _ServerBox(QGroupBox):
    """Host, port and security of one server; the port follows the security choice."""

    def __init__(self, title: str, ports: dict[str, int], parent: QWidget | None = None):
        super().__init__(title, parent)
        self.ports = ports
        form = QFormLayout(self)
        self.host = QLineEdit()
        self.host.setAccessibleName(self.tr("{what} host").format(what=title))
        self.security = QComboBox()
        self.security.setAccessibleName(self.tr("{what} security").format(what=title))
        self.security.addItem(self.tr("SSL/TLS"), "ssl")
        self.security.addItem(self.tr("STARTTLS"), "starttls")
        self.security.addItem(self.tr("None (this computer only)"), "none")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(ports["ssl"])
        self.port.setAccessibleName(self.tr("{what} port").format(what=title))
        form.addRow(self.tr("Server:"), self.host)
        row = QHBoxLayout()
        row.addWidget(self.security, 1)
        row.addWidget(QLabel(self.tr("Port:")))
        row.addWidget(self.port)
        form.addRow(self.tr("Security:"), row)
        self._security = "ssl"
        self.security.currentIndexChanged.connect(self._security_changed)

    def _security_changed(self, _index: int) -> None:
        new = self.security.currentData()
        if self.port.value() == self.ports[self._security]:  # the merchant did not change it
            self.port.setValue(self.ports[new])
        self._security = new

    def set_security(self, value: str) -> None:
        self.security.setCurrentIndex(self.security.findData(value))

    def server(self, trusted: str | None = None) -> ServerSettings:
        return ServerSettings(
            host=self.host.text().strip(),
            port=self.port.value(),
            security=self.security.currentData(),
            trusted_cert_sha256=trusted,
        )


class SetupDialog(QDialog):
    """The form to add an IMAP mailbox; emits `account_added(str)` with the account's name.

    "Test connection" logs in on a network worker and shows a verdict; "Add mailbox" saves the
    account (the password goes only to the OS keyring) once a test of exactly these settings
    passed, testing first when needed.
    """

    account_added = Signal(str)
    test_finished = Signal(bool)

    def __init__(self, tasks: TaskManager, mailbox: Mailbox, parent: QWidget | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.mailbox = mailbox
        self.setWindowTitle(self.tr("Add your mailbox"))
        self._passed: tuple[AccountSettings, str] | None = None
        self._fingerprint: str | None = None
        self._busy = False
        self._add_after_test = False
        self._hosts_typed = False

        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Shopdesk reads your shop's support mailbox over IMAP and keeps a copy on "
                "this computer. Your password is kept in the system keyring."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.email = QLineEdit()
        self.email.setPlaceholderText("support@yourshop.com")
        self.email.setAccessibleName(self.tr("E-mail address"))
        form.addRow(self.tr("E-mail address:"), self.email)
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Account name"))
        form.addRow(self.tr("Name in Shopdesk:"), self.name)
        self.username = QLineEdit()
        self.username.setAccessibleName(self.tr("Username"))
        form.addRow(self.tr("Username:"), self.username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        form.addRow(self.tr("Password:"), self.password)
        layout.addLayout(form)
        self.imap = _ServerBox(self.tr("Incoming mail (IMAP)"), IMAP_PORTS)
        layout.addWidget(self.imap)
        self.smtp = _ServerBox(self.tr("Outgoing mail (SMTP)"), SMTP_PORTS)
        layout.addWidget(self.smtp)

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

        buttons = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        buttons.addWidget(self.test_button)
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
        for edit in (self.imap.host, self.smtp.host):
            edit.textEdited.connect(self._host_edited)
        for edit in (self.email, self.name, self.username, self.password, self.imap.host):
            edit.textChanged.connect(lambda _t: self._changed())
        for box in (self.imap, self.smtp):
            box.port.valueChanged.connect(lambda _v: self._changed())
            box.security.currentIndexChanged.connect(lambda _i: self._changed())
        self.resize(520, self.sizeHint().height())
        self._changed()

    # ---------------------------------------------------------------- form

    def _email_edited(self, text: str) -> None:
        domain = text.rpartition("@")[2].strip()
        if not self._hosts_typed and "@" in text:
            self.imap.host.setText(f"imap.{domain}" if domain else "")
            self.smtp.host.setText(f"smtp.{domain}" if domain else "")
        self.username.setPlaceholderText(text.strip())
        self.name.setPlaceholderText(text.strip())

    def _host_edited(self, _text: str) -> None:
        self._hosts_typed = True

    def settings(self) -> AccountSettings:
        email = self.email.text().strip()
        trusted = self._fingerprint if self.trust.isChecked() else None
        smtp = self.smtp.server() if self.smtp.host.text().strip() else None
        return AccountSettings(
            name=self.name.text().strip() or email,
            email=email,
            username=self.username.text().strip() or email,
            imap=self.imap.server(trusted),
            smtp=smtp,
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
        if not self.password.text():
            return self.tr("Enter the mailbox password.")
        return ""

    def _changed(self) -> None:
        problem = self.problem_text() if self._touched() else ""
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        ready = not self._busy and not self.problem_text()
        self.test_button.setEnabled(ready)
        self.add_button.setEnabled(ready)
        if self._passed is not None and self._passed != (self.settings(), self.password.text()):
            self._passed = None
            self.verdict.clear()

    def _touched(self) -> bool:
        return any(w.text() for w in (self.email, self.imap.host, self.password))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.email, self.name, self.username, self.password, self.imap, self.smtp):
            widget.setEnabled(not busy)
        self._changed()

    # ---------------------------------------------------------------- test and add

    def test_connection(self) -> None:
        if self._busy or self.problem_text():
            return
        settings, password = self.settings(), self.password.text()
        self._set_busy(True)
        self._show_verdict(self.tr("Connecting to {host}…").format(host=settings.imap.host), None)
        self.tasks.run_net(
            lambda: probe_imap(settings, password),
            lambda count: self._test_passed(settings, password, count),
            lambda exc: self._test_failed(settings, exc),
        )

    def _test_passed(self, settings: AccountSettings, password: str, folders: int) -> None:
        self._set_busy(False)
        self._passed = (settings, password)
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
        elif isinstance(exc, AuthenticationFailed):
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
        settings, password = self.settings(), self.password.text()
        if self._passed != (settings, password):
            self._add_after_test = True
            self.test_connection()
            return
        self._set_busy(True)
        self.tasks.run_db(
            lambda: self.mailbox.add_account(settings, password, check=False),
            lambda _id: self._added(settings),
            self._add_failed,
        )

    def _added(self, settings: AccountSettings) -> None:
        self._busy = False
        self.password.clear()
        self._passed = None
        self.account_added.emit(settings.name)
        self.accept()

    def _add_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        text = plain_error(exc, "adding a mailbox")
        self._show_verdict(
            self.tr("The mailbox could not be added: {error}").format(error=text), False
        )
