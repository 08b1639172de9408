"""The merchant's triage: applied to the store at once, queued for the server, undoable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from desktop_app.core.store import server_ops, triage_ops
from desktop_app.core.store.triage_ops import SEEN, STATUSES, Action, ActionResult

if TYPE_CHECKING:
    from desktop_app.core.accounts.settings import AccountSettings
    from desktop_app.core.store.db import Store
    from desktop_app.core.sync.account import PasswordSource
    from desktop_app.core.sync.replay import ReplayReport


@dataclass(frozen=True, slots=True)
class Changes:
    """What one operation changed, so the UI repaints just that (Anki's OpChanges)."""

    case_ids: tuple[int, ...] = ()
    message_ids: tuple[int, ...] = ()
    queues: bool = False  # queue membership or counts changed
    undo_token: str | None = None  # pass to Triage.undo; None when nothing can be undone
    description: str = ""  # "Archived 3 cases", for the undo bar
    server_ops: int = 0  # server operations queued
    extra: dict[str, str] = field(default_factory=dict)


class Triage:
    """Every triage action; each runs in one transaction and returns `Changes`.

    Local state changes at once; operations the server must learn of (read, starred,
    archive = MOVE to the Archive folder, delete = MOVE to Trash) go into the `server_ops`
    queue, replayed by `replay_pending` when online (sync does it first).
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def set_status(self, case_ids: Sequence[int], status: str) -> Changes:
        """open | waiting | done."""
        if status not in STATUSES:
            raise ValueError(f"unknown case status {status!r}")
        label = {"open": "Reopened", "waiting": "Marked waiting", "done": "Marked done"}[status]
        with self.store.session() as s:
            action = Action(s, "")
            action.set_cases(case_ids, status=status)
            return self._changes(action, label, queues=True)

    def snooze(self, case_ids: Sequence[int], until: datetime) -> Changes:
        """Hide the cases until `until` (aware or UTC); they come back then."""
        if until.tzinfo is not None:
            until = until.astimezone(UTC).replace(tzinfo=None)
        with self.store.session() as s:
            action = Action(s, "")
            action.set_cases(case_ids, snoozed_until=until)
            return self._changes(action, "Snoozed", queues=True)

    def unsnooze(self, case_ids: Sequence[int]) -> Changes:
        with self.store.session() as s:
            action = Action(s, "")
            action.set_cases(case_ids, snoozed_until=None)
            return self._changes(action, "Unsnoozed", queues=True)

    def set_tags(
        self, case_ids: Sequence[int], add: Sequence[str], remove: Sequence[str]
    ) -> Changes:
        with self.store.session() as s:
            action = Action(s, "")
            action.set_tags(case_ids, add, remove)
            return self._changes(action, "Tagged", queues=True)

    def add_note(self, case_id: int, body: str) -> Changes:
        body = body.strip()
        if not body:
            raise ValueError("a note needs some text")
        with self.store.session() as s:
            action = Action(s, "")
            note_id = action.add_note(case_id, body)
            changes = self._changes(action, "Added a note to", queues=False)
        if note_id is None:
            return changes
        return replace(changes, extra={"note_id": str(note_id)})

    def notes(self, case_id: int) -> list[tuple[int, datetime, str]]:
        """(note id, created at UTC, body), oldest first."""
        with self.store.session() as s:
            return triage_ops.notes(s, case_id)

    def mark_read(self, case_ids: Sequence[int], seen: bool) -> Changes:
        """Every message of the cases read (or unread)."""
        with self.store.session() as s:
            action = Action(s, "")
            ids = action.load_cases(case_ids)
            action.set_message_flag([m for m, *_ in action.case_messages(ids)], SEEN, seen)
            return self._changes(action, "Marked read" if seen else "Marked unread", queues=True)

    def mark_messages_read(self, message_ids: Sequence[int], seen: bool) -> Changes:
        from sqlalchemy import select

        from desktop_app.core.store.models import Message

        with self.store.session() as s:
            action = Action(s, "")
            cases = [
                c
                for c in s.scalars(
                    select(Message.case_id).where(Message.id.in_(list(message_ids))).distinct()
                )
                if c is not None
            ]
            action.load_cases(cases)
            action.set_message_flag(message_ids, SEEN, seen)
            label = "Marked read" if seen else "Marked unread"
            return self._changes(action, label, queues=True, count_messages=True)

    def star(self, case_ids: Sequence[int], starred: bool) -> Changes:
        """Star: \\Flagged on the newest customer message too. Unstar: off every message."""
        with self.store.session() as s:
            action = Action(s, "")
            action.star_cases(case_ids, starred)
            return self._changes(action, "Starred" if starred else "Unstarred", queues=True)

    def archive(self, case_ids: Sequence[int]) -> Changes:
        """Done, and the messages move from the inbox to the Archive folder on the server."""
        with self.store.session() as s:
            action = Action(s, "")
            ids = action.set_cases(case_ids, status="done")
            action.move_from_inbox(ids, "move", "archive")
            return self._changes(action, "Archived", queues=True)

    def delete(self, case_ids: Sequence[int]) -> Changes:
        """The messages move to Trash on the server; the case goes to the trash queue."""
        with self.store.session() as s:
            action = Action(s, "")
            ids = action.set_cases(case_ids, status="trash")
            action.move_from_inbox(ids, "delete", "trash")
            return self._changes(action, "Deleted", queues=True)

    def undo(self, token: str) -> Changes:
        """Reverse one earlier action: ops not yet sent are cancelled, sent ones reversed."""
        with self.store.session() as s:
            result = triage_ops.undo(s, token)
        if not result.case_ids and not result.message_ids:
            return Changes(description="Nothing to undo")
        return Changes(
            case_ids=result.case_ids,
            message_ids=result.message_ids,
            queues=True,
            description="Undone",
            server_ops=result.server_ops,
        )

    def pending_count(self) -> int:
        """Server operations still waiting (shown as "3 changes waiting to sync")."""
        with self.store.session() as s:
            return server_ops.pending_count(s)

    def replay_pending(
        self, account: AccountSettings | None = None, password: PasswordSource | None = None
    ) -> ReplayReport:
        """Send the waiting changes of one account (or of every mail account) to the server.

        Offline, nothing is lost: the report says so and the changes wait for the next time.
        """
        from desktop_app.core.store.accounts import list_accounts
        from desktop_app.core.sync.replay import ReplayReport, replay_account

        if account is None:
            with self.store.session() as s:
                accounts = [a for a in list_accounts(s) if a.kind == "imap"]
        else:
            accounts = [account]
        report = ReplayReport()
        for settings in accounts:
            report = report + replay_account(self.store, settings, password)
        return report

    # -- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _changes(action: Action, label: str, queues: bool, count_messages: bool = False) -> Changes:
        if count_messages:
            n = len(action.message_ids)
            what = f"{n} message" + ("s" if n != 1 else "")
        else:
            n = len(action.cases)
            what = f"{n} case" + ("s" if n != 1 else "")
        action.description = f"{label} {what}"
        result: ActionResult = action.finish()
        if result.undo_token is None:
            return Changes()
        return Changes(
            case_ids=result.case_ids,
            message_ids=result.message_ids,
            queues=queues,
            undo_token=result.undo_token,
            description=action.description,
            server_ops=result.server_ops,
        )
