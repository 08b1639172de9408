"""Why a customer wrote (shipping, return, …) from a small local classifier, and the reply to suggest."""

from __future__ import annotations

INTENTS = (
    "shipping",
    "howto",
    "repair",
    "refill",
    "return",
    "cancel",
    "address",
    "complaint",
    "thanks",
    "presales",
    "other",
)


def classify_intent(text: str, language: str | None = None) -> tuple[str, float]:
    """The intent of a customer's message (its new text) and the model's confidence, 0..1.

    `language` (ISO 639-1) is a hint; without it the text alone decides. Empty text is
    ("other", 0.0).
    """
    return "other", 0.0


def suggest_template(intent: str, text: str = "") -> str | None:
    """The key of the template that answers `intent`, or None when no template fits.

    "thanks" suggests the review thank-you only when `text` mentions a review.
    """
    return None
