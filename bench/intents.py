"""Intent and language of customer mail from the bench generator: top-1 accuracy and speed.

    .venv/bin/python bench/intents.py [--n 6000] [--seed 11]

`bench/shopgen.py` writes a shop's mailbox with its truth; each customer message's truth names
its intent (the topic the generator wrote about) and its language. Each one is parsed as the
store parses it, its subject and new text go through `customer_text`, then `classify_intent`
and `detect_language` (on the new text). The classifier was trained only on the hand-written
examples in resources/intents/, never on generated mail: this measures generalisation.

Progress goes to stderr; the last line is one JSON object: `accuracy` (intent, top-1),
`language_accuracy` (None counts as wrong), `by_language`, `by_intent`, `confusion` (the most
frequent mistakes), `n` (customer messages), `ms_per_message`, `meets_target` (>= 0.9).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.shopgen import iter_mail  # noqa: E402
from desktop_app.core.mail.parse import parse_for_store  # noqa: E402
from desktop_app.core.replies.intents import (  # noqa: E402
    classify_intent,
    customer_text,
)
from desktop_app.core.replies.language import detect_language, new_text  # noqa: E402

TARGET = 0.9


def run(n: int, seed: int) -> dict[str, object]:
    mails = [m for m in iter_mail(n, seed) if m.intent and m.folder == "INBOX"]
    print(f"{len(mails)} customer messages of {n}", file=sys.stderr)
    parsed = [parse_for_store(m.raw) for m in mails]
    classify_intent("warm up")  # trains the model
    detect_language("warm up the language model")
    right = lang_right = 0
    by_lang: dict[str, Counter[str]] = {}
    by_intent: dict[str, Counter[str]] = {}
    mistakes: Counter[str] = Counter()
    t0 = time.perf_counter()
    for m, p in zip(mails, parsed, strict=True):
        got, _ = classify_intent(customer_text(p.subject, p.body_text))
        lang = detect_language(new_text(p.body_text))
        ok = got == m.intent
        right += ok
        lang_right += lang == m.lang
        by_lang.setdefault(m.lang, Counter())[str(ok)] += 1
        by_intent.setdefault(m.intent, Counter())[str(ok)] += 1
        if not ok:
            mistakes[f"{m.intent}->{got}"] += 1
    seconds = time.perf_counter() - t0
    total = max(1, len(mails))

    def share(c: Counter[str]) -> float:
        return round(c["True"] / max(1, c["True"] + c["False"]), 4)

    accuracy = round(right / total, 4)
    return {
        "accuracy": accuracy,
        "language_accuracy": round(lang_right / total, 4),
        "by_language": {k: share(v) for k, v in sorted(by_lang.items())},
        "by_intent": {k: share(v) for k, v in sorted(by_intent.items())},
        "confusion": dict(mistakes.most_common(8)),
        "n": len(mails),
        "ms_per_message": round(seconds * 1000 / total, 3),
        "meets_target": accuracy >= TARGET,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=6000, help="messages to generate (all kinds)")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory():
        result = run(args.n, args.seed)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
