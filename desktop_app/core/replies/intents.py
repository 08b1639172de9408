"""Why a customer wrote (shipping, return, …), by a small local classifier; the reply to suggest.

A multinomial naive Bayes over word unigrams and bigrams and character 3-5-grams within words,
trained on first use (under a second) from the hand-written examples in resources/intents/
and kept in memory. No network, no model file to download; numpy (which the language detector
needs anyway) sums the evidence. Sentences are scored one by one and filler left out.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import sys
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from desktop_app.core.paths import resources_dir
from desktop_app.core.replies import model_cache

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
TEMPLATE_FOR = {
    "shipping": "shipping_status",
    "howto": "how_to_use",
    "repair": "repair_warranty",
    "refill": "refills_accessories",
    "return": "return_refund",
    "cancel": "cancellation",
    "address": "address_change",
    "complaint": "complaint_apology",
}
ALPHA = 0.1  # additive smoothing of the feature counts
CONFIDENCE_SCALE = 0.5
CHAR_NGRAMS = (3, 4, 5)
WORD_CACHE = 200_000  # words whose feature rows are kept once looked up
# Words that mean "a review" in our languages (and the platforms' English): a thank-you that
# mentions one gets the review thank-you template.
_REVIEW = re.compile(
    r"review|rezension|bewertung|arvostel|arvio|atsauksm|रिव्यू|समीक्षा|կարծիք|գնահատական"
    r"|feedback|sterne|stars|tähde|zvaigzn|स्टार|աստղ",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w\u0900-\u097f\u0530-\u058f]+")
_NUMBER = re.compile(r"\d")
_CLOSING_WORDS = 3  # short last lines are a closing and a name
_ADDRESS = re.compile(r"<[^<>@\s]+@[^<>\s]+>")
_SALUTATION_WORDS = 7  # a first line of at most this many words ending in "," or "!" greets
_lock = threading.Lock()


def examples_dir() -> Path:
    """Where the hand-written training examples live (resources/intents/)."""
    return resources_dir() / "intents"


def read_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, text) pairs of one examples file: `[intent]` lines start a section."""
    out: list[tuple[str, str]] = []
    intent = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            intent = line[1:-1].strip()
            if intent not in LABELS:
                raise ValueError(f"{path.name}: unknown intent [{intent}]")
            continue
        if not intent:
            raise ValueError(f"{path.name}: an example before the first [intent] line")
        out.append((intent, line))
    return out


def _words(text: str) -> list[str]:
    """The words of `text`, lower case, every digit a 0 (digits are word characters)."""
    return _WORD.findall(_NUMBER.sub("0", unicodedata.normalize("NFKC", text).lower()))


def _word_features(word: str) -> list[str]:
    """The word itself and its character n-grams (with a space on either side)."""
    padded = f" {word} "
    out = [f"w:{word}"]
    for n in CHAR_NGRAMS:
        out += [f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1)]
    return out


def features(text: str) -> list[str]:
    """The tokens the classifier counts: words, word pairs and character n-grams in words."""
    words = _words(text)
    out = [f"b:{a} {b}" for a, b in itertools.pairwise(words)]
    for w in words:
        out += _word_features(w)
    return out


NONE = "none"  # training label of sentences that say nothing of why they wrote
LABELS = (*INTENTS, NONE)


@dataclass(frozen=True, slots=True)
class _Model:
    """Log-probabilities of each feature per label (a row per feature, a column per label in
    LABELS order; a last row of zeros pads), and each label's log prior (NONE's is 0: it is
    never the answer)."""

    index: dict[str, int]  # feature -> row
    table: npt.NDArray[np.float64]
    log_prior: npt.NDArray[np.float64]
    word_rows: dict[str, tuple[int, ...]] = field(default_factory=dict)  # a cache

    @property
    def zero_row(self) -> int:
        """The row of zeros after the features' rows (no evidence: pads a gather)."""
        return len(self.table) - 1

    def rows_of_word(self, word: str) -> tuple[int, ...]:
        """The rows of a word's known features (words repeat: cached, up to WORD_CACHE)."""
        rows = self.word_rows.get(word)
        if rows is None:
            rows = tuple(r for r in map(self.index.get, _word_features(word)) if r is not None)
            if len(self.word_rows) < WORD_CACHE:
                self.word_rows[word] = rows
        return rows


