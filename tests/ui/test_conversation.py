"""The conversation pane over a real store: safe HTML, images, quotes, problems, attachments,
links, notes."""

from __future__ import annotations

import base64
import http.server
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from sqlalchemy import select, update

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.store.models import Message
from desktop_app.ui import external
from desktop_app.ui.conversation import ConversationView
from desktop_app.ui.message_browser import misleading_link
from desktop_app.ui.message_card import split_html_quote
from desktop_app.ui.taskman import TaskManager

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAE"
    "lFTkSuQmCC"
)


class PixelServer:
    """A loopback web server that counts requests for remote images."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PNG)))
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def pixel_server() -> Iterator[PixelServer]:
    server = PixelServer()
    yield server
    server.close()


def mail(
    n: int, body: str, *, html: str | None = None, sender: str = "anna@example.com", **kw: Any
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Anna Kunde <{sender}>"
    msg["To"] = "support@shop.test"
    msg["Subject"] = kw.get("subject", "Where is my order #1042?")
    msg["Message-ID"] = f"<m{n}@example.com>"
    msg["Date"] = kw.get("date", f"Mon, {16 + n} Nov 2026 10:00:00 +0100")
    if n > 1:
        msg["In-Reply-To"] = f"<m{n - 1}@example.com>"
        msg["References"] = " ".join(f"<m{i}@example.com>" for i in range(1, n))
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def html_mail(pixel_url: str) -> EmailMessage:
    msg = mail(
        3,
        "Hi, my order #1042 has not arrived.",
        html=(
            "<p>Hi, my order <b>#1042</b> has not arrived.</p>"
            "<script>alert('owned')</script>"
            '<p><img src="cid:photo@anna"> <img src="' + pixel_url + '/pixel.png"></p>'
            '<p><a href="https://evil.example/login">paypal.com</a> '
            '<a href="https://www.dhl.de/track">track it</a> '
            '<a href="javascript:alert(1)">click</a></p>'
        ),
    )
    html_part = msg.get_payload()[1]
    html_part.add_related(PNG, "image", "png", cid="<photo@anna>")
    msg.add_attachment(
        b"%PDF-1.4 invoice", maintype="application", subtype="pdf", filename="../../in:voice?.pdf"
    )
    return msg


@pytest.fixture
def box(tmp_path: Path, pixel_server: PixelServer, tasks: TaskManager) -> Iterator[Mailbox]:
    """Four messages imported: a case of three about #1042 (the newest HTML, with a script,
    a cid and a remote image, links and an attachment) and a broken one about #2001."""
    folder = tmp_path / "mail"
    folder.mkdir()
    messages = [
        mail(1, "Hello, I ordered #1042 last week.\n"),
        mail(
            2,
            "Any news about my order?\n\nOn Tue, Shop wrote:\n> Thanks for your order #1042\n"
            "> It ships tomorrow.\n",
        ),
        html_mail(pixel_server.url),
    ]
    for i, msg in enumerate(messages, 1):
        (folder / f"{i}.eml").write_bytes(msg.as_bytes())
    (folder / "4.eml").write_bytes(
        b"From: Bob <bob@example.com>\r\nTo: support@shop.test\r\nSubject: Broken #2001\r\n"
        b"Message-ID: <broken@example.com>\r\nDate: not a date at all\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
        b"--XX\r\nContent-Type: text/plain\r\n\r\nHello about order #2001\r\n"
    )
    mailbox = Mailbox.open(tmp_path / "data" / "shopdesk.sqlite3")
    mailbox.import_path(folder)
    with mailbox.store.session() as s:  # the older two were read already
        s.execute(
            update(Message)
            .where(Message.message_id.in_(["<m1@example.com>", "<m2@example.com>"]))
            .values(seen=True)
        )
    yield mailbox
    tasks.shutdown(wait=True)  # the pane's work is done before the store closes
    mailbox.close()


def case_of(box: Mailbox, message_id: str) -> int:
    with box.store.session() as s:
        case_id = s.scalar(select(Message.case_id).where(Message.message_id == message_id))
    assert case_id is not None
    return int(case_id)


