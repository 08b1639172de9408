"""Which language a customer writes in, from the new text of their message, offline.

py3langid (a naive Bayes over byte n-grams, model shipped in the package, BSD) restricted to
our six languages and a dozen common ones of European customers: on hand-written customer
sentences it was right 99.9 % of the time (99.7 % on their first four words) at ~0.1 ms each,
where langdetect was right 83 % at ~3 ms and lingua 99.7 % at ~3 ms with a 96 MB install
(see resources/intents/README.md for the comparison). Armenian and Devanagari script decide
on their own: no other language we meet writes them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from desktop_app.core.mail.quotes import split_reply
from desktop_app.core.replies import language_scan

SUPPORTED = ("en", "de", "fi", "lv", "hi", "hy")
# Languages a European shop's customers also write in: detected so that they are not called
# English or German; replies to them fall back to the shop's default language.
OTHERS = ("fr", "es", "it", "nl", "sv", "da", "no", "et", "lt", "pl", "pt", "ru")
MIN_LETTERS = 8  # fewer letters than this (an "ok", a "Thanks!") is too little to tell
MIN_PROBABILITY = 0.6  # below this the model is unsure: None
_SCRIPTS = ((re.compile("[\u0531-\u058f]+"), "hy"), (re.compile("[\u0900-\u097f]+"), "hi"))
_LETTERS = re.compile(r"[^\W\d_]+")
MAX_CHARS = 1000  # enough to tell; long mail is cut here
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """The py3langid model restricted to our languages, loaded once: scanned with numpy
    (`language_scan`, ~0.05 s from the model cache) when it is the model that was checked for
    that, else py3langid's own (~0.6 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    with _lock:
        if language_scan.is_known_model(language_scan.model_path()):
            return language_scan.load(SUPPORTED + OTHERS)
        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident.set_languages(list(SUPPORTED + OTHERS))
    return ident


def _script_language(text: str) -> tuple[str | None, int]:
    """A language given away by its script (Armenian, Devanagari), and the count of letters."""
    letters = sum(map(len, _LETTERS.findall(text)))  # runs of letters: fewer, longer strings
    for pattern, code in _SCRIPTS:
        n = sum(map(len, pattern.findall(text)))
        if n * 2 > letters and n >= 3:
            return code, letters
    return None, letters


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language `text` is written in, or None when unsure.

    Pass the new text of a message (quotes cut off, see `new_text`); a few words are not
    enough and give None. Besides SUPPORTED, the common languages in OTHERS can come back
    (so that French mail is not called English).
    """
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """`detect_language` for each text, the model's part in one pass."""
    out: list[str | None] = []
    ask: dict[int, str] = {}  # position -> text the model decides
    for text in texts:
        by_script, letters = _script_language(text[:MAX_CHARS])
        if by_script is None and letters >= MIN_LETTERS:
            ask[len(out)] = text[:MAX_CHARS]
        out.append(by_script)
    identifier = _identifier()
    if isinstance(identifier, language_scan.Scanner):
        answers = identifier.classify_many(list(ask.values()))
    else:
        answers = [identifier.classify(text) for text in ask.values()]
    for at, (code, probability) in zip(ask, answers, strict=True):
        out[at] = str(code) if probability >= MIN_PROBABILITY else None
    return out


def new_text(body: str) -> str:
    """The part of a plain-text body the sender wrote themselves: no quotes, no signature."""
    split = split_reply(body)
    return split.new_text or split.unquoted
