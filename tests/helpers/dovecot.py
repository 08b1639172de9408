"""A real Dovecot IMAP server on free loopback ports, everything under one temp folder."""

# What Dovecot 2.3.19 does here (checked by tests/helpers/test_dovecot_helper.py):
# - It starts in ~25 ms. SIGTERM to the master alone takes ~2 s to shut down (it waits for its
#   children); SIGTERM to the whole process group is usually done in a few ms, but now and then
#   the master lingers ~1 s after its children are gone, so stop() SIGKILLs it after 0.2 s.
# - CONDSTORE and QRESYNC are in the default post-login CAPABILITY without any plugin.
# - `imap_capability` replaces the advertised list exactly (before login, STARTTLS and AUTH=
#   are added to it), but it only changes what is *advertised*: a fresh SELECT has no
#   [HIGHESTMODSEQ], yet ENABLE CONDSTORE QRESYNC still answers "* ENABLED CONDSTORE QRESYNC",
#   FETCH ... (CHANGEDSINCE n) and MODSEQ still work, and once any client has used CONDSTORE on
#   a mailbox, later plain SELECTs of it report [HIGHESTMODSEQ n] (it is kept in the index).
#   A test of the "server without CONDSTORE" path can therefore only check that the client
#   believed CAPABILITY; start with `rawlog=True` and assert on `client_commands()` that it
#   never sent ENABLE CONDSTORE/QRESYNC, CHANGEDSINCE, (CONDSTORE) or MODSEQ.
# - A failed login is answered after ~0.5 s (auth_failure_delay is checked on a 500 ms timer);
#   the per-IP auth penalty (2 s, 4 s, ... on repeated failures) is switched off here by not
#   creating anvil's auth-penalty socket, so several bad-password tests in a row stay fast.
# - The master binds its listeners before forking, so a connect can succeed before the auth
#   process is up; readiness here means "the greeting arrived".

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import os
import pwd
import re
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

import imapclient

from tests.helpers.certs import ServerCert, make_ca_signed, make_self_signed

DOVECOT = shutil.which("dovecot", path="/usr/sbin:/usr/local/sbin:" + os.environ.get("PATH", ""))
DOVEADM = shutil.which("doveadm", path="/usr/bin:/usr/sbin:" + os.environ.get("PATH", ""))

DEFAULT_USER = "merchant@shop.test"
DEFAULT_PASSWORD = "s3cret-pass"
MAILBOXES = {"Sent": r"\Sent", "Drafts": r"\Drafts", "Trash": r"\Trash", "Archive": r"\Archive"}
START_TIMEOUT = 10.0
# Unix sockets are limited to 108 bytes; Dovecot's longest name under base_dir is ~25 chars.
_MAX_BASE_DIR_LEN = 75
_RAWLOG_STAMP = re.compile(r"^\d+\.\d+ ")


