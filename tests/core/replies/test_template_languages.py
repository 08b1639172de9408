"""The default replies in German, Finnish, Latvian, Hindi and Armenian render on a demo case."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.replies.render import RenderError
from desktop_app.core.replies.template_files import builtin_dir, read_template_file
from tests.helpers import reply_cases

LANGUAGES = ("de", "fi", "lv", "hi", "hy")
KEYS = sorted(p.stem for p in (builtin_dir() / "en").glob("*.j2"))
# What each language's replies open and close with, the script they are written in, and
# how the demo order's total (29.90 EUR) and ship date (3 May 2031) read in that locale.
GREETING = {
    "de": "Hallo Ani,",
    "fi": "Hei Ani,",
    "lv": "Labdien, Ani!",
    "hi": "नमस्ते Ani जी,",
    "hy": "Հարգելի Ani,",
}
CLOSINGS = {
    "de": ("viele grüße", "herzliche grüße"),
    "fi": ("terveisin",),
    "lv": ("ar cieņu", "ar siltiem sveicieniem", "ar pateicību"),
    "hi": ("सादर,", "सहित,"),
    "hy": ("հարգանքով\N{ARMENIAN COMMA}", "մաղթանքներով\N{ARMENIAN COMMA}"),
}
SCRIPT = {
    "de": "[äöüß]",
    "fi": "[äö]",
    "lv": "[āēīūčšžļņķģ]",
    "hi": "[\u0900-\u097f]",
    "hy": "[\u0531-\u058f]",
}
EURO = "29,90\N{NO-BREAK SPACE}€"
MONEY = {"de": EURO, "fi": EURO, "lv": EURO, "hi": "€29.90", "hy": EURO}
SHIPPED = {
    "de": "am 3. Mai 2031",
    "fi": "3. toukokuuta 2031",
    "lv": "Nosūtīšanas datums: 2031. gada 3. maijs",
    "hi": "3 मई 2031 को",
    "hy": "2031 թ. մայիսի 3-ին",
}
ENGLISH_WORDS = re.compile(r"\b(Hello|Kind regards|your order|thank you)\b", re.I)
VARIABLE = re.compile(r"\b(?:customer|order|shop|case)\.\w+|\bdiscount_code\b")


@pytest.fixture(scope="module")
def box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path_factory.mktemp("languages") / "store.db")
    reply_cases.load_reply_demo(box)
    yield box
    box.close()


@pytest.fixture(scope="module")
def full_case(box: Mailbox) -> int:
    return reply_cases.case_of(box, reply_cases.FULL_ORDER)


def test_every_language_has_the_twelve_replies_with_the_english_headers() -> None:
    assert len(KEYS) == 12
    for language in LANGUAGES:
        folder = builtin_dir() / language
        assert sorted(p.stem for p in folder.glob("*.j2")) == KEYS, language
        for key in KEYS:
            english = read_template_file(builtin_dir() / "en" / f"{key}.j2")
            ours = read_template_file(folder / f"{key}.j2")
            assert (ours.shortcut, ours.intent) == (english.shortcut, english.intent), key
            assert ours.title and ours.category and ours.subject
            assert (ours.title, ours.category) != (english.title, english.category), key


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_reply_needs_a_value_the_english_one_does_not(language: str) -> None:
    """The composer asks for the same values whichever language the customer writes."""
    for key in KEYS:
        english = (builtin_dir() / "en" / f"{key}.j2").read_text("utf-8")
        ours = (builtin_dir() / language / f"{key}.j2").read_text("utf-8")
        assert set(VARIABLE.findall(ours)) <= set(VARIABLE.findall(english)), key


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_reply_renders_in_its_language(
    box: Mailbox, full_case: int, language: str, key: str
) -> None:
    reply = box.templates.render_for_case(key, full_case, language, reply_cases.EXTRA)
    assert reply.language == language and not reply.note
    text = f"{reply.subject}\n{reply.body}"
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert "None" not in text
    assert reply.body.startswith(GREETING[language] + "\n\n")
    assert reply.body.rstrip().endswith(reply_cases.SIGNATURE)
    assert any(c in reply.body.lower() for c in CLOSINGS[language])
    assert re.search(SCRIPT[language], reply.body, re.I)
    assert not ENGLISH_WORDS.search(text)
    assert "\n\n\n" not in reply.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_dates_links_and_codes_read_as_in_that_country(
    box: Mailbox, full_case: int, language: str
) -> None:
    def body(key: str) -> str:
        return box.templates.render_for_case(key, full_case, language, reply_cases.EXTRA).body

    assert MONEY[language] in body("return_refund")
    assert MONEY[language] in body("cancellation")
    shipping = body("shipping_status")
    assert SHIPPED[language] in shipping
    assert "05212384761187" in shipping and "DPD" in shipping
    assert reply_cases.REVIEW_LINK in body("review_request")
    assert reply_cases.EXTRA["discount_code"] in body("birthday_greeting")
    assert "Merikatu 4" in body("return_refund")


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_a_case_lacks_is_named_not_left_blank(box: Mailbox, language: str) -> None:
    bare = reply_cases.case_of(box, reply_cases.BARE_ORDER)
    with pytest.raises(RenderError) as shipping:
        box.templates.render_for_case("shipping_status", bare, language)
    assert "order.tracking_number" in shipping.value.missing
    full = reply_cases.case_of(box, reply_cases.FULL_ORDER)
    with pytest.raises(RenderError) as birthday:
        box.templates.render_for_case("birthday_greeting", full, language)
    assert birthday.value.missing == ("discount_code",)
