"""Benchmark initial sync, no-change resync and peak memory on Dovecot, next to mbsync+notmuch."""

from __future__ import annotations

import argparse
import imaplib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.mailgen import generate_dated  # noqa: E402
from tests.helpers.dovecot import DovecotServer, dovecot_available  # noqa: E402

USER = "bench"
PASSWORD = "bench-secret"
EMAIL = "support@northwind-naturals.example"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
TARGET_RATIO = 0.5
TARGET_RESYNC_S = 0.5
TARGET_RSS_MB = 300.0


def say(text: str) -> None:
    """A progress line for people, on stderr."""
    print(f"[bench] {text}", file=sys.stderr, flush=True)


# -- processes ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Run:
    """One finished child process: wall time, exit code, its own peak RSS, captured output."""

    wall_s: float
    returncode: int
    peak_rss_mb: float
    stdout: str
    stderr: str


def run_measured(
    cmd: Sequence[str],
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    cwd: Path | None = None,
) -> Run:
    """Run `cmd`, timing its whole life and reading its peak RSS from wait4 (this child only)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            cwd=cwd,
        )
        try:
            if stdin is not None:
                assert proc.stdin is not None
                proc.stdin.write(stdin.encode())
                proc.stdin.close()
            _pid, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: do not leave the child running
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            wall_s=wall,
            returncode=proc.returncode,
            peak_rss_mb=usage.ru_maxrss / 1024.0,  # KiB on Linux
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def check(run: Run, what: str) -> Run:
    if run.returncode != 0:
        tail = run.stderr[-3000:] + run.stdout[-1000:]
        raise SystemExit(f"bench: {what} failed (exit {run.returncode}):\n{tail}")
    return run


# -- Dovecot ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Mailbox:
    """What was loaded: message count and bytes."""

    count: int
    total_bytes: int


def fill_maildir(maildir: Path, n: int, seed: int, uid: int, gid: int) -> Mailbox:
    """Write generated messages straight into Maildir/cur (flags in the names, mtime = arrival)."""
    cur = maildir / "cur"
    flags_rng = random.Random(seed ^ 0x5EED)
    host = "bench"
    total = 0
    chown = os.geteuid() == 0
    for i, (ts, raw) in enumerate(generate_dated(n, seed)):
        recent = i >= n * 0.97
        flags = ""
        if flags_rng.random() < 0.03:
            flags += "F"
        if flags_rng.random() < 0.25:
            flags += "R"
        if not recent or flags_rng.random() < 0.3:
            flags += "S"
        size = len(raw)
        path = cur / f"{ts}.M{i:06d}P{os.getpid()}.{host},S={size},W={size}:2,{flags}"
        with open(path, "wb") as f:
            f.write(raw)
        os.utime(path, (ts, ts))
        if chown:
            os.chown(path, uid, gid)
        total += size
    return Mailbox(n, total)


def warm_up(port: int, n: int) -> int:
    """Let Dovecot index the folder (SELECT, FETCH flags and sizes) so every client starts warm."""
    imap = imaplib.IMAP4("127.0.0.1", port, timeout=600)
    try:
        imap.login(USER, PASSWORD)
        typ, data = imap.select("INBOX", readonly=True)
        if typ != "OK":
            raise SystemExit(f"bench: SELECT INBOX failed: {data}")
        exists = int(data[0] or 0)
        if exists:
            imap.uid("FETCH", "1:*", "(FLAGS RFC822.SIZE INTERNALDATE)")
        imap.close()
        imap.status("INBOX", "(MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)")
    finally:
        imap.logout()
    if exists != n:
        raise SystemExit(f"bench: Dovecot sees {exists} messages in INBOX, not {n}")
    return exists


# -- Shopdesk ----------------------------------------------------------------------------------
RESYNC_SCRIPT = """\
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.paths import store_path
t1 = time.perf_counter()
box = Mailbox.open(store_path(Path(sys.argv[1])))
t2 = time.perf_counter()
report = box.sync()
t3 = time.perf_counter()
box.close()
print(json.dumps({"import_s": t1 - t0, "open_s": t2 - t1, "sync_s": t3 - t2,
                  "new": report.new_messages}))
