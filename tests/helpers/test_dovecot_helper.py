"""Proof that the test helpers work: real Dovecot, certificates, the cutting proxy, isolation."""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import imapclient
import pytest

from tests.helpers.certs import make_self_signed, sha256_fingerprint
from tests.helpers.dovecot import DovecotServer, process_group_members
from tests.helpers.proxy import CuttingProxy

NO_CONDSTORE = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT LITERAL+ SPECIAL-USE NAMESPACE "
    "UIDPLUS MOVE"
)


def _mail(n: int, body: bytes = b"hello\r\n") -> bytes:
    return (
        f"Message-ID: <m{n}@shop.test>\r\nFrom: a@example.com\r\nSubject: order {n}\r\n\r\n"
    ).encode() + body


def _refuses(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return True
    return False


# ---------------------------------------------------------------- Dovecot


@pytest.mark.servers
def test_server_starts_logs_in_and_stops_without_leftovers(
    dovecot_factory: Callable[..., DovecotServer],
) -> None:
    server = dovecot_factory()
    assert server.running and server.port and server.ssl_port == 0
    assert server.log_path.is_file() and server.conf_path.is_file()
    client = server.client()
    assert client.welcome.startswith(b"* OK")
    client.logout()
    pgid = server.pid
    assert pgid is not None and len(process_group_members(pgid)) > 1

    server.stop()

    assert process_group_members(pgid) == []
    assert _refuses(server.host, server.port)
    server.stop()  # idempotent


@pytest.mark.servers
def test_mailboxes_exist_with_special_use(dovecot: DovecotServer) -> None:
    with dovecot.client() as client:
        folders = {name: flags for flags, _sep, name in client.list_folders()}
    assert {"INBOX", "Sent", "Drafts", "Trash", "Archive"} <= set(folders)
    assert rb"\Sent" in folders["Sent"] and rb"\Archive" in folders["Archive"]


@pytest.mark.servers
def test_append_uids_flags_and_doveadm(dovecot: DovecotServer) -> None:
    assert dovecot.append_many("INBOX", [_mail(i) for i in range(1, 4)]) == [1, 2, 3]
    assert dovecot.append("INBOX", _mail(4), flags=[r"\Seen"]) == 4
    assert dovecot.append_many("INBOX", []) == []

    dovecot.expunge("INBOX", 2)
    dovecot.add_flags("INBOX", 3, r"\Flagged", r"\Answered")

    assert dovecot.uids() == [1, 3, 4]
    assert dovecot.message_ids() == {
        1: "<m1@shop.test>",
        3: "<m3@shop.test>",
        4: "<m4@shop.test>",
    }
    flags = dovecot.flags()
    assert {r"\Flagged", r"\Answered"} <= flags[3] and r"\Seen" in flags[4]
    status = dovecot.mailbox_status("INBOX")
    assert status["messages"] == 3 and status["uidnext"] == 5
    assert status["highestmodseq"] > 1

    dovecot.set_uidvalidity("INBOX", 12345)
    assert dovecot.mailbox_status()["uidvalidity"] == 12345
    assert "messages=0" in dovecot.doveadm(
        "mailbox", "status", "-u", dovecot.user, "messages", "Sent"
    )


@pytest.mark.servers
def test_restart_keeps_mail_and_port(dovecot: DovecotServer) -> None:
    dovecot.append("Archive", _mail(1))
    port = dovecot.port
    dovecot.restart()
    assert dovecot.port == port and dovecot.uids("Archive") == [1]


@pytest.mark.servers
def test_wrong_password_is_refused_without_growing_penalty(dovecot: DovecotServer) -> None:
    for _ in range(2):
        started = time.monotonic()
        client = dovecot.client(login=False)
        with pytest.raises(imapclient.exceptions.LoginError):
            client.login(dovecot.user, "wrong")
        client.shutdown()
        # Dovecot's per-IP penalty would make the second attempt take 4.5 s.
        assert time.monotonic() - started < 2


@pytest.mark.servers
def test_condstore_and_qresync_are_advertised_by_default(dovecot: DovecotServer) -> None:
    with dovecot.client() as client:
        caps = set(client.capabilities())
        assert {b"CONDSTORE", b"QRESYNC", b"UIDPLUS", b"MOVE", b"IDLE"} <= caps
        assert client.enable("CONDSTORE", "QRESYNC") == [b"CONDSTORE", b"QRESYNC"]
        assert b"HIGHESTMODSEQ" in client.select_folder("INBOX")


@pytest.mark.servers
def test_capability_override_hides_condstore_but_dovecot_still_accepts_it(
    dovecot_factory: Callable[..., DovecotServer],
) -> None:
    server = dovecot_factory(capabilities=NO_CONDSTORE, rawlog=True)
    client = server.client(login=False)
    assert b"CONDSTORE" not in client.capabilities()
    client.login(server.user, server.password)
    caps = set(client.capabilities())
    assert b"CONDSTORE" not in caps and b"QRESYNC" not in caps
    assert {b"UIDPLUS", b"MOVE", b"IDLE", b"SPECIAL-USE"} <= caps
    assert b"HIGHESTMODSEQ" not in client.select_folder("INBOX")
    client.logout()

    # Dovecot quirk pinned here: the override changes only what is advertised.
    with server.client() as client:
        assert client.enable("CONDSTORE", "QRESYNC") == [b"CONDSTORE", b"QRESYNC"]
        assert b"HIGHESTMODSEQ" in client.select_folder("INBOX")
    # So tests of the "no CONDSTORE" path should check what the client sent.
    sent = server.client_commands()
    assert any(line.endswith(" ENABLE CONDSTORE QRESYNC") for line in sent), sent


# ---------------------------------------------------------------- TLS


def _peer_sha256_imaps(server: DovecotServer, context: ssl.SSLContext) -> str:
    with (
        socket.create_connection((server.host, server.ssl_port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        der = tls.getpeercert(binary_form=True)
        assert tls.recv(100).startswith(b"* OK")
    assert der is not None
    return sha256_fingerprint(der)


def _unverified() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@pytest.mark.servers
def test_tls_server_presents_pinned_cert_on_imaps_and_starttls(tls_dovecot: DovecotServer) -> None:
    assert tls_dovecot.ssl_port and tls_dovecot.cert_sha256
    assert len(tls_dovecot.cert_sha256) == 64 and tls_dovecot.cert_sha256.islower()
    assert _peer_sha256_imaps(tls_dovecot, _unverified()) == tls_dovecot.cert_sha256

    client = tls_dovecot.client(login=False)
    assert b"STARTTLS" in client.capabilities()
    client.starttls(_unverified())
    der = client._imap.sock.getpeercert(binary_form=True)
    assert sha256_fingerprint(der) == tls_dovecot.cert_sha256
    client.login(tls_dovecot.user, tls_dovecot.password)
    client.logout()

    # The self-signed certificate is not trusted by default, but is when given as the cafile.
    with pytest.raises(ssl.SSLCertVerificationError):
        _peer_sha256_imaps(tls_dovecot, ssl.create_default_context())
    assert tls_dovecot.cert_path is not None
    pinned = ssl.create_default_context(cafile=str(tls_dovecot.cert_path))
    assert _peer_sha256_imaps(tls_dovecot, pinned) == tls_dovecot.cert_sha256


@pytest.mark.servers
def test_ca_signed_cert_verifies_when_the_ca_is_trusted(
    dovecot_factory: Callable[..., DovecotServer],
) -> None:
    server = dovecot_factory(tls=True, ca_signed=True)
    assert server.ca_cert_path is not None
    trusted = ssl.create_default_context(cafile=str(server.ca_cert_path))
    assert _peer_sha256_imaps(server, trusted) == server.cert_sha256
    with pytest.raises(ssl.SSLCertVerificationError):
        _peer_sha256_imaps(server, ssl.create_default_context())


def test_self_signed_cert_files(tmp_path: Path) -> None:
    cert = make_self_signed(tmp_path / "tls")
    assert cert.cert_path.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert cert.key_path.stat().st_mode & 0o077 == 0
    der = ssl.PEM_cert_to_DER_cert(cert.cert_path.read_text())
    assert sha256_fingerprint(der) == cert.sha256 and cert.ca_cert_path is None


# ---------------------------------------------------------------- proxy


@pytest.fixture
def byte_source() -> Iterator[tuple[str, int]]:
    """A loopback server that sends 1 MB to each connection, then closes it."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn, contextlib.suppress(OSError):
                conn.sendall(b"x" * 1_000_000)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[:2]
    stop.set()
    thread.join(2)
    listener.close()


def _read_all(port: int) -> tuple[int, type[BaseException] | None]:
    received = 0
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        try:
            while chunk := sock.recv(65536):
                received += len(chunk)
        except OSError as exc:
            return received, type(exc)
    return received, None


def test_proxy_forwards_then_cuts_after_exactly_n_bytes(byte_source: tuple[str, int]) -> None:
    with CuttingProxy(*byte_source) as proxy:
        assert _read_all(proxy.port) == (1_000_000, None)

        proxy.cut_after_bytes(12_345)
        received, error = _read_all(proxy.port)
        assert received == 12_345 and error is ConnectionResetError
        assert proxy.cuts == 1 and not proxy.armed

        proxy.cut_after_bytes(100, reset=False)
        assert _read_all(proxy.port) == (100, None)

        assert _read_all(proxy.port) == (1_000_000, None)
        assert proxy.connections == 4
    assert proxy.threads_alive() == 0


@pytest.mark.servers
def test_proxy_cuts_an_imap_session_mid_fetch(dovecot: DovecotServer) -> None:
    dovecot.append_many("INBOX", [_mail(i, b"y" * 20_000 + b"\r\n") for i in range(10)])
    with CuttingProxy(dovecot.host, dovecot.port) as proxy:
        client = imapclient.IMAPClient(proxy.host, proxy.port, ssl=False, timeout=5)
        client.login(dovecot.user, dovecot.password)
        client.select_folder("INBOX")
        proxy.cut_after_bytes(50_000)
        with pytest.raises((imapclient.exceptions.IMAPClientAbortError, OSError)):
            client.fetch("1:*", ["RFC822"])
        client.shutdown()

        with imapclient.IMAPClient(proxy.host, proxy.port, ssl=False, timeout=5) as again:
            again.login(dovecot.user, dovecot.password)
            assert again.select_folder("INBOX")[b"EXISTS"] == 10
    assert proxy.threads_alive() == 0


# ---------------------------------------------------------------- isolation


def test_keyring_is_an_isolated_plaintext_file(keyring_backend: object) -> None:
    import keyring

    assert type(keyring.get_keyring()).__name__ == "PlaintextKeyring"
    assert os.environ["PYTHON_KEYRING_BACKEND"] == "keyrings.alt.file.PlaintextKeyring"
    keyring.set_password("Shopdesk", "imap://merchant@example", "pw-123")
    path = Path(keyring_backend.file_path)  # type: ignore[attr-defined]
    assert path.is_file() and Path(os.environ["XDG_DATA_HOME"]) in path.parents
    assert os.environ["SHOPDESK_DATA_DIR"] and os.environ["QT_QPA_PLATFORM"]

    code = "import keyring; print(keyring.get_password('Shopdesk', 'imap://merchant@example'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "pw-123"
