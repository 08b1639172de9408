"""The merchant's triage: applied to the store at once, queued for the server, undoable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.store.db import Store


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
        raise NotImplementedError

    def snooze(self, case_ids: Sequence[int], until: datetime) -> Changes:
        """Hide the cases until `until` (aware or UTC); they come back then."""
        raise NotImplementedError

    def unsnooze(self, case_ids: Sequence[int]) -> Changes:
        raise NotImplementedError

    def set_tags(
        self, case_ids: Sequence[int], add: Sequence[str], remove: Sequence[str]
    ) -> Changes:
        raise NotImplementedError

    def add_note(self, case_id: int, body: str) -> Changes:
        raise NotImplementedError

    def notes(self, case_id: int) -> list[tuple[int, datetime, str]]:
        """(note id, created at UTC, body), oldest first."""
        raise NotImplementedError

    def mark_read(self, case_ids: Sequence[int], seen: bool) -> Changes:
        """Every message of the cases read (or unread)."""
        raise NotImplementedError

    def mark_messages_read(self, message_ids: Sequence[int], seen: bool) -> Changes:
        raise NotImplementedError

    def star(self, case_ids: Sequence[int], starred: bool) -> Changes:
        raise NotImplementedError

    def archive(self, case_ids: Sequence[int]) -> Changes:
        """Done, and the messages move from the inbox to the Archive folder on the server."""
        raise NotImplementedError

    def delete(self, case_ids: Sequence[int]) -> Changes:
        """The messages move to Trash on the server; the case goes to the trash queue."""
        raise NotImplementedError

    def undo(self, token: str) -> Changes:
        """Reverse one earlier action: ops not yet sent are cancelled, sent ones reversed."""
        raise NotImplementedError

    def pending_count(self) -> int:
        """Server operations still waiting (shown as "3 changes waiting to sync")."""
        raise NotImplementedError