"""

PROFILE_SCRIPT = """\
import cProfile, pstats, sys, time
from pathlib import Path
from desktop_app.core.mailbox import Mailbox
from desktop_app.core.paths import store_path
box = Mailbox.open(store_path(Path(sys.argv[1])))
prof = cProfile.Profile()
t0 = time.perf_counter()
prof.enable()
box.sync()
prof.disable()
print(f"in-process sync under cProfile: {time.perf_counter() - t0:.2f} s", file=sys.stderr)
box.close()
prof.dump_stats(sys.argv[2])
stats = pstats.Stats(sys.argv[2], stream=sys.stderr)
stats.sort_stats("tottime").print_stats(25)
stats.sort_stats("cumulative").print_stats(40)
"""


class Shopdesk:
    """Our CLI in child processes, with an isolated plain-file keyring and data folder."""

    def __init__(self, base: Path, port: int) -> None:
        self.base = base
        self.port = port
        self.data = base / "shopdesk"
        self.env = dict(os.environ)
        self.env.update(
            PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
            XDG_DATA_HOME=str(base / "xdg-data"),
            XDG_CONFIG_HOME=str(base / "xdg-config"),
            PYTHONPATH=str(ROOT),
        )
        self.env.pop("SHOPDESK_DATA_DIR", None)

    def cli(self, *args: str, data: Path | None = None) -> list[str]:
        return [PYTHON, "-m", "desktop_app", "--data-dir", str(data or self.data), *args]

    def add_account(self, data: Path | None = None) -> None:
        args = ["account", "add", "--name", "bench", "--email", EMAIL, "--imap-host", "127.0.0.1",
                "--imap-port", str(self.port), "--imap-security", "none", "--username", USER,
                "--password-stdin"]  # fmt: skip
        run = run_measured(
            self.cli(*args, data=data), env=self.env, stdin=PASSWORD + "\n", cwd=ROOT
        )
        check(run, "shopdesk account add")

    def sync(self) -> Run:
        return check(run_measured(self.cli("sync"), env=self.env, cwd=ROOT), "shopdesk sync")

    def stats(self) -> dict[str, int]:
        run = check(run_measured(self.cli("stats", "--json"), env=self.env, cwd=ROOT), "stats")
        result: dict[str, int] = json.loads(run.stdout.strip().splitlines()[-1])
        return result

    def resync_in_process(self) -> tuple[Run, dict[str, float]]:
        run = check(
            run_measured([PYTHON, "-c", RESYNC_SCRIPT, str(self.data)], env=self.env, cwd=ROOT),
            "in-process resync",
        )
        figures: dict[str, float] = json.loads(run.stdout.strip().splitlines()[-1])
        return run, figures

    def profile_initial(self) -> Path:
        """A fresh store, synced in-process under cProfile; prints the top functions."""
        data = self.base / "shopdesk-profile"
        self.add_account(data)
        out = self.base / "initial.prof"
        run = run_measured(
            [PYTHON, "-c", PROFILE_SCRIPT, str(data), str(out)], env=self.env, cwd=ROOT
        )
        sys.stderr.write(run.stderr)
        check(run, "profiled sync")
        return out


# -- peers: mbsync + notmuch -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Peers:
    """mbsync into a Maildir, then `notmuch new` over it."""

    mbsync: Run
    notmuch: Run


def run_peers(base: Path, port: int, fsync: bool = True) -> Peers | None:
    mbsync, notmuch = shutil.which("mbsync"), shutil.which("notmuch")
    if not mbsync or not notmuch:
        say("mbsync or notmuch not on PATH: peers skipped")
        return None
    home = base / "peers"
    mail = home / "mail"
    (mail / "INBOX").mkdir(parents=True)
    version = subprocess.run([mbsync, "--version"], capture_output=True, text=True).stdout
    tls_key = "SSLType" if version.split()[-1].startswith(("1.3", "1.4")) else "TLSType"
    rc = home / "mbsyncrc"
    rc.write_text(
        ("" if fsync else "FSync no\n\n")  # a global option: before the sections
        + textwrap.dedent(
            f"""\
            IMAPAccount bench
            Host 127.0.0.1
            Port {port}
            User {USER}
            Pass {PASSWORD}
            {tls_key} None
            AuthMechs LOGIN

            IMAPStore bench-far
            Account bench

            MaildirStore bench-near
            Path {mail}/
            Inbox {mail}/INBOX
            SubFolders Verbatim

            Channel bench
            Far :bench-far:
            Near :bench-near:
            Patterns INBOX
            Create Near
            Sync Pull
            SyncState *
            """
        )
    )
    config = home / "notmuch-config"
    config.write_text(
        textwrap.dedent(
            f"""\
            [database]
            path={mail}

            [user]
            name=Bench
            primary_email={EMAIL}

            [new]
            tags=unread;inbox;
            ignore=.mbsyncstate;.uidvalidity;.mbsyncstate.journal;.mbsyncstate.new;.isyncuidmap.db

            [search]
            exclude_tags=

            [maildir]
            synchronize_flags=true
            """
        )
    )
    env = dict(
        os.environ,
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        NOTMUCH_CONFIG=str(config),
    )
    say("mbsync -a ...")
    m = check(run_measured([mbsync, "-c", str(rc), "-a", "-q"], env=env, cwd=home), "mbsync")
    say(f"mbsync: {m.wall_s:.2f} s, peak RSS {m.peak_rss_mb:.0f} MB")
    say("notmuch new ...")
    nm = check(
        run_measured([notmuch, f"--config={config}", "new", "--quiet"], env=env, cwd=home),
        "notmuch new",
    )
    say(f"notmuch new: {nm.wall_s:.2f} s, peak RSS {nm.peak_rss_mb:.0f} MB")
    count = subprocess.run(
        [notmuch, f"--config={config}", "count", "--output=files", "*"],
        capture_output=True,
        text=True,
        env=env,
    ).stdout.strip()
    say(f"notmuch indexed {count} files")
    return Peers(m, nm)


# -- main --------------------------------------------------------------------------------------
@contextmanager
def terminate_as_exit() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into SystemExit so clean-up runs."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    old = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def bench(
    n: int, seed: int, base: Path, peers_wanted: bool, profile: bool, mbsync_fsync: bool = True
) -> dict[str, object]:
    with DovecotServer.start(base / "dovecot", user=USER, password=PASSWORD) as dovecot:
        say(f"generating {n} messages into {dovecot.maildir} ...")
        t0 = time.perf_counter()
        box = fill_maildir(dovecot.maildir, n, seed, dovecot.uid, dovecot.gid)
        gen_s = time.perf_counter() - t0
        say(f"wrote {box.total_bytes / 1e6:.0f} MB in {gen_s:.1f} s ({n / gen_s:.0f} msg/s)")
        t0 = time.perf_counter()
        warm_up(dovecot.port, n)
        say(f"Dovecot on port {dovecot.port} indexed INBOX in {time.perf_counter() - t0:.2f} s")

        shop = Shopdesk(base, dovecot.port)
        shop.add_account()
        say("shopdesk sync (initial) ...")
        initial = shop.sync()
        say(
            f"initial sync: {initial.wall_s:.2f} s ({n / initial.wall_s:.0f} msg/s), "
            f"peak RSS {initial.peak_rss_mb:.0f} MB; {initial.stderr.strip().splitlines()[-1]}"
        )
        stats = shop.stats()
        if stats.get("messages") != n or stats.get("locations") != n:
            raise SystemExit(f"bench: after the initial sync the store holds {stats}, not {n}")
        if stats.get("parse_problems"):
            say(f"warning: {stats['parse_problems']} messages with parse problems")
        resync_cli = shop.sync()
        say(
            f"no-change resync (whole process): {resync_cli.wall_s:.3f} s, "
            f"peak RSS {resync_cli.peak_rss_mb:.0f} MB"
        )
        resync_run, resync = shop.resync_in_process()
        say(
            f"no-change resync (in process): sync {resync['sync_s']:.3f} s, store open "
            f"{resync['open_s']:.3f} s, imports {resync['import_s']:.3f} s"
        )
        if resync.get("new"):
            raise SystemExit(f"bench: the no-change resync fetched {resync['new']} messages")

        peers = run_peers(base, dovecot.port, mbsync_fsync) if peers_wanted else None
        if profile:
            prof = shop.profile_initial()
            say(f"profile written to {prof}")

    peers_s = peers.mbsync.wall_s + peers.notmuch.wall_s if peers else None
    ratio = initial.wall_s / peers_s if peers_s else None
    peak = max(initial.peak_rss_mb, resync_cli.peak_rss_mb, resync_run.peak_rss_mb)
    meets = (
        (ratio is None or ratio <= TARGET_RATIO)
        and resync["sync_s"] < TARGET_RESYNC_S
        and peak < TARGET_RSS_MB
    )
    result: dict[str, object] = {
        "n": n,
        "initial_s": round(initial.wall_s, 3),
        "resync_s": round(resync["sync_s"], 4),
        "peak_rss_mb": round(peak, 1),
        "peers_s": round(peers_s, 3) if peers_s is not None else None,
        "ratio": round(ratio, 3) if ratio is not None else None,
        "resync_process_s": round(resync_cli.wall_s, 3),
        "mbsync_s": round(peers.mbsync.wall_s, 3) if peers else None,
        "notmuch_s": round(peers.notmuch.wall_s, 3) if peers else None,
        "mbsync_rss_mb": round(peers.mbsync.peak_rss_mb, 1) if peers else None,
        "notmuch_rss_mb": round(peers.notmuch.peak_rss_mb, 1) if peers else None,
        "msgs_per_s": round(n / initial.wall_s, 1),
        "mailbox_mb": round(box.total_bytes / 1e6, 1),
        "mbsync_fsync": mbsync_fsync if peers else None,
        "seed": seed,
        "meets_targets": meets,
    }
    return result


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=20000, help="messages in the mailbox")
    p.add_argument("--seed", type=int, default=0, help="seed of the mail generator")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--no-peers", action="store_true", help="skip mbsync and notmuch")
    p.add_argument(
        "--mbsync-fsync",
        choices=["yes", "no"],
        default="yes",
        help="mbsync's FSync setting (its default, yes, syncs every message)",
    )
    p.add_argument("--profile", action="store_true",
                   help="also profile an in-process initial sync (cProfile top functions on "
                   "stderr; the .prof file stays with --keep)")  # fmt: skip
    args = p.parse_args(argv)
    if not dovecot_available():
        print("bench: dovecot is not installed (Debian: dovecot-imapd)", file=sys.stderr)
        return 2
    base = Path(tempfile.mkdtemp(prefix="shopdesk-bench-"))
    os.chmod(base, 0o755)  # Dovecot's mail processes run as the dovecot user
    try:
        with terminate_as_exit():
            result = bench(
                args.n, args.seed, base, not args.no_peers, args.profile, args.mbsync_fsync == "yes"
            )
    finally:
        if args.keep:
            say(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    ok = []
    if result["ratio"] is not None:
        ok.append(f"ratio {result['ratio']} (target <= {TARGET_RATIO})")
    ok.append(f"resync {result['resync_s']} s (target < {TARGET_RESYNC_S})")
    ok.append(f"peak RSS {result['peak_rss_mb']} MB (target < {TARGET_RSS_MB:.0f})")
    say("; ".join(ok))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
