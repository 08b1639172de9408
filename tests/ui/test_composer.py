"""The composer on the demo shop: ;shortcuts, missing values, language, preview, send, drafts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget

from desktop_app.core.mailbox import Mailbox
from desktop_app.ui.compose_parts import spot_shortcut
from desktop_app.ui.compose_templates import without_signature
from desktop_app.ui.composer import Composer
from desktop_app.ui.reply_actions import ReplyActions
from desktop_app.ui.taskman import TaskManager
from tests.ui.conftest import NOW

SHORTCUTS = ("ship", "review", "return", "refill", "repair")


def case_about(box: Mailbox, words: str) -> int:
    """The demo case whose newest message's subject holds `words`."""
    for case_id in box.views.case_ids("all", NOW):
        rows = box.views.case_messages(case_id)
        if rows and words in rows[-1].subject:
            return case_id
    raise AssertionError(f"no demo case about {words!r}")


@pytest.fixture
def actions(qtbot: Any, tasks: TaskManager, demo_box: Mailbox) -> Iterator[ReplyActions]:
    window = QWidget()
    qtbot.addWidget(window)
    replies = ReplyActions(tasks, demo_box, lambda: None, window)
    yield replies
    replies.outbox.stop()  # no flush once the test is over


def open_composer(qtbot: Any, actions: ReplyActions, case_id: int, kind: str = "reply") -> Composer:
    actions.current_case = lambda: case_id  # the case chosen in the list
    composer = actions.compose(kind)
    assert composer is not None
    with qtbot.waitSignal(composer.ready, timeout=10_000):
        pass
    return composer


def type_into(qtbot: Any, composer: Composer, text: str) -> None:
    composer.body.setFocus()
    composer.body.moveCursor(composer.body.textCursor().MoveOperation.End)
    for n, line in enumerate(text.split("\n")):
        if n:
            qtbot.keyClick(composer.body, Qt.Key.Key_Return)
        qtbot.keyClicks(composer.body, line)


def test_spotting_shortcuts() -> None:
    assert spot_shortcut(";ship", SHORTCUTS) == ("ship", 0, 5)
    assert spot_shortcut("Hello ;ship", SHORTCUTS) == ("ship", 6, 11)
    assert spot_shortcut("a;ship", SHORTCUTS) is None  # inside a word
    assert spot_shortcut(";re", SHORTCUTS) is None  # a start of several
    assert spot_shortcut(";shipx", SHORTCUTS) is None
    assert spot_shortcut(";re ", ("re", "return")) == ("re", 0, 3)  # complete once a space follows


def test_signature_of_a_template_is_left_to_the_message() -> None:
    assert without_signature("Hi\n\nAnna\nNorthwind\n", "Anna\nNorthwind") == "Hi\n"
    assert without_signature("Hi\n", "Anna") == "Hi\n"


def test_semicolon_ship_expands_with_the_order(
    qtbot: Any, actions: ReplyActions, demo_box: Mailbox
) -> None:
    composer = open_composer(qtbot, actions, case_about(demo_box, "Where is my order #4127"))
    assert composer.subject_edit.text().startswith("Re: ")
    assert composer.to_edit.text()
    with qtbot.waitSignal(composer.values_asked, timeout=5000) as asked:
        type_into(qtbot, composer, ";ship")
    assert asked.args == [("order.shipped_at",)]  # the demo order has no shipping date
    assert ";ship" not in composer.body.toPlainText()
    date_edit = composer.missing_form.edits["order.shipped_at"]
    date_edit.setDate(QDate(2026, 11, 20))  # type: ignore[union-attr]
    with qtbot.waitSignal(composer.template_inserted, timeout=5000) as inserted:
        composer.missing_form.fill_button.click()
    assert inserted.args == ["shipping_status"]
    body = composer.body.toPlainText()
    assert "{{" not in body and "20 November 2026" in body
    assert "4127" in body and "05212384765531" in body


