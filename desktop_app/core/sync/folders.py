"""Find the folders to sync and their roles: SPECIAL-USE where offered, else known names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

SPECIAL_USE = {
    "\\SENT": "sent",
    "\\DRAFTS": "drafts",
    "\\TRASH": "trash",
    "\\ARCHIVE": "archive",
    "\\JUNK": "junk",
    "\\ALL": "all",
    "\\FLAGGED": "flagged",
}

KNOWN_NAMES = {
    "sent": [
        "Sent",
        "Sent Items",
        "Sent Messages",
        "Sent Mail",
        "[Gmail]/Sent Mail",
        "Gesendet",
        "Gesendete Objekte",
        "Gesendete Elemente",
        "Lähetetyt",
        "Nosūtītie",
    ],
    "drafts": ["Drafts", "Entwürfe", "[Gmail]/Drafts", "Luonnokset"],
    "trash": [
        "Trash",
        "Deleted Items",
        "Deleted Messages",
        "Papierkorb",
        "[Gmail]/Trash",
        "[Gmail]/Bin",
        "Roskakori",
    ],
    "archive": ["Archive", "Archives", "Archiv", "[Gmail]/All Mail", "Arkisto"],
    "junk": ["Junk", "Spam", "Junk E-mail", "[Gmail]/Spam"],
}


@dataclass(frozen=True, slots=True)
class ServerFolder:
    """A folder as LISTed by the server."""

    name: str
    delimiter: str | None
    flags: frozenset[str]
    role: str | None

    @property
    def selectable(self) -> bool:
        return "\\NOSELECT" not in self.flags and "\\NONEXISTENT" not in self.flags


def _text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _leaf(name: str, delimiter: str | None) -> str:
    for prefix in ("INBOX.", "INBOX/"):
        if name.upper().startswith(prefix):
            return name[len(prefix) :]
    return name


def classify(listing: Iterable[tuple[tuple[bytes, ...], bytes | None, str]]) -> list[ServerFolder]:
    """Turn imapclient's list_folders() output into folders with roles (one folder per role)."""
    folders: list[ServerFolder] = []
    taken: set[str] = set()
    raw = [
        (frozenset(_text(f).upper() for f in flags if f), _text(delim), name)  # type: ignore[union-attr]
        for flags, delim, name in listing
    ]
    roles: dict[str, str] = {}
    for flags, _delim, name in raw:
        if name.upper() == "INBOX":
            roles[name] = "inbox"
            continue
        for flag in flags:
            role = SPECIAL_USE.get(flag)
            if role and role not in taken:
                roles[name] = role
                taken.add(role)
    for role, names in KNOWN_NAMES.items():
        if role in taken:
            continue
        wanted = [n.lower() for n in names]
        for _flags, delim, name in raw:
            if name not in roles and _leaf(name, delim).lower() in wanted:
                roles[name] = role
                taken.add(role)
                break
    for flags, delim, name in raw:
        folders.append(ServerFolder(name=name, delimiter=delim, flags=flags, role=roles.get(name)))
    return folders


def folders_to_sync(folders: list[ServerFolder], extra: Iterable[str]) -> list[ServerFolder]:
    """INBOX, Sent and the folders the merchant chose, in that order."""
    wanted_extra = set(extra)
    chosen = [f for f in folders if f.role == "inbox"]
    chosen += [f for f in folders if f.role == "sent"]
    chosen += [f for f in folders if f.name in wanted_extra and f not in chosen]
    return [f for f in chosen if f.selectable]
