"""Language and intent of customer messages, and each customer's language, after grouping.

What counts as a customer's message: not from one of the shop's own addresses, not in a Sent
folder, and not a platform notice (`notice_kind` unset, or "message": a buyer's message relayed
by a marketplace). Other messages get `intent = ""` once, so they are never looked at again.

Only the newest customer message of each case is annotated here (that is the one the composer
suggests a reply for, and it keeps a pass over a 100k-message store to a few seconds); older
ones are annotated when asked for (`annotate_messages`, e.g. by `export messages`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from desktop_app.core.store import plain
from desktop_app.core.store.orders import upsert_customers
from desktop_app.core.store.shop_settings import own_addresses

CHUNK = 400
RECENT = 10  # a customer's language: the most frequent among their newest messages
MERCHANT = "merchant"  # customers.language_source when the merchant set it
DETECTED = "detected"
_NOT_CUSTOMER = ""  # messages.intent of a message that is not a customer's


@dataclass(frozen=True, slots=True)
class Annotation:
    """What one customer message says about itself."""

    message_id: int
    language: str | None
    intent: str
    confidence: float


def mark_not_customer(
    session: Session, after: int = 0, own_addrs: frozenset[str] | None = None
) -> int:
    """Set intent "" on new messages (ids above `after`) that are not a customer's (ours,
    Sent, notices)."""
    own = sorted(own_addresses(session) if own_addrs is None else own_addrs)
    params = {"none": _NOT_CUSTOMER, "own": own or [""], "after": after}
    return int(plain.run(session, _MARK_NOT_CUSTOMER, params).rowcount or 0)


# Plain statements: they run at every new message.
_MARK_NOT_CUSTOMER = (
    "UPDATE messages SET intent = :none WHERE intent IS NULL AND id > :after AND ("
    " (notice_kind IS NOT NULL AND notice_kind != 'message')"
    " OR lower(from_addr) IN (:own)"
    " OR id IN (SELECT l.message_id FROM locations l JOIN folders f ON f.id = l.folder_id"
    "           WHERE f.role = 'sent'))"
)
_PENDING = (
    "SELECT id, case_id, coalesce(date, '') FROM messages WHERE intent IS NULL AND id > :after"
)
_IN_CASES = (
    "SELECT id, case_id, coalesce(date, '') AS d, intent IS NULL AS pending"
    " FROM messages WHERE case_id IN (:cases) AND (intent IS NULL OR intent != :none)"
)


def _newest_pending(
    session: Session, limit: int | None, everything: bool = False, after: int = 0
) -> list[int]:
    """Ids of messages to annotate: each case's newest customer message when not yet done
    (and customer messages without a case; with `everything`, all of them), newest first.

    Only the cases that hold a message not annotated yet are read (the partial index
    `ix_messages_unannotated` finds those), so an assignment of one new message stays cheap.
    """
    pending = plain.rows(session, _PENDING, {"after": after})
    loose = [(date, mid) for mid, case_id, date in pending if case_id is None or everything]
    cases = sorted({case_id for _, case_id, _ in pending if case_id is not None})
    newest: dict[int, tuple[str, int, bool]] = {}
    in_cases = [] if everything else cases
    for mid, case_id, date, is_pending in plain.rows_for(
        session, _IN_CASES, "cases", in_cases, {"none": _NOT_CUSTOMER}
    ):
        key = (date, mid, bool(is_pending))
        if case_id not in newest or key[:2] > newest[case_id][:2]:
            newest[case_id] = key
    chosen = [(d, mid) for d, mid, is_pending in newest.values() if is_pending] + loose
    chosen.sort(reverse=True)
    ids = [mid for _, mid in chosen]
    return ids if limit is None else ids[:limit]


def annotate_messages(session: Session, ids: Sequence[int]) -> list[Annotation]:
    """Detect the language and intent of these customer messages and store them; the senders'
    customer rows get their language (created when missing)."""
    from desktop_app.core.replies.annotation import annotate_text

    out: list[Annotation] = []
    senders: dict[int, dict[str, str | None]] = {}
    for mid, account_id, subject, from_addr, _name, body, notice_kind in plain.rows_for(
        session, _TO_ANNOTATE, "ids", ids
    ):
        language, intent, confidence = annotate_text(subject or "", body or "")
        out.append(Annotation(mid, language, intent, confidence))
        if notice_kind is None and from_addr:  # a marketplace relays many buyers
            senders.setdefault(account_id, {})[from_addr] = language
    plain.run_many(session, _SET_ANNOTATION, [(a.language, a.intent, a.message_id) for a in out])
    for account_id, found in senders.items():
        update_customer_languages(session, account_id, _may_change(session, account_id, found))
    return out


_TO_ANNOTATE = (
    "SELECT id, account_id, subject, from_addr, from_name, body_text, notice_kind"
    " FROM messages WHERE id IN (:ids)"
)
_SET_ANNOTATION = "UPDATE messages SET language = ?, intent = ? WHERE id = ?"
_KNOWN_LANGUAGES = "SELECT email, language FROM customers WHERE account_id = :a AND email IN (:e)"


def _may_change(session: Session, account_id: int, found: dict[str, str | None]) -> list[str]:
    """The senders whose customer language a message in `found`'s language may change: not
    those who have a customer row in that language already (one more message in the language
    they write most in keeps it the most frequent), nor, for a message too short to tell
    (None), those who have a row at all."""
    if len(found) > CHUNK:
        return sorted(found)
    known: dict[str, str | None] = {
        str(email): language
        for email, language in plain.rows(
            session, _KNOWN_LANGUAGES, {"a": account_id, "e": sorted({a.lower() for a in found})}
        )
    }
    return [
        a
        for a, language in found.items()
        if a.lower() not in known or (language is not None and known[a.lower()] != language)
    ]


# Each sender's messages are found by address (`+account_id`: SQLite's statistics, taken
# before a first sync, can otherwise make it read every message of the account per chunk).
_LANGUAGES_OF = (
    "SELECT from_addr, language FROM messages WHERE +account_id = :a"
    " AND from_addr IN (:f) AND language IS NOT NULL ORDER BY from_addr, date DESC, id DESC"
)
_NAMES_OF = (
    "SELECT lower(from_addr), max(from_name) FROM messages"
    " WHERE +account_id = :a AND from_addr IN (:f) GROUP BY lower(from_addr)"
)


def _recent_languages(session: Session, account_id: int, addrs: list[str]) -> dict[str, str]:
    """Each address's most frequent language among its RECENT newest annotated messages
    (ties: the newest)."""
    seen: dict[str, list[str]] = {}
    for addr, lang in plain.rows_for(session, _LANGUAGES_OF, "f", addrs, {"a": account_id}):
        mine = seen.setdefault(addr, [])
        if len(mine) < RECENT:
            mine.append(str(lang))
    out: dict[str, str] = {}
    for addr, languages in seen.items():
        counts = Counter(languages)
        best = max(counts.values())
        out[addr] = next(lang for lang in languages if counts[lang] == best)
    return out


def update_customer_languages(session: Session, account_id: int, addrs: Iterable[str]) -> int:
    """Give each sender's customer row the language they write most in lately (rows are
    created for senders who have none); a language the merchant set is kept."""
    found = _recent_languages(session, account_id, sorted(set(addrs)))
    if not found:
        return 0
    senders = sorted(found)
    names: dict[str, str | None] = {}
    for addr, name in plain.rows_for(session, _NAMES_OF, "f", senders, {"a": account_id}):
        known = names.get(addr)  # one address may be spelt in several cases
        names[addr] = name if known is None or (name is not None and name > known) else known
    people = {a.lower(): (names.get(a.lower()) or "", "", "") for a in found}
    ids = upsert_customers(session, account_id, people)
    changes = [(lang, DETECTED, ids[a.lower()]) for a, lang in found.items() if a.lower() in ids]
    session.connection().exec_driver_sql(
        "UPDATE customers SET language = ?, language_source = ?"
        " WHERE id = ? AND coalesce(language_source, '') != 'merchant'",
        changes,
    )
    return len(changes)


CHECKED_KEY = "annotate.checked_message_id"  # newer messages are the "new" ones


def annotate_pending(
    session: Session,
    limit: int | None = None,
    everything: bool = False,
    new_only: bool = False,
    own: frozenset[str] | None = None,
) -> int:
    """Annotate what is new: mark the messages that are not a customer's, then the newest
    customer message of each case (every customer message with `everything`; at most `limit`,
    newest first); returns how many were annotated.

    With `new_only` (after an assignment) only the cases of messages stored since the last
    such pass are looked at, so assigning one message does not read every older message that
    was never the newest of its case. `own`: the shop's own addresses, when the caller has
    them already.
    """
    session.flush()
    after = _checked(session) if new_only else 0
    mark_not_customer(session, after, own)
    top = plain.scalar(session, "SELECT max(id) FROM messages") or 0
    ids = _newest_pending(session, limit, everything, after)
    done = len(annotate_messages(session, ids)) if ids else 0
    if limit is None or len(ids) < limit:
        mark_checked(session, int(top))
    return done


def _checked(session: Session) -> int:
    value = plain.scalar(session, "SELECT value FROM settings WHERE key = :k", {"k": CHECKED_KEY})
    return int(json.loads(value)) if value else 0


def mark_checked(session: Session, top: int) -> None:
    """Messages up to `top` have been looked at (see `annotate_pending(new_only=True)`)."""
    plain.run(
        session,
        "INSERT INTO settings(key, value) VALUES (:k, :v)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        {"k": CHECKED_KEY, "v": json.dumps(top)},
    )


def set_customer_language(session: Session, email: str, language: str | None) -> int:
    """The merchant's choice of a customer's language (None: detect it again); returns how
    many customer rows changed (one per account that knows the address; rows are created in
    the accounts that have mail from it)."""
    addr = email.strip().lower()
    accounts = {
        int(a)
        for (a,) in session.execute(
            text("SELECT DISTINCT account_id FROM messages WHERE lower(from_addr) = :e"),
            {"e": addr},
        )
    }
    accounts |= {
        int(a)
        for (a,) in session.execute(
            text("SELECT account_id FROM customers WHERE email = :e"), {"e": addr}
        )
    }
    for account_id in accounts:
        upsert_customers(session, account_id, {addr: ("", "", "")})
    session.execute(
        text("UPDATE customers SET language = :l, language_source = :s WHERE email = :e"),
        {"l": language, "s": MERCHANT if language else None, "e": addr},
    )
    if language is None:
        for account_id in accounts:
            senders = session.execute(
                text(
                    "SELECT DISTINCT from_addr FROM messages"
                    " WHERE account_id = :a AND lower(from_addr) = :e"
                ),
                {"a": account_id, "e": addr},
            )
            update_customer_languages(session, account_id, [s for (s,) in senders])
    return len(accounts)
