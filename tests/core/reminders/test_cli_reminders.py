"""`shopdesk customers import` and `shopdesk reminders due --json [--at]`, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.cli import main


def _run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_due_json_at_a_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "customers.csv"
    csv.write_text("email,name,birthday,customer_since\nanna@example.com,Anna,07-14,\nx,,,\n")
    code, _, err = _run(capsys, tmp_path, "customers", "import", str(csv))
    assert code == 0 and "Read 1 customers" in err and "line 3: no e-mail address" in err

    code, out, _ = _run(capsys, tmp_path, "reminders", "due", "--json", "--at", "2026-07-14T09:00")
    assert code == 0
    [line] = out.splitlines()
    found = json.loads(line)
    assert found["key"] == "birthday:customer:anna@example.com:2026"
    assert found["due_at"] == "2026-07-14T06:00:00+00:00"  # 09:00 in Riga, summer time

    code, out, _ = _run(capsys, tmp_path, "reminders", "due", "--at", "2026-07-14T05:59+00:00")
    assert code == 0 and out == ""

    code, _, _ = _run(capsys, tmp_path, "reminders", "dismiss", found["key"])
    code, out, _ = _run(capsys, tmp_path, "reminders", "due", "--at", "2026-07-14T10:00")
    assert code == 0 and out == ""


def test_a_bad_time_is_one_plain_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, tmp_path, "reminders", "due", "--at", "monday")
    assert code == 1 and out == ""
    assert err.startswith("shopdesk: 'monday' is not an ISO time")
