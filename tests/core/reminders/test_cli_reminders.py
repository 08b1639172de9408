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


def test_settings_shown_and_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, tmp_path, "reminders", "settings")
    assert code == 0 and "review_days=10" in out.splitlines() and "birthday_on=on" in out

    args = ["waiting_days=4", "review_days=12", "timezone=Europe/Berlin", "birthday_on=off"]
    code, out, err = _run(capsys, tmp_path, "reminders", "set", *args, "work_days=0,1,2")
    assert (code, out, err) == (0, "", "")
    code, out, _ = _run(capsys, tmp_path, "reminders", "settings", "--json")
    shown = json.loads(out)
    assert code == 0 and shown["waiting_days"] == 4 and shown["review_days"] == 12
    assert shown["timezone"] == "Europe/Berlin" and shown["birthday_on"] is False
    assert shown["work_days"] == [0, 1, 2] and shown["anniversary_on"] is True


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("review_days=20", "7 to 15 days"),
        ("timezone=Mars/Olympus", "'Mars/Olympus' is not a known time zone"),
        ("colour=red", "'colour' is not a setting"),
        ("waiting_days=soon", "waiting_days must be a whole number"),
        ("review_on=maybe", "review_on is on or off"),
        ("review_days", "is not KEY=VALUE"),
        ("greeting_hour=24", "an hour from 0 to 23"),
        ("replenish_from=shipped", "'delivered' or 'placed'"),
    ],
)
def test_a_bad_setting_is_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pair: str, message: str
) -> None:
    code, out, err = _run(capsys, tmp_path, "reminders", "set", "waiting_days=5", pair)
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert err.startswith("shopdesk: ") and message in err
    code, out, _ = _run(capsys, tmp_path, "reminders", "settings", "--json")
    assert json.loads(out)["waiting_days"] == 3  # nothing saved