def train(examples: Iterable[tuple[str, str]]) -> _Model:
    """A naive Bayes model from (label, text) pairs; labels are INTENTS and NONE."""
    return from_counts(*count(examples))


Counts = tuple[list[str], npt.NDArray[np.int64], list[int]]


def count(examples: Iterable[tuple[str, str]]) -> Counts:
    """The features seen (sorted), in how many examples of each label each one is (a row per
    feature, a column per label in LABELS order), and how many examples each label has."""
    counts: dict[str, Counter[str]] = {i: Counter() for i in LABELS}
    docs: Counter[str] = Counter()
    for label, text in examples:
        docs[label] += 1
        counts[label].update(set(features(text)))  # presence, not frequency
    vocabulary = sorted(set().union(*counts.values()))
    index = {f: row for row, f in enumerate(vocabulary)}
    seen = np.zeros((len(vocabulary), len(LABELS)), dtype=np.int64)
    for col, label in enumerate(LABELS):
        mine = counts[label]
        rows = np.fromiter(map(index.__getitem__, mine), dtype=np.intp, count=len(mine))
        seen[rows, col] = np.fromiter(mine.values(), dtype=np.int64, count=len(mine))
    return vocabulary, seen, [docs[label] for label in LABELS]


def from_counts(vocabulary: list[str], seen: npt.NDArray[np.int64], docs: list[int]) -> _Model:
    """The model of `count`'s answer: smoothed log-probabilities and log priors."""
    table = np.zeros((len(vocabulary) + 1, len(LABELS)), dtype=np.float64)  # + a zero row
    for col in range(len(LABELS)):
        denominator = math.log(int(seen[:, col].sum()) + ALPHA * len(vocabulary))
        table[:-1, col] = np.log(seen[:, col].astype(np.float64) + ALPHA)
        table[:-1, col] -= denominator
    intent_docs = sum(docs[: len(INTENTS)]) or 1
    log_prior = np.array(
        [math.log(n / intent_docs) if n else -1e9 for n in docs[: len(INTENTS)]] + [0.0]
    )
    return _Model({f: row for row, f in enumerate(vocabulary)}, table, log_prior)


@lru_cache(maxsize=1)
def _model() -> _Model:
    """The model of the examples in resources/intents/: its counts from the model cache when
    they were counted from these very files by this very code (~0.05 s), else counted
    (~0.25 s) and cached."""
    with _lock:
        paths = sorted(examples_dir().glob("*.txt"))
        key = _cache_key(paths)
        cached = _cached_counts(key) if key else None
        if cached is not None:
            return from_counts(*cached)
        examples: list[tuple[str, str]] = []
        for path in paths:
            examples += read_examples(path)
        vocabulary, seen, docs = count(examples)
        if key:
            text = "\n".join(vocabulary).encode("utf-8")  # features hold no line breaks
            arrays: model_cache.Arrays = {
                "vocabulary": np.frombuffer(text, dtype=np.uint8),
                "seen": seen,
                "docs": np.array(docs, dtype=np.int64),
            }
            model_cache.save("intents", key, arrays)
        return from_counts(vocabulary, seen, docs)


def _cached_counts(key: str) -> Counts | None:
    cached = model_cache.load("intents", key)
    if cached is None:
        return None
    text = bytes(cached["vocabulary"]).decode("utf-8")
    vocabulary = text.split("\n") if text else []
    seen = np.asarray(cached["seen"], dtype=np.int64)
    docs = [int(n) for n in cached["docs"]]
    if seen.shape != (len(vocabulary), len(LABELS)) or len(docs) != len(LABELS):
        return None
    return vocabulary, seen, docs


