"""Compare quote/signature strippers on the talon and zapier fixtures: accuracy and speed.

    .venv/bin/python bench/quotes.py [--talon-python /tmp/talonvenv/bin/python] [--rounds 5]

Libraries: mail-parser-reply, email-reply-parser (zapier), quotequail, talon (only when a Python
with talon installed is given: talon pulls scikit-learn/numpy/scipy and is not installed in the
project venv; a child process runs it on the same texts), Shopdesk's own rules
(`desktop_app.core.mail.quotes`) and a combination of the rules with mail-parser-reply.
A library that is not installed shows as such.

Metrics (whitespace-normalised exact match):

* ``talon_acc``: talon's fixtures, ``expected.json``: 12 standard replies (first text/plain part)
  and 9 HTML replies (converted with Shopdesk's cheap ``html_to_text`` first). talon's tests
  check quote removal only (its expected text keeps "Sent from my iPhone" and the Sparrow
  signature), so the text compared is everything that is not quoted: new text + signature.
* ``zapier_acc``: zapier's fixtures with an exact expected reply in zapier's own tests (the four
  ``parse_reply`` equalities and ``email_headers_no_delimiter``'s ``reply.strip()``); zapier's
  reply excludes the signature, so the text compared is the new text alone.
* ``zapier_checks``: share of zapier's reply-level assertions that hold (text that must or must
  not be in the reply; fragment-count tests turned into "the whole text is the reply").
* ``mailgen_acc``: synthetic customer replies from ``bench/mailgen.py`` (English, German,
  Finnish, Latvian, Hindi, Armenian attributions, nested ">" quotes): unquoted text equals the
  lines before the attribution.
* ``msgs_per_s``: all corpus texts plus the synthetic replies, best of ``--rounds`` rounds.

The libraries are not project dependencies: install them into the venv to compare
(``.venv/bin/pip install mail-parser-reply email-reply-parser quotequail``; talon in a venv of its
own, e.g. ``python -m venv /tmp/talonvenv && /tmp/talonvenv/bin/pip install talon``).
``QUOTES_BENCH_DETAILS=1`` prints the chosen implementation's misses to stderr.

The last line printed is one JSON object: {"libraries": {name: {...}}, "chosen": name}.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop_app.core.mail.quotes import split_reply  # noqa: E402
from tests.helpers.quote_corpora import (  # noqa: E402
    ZAPIER_CHECKS,
    ZAPIER_EXACT,
    talon_cases,
    zapier_texts,
)

CORPORA = ROOT.parent / "shared" / "corpora"
CHOSEN = "shopdesk (rules)"

# (unquoted text: new + signature, new text without signature)
Result = tuple[str, str]
Adapter = Callable[[str], Result]


def norm(text: str) -> str:
    return " ".join(text.split())


def squash(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------------------------------------
# Corpora


def mailgen_replies(n: int) -> list[tuple[str, str]]:
    """(text, expected unquoted text) for synthetic customer replies; [] if mailgen is gone."""
    try:
        from bench import mailgen
    except Exception:
        return []
    out: list[tuple[str, str]] = []
    for raw in mailgen.generate(n * 6, seed=7):
        if b"\nIn-Reply-To:" not in raw:
            continue
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        body = msg.get_body(("plain",))
        if body is None:
            continue
        text = body.get_content()  # type: ignore[attr-defined]
        lines = text.split("\n")
        intro = next((i for i in range(len(lines) - 1) if lines[i + 1].startswith(">")), len(lines))
        out.append((text, "\n".join(lines[:intro])))
        if len(out) >= n:
            break
    return out


# ---------------------------------------------------------------------------------------------
# Adapters


def shopdesk_rules() -> Adapter:
    def run(text: str) -> Result:
        r = split_reply(text)
        return r.unquoted, r.new_text

    return run


def mail_parser_reply(languages: list[str] | None = None) -> Adapter:
    from mailparser_reply import EmailReplyParser  # type: ignore[import-untyped]
    from mailparser_reply.constants import MAIL_LANGUAGES  # type: ignore[import-untyped]

    langs = languages or [k for k in MAIL_LANGUAGES if k != "david"]
    parser = EmailReplyParser(languages=langs)

    def run(text: str) -> Result:
        msg = parser.read(text)
        if not msg.replies:
            return "", ""
        first = msg.replies[0]
        return first.full_body, first.body

    return run


def email_reply_parser() -> Adapter:
    from email_reply_parser import EmailReplyParser  # type: ignore[import-untyped]

    def run(text: str) -> Result:
        msg = EmailReplyParser.read(text)
        unquoted = "\n".join(
            f.content
            for f in msg.fragments
            if not f.quoted and not f.headers and (not f.hidden or f.signature)
        )
        return unquoted, msg.reply

    return run


def quotequail() -> Adapter:
    import quotequail as qq  # type: ignore[import-untyped]

    def run(text: str) -> Result:
        parts = qq.quote(text, quote_intro_line=True)
        reply = "\n".join(chunk for is_reply, chunk in parts if is_reply)
        return reply, reply

    return run


def combo() -> Adapter:
    """Shopdesk's rules, and mail-parser-reply's first reply when the rules find no quote."""
    lib = mail_parser_reply()

    def run(text: str) -> Result:
        r = split_reply(text)
        if r.quoted:
            return r.unquoted, r.new_text
        return lib(text)

    return run


TALON_WORKER = r"""
import json, sys, time, logging
logging.disable(logging.CRITICAL)
from talon import quotations
from talon.signature.bruteforce import extract_signature
texts = json.load(sys.stdin)
out = []
for t in texts:
    u = quotations.extract_from_plain(t)
    out.append([u, extract_signature(u)[0]])
