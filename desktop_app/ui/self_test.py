"""`Shopdesk --self-test`: checks that this build runs here, one line per check, exit 0 or 1.

Everything happens in a temporary folder (never the merchant's data). Checks: the store built
by the migrations (files Alembic must find), the demo shop, language detection (py3langid's
model), a template rendered for a demo case (Jinja2, Babel's locale data), the translations,
time zones (tzdata), the icon, the main window shown and painted on this platform (Qt's
plugins), CA certificates for TLS, the system keyring (its native backend usable), and one job
in a worker process started as the app starts them (not forked: the executable run again).

SHOPDESK_SELF_TEST_SKIP=keyring (comma-separated names) skips a check, for CI machines with no
keyring service; a skipped check is printed as such, never left out. `--self-test-output FILE`
also writes the lines to FILE (a windowed build on Windows has no stdout);
`--self-test-screenshot FILE` saves the painted main window as a PNG.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import desktop_app
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.paths import resources_dir, store_path

WORKER_TIMEOUT_S = 30  # a worker starts in about a second; a child that runs the app never answers
WINDOW_TIMEOUT_MS = 20_000  # a generous bound; a healthy build paints in well under a second
SKIP_VARIABLE = "SHOPDESK_SELF_TEST_SKIP"
TEMPLATE = "cancellation"  # its date and money filters need Babel's locale data
# Each platform's own keyring backend: module, class, what it needs to work.
NATIVE_KEYRINGS = {
    "linux": ("keyring.backends.SecretService", "Keyring", ("secretstorage", "jeepney")),
    "darwin": ("keyring.backends.macOS", "Keyring", ()),
    "win32": ("keyring.backends.Windows", "WinVaultKeyring", ("win32ctypes.pywin32",)),
}
# What SecretService says when the build is fine but no Secret Service runs (a CI machine).
SERVICE_NOT_RUNNING = ("neither running nor activatable", "Unable to initialize SecretService")


class Failed(Exception):
    """A check did not pass; the message says why, in a few words."""


def versions() -> str:
    import PySide6

    python = ".".join(map(str, sys.version_info[:3]))
    return (
        f"Shopdesk {desktop_app.__version__} (Python {python}, Qt {qVersion()}, "
        f"PySide6 {PySide6.__version__}, {sys.platform})"
    )


class SelfTest:
    """Runs the checks in order and keeps one line per check."""

    def __init__(
        self, app: QApplication, folder: Path, skip: set[str], screenshot: Path | None = None
    ) -> None:
        self.app, self.folder, self.skip, self.screenshot = app, folder, skip, screenshot
        self.lines: list[str] = []
        self.failed = False
        self.stray_helpers = False
        self.mailbox: Mailbox | None = None

    def check(self, name: str, fn: Callable[[], str]) -> None:
        if name in self.skip:
            self.say(f"skipped: {name} — {SKIP_VARIABLE}")
            return
        started = time.monotonic()
        try:
            detail = fn()
        except Exception as exc:  # every failure is reported by name, never a traceback
            self.failed = True
            self.say(f"FAILED: {name} — {str(exc) or type(exc).__name__}")
            return
        took = f"{time.monotonic() - started:.2f} s"
        self.say(f"ok: {name} ({detail}; {took})" if detail else f"ok: {name} ({took})")

    def say(self, line: str) -> None:
        self.lines.append(line)
        if sys.stdout is not None:
            print(line, flush=True)

    # -- the checks
    def store(self) -> str:
        from desktop_app.core.store import migrate

        self.mailbox = Mailbox.open(store_path(self.folder))
        revision = migrate.current_revision(self.mailbox.store.engine)
        head = migrate.head_revision()  # read from the migration files in this build
        if revision != head:
            raise Failed(f"schema {revision}, expected {head}")
        return f"schema {revision}"

    def demo(self) -> str:
        count = self.need_mailbox().load_demo()
        if count < 1:
            raise Failed("no demo mail was loaded")
        return f"{count} messages"

    def language(self) -> str:
        from desktop_app.core.replies.language import detect_language

        samples = {
            "de": "Hallo, ich habe meine Bestellung noch nicht bekommen. Wo ist sie?",
            "fi": "Hei, tilaukseni ei ole vieläkään saapunut. Milloin se tulee perille?",
        }
        got = {code: detect_language(text) for code, text in samples.items()}
        if got != {code: code for code in samples}:
            raise Failed(f"detected {got}")
        return "de, fi"

    def templates(self) -> str:
        from babel.dates import format_date
        from sqlalchemy import select

        from desktop_app.core.errors import ShopdeskError
        from desktop_app.core.store.models import Case

        mailbox = self.need_mailbox()
        with mailbox.store.session() as s:  # a demo case with an order
            case_ids = list(s.scalars(select(Case.id).order_by(Case.id)))
        problem, case_id = "the demo shop has no case", None
        for case_id in case_ids:
            try:
                rendered = [
                    mailbox.templates.render_for_case(TEMPLATE, case_id, language)
                    for language in ("en", "de")
                ]
            except ShopdeskError as exc:  # this case lacks a value the template needs
                problem = str(exc)
                continue
            if any(not r.body.strip() or "{{" in r.body for r in rendered):
                raise Failed(f"case {case_id} rendered with blanks")
            if [r.language for r in rendered] != ["en", "de"]:
                raise Failed(f"rendered in {[r.language for r in rendered]}")
            break
        else:
            raise Failed(problem)
        long_date = format_date(date(2026, 1, 2), format="long", locale="de")
        if long_date != "2. Januar 2026":
            raise Failed(f"Babel wrote {long_date!r}")
        return f"{TEMPLATE} for case {case_id} in en and de"

    def translations(self) -> str:
        from desktop_app.app import install_translator

        ours = install_translator(self.app)  # as the app does: plurals come from it
        if ours.isEmpty():
            raise Failed(f"no shopdesk_*.qm found in {resources_dir() / 'translations'}")
        plural = self.app.translate("MainWindow", "%n case(s) found", "", 2)
        if plural != "2 cases found":
            raise Failed(f"plurals are not translated ({plural!r})")
        return Path(ours.filePath()).name

    def timezones(self) -> str:
        from importlib import resources
        from zoneinfo import ZoneInfo

        zone = resources.files("tzdata.zoneinfo.Europe").joinpath("Helsinki")  # as zoneinfo does
        if not zone.is_file():
            raise Failed("tzdata's zone files are missing")
        ZoneInfo("America/New_York")
        return "tzdata"

    def icon(self) -> str:
        path = resources_dir() / "icons" / "shopdesk.png"
        if QIcon(str(path)).isNull():
            raise Failed(f"{path} cannot be read")
        return path.name

    def window(self) -> str:
        from desktop_app.ui.main_window import MainWindow
        from desktop_app.ui.taskman import TaskManager

        if sys.platform.startswith("linux") and not (
            os.environ.get("QT_QPA_PLATFORM")
            or os.environ.get("DISPLAY")
            or os.environ.get("WAYLAND_DISPLAY")
        ):
            raise Failed("no display (set QT_QPA_PLATFORM=offscreen to test without one)")
        from desktop_app.ui import theme

        mailbox = self.need_mailbox()
        theme.apply(self.app)
        tasks = TaskManager()
        errors: list[str] = []
        tasks.task_failed.connect(errors.append)
        window = MainWindow(tasks, mailbox)
        painted = PaintWatch(window)
        try:
            window.show()
            wait_until(lambda: painted.seen and tasks.running == 0, WINDOW_TIMEOUT_MS)
            handle = window.windowHandle()
            if not painted.seen or handle is None or not handle.isExposed():
                raise Failed(f"the main window was not shown within {WINDOW_TIMEOUT_MS} ms")
            if errors:
                raise Failed(errors[0])
            if self.screenshot is not None and not window.grab().save(str(self.screenshot)):
                raise Failed(f"could not save {self.screenshot}")
            return f"{self.app.platformName()}, {window.width()}x{window.height()}"
        finally:
            window.close()
            tasks.shutdown(wait=True)
            window.deleteLater()
            self.app.processEvents()

    def tls(self) -> str:
        import ssl

        count = ssl.create_default_context().cert_store_stats()["x509_ca"]
        if not count:
            raise Failed("no trusted certificate authorities: secure connections would fail")
        where = os.environ.get("SSL_CERT_FILE")
        return f"{count} CA certificates" + (f" from {Path(where).name}" if where else "")

    def keyring(self) -> str:
        import keyring
        from keyring.backends import chainer, fail

        backend = keyring.get_keyring()
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        if isinstance(backend, fail.Keyring) or name.startswith("keyring.backends.null"):
            raise Failed("no backend")
        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            raise Failed("no backend")
        if name.startswith("keyrings.alt"):
            raise Failed(f"{name} is not a system keyring")
        return name

    def keyring_backends(self) -> str:
        """The platform's own keyring backend can work here: its code and what it needs.

        Importing a backend module proves little (keyring traps its missing dependencies), so
        its class's `priority` is read, as keyring does to choose; only the Secret Service not
        running on this machine (a CI runner) is not the build's fault.
        """
        import importlib

        native = next((n for p, n in NATIVE_KEYRINGS.items() if sys.platform.startswith(p)), None)
        if native is None:
            return "none native here"
        module_name, class_name, needs = native
        for dependency in needs:
            try:
                importlib.import_module(dependency)
            except ImportError as exc:
                raise Failed(f"{module_name} cannot work without {dependency}: {exc}") from None
        backend = getattr(importlib.import_module(module_name), class_name)
        try:
            priority = float(backend.priority)
        except Exception as exc:
            if not any(word in str(exc) for word in SERVICE_NOT_RUNNING):
                raise Failed(f"{module_name} cannot work: {exc}") from None
            return f"{module_name} usable; its service is not running here ({exc})"
        if priority <= 0:
            raise Failed(f"{module_name} has priority {priority}")
        return f"{module_name} usable (priority {priority:g})"

    def workers(self) -> str:
        """One small job through a process pool started as the app starts it from its GUI."""
        try:
            return run_in_worker_process()
        except Failed:
            self.stray_helpers = True  # see main(): none may outlive the self-test
            raise

    def need_mailbox(self) -> Mailbox:
        if self.mailbox is None:
            raise Failed("needs the store, which failed")
        return self.mailbox

    def run(self) -> None:
        self.say(versions())
        for name, fn in (
            ("store", self.store),
            ("demo", self.demo),
            ("language", self.language),
            ("templates", self.templates),
            ("translations", self.translations),
            ("timezones", self.timezones),
            ("icon", self.icon),
            ("window", self.window),
            ("tls", self.tls),
            ("keyring", self.keyring),
            ("keyring backends", self.keyring_backends),
            ("workers", self.workers),
        ):
            self.check(name, fn)


def run_in_worker_process(method: str | None = None) -> str:
    """Analyse an empty chunk in a worker process started without fork (as from the GUI).

    The non-fork method of this platform (forkserver on Linux, spawn elsewhere) starts this
    executable again: in a frozen build only `multiprocessing.freeze_support()` at the top of
    main.py keeps that child from starting the whole app instead of the job. Starting the
    pool can itself wait forever on such a child, so the job runs in a thread waited for
    WORKER_TIMEOUT_S; on failure every process it started is ended.
    """
    import threading
    from concurrent.futures import ProcessPoolExecutor
    from unittest import mock

    from desktop_app.core.store import analysis
    from desktop_app.core.threads.analyse import analyse_chunk
    from desktop_app.core.threads.order_refs import OrderPatterns

    forced = method or ("forkserver" if sys.platform.startswith("linux") else "spawn")
    with mock.patch.object(analysis, "start_method", lambda: forced):
        context = analysis._context()
    pool = ProcessPoolExecutor(1, mp_context=context)
    outcome: list[object] = []

    def job() -> None:
        try:
            outcome.append(pool.submit(analyse_chunk, [], frozenset(), OrderPatterns()).result())
        except Exception as exc:  # BrokenProcessPool: the child died or never ran the job
            outcome.append(exc)

    worker = threading.Thread(target=job, name="self-test worker", daemon=True)
    worker.start()
    worker.join(WORKER_TIMEOUT_S)
    if outcome and outcome[0] == []:
        pool.shutdown(wait=True)
        return f"{forced}, 1 job"
    end_helper_processes(pool)
    if not outcome:
        raise Failed(f"no answer from a {forced} worker within {WORKER_TIMEOUT_S} s")
    if isinstance(outcome[0], Exception):
        exc = outcome[0]
        raise Failed(f"a {forced} worker failed: {str(exc) or type(exc).__name__}")
    raise Failed(f"a {forced} worker answered {outcome[0]!r}")


def end_helper_processes(pool: object) -> None:
    """End the pool's workers, the fork server and the resource tracker: after a failed start
    they may be running the app itself."""
    import multiprocessing.forkserver
    import multiprocessing.resource_tracker
    import signal

    pids = [p.pid for p in (getattr(pool, "_processes", None) or {}).values()]
    for helper in (
        getattr(multiprocessing.forkserver, "_forkserver", None),
        getattr(multiprocessing.resource_tracker, "_resource_tracker", None),
    ):
        pids.append(getattr(helper, "_forkserver_pid", None) or getattr(helper, "_pid", None))
    kill = getattr(signal, "SIGKILL", signal.SIGTERM)  # they start with SIGTERM blocked
    for pid in pids:
        if pid and pid != os.getpid():
            with contextlib.suppress(OSError):
                os.kill(pid, kill)
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)  # type: ignore[attr-defined]


class PaintWatch(QObject):
    """Notes the first paint event of the object it watches."""

    def __init__(self, watched: QObject) -> None:
        super().__init__(watched)
        self.seen = False
        watched.installEventFilter(self)

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.seen = True
        return False


def wait_until(condition: Callable[[], bool], timeout_ms: int) -> None:
    """Process events until `condition` holds or `timeout_ms` passed."""
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(lambda: condition() and loop.quit())
    QTimer.singleShot(timeout_ms, loop.quit)
    poll.start()
    if not condition():
        loop.exec()
    poll.stop()


def option(argv: Sequence[str], name: str) -> Path | None:
    """The file given after `name` (`--self-test-output FILE`), if any."""
    args = list(argv)
    if name in args and args.index(name) + 1 < len(args):
        return Path(args[args.index(name) + 1])
    return None


def main(argv: Sequence[str]) -> int:
    """Run every check in a temporary data folder; 0 when all passed, 1 otherwise."""
    skip = {s.strip() for s in os.environ.get(SKIP_VARIABLE, "").split(",") if s.strip()}
    with tempfile.TemporaryDirectory(prefix="shopdesk-self-test-") as tmp:
        os.environ["SHOPDESK_DATA_DIR"] = tmp  # nothing may touch the merchant's own data
        app = QApplication.instance() or QApplication(list(argv))
        app.setApplicationName("Shopdesk self-test")
        screenshot = option(argv, "--self-test-screenshot")
        test = SelfTest(app, Path(tmp), skip, screenshot)  # type: ignore[arg-type]
        try:
            test.run()
        finally:
            if test.mailbox is not None:
                with contextlib.suppress(Exception):
                    test.mailbox.close()
        test.say("self-test: " + ("FAILED" if test.failed else "passed"))
        target = option(argv, "--self-test-output")
        if target is not None:
            target.write_text("\n".join(test.lines) + "\n", encoding="utf-8")
    if test.stray_helpers:
        # Helper processes that ran the app instead of their job: multiprocessing's exit
        # handlers would start its resource tracker again (the app once more), so leave now.
        end_helper_processes(None)
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        os._exit(1)
    return 1 if test.failed else 0
