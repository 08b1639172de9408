"""Waiting on the customer, snoozes and the first-response goal, with the clock moved by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop_app.core.reminders.model import Reminder, ReminderSettings
from desktop_app.core.reminders.service import Reminders
from desktop_app.core.store.models import Case
from desktop_app.core.store.reopen import reopen_on_customer_reply
from tests.core.reminders.conftest import SHOP, Clock, Shop, naive

ANNA = "anna@example.com"
MON = datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # Monday 12:00 in Riga


def _of(found: list[Reminder], rule: str) -> list[Reminder]:
    return [r for r in found if r.rule == rule]


def test_waiting_falls_due_after_n_days_when_we_asked(shop: Shop, reminders: Reminders) -> None:
    case = shop.case("1042")
    shop.message(case, ANNA, MON - timedelta(hours=2), "Where is my parcel?", name="Anna Berg")
    shop.message(case, SHOP, MON, "Could you send a photo of the label?", to=f"Anna <{ANNA}>")
    assert _of(reminders.due(MON + timedelta(days=2, hours=23)), "waiting") == []
    [due] = _of(reminders.due(MON + timedelta(days=3)), "waiting")
    assert due.case_id == case and due.order_number == "1042"
    assert due.due_at == MON + timedelta(days=3)
    assert due.customer_email == ANNA and due.title == "No answer from Anna Berg for 3 days"


def test_waiting_is_cancelled_by_the_customers_reply(shop: Shop, reminders: Reminders) -> None:
    case = shop.case("1042")
    shop.message(case, SHOP, MON, "Which size did you order?", to=ANNA)
    assert _of(reminders.due(MON + timedelta(days=4)), "waiting")
    shop.message(case, ANNA, MON + timedelta(days=1), "Size M, thanks")
    assert _of(reminders.due(MON + timedelta(days=4)), "waiting") == []


def test_waiting_needs_a_question_in_the_new_text(shop: Shop, reminders: Reminders) -> None:
    told = shop.case("1")
    shop.message(told, SHOP, MON, "Your parcel left today.", to=ANNA)
    quoted = shop.case("2")
    shop.message(quoted, SHOP, MON, "It left today.\n\n> Where is it?\n", to=ANNA)
    sent = shop.case("3")  # From says the customer's own alias, but the copy is in Sent
    shop.message(sent, "owner@gmail.example", MON, "Did it arrive?", to=ANNA, in_sent=True)
    found = _of(reminders.due(MON + timedelta(days=5)), "waiting")
    assert [r.case_id for r in found] == [sent]


def test_waiting_setting_changes_the_days_and_turns_it_off(
    shop: Shop, reminders: Reminders
) -> None:
    case = shop.case("1042")
    shop.message(case, SHOP, MON, "Shall I refund it?", to=ANNA)
    reminders.save_settings(ReminderSettings(waiting_days=5))
    assert _of(reminders.due(MON + timedelta(days=4)), "waiting") == []
    assert _of(reminders.due(MON + timedelta(days=5)), "waiting")
    reminders.save_settings(ReminderSettings(waiting_on=False))
    assert _of(reminders.due(MON + timedelta(days=5)), "waiting") == []


def test_snoozed_case_falls_due_when_its_time_comes(shop: Shop, reminders: Reminders) -> None:
    until = MON + timedelta(days=2)
    case = shop.case("1042", snoozed_until=naive(until))
    shop.message(case, ANNA, MON - timedelta(days=1), "Hi", name="Anna Berg")
    assert _of(reminders.due(until - timedelta(minutes=1)), "snooze") == []
    [due] = _of(reminders.due(until), "snooze")
    assert due.case_id == case and due.due_at == until and due.customer_name == "Anna Berg"


def _reply_while_snoozed(shop: Shop, wake: bool, reminders: Reminders) -> datetime | None:
    reminders.save_settings(ReminderSettings(snooze_wake_on_reply=wake))
    case = shop.case("1042", snoozed_until=naive(MON + timedelta(days=7)))
    with shop.store.session() as s:
        s.get(Case, case).touched_at = naive(MON)  # type: ignore[union-attr]
    shop.message(case, ANNA, MON + timedelta(days=1), "Any news?")
    with shop.store.session() as s:
        reopen_on_customer_reply(s, naive(MON + timedelta(days=1, hours=1)))
    with shop.store.session() as s:
        return s.get(Case, case).snoozed_until  # type: ignore[union-attr]


def test_a_customer_reply_wakes_a_snoozed_case_when_set(shop: Shop, reminders: Reminders) -> None:
    assert _reply_while_snoozed(shop, True, reminders) is None


def test_a_snooze_runs_to_its_end_when_waking_is_off(shop: Shop, reminders: Reminders) -> None:
    assert _reply_while_snoozed(shop, False, reminders) == naive(MON + timedelta(days=7))


def test_first_response_counts_working_hours(shop: Shop, reminders: Reminders) -> None:
    # Friday 16:00 in Riga (EET): one working hour on Friday, seven on Monday -> Monday 16:00.
    friday = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    case = shop.case("1042")
    shop.message(case, ANNA, friday, "My parcel is damaged", name="Anna Berg")
    monday_16 = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert _of(reminders.due(monday_16 - timedelta(minutes=1)), "first_response") == []
    [due] = _of(reminders.due(monday_16), "first_response")
    assert due.due_at == monday_16 and due.case_id == case
    shop.message(case, SHOP, monday_16 + timedelta(hours=1), "Sorry to hear that.", to=ANNA)
    assert _of(reminders.due(monday_16 + timedelta(hours=2)), "first_response") == []


def test_notices_are_nobody_waiting_for_an_answer(shop: Shop, reminders: Reminders) -> None:
    case = shop.case("1042")
    shop.message(case, "noreply@shopify.example", MON, "Order shipped", notice="shipped")
    assert _of(reminders.due(MON + timedelta(days=10)), "first_response") == []


def test_done_cases_have_no_case_reminders(shop: Shop, clock: Clock, reminders: Reminders) -> None:
    case = shop.case("1042", status="done")
    shop.message(case, SHOP, MON, "Did it arrive?", to=ANNA)
    shop.message(shop.case("7"), ANNA, MON, "Hello?")
    found = reminders.due(MON + timedelta(days=5))
    assert {r.rule for r in found} == {"first_response"}
    assert all(r.case_id != case for r in found)


def test_waiting_names_the_recipient_when_the_customer_has_not_written(
    shop: Shop, reminders: Reminders
) -> None:
    case = shop.case("1042")
    shop.message(case, SHOP, MON, "Is the address still right?", to=f"Līga Ozola <{ANNA}>")
    [r] = _of(reminders.due(MON + timedelta(days=3)), "waiting")
    assert (r.customer_name, r.customer_email) == ("Līga Ozola", ANNA)


def test_first_response_with_one_working_day_a_week(shop: Shop, reminders: Reminders) -> None:
    # Open Mondays 9-17 only: a message at 17:30 waits a whole week for its eight hours.
    reminders.save_settings(ReminderSettings(work_days=(0,), lookback_days=1))
    monday_1730 = datetime(2026, 11, 16, 15, 30, tzinfo=UTC)
    shop.message(shop.case("1042"), ANNA, monday_1730, "Hello?")
    next_monday_17 = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    [r] = _of(reminders.due(next_monday_17 + timedelta(hours=23)), "first_response")
    assert r.due_at == next_monday_17


def test_an_armenian_question_counts_too(shop: Shop, reminders: Reminders) -> None:
    case = shop.case("1042")
    shop.message(case, SHOP, MON, "Ստացե՞լ եք ծանրոցը", to=ANNA)
    assert _of(reminders.due(MON + timedelta(days=3)), "waiting")
