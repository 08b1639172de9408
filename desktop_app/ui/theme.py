"""Light and dark, following the system (Qt 6.5+), or forced with SHOPDESK_THEME=dark|light."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

LIGHT, DARK = "light", "dark"

# Colours of our own bars, per scheme: (background, text, border).
BARS = {
    LIGHT: {"demo": ("#fff3c4", "#3d2e00", "#e6c200"), "undo": ("#e8f0fe", "#0b2a5c", "#aac4f0")},
    DARK: {"demo": ("#4a3c06", "#fff3c4", "#8a7412"), "undo": ("#1d3557", "#e8f0fe", "#3b5f99")},
}


def system_scheme(app: QGuiApplication) -> str:
    """The scheme the environment asks for: SHOPDESK_THEME first, then the system's setting."""
    forced = os.environ.get("SHOPDESK_THEME", "").strip().lower()
    if forced in (LIGHT, DARK):
        return forced
    hints = app.styleHints()
    if hasattr(hints, "colorScheme") and hints.colorScheme() == Qt.ColorScheme.Dark:
        return DARK
    return LIGHT


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#202124"), QColor("#18191b"), QColor("#e8eaed")
    disabled = QColor("#7f8389")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#26282b"),
        QPalette.ColorRole.ToolTipBase: QColor("#303134"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: disabled,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2d2e31"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff8a80"),
        QPalette.ColorRole.Highlight: QColor("#3b6fc4"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#8ab4f8"),
        QPalette.ColorRole.LinkVisited: QColor("#c58af9"),
        QPalette.ColorRole.Light: QColor("#3c4043"),
        QPalette.ColorRole.Midlight: QColor("#34363a"),
        QPalette.ColorRole.Mid: QColor("#2a2b2e"),
        QPalette.ColorRole.Dark: QColor("#151618"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def style_sheet(scheme: str) -> str:
    """Our few named widgets (the demo banner and the sign-in bar, the undo bar, the offline
    label)."""
    demo_bg, demo_fg, demo_border = BARS[scheme]["demo"]
    undo_bg, undo_fg, undo_border = BARS[scheme]["undo"]
    return (
        f"QFrame#demoBanner, QFrame#signInBar {{ background: {demo_bg};"
        f" border-bottom: 1px solid {demo_border}; }}"
        f" QFrame#demoBanner QLabel, QFrame#signInBar QLabel {{ color: {demo_fg}; }}"
        f" QFrame#undoBar {{ background: {undo_bg}; border-top: 1px solid {undo_border}; }}"
        f" QFrame#undoBar QLabel {{ color: {undo_fg}; }}"
        f" QFrame#reminderBanner {{ background: {undo_bg};"
        f" border-bottom: 1px solid {undo_border}; }}"
        f" QFrame#reminderBanner QLabel {{ color: {undo_fg}; }}"
        " QLabel#offlineLabel { font-weight: bold; }"
    )


def apply(app: QApplication, scheme: str | None = None) -> str:
    """Set the palette and our style sheet for `scheme` (default: what the system asks for)."""
    scheme = scheme or system_scheme(app)
    native = app.property("shopdesk_native_style")
    if native is None:
        native = app.style().name()
        app.setProperty("shopdesk_native_style", native)
    app.setStyle("Fusion" if scheme == DARK else str(native))  # Fusion draws a dark palette well
    app.setPalette(dark_palette() if scheme == DARK else app.style().standardPalette())
    app.setStyleSheet(style_sheet(scheme))
    app.setProperty("shopdesk_theme", scheme)
    return scheme


def follow_system(app: QApplication) -> None:
    """Switch when the system switches between light and dark (not when SHOPDESK_THEME is set)."""
    hints = app.styleHints()
    if hasattr(hints, "colorSchemeChanged"):
        hints.colorSchemeChanged.connect(lambda _scheme: apply(app))


def current(app: QApplication) -> str:
    return str(app.property("shopdesk_theme") or LIGHT)