@pytest.fixture
def view(qtbot: Any, tasks: TaskManager, box: Mailbox) -> ConversationView:
    widget = ConversationView(tasks, box)
    widget.resize(800, 900)
    qtbot.addWidget(widget)
    with qtbot.waitExposed(widget):
        widget.show()
    return widget


def open_case(qtbot: Any, view: ConversationView, case_id: int) -> None:
    with qtbot.waitSignal(view.case_shown, timeout=10_000):
        view.show_case(case_id)
    qtbot.waitUntil(
        lambda: all(c.view is not None for c in view.cards.values() if c.expanded), timeout=10_000
    )


def shot(widget: Any, name: str) -> None:
    folder = os.environ.get("SHOPDESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def test_messages_oldest_first_newest_expanded(
    qtbot: Any, view: ConversationView, box: Mailbox
) -> None:
    open_case(qtbot, view, case_of(box, "<m3@example.com>"))
    cards = list(view.cards.values())
    assert [c.row.dedup_key for c in cards] == [
        r.dedup_key for r in box.views.case_messages(cards[0].row.case_id)
    ]
    assert len(cards) == 3
    assert [c.expanded for c in cards] == [False, False, True]
    assert not cards[0].body.isVisibleTo(view)
    assert cards[0].snippet_label.text().startswith("Hello, I ordered")
    assert view.subject_label.text() == "Where is my order #1042?"
    with qtbot.waitSignal(view.message_opened, timeout=10_000) as opened:
        qtbot.mouseClick(cards[0].header, Qt.MouseButton.LeftButton)
    assert opened.args == [cards[0].row.id]
    assert cards[0].body.isVisibleTo(view)
    assert "Hello, I ordered #1042" in cards[0].browser.toPlainText()
    shot(view, "conversation-message-states")


def test_html_is_shown_without_script_and_remote_images_blocked(
    qtbot: Any, view: ConversationView, box: Mailbox, pixel_server: PixelServer
) -> None:
    open_case(qtbot, view, case_of(box, "<m3@example.com>"))
    card = list(view.cards.values())[-1]
    assert card.view is not None and card.view.html
    text = card.browser.toPlainText()
    assert "has not arrived" in text
    assert "owned" not in text and "<script" not in card.browser.toHtml()
    assert card.view.remote_images_blocked == 1
    assert card.remote_bar.isVisibleTo(view)
    assert card.remote_label.text() == "Remote images blocked (1)"
    assert card.show_always_button.text() == "Always for anna@example.com"
    assert pixel_server.requests == []


def test_allowing_remote_images_reloads_and_fetches_them(
    qtbot: Any, view: ConversationView, box: Mailbox, pixel_server: PixelServer
) -> None:
    open_case(qtbot, view, case_of(box, "<m3@example.com>"))
    card = list(view.cards.values())[-1]
    with qtbot.waitSignal(view.message_opened, timeout=10_000):
        qtbot.mouseClick(card.show_once_button, Qt.MouseButton.LeftButton)
    assert card.view is not None and card.view.remote_images_blocked == 0
    assert not card.remote_bar.isVisibleTo(view)
    qtbot.waitUntil(lambda: bool(card.browser.remote_images), timeout=10_000)
    assert pixel_server.requests == ["/pixel.png"]


def test_cid_image_becomes_a_document_resource(
    qtbot: Any, view: ConversationView, box: Mailbox
) -> None:
    open_case(qtbot, view, case_of(box, "<m3@example.com>"))
    card = list(view.cards.values())[-1]
    image = card.browser.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl("cid:photo@anna")
    )
    assert image is not None and not image.isNull()
    assert image.width() == 8
    refused = card.browser.loadResource(2, QUrl("file:///etc/passwd"))
    assert refused.isNull() and "file:///etc/passwd" in card.browser.refused