def test_missing_value_is_asked_and_filled(
    qtbot: Any, actions: ReplyActions, demo_box: Mailbox
) -> None:
    composer = open_composer(qtbot, actions, case_about(demo_box, "Refills for the Rose"))
    with qtbot.waitSignal(composer.values_asked, timeout=5000) as asked:
        type_into(qtbot, composer, ";ship")
    assert set(asked.args[0]) == {"order.carrier", "order.tracking_number"}
    assert composer.missing_form.isVisible()
    assert composer.problem() is not None  # nothing is sent while a template waits
    for name, edit in composer.missing_form.edits.items():
        edit.setText("TRACK-777" if name == "order.tracking_number" else "Posti")
    with qtbot.waitSignal(composer.template_inserted, timeout=5000):
        composer.missing_form.fill_button.click()
    body = composer.body.toPlainText()
    assert "TRACK-777" in body and "4058" in body and ";ship" not in body
    assert not composer.missing_form.isVisible()


def test_language_switch_renders_the_template_again(
    qtbot: Any, actions: ReplyActions, demo_box: Mailbox
) -> None:
    case_id = case_about(demo_box, "Where is my order #4127")
    composer = open_composer(qtbot, actions, case_id)
    assert composer.language == "en"
    with qtbot.waitSignal(composer.template_inserted, timeout=5000):
        type_into(qtbot, composer, "Hi!\n;thanks")
    english = composer.body.toPlainText()
    with qtbot.waitSignal(composer.template_inserted, timeout=5000):
        composer.language_combo.setCurrentIndex(composer.language_combo.findData("de"))
    german = demo_box.templates.render_for_case("review_thanks", case_id, "de")
    expected = without_signature(german.body, composer.setup.signature)  # type: ignore[union-attr]
    assert composer.body.toPlainText() == "Hi!\n" + expected
    assert composer.draft().language == "de"
    assert english.startswith("Hi!\n")


