"""py3langid's model applied to a whole text with a few numpy steps: its very numbers, faster.

py3langid walks its automaton over a text's bytes one at a time in Python (~0.15 ms for a
message). In the model it ships, the automaton's state after a byte depends on the last
WINDOW bytes only (checked once for every state and every byte string of that length:
/work/perf/B/depth.py in the issue notes), so the states of all positions are computed together
in WINDOW array steps. The features, their counts, their order and the arithmetic after them
are py3langid's own (`LanguageIdentifier._decide`, py3langid 0.4), so the language and
probability come out identical. A different model file (another py3langid release) is not
known to have that property: then py3langid classifies the text itself, as before.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

WINDOW = 6  # bytes that decide the automaton's state, in the model below
MODEL_SHA256 = "f4f4a2c3465ca1f081541037f9cac23021d68151c2f709c55ae5eedfca522963"


@dataclass(frozen=True)
class Scanner:
    """A py3langid model restricted to some languages, as arrays: transitions (a row of 256
    per distinct row of states), each state's row start and feature (-1: none), and the
    naive Bayes tables."""

    nextmove: npt.NDArray[np.integer[Any]]
    rowbase: npt.NDArray[np.intp]
    output: npt.NDArray[np.intp]
    ptc: npt.NDArray[np.floating[Any]]
    pc: npt.NDArray[np.float32]
    classes: tuple[str, ...]
    alias_pairs: tuple[tuple[int, int], ...]

    def states(self, data: bytes) -> npt.NDArray[np.intp]:
        """The automaton's state after each byte of `data` (it starts in state 0)."""
        letters = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
        state = self.nextmove[self.rowbase[0] + letters].astype(np.intp)
        before = np.zeros_like(state)
        for _ in range(WINDOW - 1):  # each round looks one byte further back
            before[1:] = state[:-1]
            state = self.nextmove[self.rowbase[before] + letters].astype(np.intp)
        return np.asarray(state, dtype=np.intp)

    def scores(self, text: str) -> npt.NDArray[np.float32]:
        """Each language's probability, as py3langid computes it with norm_probs=True."""
        data = encode(text)
        found = self.output[self.states(data)]
        found = found[found >= 0]
        if len(found):
            features, first, counts = np.unique(found, return_index=True, return_counts=True)
            order = np.argsort(first)  # in order of first appearance, as py3langid counts
            idx = features[order].astype(np.intp)
            weights = counts[order].astype(np.float32)
            scores = np.log1p(weights) @ self.ptc[idx] + self.pc
        else:
            scores = np.full(len(self.classes), 0.0, dtype=np.float32)
        scores *= 1.0 / math.sqrt(len(data) or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        for i, j in self.alias_pairs:
            scores[i] += scores[j]
            scores[j] = 0.0
        return np.asarray(scores, dtype=np.float32)

    def classify(self, text: str) -> tuple[str, float]:
        """The most probable language of `text` and its probability."""
        scores = self.scores(text)
        i = int(scores.argmax())
        return self.classes[i], float(scores[i])


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


def scanner(identifier: Any) -> Scanner:
    """A Scanner over a loaded (and restricted) py3langid `LanguageIdentifier`."""
    classes = tuple(str(c) for c in identifier.nb_classes)
    first: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    for i, c in enumerate(classes):
        if c in first:
            pairs.append((first[c], i))
        else:
            first[c] = i
    nextmove = np.frombuffer(identifier.tk_nextmove, dtype=f"u{identifier.tk_nextmove.itemsize}")
    rows = np.frombuffer(identifier.tk_row, dtype=f"u{identifier.tk_row.itemsize}")
    return Scanner(
        nextmove=nextmove,
        rowbase=rows.astype(np.intp) << 8,
        output=np.asarray(identifier.tk_output, dtype=np.intp),
        ptc=identifier.nb_ptc,
        pc=identifier.nb_pc,
        classes=classes,
        alias_pairs=tuple(pairs),
    )