def test_quoted_text_is_folded(qtbot: Any, view: ConversationView, box: Mailbox) -> None:
    open_case(qtbot, view, case_of(box, "<m3@example.com>"))
    card = list(view.cards.values())[1]
    with qtbot.waitSignal(view.message_opened, timeout=10_000):
        view.expand_message(card.row.id)
    assert "Any news about my order?" in card.browser.toPlainText()
    assert "It ships tomorrow" not in card.browser.toPlainText()
    assert card.quote_button.isVisibleTo(view) and not card.quoted.isVisibleTo(view)
    qtbot.mouseClick(card.quote_button, Qt.MouseButton.LeftButton)
    assert card.quoted.isVisibleTo(view)
    assert "It ships tomorrow" in card.quoted.toPlainText()
    assert card.quote_button.text() == "Hide quoted text"


def test_message_with_parse_problems_shows_a_note_and_its_source(
    qtbot: Any, view: ConversationView, box: Mailbox
) -> None:
    open_case(qtbot, view, case_of(box, "<broken@example.com>"))
    (card,) = view.cards.values()
    assert card.problem_note.isVisibleTo(view)
    note = card.problem_note.text()
    assert note.startswith("This message could not be read completely: ")
    assert "View source" in note
    assert "Hello about order #2001" in card.browser.toPlainText()
    card.problem_note.linkActivated.emit("source")
    qtbot.waitUntil(lambda: view.source_dialog is not None, timeout=10_000)
    assert view.source_dialog is not None
    assert "Date: not a date at all" in view.source_dialog.edit.toPlainText()


