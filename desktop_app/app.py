"""Composition root: builds the core, the QApplication, the workers and the main window."""

from __future__ import annotations

import contextlib
import os
import ssl
import sys
from collections.abc import Sequence
from pathlib import Path

from filelock import FileLock, Timeout
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import __version__
from desktop_app.core import demo
from desktop_app.core.errors import ShopdeskError
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.paths import default_data_dir, resources_dir, store_path
from desktop_app.ui import theme
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.sync_controller import SyncController
from desktop_app.ui.taskman import TaskManager

APP_LOCK = "shopdesk.app.lock"  # in the data folder, held by the running desktop app
TRANSLATIONS = resources_dir() / "translations"
ICON = resources_dir() / "icons" / "shopdesk.png"


def install_translator(app: QApplication) -> QTranslator:
    """Load `shopdesk_<lang>.qm` for the system's languages, else the English one (plurals)."""
    locale = QLocale.system()
    if locale.language() == QLocale.Language.C:  # no locale set (a bare system): plain English
        QLocale.setDefault(QLocale("en_GB"))
    ours = QTranslator(app)
    if ours.load(locale, "shopdesk", "_", str(TRANSLATIONS)) or ours.load(
        "shopdesk_en", str(TRANSLATIONS)
    ):
        app.installTranslator(ours)
    qt = QTranslator(app)  # Qt's own strings (standard buttons)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    return ours


def use_bundled_certificates() -> None:
    """In a frozen build, give OpenSSL certifi's CA certificates when it finds none of its own.

    Python's ssl on macOS (and a bundled OpenSSL on another Linux distribution) looks for CA
    certificates in a folder of the machine that built it; Windows reads the system store.
    """
    if not getattr(sys, "frozen", False) or os.environ.get("SSL_CERT_FILE"):
        return
    if ssl.create_default_context().cert_store_stats()["x509_ca"]:
        return
    try:
        import certifi
    except ImportError:
        return
    os.environ["SSL_CERT_FILE"] = certifi.where()


def hold_app_lock(data_dir: Path) -> FileLock | None:
    """The desktop app's lock on its data folder, held until released; None when another holds it.

    A second double-click during a slow start, or an older version still running, must not open
    (or migrate, or restore) the store under the first. The command line does not take it.
    """
    lock = FileLock(data_dir / APP_LOCK)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=0)
    except Timeout:
        return None
    except OSError:
        pass  # a folder that cannot be written: Store.open says so plainly
    return lock


def start_demo_if_new(tasks: TaskManager, mailbox: Mailbox, window: MainWindow) -> None:
    """First start with no mailbox: load the demo shop in the background, then show it."""

    def load() -> int:
        return mailbox.load_demo() if demo.should_offer_demo(mailbox) else 0

    def loaded(count: int) -> None:
        if count:
            window.refresh_all()
            window.show_message(
                QCoreApplication.translate(
                    "App", "The demo shop is ready: try the keys j, k, e and ?"
                )
            )

    tasks.run_db(load, loaded)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(argv) if argv is not None else sys.argv
    use_bundled_certificates()
    if "--version" in args[1:]:
        print(f"Shopdesk {__version__}")
        return 0
    if "--self-test" in args[1:]:
        from desktop_app.ui import self_test

        return self_test.main(args)
    app = QApplication(args)
    app.setApplicationName("Shopdesk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(ICON)))
    install_translator(app)
    theme.apply(app)
    theme.follow_system(app)
    data_dir = default_data_dir()
    lock = hold_app_lock(data_dir)
    if lock is None:
        already = QCoreApplication.translate("App", "Shopdesk is already open.")
        QMessageBox.information(None, "Shopdesk", already)
        return 0
    try:
        return run(app, data_dir)
    finally:
        lock.release()


def run(app: QApplication, data_dir: Path) -> int:
    """Open the store, show the main window and run until it is closed."""
    try:
        mailbox = Mailbox.open(store_path(data_dir))
    except ShopdeskError as exc:
        QMessageBox.critical(None, "Shopdesk", str(exc))
        return 1
    tasks = TaskManager()
    sync = SyncController(tasks, mailbox)
    window = MainWindow(tasks, mailbox, sync)
    window.show()
    window.reminders.check_away()  # "While you were away", then counted as seen
    start_demo_if_new(tasks, mailbox, window)
    sync.start()
    try:
        return app.exec()
    finally:
        sync.stop()
        tasks.shutdown(wait=True)  # nothing may touch the store once it is closed
        with contextlib.suppress(ShopdeskError):  # the next start's away list begins now
            mailbox.reminders.mark_seen()
        mailbox.close()
