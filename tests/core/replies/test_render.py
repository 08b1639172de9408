"""Rendering replies: case values, Babel formats, missing values named, the sandbox holds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.mailbox import Mailbox
from desktop_app.core.replies import formats
from desktop_app.core.replies.context import first_name
from desktop_app.core.replies.render import RenderError, case_context, render_template
from desktop_app.core.replies.sandbox import Values
from tests.helpers import reply_cases


@pytest.fixture(scope="module")
def demo_box(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mailbox]:
    box = Mailbox.open(tmp_path_factory.mktemp("render") / "store.db")
    reply_cases.load_reply_demo(box)
    yield box
    box.close()


def context(**order: Any) -> dict[str, Any]:
    values = {
        "number": "#1001",
        "placed_at": datetime(2025, 1, 8, 10, 14),
        "total": Decimal("1234.5"),
        "currency": "EUR",
        "items": (
            Values("order.items", {"title": "Face Cream", "quantity": 2, "price": Decimal("12")}),
            Values("order.items", {"title": "Lip Balm", "quantity": 1}),
        ),
        **order,
    }
    return {
        "customer": Values("customer", {"name": "Grace Walker", "first_name": "Grace"}),
        "order": Values("order", {k: v for k, v in values.items() if v is not None}),
        "shop": Values("shop", {"name": "Northwind", "signature": "Ann\nNorthwind"}),
    }


def body(text: str, ctx: dict[str, Any] | None = None, locale: str = "en_GB") -> str:
    return render_template("", text, context() if ctx is None else ctx, locale).body


def test_case_context_reads_customer_order_shop_and_case(demo_box: Mailbox) -> None:
    case_id = reply_cases.case_of(demo_box, reply_cases.FULL_ORDER)
    with demo_box.store.session() as s:
        ctx = case_context(s, case_id, "en", {"discount_code": "X1", "order": "ignored"})
    customer, order, shop = ctx["customer"], ctx["order"], ctx["shop"]
    assert (customer.name, customer.first_name) == ("Ani Hakobyan", "Ani")
    assert "@" in customer.email and customer.language == "en"
    assert order.number == "#4124" and order.carrier == "DPD"
    assert order.tracking_number == "05212384761187"
    assert order.tracking_url == "https://tracking.dpd.example/parcel/05212384761187"  # its own
    assert order.shipped_at == datetime(2031, 5, 3, 12, 0)
    assert order.currency == "EUR" and isinstance(order.total, Decimal)
    assert [i.title for i in order.items] == ["Juniper Deodorant 50 g"]
    assert shop.name == "Northwind Botanicals" and shop.signature == reply_cases.SIGNATURE
    assert shop.review_link == reply_cases.REVIEW_LINK
    assert ctx["case"].id == case_id and ctx["case"].subject
    assert ctx["discount_code"] == "X1"
    assert isinstance(ctx["order"], Values)  # a typed value cannot replace the order


def test_tracking_link_built_when_the_order_has_none(demo_box: Mailbox) -> None:
    from desktop_app.core.store.models import Order

    case_id = reply_cases.case_of(demo_box, reply_cases.FULL_ORDER)
    with demo_box.store.session() as s:
        order = s.query(Order).filter(Order.number == reply_cases.FULL_ORDER).one()
        own, order.tracking_url = order.tracking_url, ""
        s.flush()
        ctx = case_context(s, case_id, "en")
        order.tracking_url = own
    assert ctx["order"].tracking_url == "https://tracking.dpd.de/status/en_US/parcel/05212384761187"


def test_a_case_without_tracking_lacks_it(demo_box: Mailbox) -> None:
    case_id = reply_cases.case_of(demo_box, reply_cases.BARE_ORDER)
    with demo_box.store.session() as s:
        ctx = case_context(s, case_id, "en")
    with pytest.raises(RenderError) as err:
        render_template("", "{{ order.tracking_number }} {{ order.carrier }}", ctx, "en_GB")
    assert err.value.missing == ("order.tracking_number", "order.carrier")


def test_unknown_case_is_refused(demo_box: Mailbox) -> None:
    with demo_box.store.session() as s, pytest.raises(RenderError, match="no case 99999"):
        case_context(s, 99999, "en")


def test_variables_loops_and_optional_sentences() -> None:
    text = (
        "Hello {{ customer.first_name }},\n"
        "{% for item in order.items %}\n- {{ item.quantity }} x {{ item.title }}\n{% endfor %}\n"
        "{% if order.tracking_url %}\nTrack: {{ order.tracking_url }}\n{% endif %}\n"
        "{{ shop.signature }}"
    )
    out = body(text)
    assert out == "Hello Grace,\n- 2 x Face Cream\n- 1 x Lip Balm\nAnn\nNorthwind\n"
    tracked = body(text, context(tracking_url="https://t.example/1"))
    assert "Track: https://t.example/1\n" in tracked


@pytest.mark.parametrize(
    ("locale", "money", "day"),
    [
        ("en_GB", "€1,234.50", "8 January 2025"),
        ("de_DE", "1.234,50\xa0€", "8. Januar 2025"),
        ("fi_FI", "1\xa0234,50\xa0€", "8. tammikuuta 2025"),
        ("lv_LV", "1\xa0234,50\xa0€", "2025. gada 8. janvāris"),
        ("hi_IN", "€1,234.50", "8 जनवरी 2025"),
        ("hy_AM", "1\xa0234,50\xa0€", "2025 թ. հունվարի 8"),
    ],
)
def test_money_and_dates_follow_the_locale(locale: str, money: str, day: str) -> None:
    out = body(
        "{{ order.total | money(order.currency) }}|{{ order.placed_at | date }}", None, locale
    )
    assert out == f"{money}|{day}\n"


def test_bare_language_takes_its_locale_and_datetime_shows_local_time() -> None:
    assert body("{{ order.placed_at | date }}", None, "de") == "8. Januar 2025\n"
    moment = datetime(2025, 1, 8, 10, 14, tzinfo=UTC).astimezone()
    assert body("{{ order.placed_at | datetime('short') }}").startswith(moment.strftime("%d/%m/%Y"))
    assert body("{{ order.placed_at | date('short') }}") == "08/01/2025\n"


def test_locale_for_prefers_the_shops_own_for_its_language() -> None:
    assert formats.locale_for("en", "en_US", "en") == "en_US"
    assert formats.locale_for("de", "en_US", "en") == "de_DE"
    assert formats.locale_for("en", "xx_nonsense", "en") == "en_GB"


@pytest.mark.parametrize(
    ("carrier", "number", "start"),
    [
        ("DHL", "00340434299870188230", "https://www.dhl.com/"),
        ("DPD Standard (3-5 working days)", "0521", "https://tracking.dpd.de/"),
        ("Royal Mail Tracked 48", "AB123", "https://www.royalmail.com/"),
        ("Latvijas Pasts", "RR1LV", "https://www.pasts.lv/"),
        ("Omniva pakomāts", "CE47", "https://www.omniva.lv/"),
        ("Posti", "JJFI1", "https://www.posti.fi/"),
        ("India Post", "EE1IN", "https://www.indiapost.gov.in/"),
    ],
)
def test_tracking_links_for_known_carriers(carrier: str, number: str, start: str) -> None:
    url = formats.tracking_url(carrier, number)
    assert url.startswith(start) and number in url


def test_no_tracking_link_for_an_unknown_carrier_or_number() -> None:
    assert formats.tracking_url("Bob's Van", "123") == ""
    assert formats.tracking_url("DHL", " ") == ""
    assert formats.tracking_url("UPSIDE", "1") == ""


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Grace Walker", "Grace"),
        ("Weber, Thomas", "Thomas"),
        ("", ""),
        ("a@b.example", ""),
        ("GRACE WALKER", "Grace"),
        ("grace", "Grace"),
        ('"Mary-Ann" McDonald', "Mary-Ann"),
        ("राहुल वर्मा", "राहुल"),
        ("Անի Հակոբյան", "Անի"),
    ],
)
def test_first_name(name: str, first: str) -> None:
    assert first_name(name) == first


def test_every_missing_value_is_named_in_one_sentence() -> None:
    text = (
        "{{ order.tracking_number }} {{ discount_code }} {{ order.tracking_number }}\n"
        "{% for item in order.items %}{{ item.price | money(order.currency) }}{% endfor %}"
    )
    with pytest.raises(RenderError) as err:
        render_template("Re {{ customer.email }}", text, context(), "en_GB")
    assert err.value.missing == (
        "customer.email",
        "order.tracking_number",
        "discount_code",
        "order.items.price",
    )
    message = str(err.value)
    assert message.startswith("This reply needs the customer's e-mail address (customer.email),")
    assert "the order's tracking number (order.tracking_number)" in message
    assert "\n" not in message


def test_a_single_missing_value_reads_plainly() -> None:
    with pytest.raises(RenderError) as err:
        body("Track: {{ order.tracking_number }}")
    assert str(err.value) == (
        "This reply needs the order's tracking number (order.tracking_number), "
        "and this case has none."
    )
    with pytest.raises(RenderError, match=r"discount code \(discount_code\); type it in"):
        body("{{ discount_code }}")
    with pytest.raises(RenderError, match=r"review link \(shop.review_link\); fill it in"):
        body("{{ shop.review_link }}")


def test_comparing_with_a_missing_value_names_it_but_testing_it_does_not() -> None:
    text = "{% if order.carrier == 'DHL' %}DHL{% endif %}{% if discount_code %}{% endif %}"
    with pytest.raises(RenderError) as err:
        body(text + "{{ order.tracking_number }}")
    assert err.value.missing == ("order.carrier", "order.tracking_number")
    assert (
        body("{% if discount_code is defined %}x{% endif %}{% if not discount_code %}y{% endif %}")
        == "y\n"
    )


def test_a_missing_order_names_its_values() -> None:
    ctx = context()
    ctx["order"] = Values("order", {})
    with pytest.raises(RenderError) as err:
        body("{{ order.number }} {{ order.placed_at | date }}", ctx)
    assert err.value.missing == ("order.number", "order.placed_at")


def test_default_filter_cannot_hide_a_missing_value() -> None:
    with pytest.raises(RenderError, match="default"):
        body("{{ discount_code | default('') }}")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{{ order.number | date }}", "date filter needs a date"),
        ("{{ order.placed_at | date('weird') }}", "date format must be one of"),
        ("{{ order.number | money('EUR') }}", "money filter needs an amount"),
        ("{{ order.total | money('EURO') }}", "'EURO' is not a currency code"),
        ("{{ order.total | money }}", "needs a currency code"),
        ("Hi {{ customer.first_name", "mistake on line 1"),
        ("{% for x in order.items %}", "mistake on line 1"),
        ("{{ order.number + 1 }}", "cannot be filled in"),
        ("{{ order }}", "order is a group of values: print one of them, such as order.number"),
    ],
)
def test_wrong_values_and_mistakes_are_named(text: str, words: str) -> None:
    with pytest.raises(RenderError, match=words):
        body(text)


SSTI_PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__()[40]('/etc/passwd').read() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ config }}",
    "{{ config.items() }}",
    "{{ request }}",
    "{{ request.application.__globals__.__builtins__.__import__('os') }}",
    "{{ lipsum.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ range.__globals__ }}",
    "{{ order.__class__ }}",
    "{{ order._values }}",
    "{{ order['_values'] }}",
    "{{ order.items[0].__dict__ }}",
    "{{ customer.first_name.__class__.__base__.__subclasses__() }}",
    '{{ "{0.__class__}".format(order) }}',
    '{{ "{0._values}".format(order) }}',
    '{{ "{0.__init__.__globals__}".format(order) }}',
    '{{ "{x.__class__}".format_map({"x": order}) }}',
    '{{ "%s" % order }}',
    "{{ order.number|attr('__class__') }}",
    "{{ ().__class__.__mro__ | list }}",
    "{% set x = order.__class__ %}{{ x }}",
    "{% if order.__class__ %}yes{% endif %}",
    "{% import 'os' as os %}",
    "{% include '/etc/passwd' %}",
    "{% extends '/etc/passwd' %}",
]


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_template_injection_is_refused(payload: str) -> None:
    with pytest.raises(RenderError) as err:
        body(payload)
    assert "\n" not in str(err.value)
    assert "class '" not in str(err.value) and "root:" not in str(err.value)


RUNAWAY = [
    "{{ range(10**9) | list }}",
    "{{ range(10**5) | join(',') }}",
    "{% for i in range(999) %}{% for j in range(999) %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "{{ 'x' * 10**8 }}",
    "{{ [1] * 10**8 }}",
    "{{ 10 ** 100000 }}",
    "{{ (10 ** 1000) * (10 ** 1000) * (10 ** 1000) * (10 ** 1000) * (10 ** 1000) }}",
    "{{ 'x'.ljust(10**9) }}",
    '{{ "{0:>999999999}".format(1) }}',
    '{{ "{x:>999999999}".format_map({"x": 1}) }}',
    "{{ 'x'['format'](1) }}",
    "{{ 'x'.center(10**9) }}",
    "{{ 'x' | center(10**9) }}",
    "{{ 'x' | indent(10**9) }}",
    "{{ '%999999999s' | format(1) }}",
    "{{ 'ab' | replace('', 'x' * 90000) }}",
    "{% set s = 'x' * 90000 %}{% set s = s ~ s %}{% set s = s ~ s %}{{ s | length }}",
    "{% set s = 'x' * 90000 %}{% set s = s + s %}{{ s | length }}",
    "{% for i in range(999) %}{{ 'y' * 999 }}{% endfor %}",
    "{% set s = 'x' * 99999 %}{{ [s, s, s, s, s, s, s, s, s, s, s, s] }}",
    "{% set s = 'x' * 99999 %}{{ [s, s, s] | upper }}",
    "{% set s = 'x' * 99999 %}{{ [s, s, s] | string }}",
    "{% set s = 'x' * 99999 %}{{ s ~ s ~ s ~ s }}",
    "{% set s = 'x' * 99999 %}{{ {'a': s, 'b': s} }}",
    "{{ [[1] * 99999] * 99999 }}",
    "{{ ([[1] * 99999] * 99999) | sum(start=[]) }}",
    "{{ ([[1] * 9999] * 9999) | join(',') }}",
    "{{ ['a'] | join('x' * 99999) }}{{ (['a'] * 99) | join('x' * 99999) }}",
    "{{ order.items | batch(10**9, 'x') | list }}",
    "{{ order.items | slice(10**9) | list }}",
    "{{ 'a ' * 40000 | wordwrap(1, wrapstring='x' * 99999) }}",
]


@pytest.mark.parametrize("payload", RUNAWAY)
def test_runaway_work_is_stopped(payload: str) -> None:
    with pytest.raises(RenderError):
        body(payload)


def test_ordinary_loops_and_arithmetic_still_work() -> None:
    out = body("{% for i in range(3) %}{{ i * 2 }}{% endfor %} {{ 2 ** 10 }} {{ 7 % 3 }}")
    assert out == "024 1024 1\n"
    assert body("{{ order.items | map(attribute='title') | join(', ') }}") == (
        "Face Cream, Lip Balm\n"
    )
    assert body("{{ customer.name.upper() }} {{ 'a' ~ 'b' }}") == "GRACE WALKER ab\n"
    total = "{{ order.items | selectattr('price', 'defined') | sum(attribute='price') }}"
    assert body(total) == "12\n"
    assert body("{{ [1, 2.5] | sum }} {{ order.items | length }}") == "3.5 2\n"


@pytest.mark.parametrize(
    "text",
    [
        "{% raw %}{{ customer.first_name }}{% endraw %}",
        "{{ '{{' }} customer.first_name }}",
        "{{ '{%' }}",
        "{{ '{#' }}",
    ],
)
def test_a_reply_never_holds_template_marks(text: str) -> None:
    with pytest.raises(RenderError, match="template marks"):
        body(text)


def test_a_value_with_template_marks_is_refused_not_sent() -> None:
    ctx = context()
    ctx["customer"] = Values("customer", {"first_name": "{{ evil }}"})
    with pytest.raises(RenderError, match="template marks"):
        body("Hello {{ customer.first_name }}", ctx)


def test_subject_is_one_line_and_body_ends_with_one_newline() -> None:
    out = render_template("Order\n {{ order.number }}  ", "\n\nHi\n\n\n", context(), "en_GB")
    assert out.subject == "Order #1001"
    assert out.body == "Hi\n"
    assert out.language == "en"


def test_huge_output_is_stopped() -> None:
    with pytest.raises(RenderError, match="100,000"):
        body("{% for i in range(900) %}{{ 'z' * 900 }}{% endfor %}")


def test_the_sandbox_holds_when_templates_come_from_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    with pytest.raises(RenderError):
        body(f"{{% include '{secret}' %}}")