def test_attachments_listed_and_saved_under_a_cleaned_name(
    qtbot: Any,
    view: ConversationView,
    box: Mailbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    open_case(qtbot, view, case_of(box, "<m3@example.com>"))
    card = list(view.cards.values())[-1]
    assert card.view is not None
    names = [a.filename for a in card.view.attachments if not a.inline]
    assert len(names) == 1 and "/" not in names[0] and ".." not in names[0]
    assert card.attachments.isVisibleTo(view)
    target = tmp_path / "saved"
    target.mkdir()
    monkeypatch.setattr(external, "choose_folder", lambda parent, title: str(target))
    save_button = next(
        b for b in card.attachments.findChildren(type(card.source_button)) if b.text() == "Save…"
    )
    with qtbot.waitSignal(view.attachment_saved, timeout=10_000) as saved:
        qtbot.mouseClick(save_button, Qt.MouseButton.LeftButton)
    path = Path(saved.args[0])
    assert path.parent == target and path.name == names[0]
    assert path.read_bytes() == b"%PDF-1.4 invoice"
    assert [p.name for p in target.iterdir()] == [names[0]]


def test_links_are_never_followed_inside(
    qtbot: Any, view: ConversationView, box: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    asked: list[str] = []
    monkeypatch.setattr(external, "open_url", lambda url: opened.append(url.toString()))

    def confirm(parent: Any, title: str, text: str, yes: str) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(external, "confirm", confirm)
    open_case(qtbot, view, case_of(box, "<m3@example.com>"))
    card = list(view.cards.values())[-1]
    browser = card.browser
    before = browser.toHtml()

    def click(text: str) -> None:
        cursor = browser.document().find(text)
        assert not cursor.isNull(), text
        cursor.setPosition(cursor.selectionStart() + 1)
        pos = browser.cursorRect(cursor).center()
        qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=pos)

    click("paypal.com")  # the text shows one address, the link leads to another
    assert len(asked) == 1 and "https://evil.example/login" in asked[0]
    assert opened == []
    click("track it")
    assert opened == ["https://www.dhl.de/track"]
    click("click")
    assert opened == ["https://www.dhl.de/track"] and len(asked) == 1
    assert browser.toHtml() == before and browser.source().isEmpty()


def test_misleading_link_rules() -> None:
    assert misleading_link("paypal.com", QUrl("https://evil.example/"))
    assert misleading_link("https://www.paypal.com/signin", QUrl("https://paypal.evil.example/"))
    assert not misleading_link("www.dhl.de", QUrl("https://dhl.de/track"))
    assert not misleading_link("dhl.de", QUrl("https://nolp.dhl.de/track"))
    assert not misleading_link("Track your parcel", QUrl("https://evil.example/"))
    assert misleading_link("help@shop.test", QUrl("mailto:x@evil.example")) is False
    assert misleading_link("shop.test", QUrl("mailto:x@evil.example"))


def test_notes_are_shown_and_added(qtbot: Any, view: ConversationView, box: Mailbox) -> None:
    case_id = case_of(box, "<m3@example.com>")
    open_case(qtbot, view, case_id)
    qtbot.waitUntil(lambda: "none yet" in view.notes_title.text(), timeout=10_000)
    with qtbot.waitSignal(view.notes_changed, timeout=10_000):
        view.add_note("Refund promised if not delivered by Friday.")
    qtbot.waitUntil(lambda: view.notes_list.count() == 1, timeout=10_000)
    label = view.notes_list.itemAt(0).widget()
    assert "Refund promised" in label.text()
    assert [body for _i, _at, body in box.triage.notes(case_id)] == [
        "Refund promised if not delivered by Friday."
    ]
    assert isinstance(box.triage.notes(case_id)[0][1], datetime)
    assert datetime.now(UTC).year >= 2026


def test_always_for_sender_is_remembered(
    qtbot: Any, view: ConversationView, box: Mailbox, tasks: TaskManager
) -> None:
    case_id = case_of(box, "<m3@example.com>")
    open_case(qtbot, view, case_id)
    card = list(view.cards.values())[-1]
    with qtbot.waitSignal(view.message_opened, timeout=10_000):
        qtbot.mouseClick(card.show_always_button, Qt.MouseButton.LeftButton)
    assert card.view is not None and card.view.remote_images_blocked == 0
    again = ConversationView(tasks, box)  # a fresh pane: the choice is kept in the store
    qtbot.addWidget(again)
    open_case(qtbot, again, case_id)
    newest = list(again.cards.values())[-1]
    assert newest.view is not None and newest.view.remote_images_blocked == 0
    assert not newest.remote_bar.isVisibleTo(again)


def test_open_attachment_saves_to_a_temp_folder_then_hands_it_to_the_system(
    qtbot: Any, view: ConversationView, box: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(external, "open_url", opened.append)
    open_case(qtbot, view, case_of(box, "<m3@example.com>"))
    card = list(view.cards.values())[-1]
    open_button = next(
        b for b in card.attachments.findChildren(type(card.source_button)) if b.text() == "Open"
    )
    qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    path = Path(opened[0].toLocalFile())
    assert opened[0].isLocalFile() and path.read_bytes() == b"%PDF-1.4 invoice"
    assert path.parent == view._open_folder


def test_hovering_a_link_tells_its_real_address(
    qtbot: Any, view: ConversationView, box: Mailbox
) -> None:
    open_case(qtbot, view, case_of(box, "<m3@example.com>"))
    browser = list(view.cards.values())[-1].browser
    cursor = browser.document().find("paypal.com")
    cursor.setPosition(cursor.selectionStart() + 2)
    with qtbot.waitSignal(view.status_message, timeout=5_000) as shown:
        qtbot.mouseMove(browser.viewport(), browser.cursorRect(cursor).center())
    assert shown.args == ["https://evil.example/login"]


def test_refresh_updates_read_state_without_reloading(
    qtbot: Any, view: ConversationView, box: Mailbox
) -> None:
    case_id = case_of(box, "<m3@example.com>")
    open_case(qtbot, view, case_id)
    newest = list(view.cards.values())[-1]
    shown = newest.view
    assert newest.sender_label.text().startswith("● ")
    box.triage.mark_read([case_id], True)
    with qtbot.assertNotEmitted(view.message_opened):
        view.refresh_messages()
        qtbot.waitUntil(lambda: newest.row.seen, timeout=10_000)
    assert newest.sender_label.text() == "Anna Kunde" and newest.view is shown


def test_html_quotes_fold_at_the_first_blockquote() -> None:
    body = "<p>Thanks!</p><div>On Monday you wrote:</div><blockquote><p>old</p></blockquote>"
    assert split_html_quote(body) == (
        "<p>Thanks!</p><div>On Monday you wrote:</div>",
        "<blockquote><p>old</p></blockquote>",
    )
    only_quote = "<blockquote>forwarded text</blockquote>"
    assert split_html_quote(only_quote) == (only_quote, "")  # nothing to fold it under
    assert split_html_quote("<p>no quote</p>") == ("<p>no quote</p>", "")
