"""What a customer message says about itself (language, intent): pure, for worker processes too.

`annotate_chunk` is what `desktop_app.core.store.annotate` hands to the analysis process pool
during a regroup (and runs itself for a few messages); no database here.
"""

from __future__ import annotations

from typing import Any

# (message id, language or None, intent, confidence)
Annotated = tuple[int, str | None, str, float]


def annotate_text(subject: str, body: str) -> tuple[str | None, str, float]:
    """The language (None when unsure), intent and the intent's confidence of one message."""
    from desktop_app.core.replies.intents import classify_message
    from desktop_app.core.replies.language import detect_language, new_text

    fresh = new_text(body)
    intent, confidence = classify_message(subject, body, fresh)
    return detect_language(fresh), intent, confidence


def annotate_chunk(rows: list[tuple[Any, ...]]) -> list[Annotated]:
    """`annotate_text` for each (id, subject, body) row, in order (languages in one pass)."""
    from desktop_app.core.replies.intents import classify_message
    from desktop_app.core.replies.language import detect_languages, new_text

    fresh = [new_text(body or "") for _, _, body in rows]
    intents = [
        classify_message(subject or "", body or "", text)
        for (_, subject, body), text in zip(rows, fresh, strict=True)
    ]
    languages = detect_languages(fresh)
    return [
        (int(mid), language, intent, confidence)
        for (mid, _, _), language, (intent, confidence) in zip(
            rows, languages, intents, strict=True
        )
    ]


def warm_up() -> None:
    """Load the language and intent models now (~0.2 s from the model cache, about a second
    when it has to be built), so that a worker process is ready before its first message."""
    from desktop_app.core.replies.intents import _model
    from desktop_app.core.replies.language import _identifier

    _identifier()
    _model()
