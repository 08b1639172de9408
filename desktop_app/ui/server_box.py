"""One server's host, port and security in the setup dialog; the IMAP login test."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.sync import connection

IMAP_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
SMTP_PORTS = {"ssl": 465, "starttls": 587, "none": 587}


def probe_imap(settings: AccountSettings, password: str) -> int:
    """Log in and count the folders (network worker only); raises plain ShopdeskErrors."""
    client = connection.connect_and_login(settings.imap, settings.username, password)
    try:
        return len(client.list_folders())
    finally:
        connection.close(client)


class ServerBox(QGroupBox):
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

    def fill(self, server: ServerSettings) -> None:
        """Take a preset's server (the port set after the security, which moves it)."""
        self.host.setText(server.host)
        self.set_security(server.security)
        self.port.setValue(server.port)

    def server(self, trusted: str | None = None) -> ServerSettings:
        return ServerSettings(
            host=self.host.text().strip(),
            port=self.port.value(),
            security=self.security.currentData(),
            trusted_cert_sha256=trusted,
        )
