"""The template library: seeding built-ins, shortcuts, editing, files, reply language."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.replies.render import RenderError
from desktop_app.core.replies.template_files import (
    TemplateFileError,
    builtin_dir,
    parse_template_text,
    read_template_file,
)
from desktop_app.core.replies.templates import (
    TemplateInfo,
    TemplateInvalid,
    TemplateNotFound,
    Templates,
)
from desktop_app.core.store import shop_settings
from tests.helpers import reply_cases

SHORTCUTS = {
    "shipping_status": "ship",
    "how_to_use": "howto",
    "repair_warranty": "repair",
    "refills_accessories": "refill",
    "return_refund": "return",
    "cancellation": "cancel",
    "address_change": "address",
    "complaint_apology": "sorry",
    "review_thanks": "thanks",
    "review_request": "review",
    "replenishment": "restock",
    "birthday_greeting": "birthday",
}
TEMPLATE = """title: Hello there
category: Mine
shortcut: hi
intent: other
subject: About {{ order.number }}
---
Hello {{ customer.first_name }},

see you.
"""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A built-in library of our own: the English files and one German one."""
    folder = tmp_path / "library"
    shutil.copytree(builtin_dir() / "en", folder / "en")
    (folder / "de").mkdir()
    (folder / "de" / "greeting.j2").write_text(
        TEMPLATE.replace("Hello", "Hallo").replace("shortcut: hi", "shortcut: hallo"), "utf-8"
    )
    return folder


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path / "store.db")
    yield box
    box.close()


@pytest.fixture
def templates(box: Mailbox, library: Path) -> Templates:
    return Templates(box.store, builtin_folder=library)


def test_mailbox_has_the_library_with_the_shipped_templates(box: Mailbox) -> None:
    assert isinstance(box.templates, Templates)
    english = box.templates.list("en")
    assert {t.key: t.shortcut for t in english} == SHORTCUTS
    assert all(t.builtin and not t.modified for t in english)


def test_seeding_adds_once_and_lists_by_category(templates: Templates) -> None:
    assert templates.seed_builtin() == 13
    assert templates.seed_builtin() == 0
    listed = templates.list()
    assert len(listed) == 13
    assert [t.category for t in listed] == sorted(t.category for t in listed)
    assert [t.key for t in templates.list("de")] == ["greeting"]


def test_first_use_seeds(templates: Templates) -> None:
    info = templates.get("shipping_status", "en")
    assert info is not None and info.shortcut == "ship" and info.intent == "shipping"
    assert templates.get("shipping_status", "fi") is None


def test_shortcut_lookup_in_language_then_english(templates: Templates) -> None:
    found = templates.find_shortcut(";ship", "en")
    assert found is not None and found.key == "shipping_status"
    hallo = templates.find_shortcut("hallo", "de")
    assert hallo is not None and hallo.key == "greeting" and hallo.language == "de"
    fallback = templates.find_shortcut("ship", "de")
    assert fallback is not None and fallback.language == "en"
    assert templates.find_shortcut("nothing", "en") is None
    assert templates.find_shortcut(";", "en") is None


def test_save_new_update_and_refusals(templates: Templates) -> None:
    new = TemplateInfo(None, "my_reply", "en", "Mine", "Own", ";mine", "other",
                       "S", "Hi {{ customer.first_name }}\n", False, False)  # fmt: skip
    saved = templates.save(new)
    assert saved.id is not None and saved.shortcut == "mine" and not saved.builtin
    again = templates.save(replace(saved, body="Bye\n"))
    assert again.id == saved.id and templates.get("my_reply", "en") == again
    with pytest.raises(TemplateInvalid, match=";ship is taken by 'shipping_status'"):
        templates.save(replace(saved, shortcut="ship"))
    with pytest.raises(TemplateInvalid, match="mistake"):
        templates.save(replace(saved, body="{% if %}"))
    with pytest.raises(TemplateInvalid, match="lower-case"):
        templates.save(replace(saved, id=None, key="Bad Key"))
    with pytest.raises(TemplateInvalid, match="exists already"):
        templates.save(replace(saved, key="shipping_status"))


def test_duplicate_and_delete(templates: Templates) -> None:
    copy = templates.duplicate("shipping_status", "en", "shipping_short")
    original = templates.get("shipping_status", "en")
    assert original is not None
    assert copy.body == original.body and copy.shortcut == "" and not copy.builtin
    assert copy.title == "Where is my order? (copy)"
    with pytest.raises(TemplateInvalid):
        templates.duplicate("shipping_status", "en", "shipping_short")
    with pytest.raises(TemplateNotFound):
        templates.duplicate("nope", "en", "nope2")
    templates.delete("shipping_short", "en")
    assert templates.get("shipping_short", "en") is None
    with pytest.raises(TemplateNotFound):
        templates.delete("shipping_short", "en")


def test_library_update_spares_edited_deleted_and_own(templates: Templates, library: Path) -> None:
    templates.seed_builtin()
    edited = templates.get("cancellation", "en")
    assert edited is not None
    templates.save(replace(edited, body="My own words.\n"))
    templates.delete("review_thanks", "en")
    own = templates.save(TemplateInfo(None, "refills_accessories_x", "en", "Mine", "", "",
                                      "", "", "Mine\n", False, False))  # fmt: skip
    for key in ("cancellation", "review_thanks", "how_to_use"):
        path = library / "en" / f"{key}.j2"
        path.write_text(path.read_text("utf-8") + "\nP.S. New text.\n", "utf-8")
    assert templates.seed_builtin() == 1  # only how_to_use
    how_to = templates.get("how_to_use", "en")
    assert how_to is not None and how_to.body.endswith("P.S. New text.\n")
    kept = templates.get("cancellation", "en")
    assert kept is not None and kept.body == "My own words.\n" and kept.modified
    assert templates.get("review_thanks", "en") is None
    assert templates.get("refills_accessories_x", "en") == own