def _cache_key(paths: Sequence[Path]) -> str | None:
    """A digest of all the counts depend on: the examples, this module's code, Python's own
    Unicode and version; None when a file cannot be read (then nothing is cached)."""
    digest = hashlib.sha256(f"{sys.version} {unicodedata.unidata_version}".encode())
    try:
        for path in [Path(__file__), *paths]:
            data = path.read_bytes()
            digest.update(f"\0{path.name}\0{len(data)}\0".encode())
            digest.update(data)
    except OSError:
        return None
    return digest.hexdigest()


def message_text(body: str) -> str:
    """What a customer asks in a message's new text: a marketplace's frame, a first greeting
    line ("Hi,", "Sehr geehrte Damen und Herren,"), a closing with the name ("Viele Grüße /
    Anna") and a leftover quote header ("… <shop@example.com> wrote:") taken off."""
    for start, end in _FRAMES:
        m = start.search(body)
        if m:
            rest = body[m.end() :]
            stop = end.search(rest)
            body = rest[: stop.start()] if stop else rest
            break
    lines = body.strip().splitlines()
    if lines:
        first = lines[0].strip()
        if (
            first.endswith((",", "!"))
            and len(first.split()) <= _SALUTATION_WORDS
            and len(lines) > 1
        ):
            lines = lines[1:]
    lines = [line for line in lines if line.strip() and not _ADDRESS.search(line)]
    while len(lines) > 1 and len(lines[-1].split()) <= _CLOSING_WORDS:
        lines.pop()
    return "\n".join(lines).strip()


_FRAMES = (
    (re.compile(r"-{3,}\s*Message:\s*-{3,}"), re.compile(r"-{3,}\s*End message\s*-{3,}")),
    (re.compile(r"^New message from:.*$", re.M), re.compile(r"^Item( number)?:", re.M)),
    (
        re.compile(r"sent you a message about [^\n]*:\s*$", re.M),
        re.compile(r"^Reply on Etsy", re.M),
    ),
)


_REPLY_SUBJECT = re.compile(
    r"^\s*(?:re|aw|sv|vs|fw|fwd|wg|tr|antw|ats|atb\.?|odp|ynt|պատ)\s*(?:\[\d+\])?\s*:", re.I
)
_PLATFORM_SUBJECT = re.compile(
    r"amazon customer|sent you a message|sent a message about|hat eine nachricht|new message from",
    re.I,
)


def customer_text(subject: str, body: str, fresh: str | None = None) -> str:
    """What to classify for one customer message: its subject (unless a reply's or a
    marketplace's, which say nothing new) and the new text of its plain-text body (`fresh`,
    when the caller has cut it already with `language.new_text`)."""
    if fresh is None:
        from desktop_app.core.replies.language import new_text

        fresh = new_text(body)
    text = message_text(fresh)
    if subject and not _REPLY_SUBJECT.match(subject) and not _PLATFORM_SUBJECT.search(subject):
        text = f"{subject}\n{text}"
    return text


_SENTENCE_END = re.compile(r"(?<=[.!?\u0964\u0589])\s+|\n+")  # also Hindi and Armenian stops


_NONE_COLUMN = LABELS.index(NONE)
_INTENT_COLUMNS = len(INTENTS)  # INTENTS come first in LABELS


def _rows(model: _Model, text: str) -> list[int]:
    """The table rows of the known features of `text`: its words' (in order), then its word
    pairs' (features never seen in training are no evidence either way)."""
    words = _words(text)
    rows: list[int] = []
    for w in words:
        rows += model.rows_of_word(w)
    index = model.index
    for a, b in itertools.pairwise(words):
        row = index.get(f"b:{a} {b}")
        if row is not None:
            rows.append(row)
    return rows


