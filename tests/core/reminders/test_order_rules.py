"""Review requests after delivery and replenishment nudges after purchase."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop_app.core.reminders.model import Reminder, ReminderSettings
from desktop_app.core.reminders.service import Reminders
from tests.core.reminders.conftest import Shop

EMMA = "emma@example.com"
DELIVERED = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _of(found: list[Reminder], rule: str) -> list[Reminder]:
    return [r for r in found if r.rule == rule]


def test_review_is_due_n_days_after_delivery(shop: Shop, reminders: Reminders) -> None:
    case = shop.case("4127")
    shop.order("4127", EMMA, name="Emma Clarke", delivered=DELIVERED)
    due_at = DELIVERED + timedelta(days=10)
    assert _of(reminders.due(due_at - timedelta(minutes=1)), "review") == []
    [r] = _of(reminders.due(due_at), "review")
    assert (r.key, r.case_id, r.template_key) == ("review:order:4127", case, "review_request")
    assert r.due_at == due_at and r.customer_name == "Emma Clarke"


def test_without_a_delivery_the_transit_time_is_added(shop: Shop, reminders: Reminders) -> None:
    reminders.save_settings(ReminderSettings(review_days=7, transit_days={"default": 4, "dhl": 2}))
    shop.order("1", EMMA, shipped=DELIVERED, carrier="DHL")
    shop.order("2", EMMA, shipped=DELIVERED, carrier="Omniva")
    found = {
        r.order_number: r.due_at for r in _of(reminders.due(DELIVERED + timedelta(30)), "review")
    }
    assert found == {"1": DELIVERED + timedelta(days=9), "2": DELIVERED + timedelta(days=11)}


def test_review_is_skipped_for_complaints_returns_cancellations(
    shop: Shop, reminders: Reminders
) -> None:
    for number, intent in (("1", "complaint"), ("2", "return"), ("3", "cancel"), ("4", "thanks")):
        case = shop.case(number)
        shop.message(case, EMMA, DELIVERED + timedelta(days=2), "...", intent=intent)
        shop.order(number, EMMA, delivered=DELIVERED)
    shop.order("5", EMMA, delivered=DELIVERED, status="refunded")
    found = _of(reminders.due(DELIVERED + timedelta(days=12)), "review")
    assert [r.order_number for r in found] == ["4"]


def test_review_is_rechecked_when_it_falls_due(shop: Shop, reminders: Reminders) -> None:
    case = shop.case("4127")
    shop.order("4127", EMMA, delivered=DELIVERED)
    assert _of(reminders.upcoming(DELIVERED + timedelta(days=30)), "review")
    shop.message(case, EMMA, DELIVERED + timedelta(days=9), "It broke!", intent="complaint")
    assert _of(reminders.due(DELIVERED + timedelta(days=10)), "review") == []


def test_replenishment_by_product_and_category(shop: Shop, reminders: Reminders) -> None:
    shop.order("10", EMMA, placed=DELIVERED, lines=(("Night face cream 50 ml", "NB-FC-50"),))
    shop.order("11", "ivan@example.com", placed=DELIVERED, lines=(("Filter cartridge", "IF-9"),))
    shop.order("12", "olga@example.com", placed=DELIVERED, lines=(("Gift card", "GC"),))
    [cream] = _of(reminders.due(DELIVERED + timedelta(days=70)), "replenish")
    assert cream.key == "replenish:order:10:NB-FC-50"
    assert cream.template_key == "replenishment"
    assert cream.due_at == DELIVERED + timedelta(days=70)
    [filt] = _of(reminders.due(DELIVERED + timedelta(days=410)), "replenish")
    assert filt.order_number == "11"


def test_replenishment_counts_from_delivery_when_known(shop: Shop, reminders: Reminders) -> None:
    shop.order(
        "10",
        EMMA,
        placed=DELIVERED - timedelta(days=5),
        delivered=DELIVERED,
        lines=(("Shampoo", "SH-1"),),
    )
    [r] = _of(reminders.due(DELIVERED + timedelta(days=71)), "replenish")
    assert r.due_at == DELIVERED + timedelta(days=70)


def test_a_new_order_cancels_the_replenishment(shop: Shop, reminders: Reminders) -> None:
    shop.order("10", EMMA, placed=DELIVERED, lines=(("Face serum", "SER-1"),))
    assert _of(reminders.due(DELIVERED + timedelta(days=70)), "replenish")
    shop.order("11", EMMA, placed=DELIVERED + timedelta(days=40), lines=(("Soap", "S"),))
    assert _of(reminders.due(DELIVERED + timedelta(days=70)), "replenish") == []


def test_replenishment_intervals_are_settings(shop: Shop, reminders: Reminders) -> None:
    reminders.save_settings(ReminderSettings(replenish=(("TEA-", 30),)))
    shop.order("10", EMMA, placed=DELIVERED, lines=(("Green tea", "TEA-GR"), ("Cream", "C")))
    [r] = _of(reminders.due(DELIVERED + timedelta(days=31)), "replenish")
    assert r.key == "replenish:order:10:TEA-GR"


def test_one_replenishment_per_order_however_many_lines(shop: Shop, reminders: Reminders) -> None:
    lines = (("Rose face cream", "FC-2"), ("Face cream refill pod", "FC-1"), ("Soap", "S"))
    shop.order("10", EMMA, name="Emma", placed=DELIVERED, lines=lines)
    [r] = _of(reminders.due(DELIVERED + timedelta(days=70)), "replenish")
    assert r.key == "replenish:order:10:FC-1"
    assert r.title == "Time for a refill? Emma: Face cream refill pod and 1 more"
