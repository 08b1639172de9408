"""The merchant's choices about remote images: per message (by dedup key) or per sender."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from desktop_app.core.store.models import Setting

KEY = "remote_images"  # JSON {"messages": [dedup keys], "senders": [lowercased addresses]}


@dataclass(frozen=True, slots=True)
class RemoteImages:
    """Messages and senders whose remote images are shown."""

    messages: frozenset[str] = frozenset()
    senders: frozenset[str] = frozenset()

    def allowed(self, dedup_key: str, sender: str) -> bool:
        return dedup_key in self.messages or (bool(sender) and sender.lower() in self.senders)


def load(session: Session) -> RemoteImages:
    row = session.get(Setting, KEY)
    try:
        data = json.loads(row.value) if row is not None else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    return RemoteImages(
        frozenset(str(k) for k in data.get("messages") or ()),
        frozenset(str(a).lower() for a in data.get("senders") or ()),
    )


def allow(session: Session, *, message_key: str | None = None, sender: str | None = None) -> None:
    """Show remote images of this message, or of everything from this sender, from now on."""
    current = load(session)
    messages = set(current.messages) | ({message_key} if message_key else set())
    senders = set(current.senders) | ({sender.lower()} if sender else set())
    value = json.dumps({"messages": sorted(messages), "senders": sorted(senders)})
    row = session.get(Setting, KEY)
    if row is None:
        session.add(Setting(key=KEY, value=value))
    else:
        row.value = value


def forget(session: Session, *, message_key: str | None = None, sender: str | None = None) -> None:
    """Take a choice back: remote images of this message or sender are blocked again."""
    current = load(session)
    messages = set(current.messages) - {message_key}
    senders = set(current.senders) - {(sender or "").lower()}
    value = json.dumps({"messages": sorted(messages), "senders": sorted(senders)})
    row = session.get(Setting, KEY)
    if row is not None:
        row.value = value
