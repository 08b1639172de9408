"""Make a message's HTML safe to show: nh3 (ammonia) with a mail-sized allow-list.

Kept: ordinary formatting, lists, tables, images and links. Removed: scripts, styles blocks,
event handlers, forms, frames, objects, SVG, `<base>` and `<meta>` (so no refresh), relative
URLs, and every inline-style declaration that could fetch or run something (``url(``,
``expression(``, ``@import``, CSS escapes). Links keep their `href` only for http, https and
mailto. Images keep `cid:` sources (the reading pane serves those from the message) and
`data:image/...`; a remote (http, https or scheme-relative) image is held back unless remote
images are allowed: its `src` becomes `REMOTE_PLACEHOLDER` (the UI may draw a placeholder for
it), its `alt` text stays, and it is counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3

REMOTE_PLACEHOLDER = "shopdesk:remote-image"  # the src of a remote image held back

TAGS = {
    "a", "abbr", "acronym", "address", "b", "bdi", "bdo", "big", "blockquote", "br", "caption",
    "center", "cite", "code", "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u",
    "ul", "var", "wbr",
}  # fmt: skip
# Dropped with everything inside them (other unknown tags lose only the tag).
CONTENT_DROPPED = {
    "script", "style", "title", "noscript", "template", "iframe", "frame", "frameset",
    "object", "embed", "applet", "textarea", "select", "button", "svg", "math", "head",
}  # fmt: skip
_COMMON = {"align", "valign", "width", "height", "dir", "lang", "style", "bgcolor"}
ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href"},
    "img": {"src", "alt", "border", "hspace", "vspace"},
    "font": {"color", "face", "size"},
    "table": {"border", "cellpadding", "cellspacing", "summary", "frame", "rules"},
    "td": {"colspan", "rowspan", "nowrap", "headers", "scope", "abbr"},
    "th": {"colspan", "rowspan", "nowrap", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "ul": {"type"},
    "li": {"value", "type"},
    "hr": {"size", "noshade", "color"},
    "blockquote": {"type"},
}
URL_SCHEMES = {"http", "https", "mailto", "cid", "data"}
LINK_SCHEMES = ("http:", "https:", "mailto:")
STYLE_PROPERTIES = {
    "background", "background-color", "border", "border-bottom", "border-bottom-color",
    "border-bottom-style", "border-bottom-width", "border-collapse", "border-color",
    "border-left", "border-left-color", "border-left-style", "border-left-width",
    "border-radius", "border-right", "border-right-color", "border-right-style",
    "border-right-width", "border-spacing", "border-style", "border-top", "border-top-color",
    "border-top-style", "border-top-width", "border-width", "color", "direction", "display",
    "float", "font", "font-family", "font-size", "font-style", "font-variant", "font-weight",
    "height", "letter-spacing", "line-height", "list-style-type", "margin", "margin-bottom",
    "margin-left", "margin-right", "margin-top", "max-height", "max-width", "min-height",
    "min-width", "padding", "padding-bottom", "padding-left", "padding-right", "padding-top",
    "table-layout", "text-align", "text-decoration", "text-indent", "text-transform",
    "vertical-align", "white-space", "width", "word-break", "word-spacing", "word-wrap",
}  # fmt: skip
_STYLE_DANGER = re.compile(r"url\s*\(|expression|@import|javascript:|behavior|binding|\\|/\*|<")
_DATA_IMAGE = re.compile(r"data:image/(?:png|gif|jpe?g|webp|bmp);base64,", re.IGNORECASE)
_CID = re.compile(r"cid:(.+)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class CleanHtml:
    """Sanitised HTML and what was held back or referenced."""

    html: str
    remote_images_blocked: int
    content_ids: tuple[str, ...]  # the cid: images it shows (without "cid:" or brackets)


def clean_style(value: str) -> str | None:
    """Only harmless declarations of known properties; None when nothing is left."""
    kept = []
    for declaration in value.split(";"):
        name, sep, val = declaration.partition(":")
        name = name.strip().lower()
        if not sep or name not in STYLE_PROPERTIES:
            continue
        if _STYLE_DANGER.search(val.lower()) or any(ord(c) < 32 for c in val.strip()):
            continue
        kept.append(f"{name}: {val.strip()}")
    return "; ".join(kept) or None


def is_remote(src: str) -> bool:
    low = src.strip().lower()
    return low.startswith(("http:", "https:", "//"))


def sanitize_html(html: str, allow_remote: bool = False) -> CleanHtml:
    """Sanitise one HTML body (see the module's docstring); never raises on odd input."""
    blocked = 0
    content_ids: list[str] = []

    def relative(url: str) -> str | None:
        # scheme-relative images ("//host/x.png") are remote; everything else relative goes
        return "https:" + url if url.startswith("//") else None

    def attribute(tag: str, attr: str, value: str) -> str | None:
        nonlocal blocked
        if attr == "style":
            return clean_style(value)
        if tag == "a" and attr == "href":
            return value if value.strip().lower().startswith(LINK_SCHEMES) else None
        if tag == "img" and attr == "src":
            src = value.strip()
            cid = _CID.fullmatch(src)
            if cid:
                content_id = cid[1].strip().strip("<>").strip()
                content_ids.append(content_id)
                return f"cid:{content_id}"
            if _DATA_IMAGE.match(src):
                return src
            if is_remote(src):
                if allow_remote:
                    return src
                blocked += 1
                return REMOTE_PLACEHOLDER
            return None
        if attr in ("background", "src", "href", "action", "formaction", "srcset"):
            return None
        return value

    try:
        cleaned = nh3.clean(
            html,
            tags=TAGS,
            clean_content_tags=CONTENT_DROPPED,
            attributes=ATTRIBUTES,
            attribute_filter=attribute,
            url_schemes=URL_SCHEMES,
            url_relative=relative,
            link_rel=None,
            strip_comments=True,
        )
    except BaseException as exc:  # a bug in the sanitiser must not show unsafe HTML
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        cleaned, blocked, content_ids = "", 0, []
    return CleanHtml(cleaned, blocked, tuple(dict.fromkeys(content_ids)))