def dovecot_available() -> bool:
    """True when both the dovecot and doveadm binaries are installed."""
    return DOVECOT is not None and DOVEADM is not None


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def process_group_members(pgid: int) -> list[int]:
    """PIDs of live (non-zombie) processes in process group ``pgid``."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            pids.append(int(entry))
    return pids


class DovecotError(RuntimeError):
    """Dovecot could not be started, or doveadm failed; the message includes the log."""


class DovecotServer:
    """A running Dovecot with one user, owning every file under ``base``.

    Plain IMAP on ``host:port`` (offering STARTTLS when ``tls``), implicit TLS on ``ssl_port``
    (0 without ``tls``). Mailboxes INBOX, Sent, Drafts, Trash, Archive with special-use flags.
    Start with ``DovecotServer.start(base, ...)``; always ``stop()`` (or use ``with``).
    """

    host = "127.0.0.1"

    def __init__(
        self,
        base: Path,
        *,
        capabilities: str | None,
        tls: bool,
        user: str,
        password: str,
        rawlog: bool,
        ca_signed: bool,
        auth_mechanisms: str = "plain login",
        extra_config: Sequence[str] = (),
    ) -> None:
        for value, what in ((user, "user"), (password, "password")):
            if not value or any(c in value for c in ":\n\r\t"):
                raise ValueError(f"{what} must be non-empty without ':' or line breaks")
        self.base = base.resolve()
        self.user = user
        self.password = password
        self.capabilities = capabilities
        self.tls = tls
        self.rawlog = rawlog
        self.auth_mechanisms = auth_mechanisms
        self.extra_config = tuple(extra_config)
        self.conf_path = self.base / "dovecot.conf"
        self.log_path = self.base / "dovecot.log"
        self.stderr_path = self.base / "dovecot.stderr"
        self.passwd_path = self.base / "passwd"
        self.home = self.base / "home"
        self.maildir = self.home / "Maildir"
        self.rawlog_dir = self.home / "rawlog"
        self.state_dir = self.base / "state"
        self.port = 0
        self.ssl_port = 0
        self.cert: ServerCert | None = None
        self._own_run_dir: Path | None = None
        run_dir = self.base / "run"
        if len(str(run_dir)) > _MAX_BASE_DIR_LEN:
            self._own_run_dir = Path(tempfile.mkdtemp(prefix="dovecot-run-"))
            run_dir = self._own_run_dir
        self.run_dir = run_dir
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self.last_pgid: int | None = None

        if os.geteuid() == 0:
            # Dovecot refuses mail uid 0; run mail (and internal services) as `dovecot`.
            self.system_user = "dovecot"
            self.login_user = "dovenull"
        else:
            self.system_user = self.login_user = pwd.getpwuid(os.geteuid()).pw_name
        entry = pwd.getpwnam(self.system_user)
        self.uid, self.gid = entry.pw_uid, entry.pw_gid
        if tls:
            tls_dir = self.base / "tls"
            self.cert = make_ca_signed(tls_dir) if ca_signed else make_self_signed(tls_dir)

    # ---------------------------------------------------------------- lifecycle

    @classmethod
    def start(
        cls,
        base: Path,
        *,
        capabilities: str | None = None,
        tls: bool = False,
        user: str = DEFAULT_USER,
        password: str = DEFAULT_PASSWORD,
        rawlog: bool = False,
        ca_signed: bool = False,
        auth_mechanisms: str = "plain login",
        extra_config: Sequence[str] = (),
    ) -> DovecotServer:
        """Create the files under ``base`` and start Dovecot; raises DovecotError with the log.

        ``capabilities`` replaces ``imap_capability`` (advertised list only, see module notes);
        ``tls`` adds a certificate (self-signed, or signed by a fresh CA with ``ca_signed``),
        STARTTLS on ``port`` and implicit TLS on ``ssl_port``; ``rawlog`` records the IMAP
        traffic of every session (see ``client_commands``); ``auth_mechanisms`` and
        ``extra_config`` (lines added at the end, e.g. another passdb) change authentication.
        """
        if not dovecot_available():
            raise DovecotError("Dovecot is not installed (dovecot and doveadm are needed)")
        base.mkdir(parents=True, exist_ok=True)
        server = cls(
            base,
            capabilities=capabilities,
            tls=tls,
            user=user,
            password=password,
            rawlog=rawlog,
            ca_signed=ca_signed,
            auth_mechanisms=auth_mechanisms,
            extra_config=extra_config,
        )
        server._prepare_files()
        last_error: DovecotError | None = None
        for _attempt in range(5):
            server.port = free_port()
            server.ssl_port = free_port() if tls else 0
            server._write_config()
            try:
                server._launch()
                return server
            except DovecotError as exc:
                # Another process may have taken a port between picking and binding it.
                if "Address already in use" not in str(exc):
                    server._cleanup_run_dir()
                    raise
                last_error = exc
        server._cleanup_run_dir()
        assert last_error is not None
        raise last_error

    def stop(self) -> None:
        """Stop Dovecot and every process it spawned; idempotent."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        pgid = proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        try:
            # Children die in milliseconds; the master sometimes waits ~1 s more to reap them.
            # It holds no mail data, so it gets SIGKILL after a short grace.
            proc.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            proc.wait(timeout=5)
        deadline = time.monotonic() + 5
        while process_group_members(pgid):
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)
                break
            time.sleep(0.01)
        self._close_stderr()
        self.last_pgid = pgid

    def restart(self) -> None:
        """Stop and start again on the same ports with the same mail."""
        self.stop()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                self._launch()
                return
            except DovecotError as exc:
                if "Address already in use" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def close(self) -> None:
        """Stop, and remove the private run directory if one was needed."""
        self.stop()
        self._cleanup_run_dir()

    def __enter__(self) -> DovecotServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def cert_path(self) -> Path | None:
        return self.cert.cert_path if self.cert else None

    @property
    def key_path(self) -> Path | None:
        return self.cert.key_path if self.cert else None

    @property
    def ca_cert_path(self) -> Path | None:
        return self.cert.ca_cert_path if self.cert else None

    @property
    def cert_sha256(self) -> str | None:
        """Lowercase hex SHA-256 of the DER server certificate (None without ``tls``)."""
        return self.cert.sha256 if self.cert else None

    def log(self) -> str:
        """The Dovecot log so far (plus anything it printed to stderr)."""
        parts = []
        for path in (self.stderr_path, self.log_path):
            with contextlib.suppress(OSError):
                parts.append(path.read_text(errors="replace"))
        return "".join(parts)

    # ---------------------------------------------------------------- acting as another client

    def doveadm(self, *args: str) -> str:
        """Run ``doveadm -c CONF *args`` and return stdout; raises DovecotError on failure."""
        assert DOVEADM is not None
        result = subprocess.run(
            [DOVEADM, "-c", str(self.conf_path), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if result.returncode != 0:
            raise DovecotError(
                f"doveadm {' '.join(args)} failed ({result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}"
            )
        return result.stdout

    def mailbox_status(self, folder: str = "INBOX") -> dict[str, int]:
        """messages, uidnext, uidvalidity, highestmodseq, unseen of ``folder`` via doveadm."""
        out = self.doveadm(
            "mailbox", "status", "-u", self.user,
            "messages uidnext uidvalidity highestmodseq unseen", folder,
        )  # fmt: skip
        return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", out)}

    def set_uidvalidity(self, folder: str, uidvalidity: int) -> None:
        self.doveadm(
            "mailbox", "update", "-u", self.user, "--uid-validity", str(uidvalidity), folder
        )

    def expunge(self, folder: str, uid: int) -> None:
        self.doveadm("expunge", "-u", self.user, "mailbox", folder, "uid", str(uid))

    def add_flags(self, folder: str, uid: int, *flags: str) -> None:
        self.doveadm(
            "flags", "add", "-u", self.user, " ".join(flags), "mailbox", folder, "uid", str(uid)
        )

    def remove_flags(self, folder: str, uid: int, *flags: str) -> None:
        self.doveadm(
            "flags", "remove", "-u", self.user, " ".join(flags), "mailbox", folder, "uid", str(uid)
        )

    def client(self, *, timeout: float = 10.0, login: bool = True) -> imapclient.IMAPClient:
        """A plain-IMAP IMAPClient on loopback, logged in unless ``login=False``."""
        client = imapclient.IMAPClient(self.host, self.port, ssl=False, timeout=timeout)
        if login:
            client.login(self.user, self.password)
        return client

    def append(self, folder: str, raw: bytes, flags: Sequence[str] = ()) -> int:
        """APPEND one message and return its UID (from APPENDUID)."""
        client = self.client()
        try:
            response = client.append(folder, raw, flags=tuple(flags))
        finally:
            client.logout()
        return _appenduids(response)[0]

    def append_many(
        self, folder: str, raws: Iterable[bytes], flags: Sequence[str] = ()
    ) -> list[int]:
        """APPEND many messages in one MULTIAPPEND command; returns their UIDs in order."""
        messages = [{"msg": raw, "flags": tuple(flags)} for raw in raws]
        if not messages:
            return []
        client = self.client(timeout=60)
        try:
            response = client.multiappend(folder, messages)
        finally:
            client.logout()
        uids = _appenduids(response)
        assert len(uids) == len(messages), (uids, len(messages))
        return uids

    def uids(self, folder: str = "INBOX") -> list[int]:
        client = self.client()
        try:
            client.select_folder(folder, readonly=True)
            return sorted(int(uid) for uid in client.search("ALL"))
        finally:
            client.logout()

    def flags(self, folder: str = "INBOX") -> dict[int, set[str]]:
        """UID -> flags (as str, e.g. ``\\Seen``) of every message in ``folder``."""
        client = self.client()
        try:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            fetched = client.fetch(uids, ["FLAGS"]) if uids else {}
        finally:
            client.logout()
        return {
            int(uid): {f.decode() if isinstance(f, bytes) else str(f) for f in data[b"FLAGS"]}
            for uid, data in fetched.items()
        }

    def message_ids(self, folder: str = "INBOX") -> dict[int, str]:
        """UID -> Message-ID header ("" when missing) of every message in ``folder``."""
        client = self.client()
        key = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"
        try:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return {}
            fetched = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        finally:
            client.logout()
        parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
        result = {}
        for uid, data in fetched.items():
            header = parser.parsebytes(data.get(key, b""))
            result[int(uid)] = " ".join((header.get("Message-ID") or "").split())
        return result

    def client_commands(self) -> list[str]:
        """Every line clients sent after login, in order (needs ``rawlog=True``).

        Literal contents are included as they were sent; tags are kept.
        """
        if not self.rawlog:
            raise RuntimeError("start the server with rawlog=True to record client commands")
        lines: list[str] = []
        # Files are named <date>-<time>-<pid>.in, one per session; each line starts with a
        # "<unix time> " stamp, which is dropped here.
        for path in sorted(self.rawlog_dir.glob("*.in")):
            for line in path.read_bytes().decode("utf-8", "replace").splitlines():
                lines.append(_RAWLOG_STAMP.sub("", line, count=1))
        return lines

    # ---------------------------------------------------------------- internals

    def _prepare_files(self) -> None:
        for directory in (self.home, self.state_dir, self.run_dir, self.rawlog_dir):
            directory.mkdir(parents=True, exist_ok=True)
        if not self.rawlog:
            self.rawlog_dir.rmdir()
        for mailbox in ("cur", "new", "tmp"):
            (self.maildir / mailbox).mkdir(parents=True, exist_ok=True)
        self.passwd_path.write_text(
            f"{self.user}:{{PLAIN}}{self.password}:{self.uid}:{self.gid}::{self.home}::\n"
        )
        self.passwd_path.chmod(0o600)
        self.log_path.touch()
        if os.geteuid() == 0:
            for root, dirs, files in os.walk(self.base):
                os.chown(root, self.uid, self.gid)
                for name in dirs + files:
                    os.chown(os.path.join(root, name), self.uid, self.gid, follow_symlinks=False)
            # The log is written by Dovecot's root-owned log process; keep it root's.
            os.chown(self.log_path, 0, 0)
            os.chown(self.run_dir, 0, 0)
        for directory in (self.base, self.home, self.run_dir):
            directory.chmod(0o755)
        _make_traversable(self.base, self.uid)
        _make_traversable(self.run_dir, self.uid)

    def _write_config(self) -> None:
        lines = [
            "# Written by tests/helpers/dovecot.py; blocks must span several lines.",
            f"base_dir = {self.run_dir}",
            f"state_dir = {self.state_dir}",
            f"instance_name = dovecot-test-{self.port}",
            f"log_path = {self.log_path}",
            "protocols = imap",
            f"listen = {self.host}",
            "disable_plaintext_auth = no",
            f"auth_mechanisms = {self.auth_mechanisms}",
            "auth_failure_delay = 0",
            "mail_location = maildir:~/Maildir",
            f"mail_uid = {self.uid}",
            f"mail_gid = {self.gid}",
            f"first_valid_uid = {min(self.uid, 500)}",
            f"first_valid_gid = {min(self.gid, 500)}",
            f"default_internal_user = {self.system_user}",
            f"default_login_user = {self.login_user}",
            "mail_max_userip_connections = 200",
        ]
        if self.capabilities is not None:
            lines.append(f"imap_capability = {self.capabilities}")
        if self.cert is not None:
            lines += ["ssl = yes", f"ssl_cert = <{self.cert.cert_path}"]
            lines.append(f"ssl_key = <{self.cert.key_path}")
        else:
            lines.append("ssl = no")
        lines += [
            "passdb {",
            "  driver = passwd-file",
            f"  args = scheme=PLAIN {self.passwd_path}",
            "}",
            "userdb {",
            "  driver = passwd-file",
            f"  args = {self.passwd_path}",
            "}",
            "namespace inbox {",
            "  inbox = yes",
            "  separator = /",
        ]
        for name, special_use in MAILBOXES.items():
            lines += [
                f"  mailbox {name} {{",
                f"    special_use = {special_use}",
                "    auto = subscribe",
                "  }",
            ]
        lines += [
            "}",
            "service imap-login {",
            "  inet_listener imap {",
            f"    address = {self.host}",
            f"    port = {self.port}",
            "  }",
            "  inet_listener imaps {",
            f"    address = {self.host}",
            f"    port = {self.ssl_port}",
            "  }",
            *([] if os.geteuid() == 0 else ["  chroot ="]),
            "}",
            # No auth-penalty socket: the auth process then skips the per-IP penalty.
            "service anvil {",
            "  unix_listener anvil-auth-penalty {",
            "    mode = 0",
            "  }",
            *([] if os.geteuid() == 0 else ["  chroot ="]),
            "}",
        ]
        if self.rawlog:
            lines += [
                "protocol imap {",
                f"  rawlog_dir = {self.rawlog_dir}",
                "}",
            ]
        lines += self.extra_config
        self.conf_path.write_text("\n".join(lines) + "\n")

    def _launch(self) -> None:
        assert DOVECOT is not None
        # A stale socket from a killed run would make the auth process wait for it.
        with contextlib.suppress(FileNotFoundError):
            (self.run_dir / "anvil-auth-penalty").unlink()
        stderr = open(self.stderr_path, "ab")  # noqa: SIM115 - closed in stop()
        self._stderr = stderr
        self._proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.conf_path)],
            stdin=subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
            start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self._proc.poll() is not None:
                self._close_stderr()
                raise DovecotError(
                    f"Dovecot exited with {self._proc.returncode} while starting.\n{self.log()}"
                )
            if self._greeting_ok() and (not self.ssl_port or _connects(self.host, self.ssl_port)):
                return
            if time.monotonic() > deadline:
                raise DovecotError(
                    f"Dovecot did not greet on {self.host}:{self.port} within "
                    f"{START_TIMEOUT:.0f} s.\n{self.log()}"
                )
            time.sleep(0.01)

    def _greeting_ok(self) -> bool:
        try:
            with socket.create_connection((self.host, self.port), timeout=1) as sock:
                greeting = sock.recv(4096)
                with contextlib.suppress(OSError):
                    sock.sendall(b"x LOGOUT\r\n")
                    sock.recv(4096)
        except OSError:
            return False
        return greeting.startswith(b"* OK")

    def _close_stderr(self) -> None:
        stderr, self._stderr = self._stderr, None
        if stderr is not None:
            stderr.close()

    def _cleanup_run_dir(self) -> None:
        if self._own_run_dir is not None:
            shutil.rmtree(self._own_run_dir, ignore_errors=True)
            self._own_run_dir = None


def _connects(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _appenduids(response: bytes | str) -> list[int]:
    """UIDs from an ``[APPENDUID validity uid-set]`` response code, in order."""
    text = response.decode() if isinstance(response, bytes) else str(response)
    match = re.search(r"APPENDUID \d+ ([\d:,]+)", text)
    if match is None:
        raise DovecotError(f"no APPENDUID in {text!r}")
    uids: list[int] = []
    for part in match.group(1).split(","):
        first, _, last = part.partition(":")
        uids.extend(range(int(first), int(last or first) + 1))
    return uids


def _make_traversable(path: Path, uid: int) -> None:
    """Let ``uid`` reach ``path``: add o+x to ancestors we own that lack it (e.g. pytest's 0700
    /tmp/pytest-of-root, which pytest tightens again at its next start)."""
    if os.geteuid() != 0 and uid == os.geteuid():
        return
    for ancestor in [path, *path.parents]:
        st = ancestor.stat()
        if st.st_mode & stat.S_IXOTH:
            continue
        if st.st_uid != os.geteuid():
            raise DovecotError(f"{ancestor} is not traversable by uid {uid} and not ours to chmod")
        ancestor.chmod(stat.S_IMODE(st.st_mode) | stat.S_IXOTH)
