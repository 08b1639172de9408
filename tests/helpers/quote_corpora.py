"""The quote-stripping corpora (talon, zapier) with their expected replies, for tests and bench."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

from desktop_app.core.mail.parse import html_to_text


def talon_cases(root: Path) -> list[tuple[str, str, str, bool]]:
    """(name, text, expected, whitespace_insensitive) for talon's standard and HTML replies."""
    base = root / "talon-fixtures"
    spec = json.loads((base / "expected.json").read_text(encoding="utf-8"))["files"]
    cases = []
    for name, want in sorted(spec.items()):
        expected = want.get("expected_reply_plain")
        if expected is None:
            continue
        raw = (base / name).read_bytes()
        if name.endswith(".eml"):
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            part = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
            text = part.get_content()  # type: ignore[attr-defined]
        else:
            text = html_to_text(raw.decode("utf-8", "replace"))
        cases.append((name, text, expected, want.get("compare") == "whitespace-insensitive"))
    return cases


# zapier's reply-level assertions (test/test_email_reply_parser.py), as (file, kind, value):
# "eq" = the reply is exactly this; "in"/"out" = this text is / is not in the reply;
# "whole" = one fragment, not signature or quote: the reply is the whole text.
ZAPIER_EXACT = {
    "email_gmail.txt": "This is a test for inbox replying to a github message.",
    "email_2_1.txt": "Outlook with a reply",
    "email_2_2.txt": "Outlook with a reply directly above line",
    "email_2_3.txt": "Outlook with a reply above headers using unusual format",
    "email_headers_no_delimiter.txt": "And another reply!",
}
ZAPIER_CHECKS: list[tuple[str, str, str]] = [
    ("email_1_1.txt", "in", "folks"),  # test_simple_body: fragments 1-2 (signature) hidden
    ("email_1_1.txt", "out", "riak-users"),
    ("email_1_2.txt", "in", "You can list the keys for the bucket"),  # test_reply_is_parsed
    ("email_1_4.txt", "in", "Awesome"),  # test_captures_date_string
    ("email_1_4.txt", "out", "Loader"),
    ("email_1_5.txt", "whole", ""),  # test_complex_body_with_one_fragment
    ("email_1_6.txt", "in", "I get"),  # test_multiline_reply_headers
    ("email_1_6.txt", "out", "caching related"),
    ("email_1_7.txt", "in", ":+1:"),  # test_deals_with_windows_line_endings
    ("email_1_7.txt", "out", "Steps 0-2"),
    ("correct_sig.txt", "out", "rick"),  # test_verify_reads_signature_correct
    ("correct_sig.txt", "in", "correct -- signature"),
    ("email_iPhone.txt", "out", "Sent from my iPhone"),  # test_sent_from_iphone
    ("email_one_is_not_on.txt", "out", "On Oct 1, 2012, at 11:55 PM, Dave Tapley wrote:"),
    ("email_one_is_not_on.txt", "in", "One outstanding question I had:"),
    ("email_partial_quote_header.txt", "in", "On your remote host you can run:"),
    ("email_partial_quote_header.txt", "in", "telnet 127.0.0.1 52698"),
    ("email_partial_quote_header.txt", "in", "This should connect to TextMate"),
    ("email_sig_delimiter_in_middle_of_line.txt", "whole", ""),
] + [(name, "eq", want) for name, want in ZAPIER_EXACT.items()]


def zapier_texts(root: Path) -> dict[str, str]:
    base = root / "zapier-email-reply-parser"
    return {
        p.name: p.read_text(encoding="utf-8", errors="replace") for p in sorted(base.glob("*.txt"))
    }
