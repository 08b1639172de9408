"""py3langid's model applied to many texts with a few numpy steps: its very numbers, faster.

py3langid walks its automaton over a text's bytes one at a time in Python. In the model it
ships, the state after a byte depends on the last WINDOW bytes only: checked once by running
every pair (any state, the start state) through every byte string, pairs that meet dropped,
until none was left after WINDOW bytes (the largest depth of a state is WINDOW too). So the
states of all positions of all texts are computed together in WINDOW array steps. The features,
their counts, their order and the float32 arithmetic after them are py3langid's own
(`LanguageIdentifier._decide`, py3langid 0.4), so the language and probability come out
identical. Another model file (another py3langid release) is not known to have that property:
then py3langid classifies each text itself, as before."""

from __future__ import annotations

import hashlib
import itertools
import math
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from desktop_app.core.replies import model_cache

WINDOW = 6  # bytes that decide the automaton's state, in the model below
MODEL_SHA256 = "f4f4a2c3465ca1f081541037f9cac23021d68151c2f709c55ae5eedfca522963"


@dataclass(frozen=True, eq=False)
class Scanner:
    """A py3langid model restricted to some languages, as arrays: transitions (a row of 256
    per distinct row of states), each state's row start and feature (-1: none), and the
    naive Bayes tables."""

    nextmove: npt.NDArray[Any]  # unsigned integers
    rowbase: npt.NDArray[np.intp]
    output: npt.NDArray[np.intp]
    ptc: npt.NDArray[Any]  # float16 in py3langid's model
    pc: npt.NDArray[np.float32]
    classes: tuple[str, ...]
    alias_pairs: tuple[tuple[int, int], ...]

    def states(self, data: bytes, starts: Sequence[int] = (0,)) -> npt.NDArray[np.intp]:
        """The automaton's state after each byte of `data`, texts joined end to end that
        begin at `starts` (each text starts in state 0)."""
        letters = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
        firsts = [at for at in starts if at < len(letters)]  # empty texts have no first byte
        state = self.nextmove[self.rowbase[0] + letters].astype(np.intp)
        before = np.zeros_like(state)
        for _ in range(WINDOW - 1):  # each round looks one byte further back
            before[1:] = state[:-1]
            before[firsts] = 0
            state = self.nextmove[self.rowbase[before] + letters].astype(np.intp)
        return np.asarray(state, dtype=np.intp)

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Each language's probability for each text (a row per text), as py3langid computes
        it for one text with norm_probs=True: the same features, counted in the same order,
        the same float32 arithmetic."""
        datas = [encode(text) for text in texts]
        ends = list(itertools.accumulate(map(len, datas)))
        starts = [0, *ends[:-1]]
        found = self.output[self.states(b"".join(datas), starts)]
        where = np.flatnonzero(found >= 0)
        features = found[where].tolist()
        bounds = np.searchsorted(where, [*starts, len(found)]).tolist()
        scores = np.zeros((len(texts), len(self.classes)), dtype=np.float32)  # no features
        for row in range(len(texts)):
            visits = Counter(features[bounds[row] : bounds[row + 1]])  # by first appearance
            if visits:
                idx = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
                weights = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
                scores[row] = np.log1p(weights) @ self.ptc[idx] + self.pc
        scale = [1.0 / math.sqrt(len(data) or 1) for data in datas]
        scores *= np.array(scale, dtype=np.float32)[:, None]  # a float32 product, as before
        np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        for i, j in self.alias_pairs:
            scores[:, i] += scores[:, j]
            scores[:, j] = 0.0
        return scores

    def classify(self, text: str) -> tuple[str, float]:
        """The most probable language of `text` and its probability."""
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """`classify` for each text, in one pass."""
        if not texts:
            return []
        scores = self.scores(texts)
        best = scores.argmax(axis=1)
        chances = scores[np.arange(len(texts)), best].tolist()
        return [(self.classes[i], p) for i, p in zip(best.tolist(), chances, strict=True)]


def encode(text: str) -> bytes:
    """The bytes py3langid reads of a text."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


def model_path() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / str(MODEL_FILE)


def is_known_model(path: Path) -> bool:
    """Whether `path` is the model file whose automaton was checked (see WINDOW)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == MODEL_SHA256
    except OSError:
        return False


def load(languages: Sequence[str]) -> Scanner:
    """The known model (see `is_known_model`) restricted to `languages`, from the model cache
    when an intact entry is there (~0.05 s), else from py3langid's file (~0.5 s) and cached."""
    from importlib.metadata import PackageNotFoundError, version

    try:  # its loader made the arrays: a new py3langid makes a new entry
        loader = version("py3langid")
    except PackageNotFoundError:
        loader = "?"
    key = hashlib.sha256(f"{MODEL_SHA256} {loader} {' '.join(languages)}".encode()).hexdigest()
    arrays = model_cache.load("langid", key)
    if arrays is not None and not arrays.keys() >= _ARRAYS:  # intact but not ours: rebuilt
        arrays = None
    if arrays is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages(list(languages))
        arrays = model_arrays(identifier)
        model_cache.save("langid", key, arrays)
    return from_arrays(arrays)


_ARRAYS = frozenset(("nextmove", "rowbase", "output", "ptc", "pc", "classes"))


def model_arrays(identifier: Any) -> model_cache.Arrays:
    """The arrays of a loaded (and restricted) py3langid `LanguageIdentifier` a Scanner needs."""
    memory = identifier.tk_nextmove, identifier.tk_row
    nextmove, rows = (np.frombuffer(a, dtype=f"u{a.itemsize}") for a in memory)
    return {
        "nextmove": nextmove,
        "rowbase": rows.astype(np.intp) << 8,
        "output": np.asarray(identifier.tk_output, dtype=np.intp),
        "ptc": identifier.nb_ptc,
        "pc": identifier.nb_pc,
        "classes": np.array([str(c) for c in identifier.nb_classes]),
    }


def from_arrays(arrays: model_cache.Arrays) -> Scanner:
    classes = tuple(str(c) for c in arrays["classes"])
    first: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    for i, c in enumerate(classes):
        if c in first:
            pairs.append((first[c], i))
        else:
            first[c] = i
    return Scanner(
        nextmove=arrays["nextmove"],
        rowbase=arrays["rowbase"].astype(np.intp),
        output=arrays["output"].astype(np.intp),
        ptc=arrays["ptc"],
        pc=arrays["pc"].astype(np.float32),
        classes=classes,
        alias_pairs=tuple(pairs),
    )


def scanner(identifier: Any) -> Scanner:
    """A Scanner over a loaded (and restricted) py3langid `LanguageIdentifier`."""
    return from_arrays(model_arrays(identifier))
