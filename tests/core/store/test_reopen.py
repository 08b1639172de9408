"""A customer's new message brings a waiting, done or snoozed case back; ours and notices don't."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.shop_settings import ShopSettings

SHOP = "help@shop.example"


def _mail(folder: Path, name: str, sender: str, subject: str, mid: str, reply_to: str = "") -> Path:
    refs = f"In-Reply-To: {reply_to}\nReferences: {reply_to}\n" if reply_to else ""
    path = folder / f"{name}.eml"
    path.write_text(
        f"From: {sender}\nTo: {SHOP}\nSubject: {subject}\nMessage-ID: {mid}\n{refs}"
        "Date: Mon, 23 Nov 2026 10:00:00 +0000\n\nWhere is my order #1042?\n"
    )
    return path


def _case_of(box: Mailbox, message_key: str) -> int:
    rows = [r for r in box.export_case_rows() if r.message_id == message_key]
    assert rows and rows[0].case_id is not None
    return rows[0].case_id


def _status(box: Mailbox, case_id: int) -> tuple[str, datetime | None]:
    row = box.views.case_rows([case_id])[0]
    return row.status, row.snoozed_until


def _box(tmp_path: Path) -> tuple[Mailbox, Path]:
    box = Mailbox.open(tmp_path / "s.sqlite3")
    box.set_shop(ShopSettings(name="Shop", addresses=(SHOP,)))
    first = tmp_path / "first"
    first.mkdir()
    _mail(first, "a", "anna@example.com", "Order #1042", "<a@example.com>")
    box.import_path(first)
    return box, tmp_path


def test_customer_reply_reopens_waiting_and_done(tmp_path: Path) -> None:
    box, root = _box(tmp_path)
    case = _case_of(box, "<a@example.com>")
    for status in ("waiting", "done"):
        box.triage.set_status([case], status)
        assert _status(box, case)[0] == status
        more = root / f"more-{status}"
        more.mkdir()
        _mail(
            more,
            "b",
            "anna@example.com",
            "Re: Order #1042",
            f"<b-{status}@example.com>",
            "<a@example.com>",
        )
        box.import_path(more)
        assert _case_of(box, f"<b-{status}@example.com>") == case
        assert _status(box, case)[0] == "open"
    box.close()


def test_our_own_mail_and_platform_notices_do_not_reopen(tmp_path: Path) -> None:
    box, root = _box(tmp_path)
    case = _case_of(box, "<a@example.com>")
    box.triage.set_status([case], "waiting")
    more = root / "ours"
    more.mkdir()
    _mail(more, "c", SHOP, "Re: Order #1042", "<c@shop.example>", "<a@example.com>")
    box.import_path(more)
    assert _case_of(box, "<c@shop.example>") == case
    assert _status(box, case)[0] == "waiting"
    box.close()


def test_customer_reply_ends_a_snooze(tmp_path: Path) -> None:
    box, root = _box(tmp_path)
    case = _case_of(box, "<a@example.com>")
    box.triage.snooze([case], datetime.now(UTC) + timedelta(days=3))
    assert _status(box, case)[1] is not None
    more = root / "snoozed"
    more.mkdir()
    _mail(more, "d", "anna@example.com", "Re: Order #1042", "<d@example.com>", "<a@example.com>")
    box.import_path(more)
    assert _status(box, case) == ("open", None)
    box.close()


def test_a_delivered_notice_does_not_reopen(tmp_path: Path) -> None:
    """The platform saying the parcel arrived is not the customer writing back."""
    box, root = _box(tmp_path)
    case = _case_of(box, "<a@example.com>")
    box.triage.set_status([case], "done")
    more = root / "delivered"
    more.mkdir()
    _mail(
        more,
        "e",
        "mailer@shopify.com",
        "A shipment from order #1042 has been delivered",
        "<e@shopify.com>",
    )
    box.import_path(more)
    assert _case_of(box, "<e@shopify.com>") == case
    assert _status(box, case)[0] == "done"
    box.close()