rounds = int(sys.argv[1])
speed_texts = texts
best = None
for _ in range(rounds):
    t0 = time.perf_counter()
    for t in speed_texts:
        quotations.extract_from_plain(t)
    dt = time.perf_counter() - t0
    best = dt if best is None else min(best, dt)
json.dump({"out": out, "seconds": best}, sys.stdout)
"""


def run_talon(python: str, texts: list[str], rounds: int) -> tuple[list[Result], float] | str:
    try:
        proc = subprocess.run(
            [python, "-c", TALON_WORKER, str(rounds)],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"not run: {exc}"
    if proc.returncode != 0:
        return "not installed: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    data = json.loads(proc.stdout)
    return [(a, b) for a, b in data["out"]], float(data["seconds"])


# ---------------------------------------------------------------------------------------------
# Scoring


def check(kind: str, value: str, reply: str, whole: str) -> bool:
    if kind == "eq":
        return norm(reply) == norm(value)
    if kind == "in":
        return norm(value) in norm(reply)
    if kind == "out":
        return norm(value) not in norm(reply)
    return norm(reply) == norm(whole)


def score(
    results: list[Result],
    talon: list[tuple[str, str, str, bool]],
    zapier: dict[str, str],
    zap_names: list[str],
    synth: list[tuple[str, str]],
) -> dict[str, float | None]:
    pos = 0
    talon_ok = 0
    for _name, _text, expected, loose in talon:
        unquoted = results[pos][0]
        pos += 1
        same = squash(unquoted) == squash(expected) if loose else norm(unquoted) == norm(expected)
        talon_ok += same
    replies = {name: results[pos + k][1] for k, name in enumerate(zap_names)}
    pos += len(zap_names)
    exact = sum(check("eq", want, replies[n], zapier[n]) for n, want in ZAPIER_EXACT.items())
    checks = sum(check(kind, v, replies[n], zapier[n]) for n, kind, v in ZAPIER_CHECKS)
    synth_ok = sum(norm(results[pos + k][0]) == norm(want) for k, (_t, want) in enumerate(synth))
    return {
        "talon_acc": round(talon_ok / len(talon), 3),
        "zapier_acc": round(exact / len(ZAPIER_EXACT), 3),
        "zapier_checks": round(checks / len(ZAPIER_CHECKS), 3),
        "mailgen_acc": round(synth_ok / len(synth), 3) if synth else None,
    }


def time_adapter(adapter: Adapter, texts: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for text in texts:
            adapter(text)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument(
        "--talon-python",
        default=os.environ.get("SHOPDESK_TALON_PYTHON", "/tmp/talonvenv/bin/python"),
        help="a Python with talon installed (skipped when it is missing)",
    )
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--synthetic", type=int, default=300, help="synthetic replies from mailgen")
    args = ap.parse_args()

    if not args.corpora.is_dir():
        sys.exit(f"corpora not found at {args.corpora}")
    talon = talon_cases(args.corpora)
    zapier = zapier_texts(args.corpora)
    zap_names = sorted(zapier)
    synth = mailgen_replies(args.synthetic)
    texts = [t for _n, t, _e, _l in talon] + [zapier[n] for n in zap_names] + [t for t, _ in synth]
    print(
        f"{len(talon)} talon cases, {len(zapier)} zapier texts "
        f"({len(ZAPIER_EXACT)} exact, {len(ZAPIER_CHECKS)} checks), {len(synth)} synthetic",
        file=sys.stderr,
    )

    factories: dict[str, Callable[[], Adapter]] = {
        "mail-parser-reply": mail_parser_reply,
        "mail-parser-reply (en)": lambda: mail_parser_reply(["en"]),
        "email-reply-parser": email_reply_parser,
        "quotequail": quotequail,
        "shopdesk (rules)": shopdesk_rules,
        "shopdesk (rules + mail-parser-reply)": combo,
    }
    table: dict[str, dict[str, float | str | None]] = {}
    for name, factory in factories.items():
        try:
            adapter = factory()
        except ImportError as exc:
            table[name] = {"note": f"not installed: {exc}"}
            continue
        results = [adapter(t) for t in texts]
        row: dict[str, float | str | None] = dict(score(results, talon, zapier, zap_names, synth))
        seconds = time_adapter(adapter, texts, args.rounds)
        row["msgs_per_s"] = round(len(texts) / seconds)
        table[name] = row

    talon_run = run_talon(args.talon_python, texts, args.rounds)
    if isinstance(talon_run, str):
        table["talon"] = {"note": talon_run}
    else:
        results, seconds = talon_run
        row = dict(score(results, talon, zapier, zap_names, synth))
        row["msgs_per_s"] = round(len(texts) / seconds)
        table["talon"] = row

    cols = ["talon_acc", "zapier_acc", "zapier_checks", "mailgen_acc", "msgs_per_s"]
    print(f"{'library':38}" + "".join(f"{c:>15}" for c in cols))
    for name, row in table.items():
        if "note" in row:
            print(f"{name:38}  {row['note']}")
            continue
        print(f"{name:38}" + "".join(f"{row.get(c)!s:>15}" for c in cols))
    if os.environ.get("QUOTES_BENCH_DETAILS"):
        details(talon, zapier, zap_names)
    print(json.dumps({"libraries": table, "chosen": CHOSEN}))


def details(
    talon: list[tuple[str, str, str, bool]], zapier: dict[str, str], names: list[str]
) -> None:
    """Misses of the chosen implementation (QUOTES_BENCH_DETAILS=1)."""
    for name, text, expected, loose in talon:
        got = split_reply(text).unquoted
        ok = squash(got) == squash(expected) if loose else norm(got) == norm(expected)
        if not ok:
            print(f"--- talon {name}: got {got[:200]!r}", file=sys.stderr)
    for n, kind, v in ZAPIER_CHECKS:
        got = split_reply(zapier[n]).new_text
        if not check(kind, v, got, zapier[n]):
            print(f"--- zapier {n} {kind} {v!r}: got {got[:200]!r}", file=sys.stderr)
    del names


if __name__ == "__main__":
    main()
