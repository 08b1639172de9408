# ruff: noqa: RUF001  (letters that fold oddly are meant to be here)
"""The analysis's fast paths find exactly what the plain regexes they stand for find."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from desktop_app.core.threads import analyse, notice_fields, notice_rules, notices, order_refs
from desktop_app.core.threads.notice_text import _normalise

FIXTURES = Path(__file__).parent / "fixtures"
# Letters that case-fold oddly (dotted/dotless i, long s, Kelvin sign), scripts, overlaps
ODD = "İıſKé€ऑर्डरպատվեր"
PIECES = [
    *"#pPlacedon ()[]-_:1234567890aXé\n\t ",
    *ODD,
    *("placed on ", "PLACED ON ", "#12] (", "Order ", "ORDER", "pedidord", "bestellreferenz"),
    *("Tracking number: ", "TRACKİNG NUMBER: ", "ſendungsnummer ", "Total: ", "E-mail: "),
    *("Billing address\n", "== Lieferadresse ==\n", "Item: ", "Quantity: 2\n", "ABCDEFGHI"),
    *("Customer\n", "x@y.example", "List-Id: <a>", "Precedence: bulk", "receipt 1234567890"),
]


def random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40))) for _ in range(n)]


def fixture_bodies() -> list[str]:
    texts = [p.read_text("utf-8", "replace") for p in sorted(FIXTURES.glob("*.eml"))]
    return [_normalise(t) for t in texts] + texts


TEXTS = fixture_bodies() + random_texts(3000, 1)


def plain(label: notice_fields._Label) -> re.Pattern[str]:
    """The label as one multiline regex, without the first-letter lookahead."""
    return re.compile(re.sub(r"^\^\(\?=\[[^\]]*\]\)", "^", label.first.pattern), re.I | re.M)


LABELS = [v for v in vars(notice_fields).values() if isinstance(v, notice_fields._Label)]


def test_every_label_and_heading_is_checked() -> None:
    assert len(LABELS) >= 11


@pytest.mark.parametrize("label", LABELS, ids=lambda x: x.first.pattern[:30])
def test_label_lines_are_found_as_by_a_multiline_regex(label: notice_fields._Label) -> None:
    regex = plain(label)
    assert regex.pattern != label.first.pattern or "(?=" not in regex.pattern
    for text in TEXTS:
        fast = [(s, e, m.groupdict()) for s, e, m in label.finditer(text)]
        slow = [(m.start(), m.end(), m.groupdict()) for m in regex.finditer(text)]
        assert fast == slow, text


def test_first_letters_of_alternatives() -> None:
    assert notice_fields._first_letters("total|summe|e-?mail") == "est"
    assert notice_fields._first_letters("(?:a|b) c|d") == ""  # a group first: no gate
    assert notice_fields._first_letters("a?b|c") == ""


def test_anchor_hits_are_every_occurrence_of_every_anchor() -> None:
    anchors = (*order_refs._KEYWORD_ANCHORS, *order_refs._ITEM_ANCHORS, ("ms-", 0))
    finder = order_refs._anchor_finder(anchors)
    for text in [*TEXTS, "pedidord commandencomenda", "ordord"]:
        low = text.lower()
        naive: dict[str, list[int]] = {}
        for literal, _ in anchors:
            found = [i for i in range(len(low)) if low.startswith(literal, i)]
            if found:
                naive[literal] = found
        assert order_refs._anchor_hits(low, finder) == naive, text


def test_date_after_number_as_written_plainly() -> None:
    readable = re.compile(r"(?:#\s?[\w-]*\d+\]? \(|\bplaced on )(?P<d>[^)\n]{6,40})", re.I)
    for text in TEXTS:
        fast = [(m.span(), m["d"]) for m in notices._DATE_AFTER_NUMBER.finditer(text)]
        assert fast == [(m.span(), m["d"]) for m in readable.finditer(text)], text


def test_capital_candidates_as_written_plainly() -> None:
    readable = re.compile(r"(?<![\w-])[A-Z]{9}(?![\w-])")
    for text in [*TEXTS, "ABCDEFGHI", "-ABCDEFGHI", "xABCDEFGHI", "ABCDEFGHIJ", "é ABCDEFGHI"]:
        assert analyse._CANDIDATE_LETTERS.findall(text) == readable.findall(text), text


def test_digit_candidates_as_findall() -> None:
    for text in [*TEXTS, "order order #1234 #56789", "bestellungorder 12345"]:
        expected = analyse._CANDIDATE_DIGITS.findall(text)
        assert analyse._digit_candidates(text) == expected, text


def test_bulk_mail_as_the_header_regex_says() -> None:
    heads = [t.encode() for t in TEXTS] + [
        b"LIST-ID: <x>\r\n\r\nbody",
        b"Subject: a\r\nprecedence:\tjunk\r\n",
        b"Subject: a\r\nX-List-Id: no\r\n",
        b"Subject: a\r\n\r\nList-Id: in the body",
        b"Precedence: first-class\r\n",
    ]
    for head in heads:
        end = head.find(b"\r\n\r\n")
        end = head.find(b"\n\n") if end < 0 else end
        top = head if end < 0 else head[:end]
        assert analyse.is_bulk(head) == bool(analyse._BULK.search(top)), head


def test_customer_address_as_with_every_address_in_order() -> None:
    def reference(body: str, sender: str, own: frozenset[str]) -> str:
        sender_domain = sender.rpartition("@")[2]
        for found in analyse._EMAIL.findall(body[:20_000]):
            address = str(found).lower().rstrip(".")
            domain = address.rpartition("@")[2]
            if address in own or domain == sender_domain:
                continue
            if any(p in domain for p in analyse.PLATFORM_DOMAINS) or address.startswith(
                ("noreply", "no-reply")
            ):
                continue
            return address
        return ""

    own = frozenset({"me@shop.example"})
    extra = [
        "a.b+c_d-é@x.example me@shop.example",
        "@ x@y.example",
        "noreply@x.example k@z.example",
    ]
    for text in [*TEXTS, *extra]:
        assert analyse.customer_in(text, "s@y.example", own) == reference(text, "s@y.example", own)


def test_tracking_words_precede_every_tracking_label() -> None:
    texts = [*TEXTS, "TRACKİNG NUMBER: 1Z999", "ſendungsnummer: 12345678", "Numéro de suivi : X1"]
    for text in texts:
        if notice_fields._L_TRACKING.search(text) is not None:
            assert notices._may_name_tracking(text), text


def test_subject_keywords_as_a_case_blind_regex() -> None:
    regex = re.compile("|".join(notice_rules._KEYWORD_WORDS), re.I)
    subjects = [*TEXTS, "ORDER", "Bestellung", "LÄHETYS", "ſhipment", "SHİPMENT", "paket"]
    for subject in subjects:
        assert notice_rules._has_keyword(subject) == bool(regex.search(subject)), subject


def test_subject_platform_as_every_template_says() -> None:
    def every_template(subject: str) -> str | None:
        text = order_refs._REPLY_PREFIX.sub("", subject, count=1)
        return next((p for rx, p in order_refs._SUBJECT_TEMPLATES if rx.search(text)), None)

    subjects = [*TEXTS, "Re: You made a sale on Etſy", "[Shop]: New order #1001", "eBay #1"]
    for subject in subjects:
        assert order_refs._subject_platform(subject) == every_template(subject), subject
