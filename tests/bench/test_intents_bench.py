"""bench/intents.py: shopgen labels customer mail with its intent; the bench scores it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.intents import run
from bench.shopgen import iter_mail
from desktop_app.core.replies.intents import INTENTS

ROOT = Path(__file__).resolve().parents[2]


def test_shopgen_labels_customer_mail_and_nothing_else() -> None:
    mails = list(iter_mail(800, 5))
    labelled = [m for m in mails if m.intent]
    assert {m.intent for m in labelled} <= set(INTENTS)
    assert {"shipping", "howto", "repair", "refill", "return", "thanks"} <= {
        m.intent for m in labelled
    }
    assert all(m.folder == "INBOX" and m.kind != "notice" for m in labelled)
    assert not any(m.intent for m in mails if m.folder == "Sent" or m.kind == "notice")


def test_bench_scores_on_its_last_line() -> None:
    result = run(600, 2)
    assert result["n"] and 0.85 <= float(result["accuracy"]) <= 1.0  # type: ignore[arg-type]
    assert set(result["by_language"]) == {"en", "de", "fi", "lv", "hi", "hy"}  # type: ignore[arg-type]
    out = subprocess.run(
        [sys.executable, "bench/intents.py", "--n", "300", "--seed", "4"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    last = json.loads(out.strip().splitlines()[-1])
    assert {"accuracy", "language_accuracy", "by_intent", "meets_target"} <= set(last)
