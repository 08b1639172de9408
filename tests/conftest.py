"""Shared fixtures: isolated keyring and data folder, real Dovecot servers, a cutting proxy."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.dovecot import DovecotServer, dovecot_available
from tests.helpers.proxy import CuttingProxy

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The models derived at first use (see desktop_app/core/replies/model_cache.py) go to a folder
# of this test run, never to the user's cache folder.
os.environ["SHOPDESK_CACHE_DIR"] = tempfile.mkdtemp(prefix="shopdesk-test-cache-")
atexit.register(shutil.rmtree, os.environ["SHOPDESK_CACHE_DIR"], True)

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def require_servers(what: str) -> None:
    """Skip (or fail, with SHOPDESK_REQUIRE_SERVERS=1) when a test server is not installed."""
    message = f"{what} is not installed (Debian: apt-get install dovecot-imapd)"
    if os.environ.get("SHOPDESK_REQUIRE_SERVERS") == "1":
        pytest.fail(f"{message}, and SHOPDESK_REQUIRE_SERVERS=1", pytrace=False)
    pytest.skip(message)


# ---------------------------------------------------------------- isolation (autouse)


@pytest.fixture(autouse=True)
def keyring_backend(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """A plain-file keyring in a per-test folder, for this process and its subprocesses.

    PYTHON_KEYRING_BACKEND makes subprocesses (the CLI) pick the same backend; XDG_DATA_HOME
    moves its file (keyrings.alt uses keyring.util.platform_.data_root()). XDG config, cache
    and state homes are moved too, so nothing reads or writes the real user folders.
    """
    import keyring.core
    from keyrings.alt.file import PlaintextKeyring

    xdg = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    for name in ("DATA", "CONFIG", "CACHE", "STATE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(xdg / name.lower()))
    # The private attribute, so restoring does not trigger keyring's backend discovery.
    previous = getattr(keyring.core, "_keyring_backend", None)
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.core._keyring_backend = previous


@pytest.fixture(autouse=True)
def shopdesk_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """SHOPDESK_DATA_DIR pointing at a fresh per-test folder."""
    path = tmp_path_factory.mktemp("shopdesk-data")
    monkeypatch.setenv("SHOPDESK_DATA_DIR", str(path))
    return path


# ---------------------------------------------------------------- data


@pytest.fixture(scope="session")
def corpora() -> Path:
    """The shared mail corpora folder (../shared/corpora from the project root)."""
    if not CORPORA.is_dir():
        pytest.skip(f"the shared corpora folder {CORPORA} is not present")
    return CORPORA


# ---------------------------------------------------------------- servers


@pytest.fixture
def dovecot_factory() -> Iterator[Callable[..., DovecotServer]]:
    """Start Dovecot servers with ``DovecotServer.start`` keyword arguments; all stopped after.

    Each gets its own folder outside pytest's temp tree: pytest makes that tree private (0700)
    at the start of every run, which would lock the `dovecot` user out of a server that a
    concurrent run started. The folders are removed afterwards, and the tests' own data stays
    apart from the server's (so a scan of a test's data folder never finds the server's files).
    """
    if not dovecot_available():
        require_servers("Dovecot")
    servers: list[DovecotServer] = []
    folders: list[Path] = []

    def start(**kwargs: Any) -> DovecotServer:
        folder = Path(tempfile.mkdtemp(prefix="shopdesk-dovecot-"))
        folder.chmod(0o755)
        folders.append(folder)
        server = DovecotServer.start(folder / "server", **kwargs)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.close()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_factory: Callable[..., DovecotServer]) -> DovecotServer:
    """A fresh Dovecot (plain IMAP, CONDSTORE/QRESYNC advertised) for one test."""
    return dovecot_factory()


@pytest.fixture
def tls_dovecot(dovecot_factory: Callable[..., DovecotServer]) -> DovecotServer:
    """A fresh Dovecot with a self-signed certificate: STARTTLS on .port, TLS on .ssl_port."""
    return dovecot_factory(tls=True)


@pytest.fixture
def proxy_factory() -> Iterator[Callable[[str, int], CuttingProxy]]:
    """Make ``CuttingProxy(host, port)`` instances; all closed after the test."""
    proxies: list[CuttingProxy] = []

    def make(host: str, port: int) -> CuttingProxy:
        proxy = CuttingProxy(host, port)
        proxies.append(proxy)
        return proxy

    try:
        yield make
    finally:
        for proxy in proxies:
            proxy.close()