def test_render_for_case_follows_the_customers_language(box: Mailbox, library: Path) -> None:
    reply_cases.load_reply_demo(box)
    templates = Templates(box.store, builtin_folder=library)
    case_id = reply_cases.case_of(box, reply_cases.FULL_ORDER)
    reply_cases.set_customer_language(box, case_id, "de")
    assert templates.reply_language(case_id) == "de"
    greeting = templates.render_for_case("greeting", case_id)
    assert greeting.body.startswith("Hallo Ani,") and greeting.language == "de"
    assert greeting.note == ""
    shipping = templates.render_for_case("shipping_status", case_id)
    assert shipping.language == "en" and "no German text yet" in shipping.note
    assert "3 May 2031" in shipping.body and "05212384761187" in shipping.body
    with pytest.raises(TemplateNotFound):  # asked for English, and there is none
        templates.render_for_case("greeting", case_id, language="en")


def test_reply_language_falls_back_to_the_shop_then_english(box: Mailbox) -> None:
    reply_cases.load_reply_demo(box)
    case_id = reply_cases.case_of(box, reply_cases.FULL_ORDER)
    reply_cases.set_customer_language(box, case_id, None)
    assert box.templates.reply_language(case_id) == "en"
    with box.store.session() as s:
        shop_settings.save(s, replace(shop_settings.load(s), default_language="fi"))
    assert box.templates.reply_language(case_id) == "fi"
    with pytest.raises(RenderError, match="no case"):
        box.templates.reply_language(987654)


def test_render_for_case_names_missing_values(box: Mailbox) -> None:
    reply_cases.load_reply_demo(box)
    case_id = reply_cases.case_of(box, reply_cases.BARE_ORDER)
    with pytest.raises(RenderError) as err:
        box.templates.render_for_case("shipping_status", case_id, "en")
    assert "order.tracking_number" in err.value.missing
    with pytest.raises(RenderError, match=r"\(discount_code\)"):
        box.templates.render_for_case("birthday_greeting", case_id, "en")
    done = box.templates.render_for_case(
        "birthday_greeting", case_id, "en", {"discount_code": "B7"}
    )
    assert "B7" in done.body
    with pytest.raises(TemplateNotFound):
        box.templates.render_for_case("no_such_template", case_id)


def test_export_then_import_round_trip(templates: Templates, tmp_path: Path) -> None:
    mine = templates.save(TemplateInfo(None, "note_x", "en", "Ünïcode ✓", "Mine", "uni", "other",
                                       "Sub {{ order.number }}", "Line 1\n\nLine 3 — ✓\n",
                                       False, False))  # fmt: skip
    out = tmp_path / "export"
    assert templates.export_files(out) == 14
    assert templates.export_files(tmp_path / "one", keys=["note_x"]) == 1
    assert sorted(p.name for p in (tmp_path / "one").rglob("*.j2")) == ["note_x.j2"]
    other = Templates(Mailbox.open(tmp_path / "other.db").store, builtin_folder=tmp_path / "none")
    assert other.import_files(sorted(out.rglob("*.j2"))) == 14
    back = other.get("note_x", "en")
    assert back is not None
    assert (back.title, back.category, back.shortcut, back.subject, back.body) == (
        mine.title, mine.category, mine.shortcut, mine.subject, mine.body,
    )  # fmt: skip
    ship, original = other.get("shipping_status", "en"), templates.get("shipping_status", "en")
    assert ship is not None and original is not None
    assert ship == replace(original, id=ship.id, builtin=False, modified=False)
    other.store.close()


def test_import_replaces_and_marks_a_builtin_edited(templates: Templates, tmp_path: Path) -> None:
    path = tmp_path / "en" / "cancellation.j2"
    path.parent.mkdir()
    path.write_text(TEMPLATE.replace("shortcut: hi", "shortcut: cancel"), "utf-8")
    assert templates.import_files([path]) == 1
    info = templates.get("cancellation", "en")
    assert info is not None and info.builtin and info.modified and info.title == "Hello there"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("title: x\nno separator\n", "no line '---'"),
        ("title: x\nwhat: y\n---\nbody\n", "line 2: expected 'name: value'"),
        ("just words\n---\nbody\n", "line 1"),
    ],
)
def test_bad_files_are_named(text: str, words: str) -> None:
    with pytest.raises(TemplateFileError, match=words):
        parse_template_text(text, "x", "en")


def test_file_language_from_folder_or_header(tmp_path: Path) -> None:
    loose = tmp_path / "greeting.j2"
    loose.write_text(TEMPLATE, "utf-8")
    with pytest.raises(TemplateFileError, match="language"):
        read_template_file(loose)
    loose.write_text("language: fi\n" + TEMPLATE, "utf-8")
    parsed = read_template_file(loose)
    assert (parsed.key, parsed.language, parsed.shortcut) == ("greeting", "fi", "hi")
    (tmp_path / "bad.j2").write_bytes(b"title: \xff\n---\n")
    with pytest.raises(TemplateFileError, match="UTF-8"):
        read_template_file(tmp_path / "bad.j2")
