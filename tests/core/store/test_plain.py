"""Plain statements write and read what SQLAlchemy does, expand lists, and report errors alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop_app.core.store import plain
from desktop_app.core.store.accounts import ensure_local_account
from desktop_app.core.store.db import Store
from desktop_app.core.store.models import Customer


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    store = Store.open(tmp_path / "shopdesk.sqlite3")
    with store.session() as s:
        account = ensure_local_account(s)
        s.info["account"] = account
        yield s
    store.engine.dispose()


def test_values_are_written_as_sqlalchemy_writes_them(session: Session) -> None:
    moment = datetime(2026, 11, 26, 9, 5, 7)  # no microseconds: SQLAlchemy still writes them
    session.add(
        Customer(
            account_id=session.info["account"],
            email="orm@example.com",
            created_at=moment,
            since=date(2020, 2, 29),
        )
    )
    session.flush()
    plain.run(
        session,
        "INSERT INTO customers (account_id, email, name, billing_address, shipping_address,"
        " created_at, since) VALUES (:a, 'plain@example.com', :total, '', '', :at, :since)",
        {
            "a": session.info["account"],
            "at": moment,
            "since": date(2020, 2, 29),
            "total": Decimal("29.90"),
        },
    )
    rows = plain.rows(session, "SELECT email, created_at, since, name FROM customers ORDER BY id")
    assert rows[0][1:3] == rows[1][1:3] == ("2026-11-26 09:05:07.000000", "2020-02-29")
    assert rows[1][3] == "29.90"
    assert plain.to_datetime(rows[1][1]) == moment
    # and the ORM reads the plain row back as its own
    orm = session.query(Customer).filter_by(email="plain@example.com").one()
    assert (orm.created_at, orm.since) == (moment, date(2020, 2, 29))


def test_lists_expand_in_place_an_empty_one_included(session: Session) -> None:
    sql = "SELECT value FROM json_each('[1,2,3,4]') WHERE value IN (:ids) ORDER BY value"
    assert [v for (v,) in plain.rows(session, sql, {"ids": [4, 2]})] == [2, 4]
    assert plain.rows(session, sql, {"ids": []}) == []
    assert plain.scalar(session, "SELECT :a + :b", {"a": 1, "b": 2}) == 3


def test_an_sqlite_error_is_raised_as_sqlalchemy_raises_it(session: Session) -> None:
    with pytest.raises(OperationalError, match="no such table") as caught:
        plain.rows(session, "SELECT * FROM nowhere WHERE x = :secret", {"secret": "s3cr3t"})
    assert "s3cr3t" not in str(caught.value)  # parameters stay out of the message
