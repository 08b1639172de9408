"""One message body in a QTextBrowser that never fetches anything itself and never follows links.

Resources: `cid:` images come from the message's own parts, `data:` images are decoded by Qt,
remote (http/https) images only from what the conversation fetched after the merchant allowed
them; everything else (file:, qrc:, ...) is refused. Links are reported, never followed here.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from PySide6.QtCore import QByteArray, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QCursor, QImage, QTextDocument
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QToolTip, QWidget

_DOMAIN_TEXT = re.compile(
    r"^\s*(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[:/?#]\S*)?\s*$",
    re.IGNORECASE,
)
SAFE_SCHEMES = ("http", "https", "mailto")
REMOTE_PLACEHOLDER = "shopdesk:remote-image"  # the core's src for a held-back remote image
_REMOTE_IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']?(https?://[^"'\s>]+)""", re.IGNORECASE)


def blocked_image() -> QImage:
    """What a held-back remote image shows instead: a flat light-grey box (it is stretched to
    the size the mail gives the image, so it carries no drawing that would stretch badly)."""
    image = QImage(32, 24, QImage.Format.Format_RGB32)
    image.fill(QColor("#e4e4e4"))
    return image


def _bare_host(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def misleading_link(text: str, url: QUrl) -> bool:
    """True when the link text reads as an address on another domain than the real target
    ("paypal.com" pointing to evil.example)."""
    match = _DOMAIN_TEXT.match(text)
    if match is None:
        return False
    shown = _bare_host(match.group(1))
    if url.scheme() == "mailto":
        real = _bare_host(url.path().rpartition("@")[2])
        return "@" not in text and shown != real
    real = _bare_host(url.host())
    return shown != real and not real.endswith("." + shown)


def remote_image_urls(html: str) -> list[str]:
    """The http(s) image addresses in an HTML body, in order, once each."""
    return list(dict.fromkeys(m.group(1).replace("&amp;", "&") for m in _REMOTE_IMG.finditer(html)))


def _cid_key(url: QUrl) -> str:
    text = url.toString()
    return unquote(text[4:] if text.lower().startswith("cid:") else text).strip("<>")


class MessageBrowser(QTextBrowser):
    """Shows one sanitised HTML or plain-text body, as tall as its content.

    Signals: `link_hovered(str)` (the real address, "" when the pointer left the link),
    `link_activated(QUrl, str)` (the address and the text the link showed).
    """

    link_hovered = Signal(str)
    link_activated = Signal(QUrl, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.inline_images: dict[str, tuple[str, bytes]] = {}
        self.remote_allowed = False
        self.remote_images: dict[str, QImage] = {}
        self.refused: list[str] = []  # addresses asked for and refused (for tests and the log)
        self.anchor_texts: dict[str, str] = {}
        self.highlighted.connect(self._hovered)
        self.anchorClicked.connect(self._clicked)
        self.document().documentLayout().documentSizeChanged.connect(lambda _s: self._fit())

    # ---------------------------------------------------------------- content

    def show_html(
        self,
        html: str,
        inline_images: dict[str, tuple[str, bytes]] | None = None,
        remote_allowed: bool = False,
    ) -> None:
        self.inline_images = dict(inline_images or {})
        self.remote_allowed = remote_allowed
        # Mail HTML is written for white paper (dark text, light tables): keep it on white
        # in dark mode too, as mail programs do.
        self.setStyleSheet("QTextBrowser { background: #ffffff; color: #1a1a1a; }")
        self.document().setDefaultStyleSheet("a { color: #0b57d0; }")
        self.setHtml(html)
        doc = self.document()
        for key in self.inline_images:
            image = self._inline_image(key)
            if image is not None:
                doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"cid:{key}"), image)
        self._collect_anchor_texts()
        self._fit()

    def show_text(self, text: str) -> None:
        self.inline_images = {}
        self.remote_allowed = False
        self.setStyleSheet("")  # plain text follows the light or dark scheme
        self.document().setDefaultStyleSheet("")
        self.setPlainText(text)
        self.anchor_texts = {}
        self._fit()

    def add_remote_images(self, images: dict[str, bytes]) -> None:
        """Images fetched after the merchant allowed them; the body is laid out again."""
        if not self.remote_allowed:
            return
        for url, data in images.items():
            image = QImage.fromData(data)
            if not image.isNull():
                self.remote_images[url] = image
                self.document().addResource(
                    QTextDocument.ResourceType.ImageResource, QUrl(url), image
                )
        self.document().markContentsDirty(0, self.document().characterCount())
        self._fit()

    def loadResource(self, kind: int, url: QUrl) -> object:
        scheme = url.scheme().lower()
        found: object = None
        if scheme == "cid":
            found = self._inline_image(_cid_key(url))
        elif scheme == "data":
            return super().loadResource(kind, url)
        elif url.toString() == REMOTE_PLACEHOLDER:
            found = blocked_image()
        elif scheme in ("http", "https") and self.remote_allowed:
            found = self.remote_images.get(url.toString())
        else:
            self.refused.append(url.toString())
        if found is not None:
            return found
        # Nothing to show: an empty value, never None (None <-> QVariant is where some
        # PySide6 releases leak references).
        image = getattr(kind, "value", kind) == QTextDocument.ResourceType.ImageResource.value
        return QImage() if image else QByteArray()

    def _inline_image(self, key: str) -> QImage | None:
        found = self.inline_images.get(key) or self.inline_images.get(f"<{key}>")
        if found is None:
            return None
        image = QImage.fromData(found[1])
        return None if image.isNull() else image

    def _collect_anchor_texts(self) -> None:
        texts: dict[str, list[str]] = {}
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                href = fragment.charFormat().anchorHref()
                if href:
                    texts.setdefault(href, []).append(fragment.text())
                it += 1
            block = block.next()
        self.anchor_texts = {href: "".join(parts).strip() for href, parts in texts.items()}

    # ---------------------------------------------------------------- links

    def _hovered(self, url: QUrl) -> None:
        address = url.toString() if not url.isEmpty() else ""
        self.link_hovered.emit(address)
        if address:
            QToolTip.showText(QCursor.pos(), address, self)
        else:
            QToolTip.hideText()

    def _clicked(self, url: QUrl) -> None:
        self.link_activated.emit(url, self.anchor_texts.get(url.toString(), ""))

    def setSource(self, url: QUrl, kind: object = None) -> None:
        """Never navigate inside the widget (backward/forward keys, stray calls)."""

    # ---------------------------------------------------------------- size

    def _fit(self) -> None:
        doc = self.document()
        doc.setTextWidth(self.viewport().width())
        height = int(doc.size().height()) + 2 * self.frameWidth() + 2
        if self.horizontalScrollBar().maximum() > 0:
            height += self.horizontalScrollBar().sizeHint().height()
        if height != self.height():
            self.setFixedHeight(max(height, 24))

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def sizeHint(self) -> QSize:
        return QSize(400, self.height())
