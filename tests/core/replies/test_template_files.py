"""Every shipped template file: well-formed, the same shortcuts, rendered for a demo case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.replies.render import RenderError
from desktop_app.core.replies.template_files import builtin_dir, read_template_file
from tests.helpers import reply_cases

LANGUAGES = ("en", "de", "fi", "lv", "hi", "hy")
INTENTS = {
    "shipping_status": ("ship", "shipping"),
    "how_to_use": ("howto", "howto"),
    "repair_warranty": ("repair", "repair"),
    "refills_accessories": ("refill", "refill"),
    "return_refund": ("return", "return"),
    "cancellation": ("cancel", "cancel"),
    "address_change": ("address", "address"),
    "complaint_apology": ("sorry", "complaint"),
    "review_thanks": ("thanks", "thanks"),
    "review_request": ("review", "other"),
    "replenishment": ("restock", "other"),
    "birthday_greeting": ("birthday", "other"),
}
# What each reply must carry, whatever its language.
MUST_SHOW = {
    "shipping_status": ("#4124", "05212384761187"),
    "return_refund": ("Merikatu 4", "#4124"),
    "repair_warranty": ("Merikatu 4",),
    "review_request": (reply_cases.REVIEW_LINK,),
    "birthday_greeting": (reply_cases.EXTRA["discount_code"],),
    "refills_accessories": ("Juniper Deodorant 50 g",),
    "replenishment": ("Juniper Deodorant 50 g",),
}
FILES = sorted(builtin_dir().glob("*/*.j2"))
_MARKS = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|\bNone\b|\bUndefined\b")


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.fixture(scope="module")
def demo_box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path_factory.mktemp("files") / "store.db")
    reply_cases.load_reply_demo(box)
    box.templates.seed_builtin()
    yield box
    box.close()


def test_every_language_has_every_template() -> None:
    found = {(p.parent.name, p.stem) for p in FILES}
    wanted = {(lang, key) for lang in LANGUAGES for key in INTENTS}
    assert sorted(wanted - found) == []
    assert sorted(found - wanted) == []


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_file_header(path: Path) -> None:
    tf = read_template_file(path)
    assert tf.language in LANGUAGES and tf.key in INTENTS
    assert (tf.shortcut, tf.intent) == INTENTS[tf.key]
    assert tf.title and tf.category and tf.subject and tf.body
    assert "{{ shop.signature }}" in tf.body
    assert "default" not in tf.body  # a missing value must stop the reply, not vanish


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_file_renders_for_a_demo_case(demo_box: Mailbox, path: Path) -> None:
    case_id = reply_cases.case_of(demo_box, reply_cases.FULL_ORDER)
    language, key = path.parent.name, path.stem
    reply = demo_box.templates.render_for_case(key, case_id, language, reply_cases.EXTRA)
    assert reply.language == language and reply.note == ""
    assert reply.subject and "\n" not in reply.subject
    text = reply.subject + "\n" + reply.body
    assert not _MARKS.search(text), text
    assert "Ani" in reply.body  # the customer's first name
    assert reply.body.rstrip().endswith(reply_cases.SIGNATURE)
    for value in MUST_SHOW.get(key, ()):
        assert value in text, (value, text)
    assert "\n\n\n" not in reply.body and not reply.body.startswith("\n")


@pytest.mark.parametrize("path", [p for p in FILES if p.stem == "shipping_status"], ids=_id)
def test_shipping_status_refuses_a_case_without_tracking(demo_box: Mailbox, path: Path) -> None:
    case_id = reply_cases.case_of(demo_box, reply_cases.BARE_ORDER)
    with pytest.raises(RenderError) as err:
        demo_box.templates.render_for_case(path.stem, case_id, path.parent.name)
    assert "order.tracking_number" in err.value.missing


@pytest.mark.parametrize("path", [p for p in FILES if p.stem == "birthday_greeting"], ids=_id)
def test_birthday_greeting_needs_a_discount_code(demo_box: Mailbox, path: Path) -> None:
    case_id = reply_cases.case_of(demo_box, reply_cases.FULL_ORDER)
    with pytest.raises(RenderError) as err:
        demo_box.templates.render_for_case(path.stem, case_id, path.parent.name)
    assert err.value.missing == ("discount_code",)
