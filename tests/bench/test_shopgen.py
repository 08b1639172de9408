"""The shop-mail generator's invariants on a small mailbox: ids, truth, hard cases, languages."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from bench.shopgen import HARD, KINDS, LANG_CODES, SHOP_ADDRESSES, generate
from desktop_app.core.mail.parse import ParsedMessage, parse_for_store

N = 300


def _read(out: Path) -> tuple[list[dict[str, str]], dict[str, list[tuple[str, ParsedMessage]]]]:
    truth = [json.loads(line) for line in (out / "truth.jsonl").read_text("utf-8").splitlines()]
    parsed: dict[str, list[tuple[str, ParsedMessage]]] = defaultdict(list)
    maildir = out / "Maildir"
    for folder, sub in (("INBOX", maildir / "cur"), ("Sent", maildir / ".Sent" / "cur")):
        for f in sorted(sub.iterdir()):
            raw = f.read_bytes()
            assert 600 < len(raw) < 9000, f.name
            p = parse_for_store(raw)
            assert p.problems == (), (f.name, p.problems)
            assert p.message_id is not None
            parsed[p.message_id].append((folder, p))
    return truth, parsed


def test_small_mailbox_keeps_every_invariant(tmp_path: Path) -> None:
    st = generate(N, 7, tmp_path / "a")
    truth, parsed = _read(tmp_path / "a")
    ids = [t["message_id"] for t in truth]
    assert st.n == len(truth) == N
    assert len(set(ids)) == N, "Message-IDs are unique"
    assert set(parsed) == set(ids), "every message file is in truth.jsonl and back"
    assert st.inbox + st.sent == N and st.duplicates == sum(len(v) - 1 for v in parsed.values())
    assert {t["hard"] for t in truth} == set(HARD), "every hard case is there"
    assert {t["kind"] for t in truth} == set(KINDS)
    assert {t["lang"] for t in truth if t["kind"] == "customer"} == set(LANG_CODES)

    by_id = {t["message_id"]: t for t in truth}
    case_of = {m: t["case"] for m, t in by_id.items()}
    notices = defaultdict(list)
    senders = defaultdict(set)
    for t in truth:
        folder, p = parsed[t["message_id"]][0]
        assert folder == t["folder"] or t["kind"] == "merchant"
        if t["kind"] == "merchant":  # the merchant writes from the shop's address
            assert p.from_addr == SHOP_ADDRESSES[0]
        elif t["kind"] != "notice":  # (Magento, WooCommerce, ... send from the shop's too)
            assert p.from_addr not in SHOP_ADDRESSES
        if t["kind"] == "merchant":
            assert {f for f, _ in parsed[t["message_id"]]} >= {"Sent"}
        if t["kind"] == "notice":
            notices[t["case"]].append(p)
        if t["kind"] == "customer":
            senders[p.from_addr].add(t["case"])
    for t in truth:  # every order case has its platform notice
        if t["case"].startswith("order:"):
            assert notices[t["case"]], t
    for t in truth:
        p = parsed[t["message_id"]][0][1]
        hard = t["hard"]
        if hard == "no-number":  # the sender has exactly one order, and no reference helps
            assert senders[p.from_addr] == {t["case"]}
            assert not p.references and p.in_reply_to is None
        elif hard in ("no-references", "no-references-quoted"):
            assert not p.references and p.in_reply_to is None
            assert p.subject.lower().startswith(("re:", "aw:", "vs:", "atb.:"))
        elif hard == "other-address":
            assert p.references and senders[p.from_addr] == {t["case"]}
            first = [case_of[r] for r in p.references if r in case_of]
            assert first and all(c == t["case"] for c in first)
        elif hard == "new-order-in-old-thread" and t["kind"] == "customer":
            # its References lead into the customer's earlier order's thread
            assert any(case_of.get(r, t["case"]) != t["case"] for r in p.references)
        elif hard == "item-number":
            item = p.subject.rsplit("#", 1)[1]
            holders = {c for c, ps in notices.items() if any(item in n.subject for n in ps)}
            assert holders == {t["case"]}
        elif hard == "reply-to-confirmation":
            assert p.in_reply_to is not None and p.in_reply_to not in case_of


def test_same_seed_same_mail(tmp_path: Path) -> None:
    generate(60, 3, tmp_path / "a")
    generate(60, 3, tmp_path / "b")
    generate(60, 4, tmp_path / "c")
    a, b, c = ((tmp_path / x / "truth.jsonl").read_text("utf-8") for x in "abc")
    assert a == b != c
    files_a = sorted((tmp_path / "a" / "Maildir" / "cur").iterdir())
    files_b = sorted((tmp_path / "b" / "Maildir" / "cur").iterdir())
    assert [f.read_bytes() for f in files_a] == [f.read_bytes() for f in files_b]