def _likelihoods(model: _Model, parts: Sequence[list[int]]) -> npt.NDArray[np.float64]:
    """The summed log-probabilities per label of each part's rows, a row per part.

    One gather for all parts, the shorter ones padded with the table's row of zeros; each
    part's rows are added in order, as `table[rows].sum(axis=0)` adds them (the same sums).
    """
    width = max(map(len, parts))
    flat: list[int] = []
    for rows in parts:
        flat += rows
        flat += [model.zero_row] * (width - len(rows))
    padded = np.array(flat, dtype=np.intp).reshape(len(parts), width)
    return np.asarray(np.add.reduce(model.table.take(padded, axis=0), axis=1), dtype=np.float64)


def _posterior(
    model: _Model, logs: npt.NDArray[np.float64], known: list[int]
) -> npt.NDArray[np.float64]:
    """A softmax over the intents of each row of log-likelihoods, scaled by the row's number
    of known features (naive Bayes counts every n-gram as independent evidence: far too
    sure)."""
    total = (logs + model.log_prior)[:, :_INTENT_COLUMNS]
    scale = np.array([CONFIDENCE_SCALE / math.sqrt(max(1, n)) for n in known])
    scaled = (total - total.max(axis=1, keepdims=True)) * scale[:, None]
    exp = np.exp(scaled)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float64)


def scores(text: str) -> dict[str, float]:
    """Each intent's probability for `text` (empty when not one feature of it is known).

    Each sentence is scored on its own; sentences the model takes for filler (a phone number,
    the order number, "thanks in advance") are left out, and the others' probabilities are
    averaged, weighted by how much each sentence says (its known features).
    """
    model = _model()
    sentences = (_rows(model, part) for part in _SENTENCE_END.split(text) if part.strip())
    parts = [rows for rows in sentences if rows]
    kept: list[int] = []  # known features of each sentence kept
    if parts:
        logs = _likelihoods(model, parts)
        said = (logs + model.log_prior).argmax(axis=1) != _NONE_COLUMN
        kept = [len(rows) for rows, keep in zip(parts, said.tolist(), strict=True) if keep]
        logs = logs[said]
    if not kept:  # all filler: better than nothing
        whole = _rows(model, text)
        if not whole:
            return {}
        kept, logs = [len(whole)], _likelihoods(model, [whole])
    weights = [math.sqrt(n) for n in kept]
    weight = 0.0
    for w in weights:  # in order, as before (sum() compensates rounding since Python 3.12)
        weight += w
    out = (np.array(weights)[:, None] * _posterior(model, logs, kept)).sum(axis=0)
    return {i: float(p / weight) for i, p in zip(INTENTS, out, strict=True)}


def classify_intent(text: str, language: str | None = None) -> tuple[str, float]:
    """The intent of a customer's message (its new text) and the model's confidence, 0..1.

    `language` (ISO 639-1) is a hint only, unused for now: the features of each language are
    its own, so the text alone decides. Text without a single known word is ("other", 0.0).
    """
    del language
    from desktop_app.core.replies.language import new_text

    return _best(scores(message_text(new_text(text))))


def classify_message(subject: str, body: str, fresh: str) -> tuple[str, float]:
    """`classify_intent` for a stored message whose new text (`fresh`) is already cut."""
    return _best(scores(customer_text(subject, body, fresh)))


def _best(probabilities: dict[str, float]) -> tuple[str, float]:
    if not probabilities:
        return "other", 0.0
    best = max(INTENTS, key=lambda i: probabilities[i])
    return best, round(probabilities[best], 4)


def suggest_template(intent: str, text: str = "") -> str | None:
    """The key of the template that answers `intent`, or None when no template fits.

    "thanks" suggests the review thank-you only when `text` mentions a review; presales
    questions and "other" have no template.
    """
    if intent == "thanks":
        return "review_thanks" if _REVIEW.search(text) else None
    return TEMPLATE_FOR.get(intent)


def classify_many(texts: Sequence[str]) -> list[tuple[str, float]]:
    """`classify_intent` for each text, in order."""
    return [classify_intent(t) for t in texts]
