"""Birthdays and anniversaries at 9:00 shop time; the customer CSV they come from."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.core.errors import ConfigError
from desktop_app.core.reminders.model import Reminder
from desktop_app.core.reminders.rules_customers import occurrence
from desktop_app.core.reminders.service import Reminders
from tests.core.reminders.conftest import Shop


def _of(found: list[Reminder], rule: str = "birthday") -> list[Reminder]:
    return [r for r in found if r.rule == rule]


def test_birthday_is_due_at_nine_shop_time(shop: Shop, reminders: Reminders) -> None:
    shop.customer("anna@example.com", "Anna Berg", birthday="07-14")
    nine = datetime(2026, 7, 14, 6, 0, tzinfo=UTC)  # 09:00 in Riga (EEST, UTC+3)
    assert _of(reminders.due(nine - timedelta(minutes=1))) == []
    [r] = _of(reminders.due(nine))
    assert r.key == "birthday:customer:anna@example.com:2026"
    assert r.due_at == nine and r.template_key == "birthday_greeting"
    assert r.title == "Anna Berg's birthday today"


def test_february_29_falls_on_the_28th_in_common_years(shop: Shop, reminders: Reminders) -> None:
    shop.customer("leap@example.com", birthday="02-29")
    assert occurrence("02-29", 2027) == date(2027, 2, 28)
    assert occurrence("02-29", 2028) == date(2028, 2, 29)
    [r] = _of(reminders.due(datetime(2027, 3, 1, tzinfo=UTC)))
    assert r.due_at == datetime(2027, 2, 28, 7, 0, tzinfo=UTC)
    [r] = _of(reminders.due(datetime(2028, 3, 1, tzinfo=UTC)))
    assert r.due_at == datetime(2028, 2, 29, 7, 0, tzinfo=UTC)


def test_customer_anniversary(shop: Shop, reminders: Reminders) -> None:
    shop.customer("olga@example.com", "Olga", since=date(2023, 5, 10))
    [r] = _of(reminders.due(datetime(2026, 5, 10, 12, 0, tzinfo=UTC)))
    assert r.key == "anniversary:customer:olga@example.com:2026"
    assert r.title == "Olga: 3 years as a customer today"
    assert _of(reminders.due(datetime(2023, 5, 10, 12, 0, tzinfo=UTC))) == []  # the first day


def test_import_customers_csv(shop: Shop, reminders: Reminders, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "email,name,birthday,customer_since\n"
        "anna@example.com,Anna Berg,1990-07-14,2021-03-02\n"
        "ivan@example.com,Ivan,12-01,\n"
        "bad,,,\n"
        "olga@example.com,Olga,1990-13-01,\n"
    )
    count, problems = reminders.import_customers_csv(path)
    assert count == 3
    assert problems == [
        "line 4: no e-mail address",
        "line 5: '1990-13-01' is not a date (YYYY-MM-DD, MM-DD)",
    ]
    [r] = _of(reminders.due(datetime(2026, 7, 14, 12, 0, tzinfo=UTC)))
    assert r.customer_name == "Anna Berg"
    [r] = _of(reminders.due(datetime(2026, 12, 1, 12, 0, tzinfo=UTC)))
    assert r.customer_email == "ivan@example.com"
    count, _ = reminders.import_customers_csv(path)  # again: the same customers, updated
    ahead = _of(reminders.upcoming(datetime(2027, 7, 15, tzinfo=UTC)))  # now is 2026-01-01
    assert count == 3 and [r.key.split(":", 1)[0] + r.key[-5:] for r in ahead] == [
        "anniversary:2026",
        "birthday:2026",
        "birthday:2026",
        "anniversary:2027",
        "birthday:2027",
    ]


def test_an_excel_csv_in_cp1252_with_semicolons_is_read(
    shop: Shop, reminders: Reminders, tmp_path: Path
) -> None:
    path = tmp_path / "kunden.csv"
    path.write_bytes(
        "Email;Name;Birthday\r\nj\xfcrgen@example.de;J\xfcrgen M\xfcller;1985-07-14\r\n".encode(
            "cp1252"
        )
    )
    count, problems = reminders.import_customers_csv(path)
    assert (count, problems) == (1, [])
    [r] = _of(reminders.due(datetime(2026, 7, 14, 12, 0, tzinfo=UTC)))
    assert r.customer_name == "Jürgen Müller" and r.customer_email == "jürgen@example.de"


def test_a_file_that_is_not_csv_is_a_plain_error(reminders: Reminders, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("email,name\nanna@example.com," + "A" * 200_000 + "\n")  # over csv's limit
    with pytest.raises(ConfigError, match=r"c\.csv is not a CSV file that can be read"):
        reminders.import_customers_csv(path)
    with pytest.raises(ConfigError, match="Cannot read"):
        reminders.import_customers_csv(tmp_path / "missing.csv")


def test_a_csv_without_an_email_column_is_refused(reminders: Reminders, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("name,birthday\nAnna,07-14\n")
    with pytest.raises(ConfigError, match="email"):
        reminders.import_customers_csv(path)