def test_preview_shows_the_final_text_and_refuses_template_code(
    qtbot: Any, actions: ReplyActions, demo_box: Mailbox
) -> None:
    composer = open_composer(qtbot, actions, case_about(demo_box, "Where is my order #4127"))
    type_into(qtbot, composer, "Dear {{ customer.name }}")
    composer.show_preview()
    assert composer.pages.currentWidget() is composer.edit_page
    assert "{{" in composer.problem_label.text()
    composer.body.setPlainText("Your parcel left today.")
    qtbot.keyClick(composer.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert composer.pages.currentWidget() is composer.preview_page
    text = composer.preview_view.toPlainText()
    assert text.startswith("Your parcel left today.")
    assert composer.draft().quoted.splitlines()[-1] in text  # the quoted original below
    assert composer.subject_edit.text() in composer.preview_head.text()


def test_send_queues_the_reply_into_its_case_and_undo_takes_it_back(
    qtbot: Any, actions: ReplyActions, demo_box: Mailbox
) -> None:
    case_id = case_about(demo_box, "Where is my order #4127")
    before = len(demo_box.views.case_messages(case_id))
    composer = open_composer(qtbot, actions, case_id)
    composer.body.setPlainText("It is on its way.")
    composer.send()  # first the preview
    assert composer.pages.currentWidget() is composer.preview_page
    with qtbot.waitSignal(actions.reply_joined, timeout=5000) as joined:
        composer.send()
    assert joined.args == [case_id]
    assert not composer.isVisible()
    bar = actions.outbox.bar
    assert bar.isVisible() and "Sending in" in bar.label.text()
    assert len(demo_box.views.case_messages(case_id)) == before + 1  # in its case at once
    [item] = demo_box.outbox.items()
    assert item.state == "queued" and item.case_id == case_id
    with qtbot.waitSignal(actions.outbox.waiting_changed, timeout=5000):
        bar.button.click()
    qtbot.waitUntil(composer.isVisible)
    assert composer.body.toPlainText() == "It is on its way."
    assert demo_box.outbox.items()[0].state == "cancelled"
    assert not bar.isVisible()


def test_draft_is_saved_as_you_type_and_restored(
    qtbot: Any, actions: ReplyActions, demo_box: Mailbox
) -> None:
    case_id = case_about(demo_box, "Where is my order #4127")
    composer = open_composer(qtbot, actions, case_id)
    with qtbot.waitSignal(composer.draft_saved, timeout=5000):
        type_into(qtbot, composer, "Thanks for waiting")
    composer.close()
    again = open_composer(qtbot, actions, case_id)
    assert again is not composer
    assert again.body.toPlainText() == "Thanks for waiting"
    assert again.draft_id is not None
    again.discard()
    qtbot.waitUntil(lambda: demo_box.outbox.draft_for_case(case_id) is None)


def test_suggested_template_for_the_latest_message(
    qtbot: Any, actions: ReplyActions, demo_box: Mailbox
) -> None:
    composer = open_composer(qtbot, actions, case_about(demo_box, "#4135"))  # Hindi: not arrived
    assert composer.setup is not None and composer.setup.suggestion is not None
    assert composer.setup.suggestion.key == "shipping_status"
    assert composer.suggestion_button.isVisible()
    assert composer.suggestion_button.text() == (f"Suggested: {composer.setup.suggestion.title}")
    with qtbot.waitSignal(composer.values_asked, timeout=5000):  # no shipping date in the demo
        composer.suggestion_button.click()
    date_edit = composer.missing_form.edits["order.shipped_at"]
    date_edit.setDate(QDate(2026, 11, 20))  # type: ignore[union-attr]
    with qtbot.waitSignal(composer.template_inserted, timeout=5000) as inserted:
        composer.missing_form.fill_button.click()
    assert inserted.args == ["shipping_status"]
    assert "4135" in composer.body.toPlainText()


def test_r_in_the_window_then_send_shows_the_reply_in_the_conversation(
    qtbot: Any, tasks: TaskManager, demo_box: Mailbox
) -> None:
    from tests.ui.test_main_window import open_window

    window = open_window(qtbot, tasks, demo_box)
    case_id = window.cases.current_case_id()
    assert case_id is not None
    with qtbot.waitSignal(window.conversation.case_shown, timeout=5000):
        window.conversation.show_case(case_id)
    cards = len(window.conversation.cards)
    qtbot.keyClick(window.cases, Qt.Key.Key_R)
    composer = window.replies.composers[case_id]
    qtbot.waitUntil(lambda: composer.base is not None, timeout=10_000)
    composer.body.setPlainText("Thank you, all sorted.")
    composer.send()
    composer.send()
    qtbot.waitUntil(lambda: len(window.conversation.cards) == cards + 1, timeout=5000)
    qtbot.waitUntil(lambda: window.outbox_button.isVisible(), timeout=5000)
    assert window.outbox_button.text() == "1 waiting to send"
    assert window.replies.outbox.bar.isVisible()


def test_attachments_are_listed_with_sizes_and_go_with_the_message(
    qtbot: Any, actions: ReplyActions, demo_box: Mailbox, tmp_path: Any
) -> None:
    manual = tmp_path / "manual.pdf"
    manual.write_bytes(b"%PDF" + b"x" * 2044)
    composer = open_composer(qtbot, actions, case_about(demo_box, "Refills for the Rose"))
    assert not composer.attachments.isVisible()
    composer.attachments.add_paths([manual])
    assert composer.attachments.list.item(0).text() == "manual.pdf (2.0 kB)"  # QLocale, SI units
    assert composer.draft().attachments == (manual,)
    composer.body.setPlainText("The manual is attached.")
    composer.show_preview()
    assert "manual.pdf" in composer.preview_head.text()
    composer.show_editor()
    composer.attachments.list.item(0).setSelected(True)
    composer.attachments.remove_button.click()
    assert composer.draft().attachments == ()


def test_forward_starts_without_recipients(
    qtbot: Any, actions: ReplyActions, demo_box: Mailbox
) -> None:
    composer = open_composer(
        qtbot, actions, case_about(demo_box, "Refills for the Rose"), "forward"
    )
    assert composer.to_edit.text() == ""
    assert composer.subject_edit.text() == "Fwd: Refills for the Rose & Oat cream?"
    assert "refill pods" in composer.draft().quoted
    assert composer.problem() == "Add who the message goes to."


def test_c_writes_a_new_message_from_the_shop(
    qtbot: Any, actions: ReplyActions, demo_box: Mailbox
) -> None:
    composer = actions.compose("new")
    assert composer is not None and composer.case_id is None
    with qtbot.waitSignal(composer.ready, timeout=10_000):
        pass
    assert (
        composer.from_combo.currentText()
        == "Northwind Botanicals <hello@northwind-botanicals.example>"
    )
    assert (composer.to_edit.text(), composer.subject_edit.text()) == ("", "")
    assert composer.to_edit.hasFocus() or not composer.isActiveWindow()
    assert composer.problem() == "Add who the message goes to."
