"""The command line against a real Dovecot: plain errors, secrets kept out, kill -9 safety."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.core.sync.conftest import make_message, server_state

ROOT = Path(__file__).resolve().parents[1]


def cli(
    data: Path, *args: str, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "--data-dir", str(data), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env=dict(os.environ),
    )


def add_account(
    data: Path, server: Any, *extra: str, password: str | None = None, port: int | None = None
) -> subprocess.CompletedProcess[str]:
    return cli(
        data,
        "account",
        "add",
        "--name",
        "Shop",
        "--email",
        server.user,
        "--username",
        server.user,
        "--imap-host",
        server.host,
        "--imap-port",
        str(port or server.port),
        *extra,
        "--password-stdin",
        stdin=(password or server.password) + "\n",
    )


def assert_plain_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


def exported(data: Path) -> list[dict[str, Any]]:
    result = cli(data, "export", "messages", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_insecure_remote_host_is_refused_before_any_connection(tmp_path: Path) -> None:
    result = cli(
        tmp_path,
        "account",
        "add",
        "--name",
        "x",
        "--email",
        "a@shop.example",
        "--imap-host",
        "imap.shop.example",
        "--imap-security",
        "none",
        "--password-stdin",
        stdin="pw\n",
    )
    assert_plain_error(result, "--allow-insecure")


def test_unreachable_host(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = cli(
        tmp_path,
        "account",
        "add",
        "--name",
        "x",
        "--email",
        "a@shop.example",
        "--imap-host",
        "127.0.0.1",
        "--imap-port",
        str(port),
        "--imap-security",
        "none",
        "--password-stdin",
        stdin="pw\n",
    )
    assert_plain_error(result, "refused the connection")


def test_sync_without_account_says_what_to_do(tmp_path: Path) -> None:
    assert_plain_error(cli(tmp_path, "sync"), "account add")


@pytest.mark.servers
def test_wrong_password_is_one_plain_line(tmp_path: Path, dovecot: Any) -> None:
    result = add_account(tmp_path, dovecot, "--imap-security", "none", password="not-the-password")
    assert_plain_error(result, "refused the username or password")
    assert "not-the-password" not in result.stderr + result.stdout


@pytest.mark.servers
def test_sync_export_stats_search_and_no_secret_on_disk(tmp_path: Path, dovecot: Any) -> None:
    tmp_path = tmp_path / "data"
    dovecot.append_many("INBOX", [make_message(i) for i in range(12)])
    assert add_account(tmp_path, dovecot, "--imap-security", "none").returncode == 0
    result = cli(tmp_path, "sync")
    assert result.returncode == 0, result.stderr
    assert "12 new" in result.stderr.splitlines()[-1]
    rows = exported(tmp_path)
    assert len(rows) == 12
    assert set(rows[0]) >= {"message_id", "folder", "uid", "flags", "subject"}
    assert rows[0]["message_id"].startswith("<") and rows[0]["folder"] == "INBOX"
    stats = json.loads(cli(tmp_path, "stats", "--json").stdout)
    assert stats["messages"] == 12 and stats["gone_from_server"] == 0
    hits = json.loads(cli(tmp_path, "search", "1005", "--json").stdout)
    assert [h["subject"] for h in hits] == ["Order #1005"]
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert dovecot.password.encode() not in path.read_bytes(), path


@pytest.mark.servers
def test_untrusted_certificate_is_refused_until_trusted(tmp_path: Path, tls_dovecot: Any) -> None:
    server = tls_dovecot
    for security, port in (("ssl", server.ssl_port), ("starttls", server.port)):
        result = add_account(tmp_path, server, "--imap-security", security, port=port)
        assert_plain_error(result, "could not be verified", server.cert_sha256)
    wrong = "0" * 64
    result = add_account(
        tmp_path, server, "--imap-security", "ssl", "--trust-cert", wrong, port=server.ssl_port
    )
    assert_plain_error(result, "changed since you trusted it")
    result = add_account(
        tmp_path,
        server,
        "--imap-security",
        "ssl",
        "--trust-cert",
        server.cert_sha256,
        port=server.ssl_port,
    )
    assert result.returncode == 0, result.stderr
    assert cli(tmp_path, "sync").returncode == 0


def _stored_messages(data: Path) -> int:
    path = data / "shopdesk.sqlite3"
    if not path.exists():
        return 0
    with contextlib.closing(sqlite3.connect(path, timeout=30)) as db:
        try:
            return int(db.execute("SELECT count(*) FROM messages").fetchone()[0])
        except sqlite3.OperationalError:  # killed before the schema was committed
            return 0


@pytest.mark.servers
@pytest.mark.slow
def test_kill_minus_nine_twenty_times_loses_and_doubles_nothing(
    tmp_path: Path, dovecot: Any
) -> None:
    rng = random.Random(20261126)
    sizes = [500, 3000, 20000]
    dovecot.append_many("INBOX", [make_message(i, size=rng.choice(sizes)) for i in range(1500)])
    assert add_account(tmp_path, dovecot, "--imap-security", "none").returncode == 0
    kills = mid_sync = 0
    next_id = 1500
    for round_ in range(20):
        before = _stored_messages(tmp_path)
        proc = subprocess.Popen(
            [sys.executable, "-m", "desktop_app", "--data-dir", str(tmp_path), "sync"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if round_ % 2:  # at any moment: start-up, migration, login, folder listing, fetching
            time.sleep(rng.uniform(0.05, 1.2))
        else:  # once batches are landing, a little later
            deadline = time.monotonic() + 30
            while (
                proc.poll() is None
                and _stored_messages(tmp_path) == before
                and time.monotonic() < deadline
            ):
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.15))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
            after = _stored_messages(tmp_path)
            mid_sync += before < after < next_id  # killed after some batches, before the end
        proc.wait(timeout=30)
        # the other client keeps working meanwhile: new mail, flags, expunges
        dovecot.append_many(
            "INBOX",
            [make_message(i, size=rng.choice(sizes)) for i in range(next_id, next_id + 400)],
        )
        next_id += 400
        if round_ % 4 == 3:
            uids = dovecot.uids("INBOX")
            dovecot.add_flags("INBOX", rng.choice(uids), "\\Seen")
            dovecot.expunge("INBOX", rng.choice(uids))
    assert kills >= 10 and mid_sync >= 5, (kills, mid_sync)
    result = cli(tmp_path, "sync")
    assert result.returncode == 0, result.stderr
    rows = exported(tmp_path)
    keys = [(r["folder"], r["message_id"]) for r in rows]
    assert len(keys) == len(set(keys)), "a message was doubled"
    local = {
        (r["folder"], r["message_id"], tuple(sorted(r["flags"])))
        for r in rows
        if r["folder"] == "INBOX"
    }
    assert local == server_state(dovecot)
    # expunged ones that were fetched before are kept locally, marked gone
    assert _stored_messages(tmp_path) >= len(local) + sum(
        1 for r in exported_all(tmp_path) if r["gone_from_server"]
    )


def exported_all(data: Path) -> list[dict[str, Any]]:
    result = cli(data, "export", "messages", "--format", "jsonl", "--include-gone")
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.servers
def test_full_disk_is_one_plain_line_and_the_next_sync_completes(
    tmp_path: Path, dovecot: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    from desktop_app import cli as cli_module
    from desktop_app.core.store import db

    dovecot.append_many("INBOX", [make_message(i, size=20000) for i in range(150)])
    assert add_account(tmp_path, dovecot, "--imap-security", "none").returncode == 0
    real_pragmas = db._set_pragmas

    def small_disk(conn: Any, record: Any) -> None:
        real_pragmas(conn, record)
        conn.execute("PRAGMA max_page_count = 400")  # SQLite answers SQLITE_FULL past ~1.6 MB

    monkeypatch.setattr(db, "_set_pragmas", small_disk)
    assert cli_module.main(["--data-dir", str(tmp_path), "sync"]) == 1
    err = capsys.readouterr().err
    assert "The disk is full" in err and "Traceback" not in err
    assert len([line for line in err.splitlines() if line.startswith("shopdesk:")]) == 1
    monkeypatch.setattr(db, "_set_pragmas", real_pragmas)
    assert cli(tmp_path, "sync").returncode == 0
    assert len(exported(tmp_path)) == 150


@pytest.mark.servers
def test_replace_password_and_remove_account(tmp_path: Path, dovecot: Any) -> None:
    import keyring

    dovecot.append("INBOX", make_message(1))
    assert add_account(tmp_path, dovecot, "--imap-security", "none").returncode == 0
    assert cli(tmp_path, "sync").returncode == 0
    wrong = cli(tmp_path, "account", "password", "Shop", "--password-stdin", stdin="nope\n")
    assert_plain_error(wrong, "refused the username or password")
    right = cli(
        tmp_path, "account", "password", "Shop", "--password-stdin", stdin=dovecot.password + "\n"
    )
    assert right.returncode == 0, right.stderr
    assert cli(tmp_path, "account", "remove", "Shop").returncode == 0
    assert json.loads(cli(tmp_path, "stats", "--json").stdout)["messages"] == 0
    key = f"imap://{dovecot.user}@{dovecot.host}:{dovecot.port}"
    assert keyring.get_password("Shopdesk", key) is None
    assert_plain_error(cli(tmp_path, "sync"), "account add")


@pytest.mark.servers
def test_certificate_signed_by_a_trusted_ca_verifies(tmp_path: Path, dovecot_factory: Any) -> None:
    server = dovecot_factory(tls=True, ca_signed=True)
    result = add_account(tmp_path, server, "--imap-security", "ssl", port=server.ssl_port)
    assert_plain_error(result, "could not be verified")  # its CA is not in the system store
    env = dict(os.environ, SSL_CERT_FILE=str(server.ca_cert_path))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_app",
            "--data-dir",
            str(tmp_path),
            "account",
            "add",
            "--name",
            "Shop",
            "--email",
            server.user,
            "--imap-host",
            server.host,
            "--imap-port",
            str(server.port),
            "--imap-security",
            "starttls",
            "--password-stdin",
        ],
        input=server.password + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def _synced_once(data: Path) -> bool:
    with contextlib.closing(sqlite3.connect(data / "shopdesk.sqlite3", timeout=30)) as db:
        row = db.execute("SELECT count(*) FROM folders WHERE last_synced_at IS NOT NULL")
        return int(row.fetchone()[0]) > 0


@pytest.mark.servers
def test_watch_stores_new_mail_until_interrupted(tmp_path: Path, dovecot: Any) -> None:
    assert add_account(tmp_path, dovecot, "--imap-security", "none").returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "--data-dir", str(tmp_path), "watch"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30  # liveness bound, not a speed assertion
        while not _synced_once(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _synced_once(tmp_path), "the first sync did not finish"
        dovecot.append("INBOX", make_message(1))  # arrives while the watcher idles
        while _stored_messages(tmp_path) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _stored_messages(tmp_path) == 1
    finally:
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in err and "stopped" in err


@pytest.mark.servers
def test_cases_through_imap_sync_and_csv_orders(tmp_path: Path, dovecot: Any) -> None:
    from tests.helpers.shop_mail import SHOP, mail

    dovecot.append("INBOX", mail("c1@example.com", "jane@example.com", "Lieferung?",
                                 "Hallo, wann kommt meine Bestellung Nr. 5001? Jane",
                                 date="Tue, 24 Nov 2026 09:00:00 +0100"))
    dovecot.append("Sent", mail("s1@myshop.example", SHOP, "Re: Lieferung?",
                                "Hallo Jane, heute verschickt.", reply_to="c1@example.com",
                                date="Tue, 24 Nov 2026 10:00:00 +0100"))
    dovecot.append("INBOX", mail("c2@example.com", "jane@example.com", "Danke",
                                 "Danke!", reply_to="s1@myshop.example",
                                 date="Tue, 24 Nov 2026 11:00:00 +0100"))
    dovecot.append("INBOX", mail("q1@example.org", "bob@example.org", "Versand nach Finnland?",
                                 "Liefern Sie nach Helsinki?",
                                 date="Tue, 24 Nov 2026 12:00:00 +0100"))
    assert add_account(tmp_path, dovecot, "--imap-security", "none").returncode == 0
    assert cli(tmp_path, "shop", "set", "--name", "My Shop", "--address", SHOP).returncode == 0
    assert cli(tmp_path, "sync").returncode == 0
    rows = [json.loads(line) for line in
            cli(tmp_path, "export", "cases", "--format", "jsonl").stdout.splitlines()]
    assert {tuple(sorted(r)) for r in rows} == {
        ("case_id", "folder", "message_id", "order", "rule", "suggested", "thread_id")}
    by_id = {r["message_id"]: r for r in rows}
    order_case = by_id["<c1@example.com>"]["case_id"]
    assert by_id["<c1@example.com>"]["order"] == "5001"
    assert by_id["<s1@myshop.example>"]["case_id"] == order_case
    assert by_id["<s1@myshop.example>"]["folder"] == "Sent"
    assert by_id["<c2@example.com>"]["case_id"] == order_case
    assert by_id["<q1@example.org>"]["case_id"] != order_case

    csv_file = tmp_path / "orders_export.csv"
    csv_file.write_text(
        "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Total\n"
        "#5001,jane@example.com,paid,2026-11-20 10:00:00 +0100,1,Rose cream,29.90\n"
        "#5002,bob@example.org,paid,2026-11-23 10:00:00 +0100,2,Lip balm,9.80\n",
        encoding="utf-8")
    result = cli(tmp_path, "orders", "import", str(csv_file))
    assert result.returncode == 0, result.stderr
    stats = json.loads(cli(tmp_path, "stats", "--json").stdout)
    assert stats["orders"] == 2 and stats["customers"] >= 2 and stats["cases"] >= 2
    # Bob's question now sits with his one recent open order, as a suggestion to confirm
    by_id = {r["message_id"]: r for r in (json.loads(line) for line in cli(
        tmp_path, "export", "cases").stdout.splitlines())}
    assert by_id["<q1@example.org>"]["order"] == "5002"
    assert by_id["<q1@example.org>"]["suggested"] is True
    assert cli(tmp_path, "case", "confirm", "<q1@example.org>").returncode == 0
    assert cli(tmp_path, "case", "move", "<c2@example.com>", "--alone").returncode == 0
    assert cli(tmp_path, "sync").returncode == 0  # corrections survive a resync
    by_id = {r["message_id"]: r for r in (json.loads(line) for line in cli(
        tmp_path, "export", "cases").stdout.splitlines())}
    assert by_id["<q1@example.org>"]["suggested"] is False
    assert by_id["<q1@example.org>"]["rule"] == "manual"
    assert by_id["<c2@example.com>"]["case_id"] != order_case
    bad = cli(tmp_path, "orders", "import", str(tmp_path / "missing.csv"))
    assert_plain_error(bad, "does not exist")
    not_orders = tmp_path / "contacts.csv"
    not_orders.write_text("First,Last\nJane,Doe\n", encoding="utf-8")
    assert_plain_error(cli(tmp_path, "orders", "import", str(not_orders)), "does not look like")


def test_bad_order_pattern_is_refused_plainly_and_not_saved(tmp_path: Path) -> None:
    result = cli(tmp_path, "shop", "set", "--order-pattern", "([0-9]+")
    assert_plain_error(result, "not a valid regular expression")
    result = cli(tmp_path, "shop", "set", "--order-pattern", "SHOP-[0-9]+")
    assert_plain_error(result, "exactly one group")
    assert json.loads(cli(tmp_path, "shop", "show").stdout)["order_pattern"] is None
    assert cli(tmp_path, "shop", "set", "--order-pattern", r"SHOP-(\d+)").returncode == 0
    assert json.loads(cli(tmp_path, "shop", "show").stdout)["order_pattern"] == r"SHOP-(\d+)"


@pytest.mark.servers
def test_triage_from_the_command_line_reaches_the_server(tmp_path: Path, dovecot: Any) -> None:
    dovecot.append("INBOX", make_message(1))
    assert add_account(tmp_path, dovecot, "--imap-security", "none").returncode == 0
    assert cli(tmp_path, "sync").returncode == 0
    case_id = str(json.loads(cli(tmp_path, "export", "cases").stdout.splitlines()[0])["case_id"])
    archived = cli(tmp_path, "case", "archive", case_id)
    assert archived.returncode == 0 and "Archived 1 case." in archived.stderr
    assert "Changes waiting for the next sync: 1." in archived.stderr
    token = archived.stderr.split("shopdesk case undo ")[1].split()[0]
    synced = cli(tmp_path, "sync")
    assert "1 of your changes sent" in synced.stderr
    assert {m for _f, m, _fl in server_state(dovecot, "Archive")} == {"<msg-1@example.com>"}
    assert cli(tmp_path, "case", "undo", token).returncode == 0
    assert cli(tmp_path, "case", "status", case_id, "waiting").returncode == 0
    assert cli(tmp_path, "sync").returncode == 0
    assert server_state(dovecot, "Archive") == set()
    assert {m for _f, m, _fl in server_state(dovecot)} == {"<msg-1@example.com>"}
    bad = cli(tmp_path, "case", "status", case_id, "sleeping")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
