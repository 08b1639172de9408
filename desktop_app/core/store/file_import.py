"""Import mail from files (mbox, Maildir, .eml) into a local account, idempotently."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from desktop_app.core.mail.sources import SourceMessage, iter_source
from desktop_app.core.store.accounts import ensure_local_account, local_folder
from desktop_app.core.store.db import Store
from desktop_app.core.store.ingest import FetchedMessage, blob_shas_in_folder, ingest_batch

BATCH = 500


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import added."""

    read: int
    new_messages: int
    new_locations: int
    already_there: int
    problems: int


def import_path(
    store: Store,
    path: Path,
    progress: Callable[[int], None] | None = None,
    account_id: int | None = None,
    rewrite: Callable[[bytes], bytes] | None = None,
) -> ImportReport:
    """Store every message under `path`; importing the same files again adds nothing.

    Mail goes into the "Imported mail" local account unless `account_id` names another (the
    demo shop's). `rewrite`, when given, changes each message's bytes before they are stored;
    only Shopdesk's own demo mail uses it (to move its dates): the merchant's mail is stored
    exactly as read.
    """
    read = new_messages = new_locations = already = problems = 0
    pending: dict[str, list[SourceMessage]] = {}

    def flush(folder_name: str) -> None:
        nonlocal new_messages, new_locations, already, problems
        batch = pending.pop(folder_name, [])
        if not batch:
            return
        with store.session() as s:
            target = account_id if account_id is not None else ensure_local_account(s)
            folder = local_folder(s, target, folder_name, "import")
            present = blob_shas_in_folder(s, folder.id)
            items = []
            uid = folder.last_uid
            for m in batch:
                sha = hashlib.sha256(m.raw).hexdigest()
                if sha in present:
                    already += 1
                    continue
                present.add(sha)
                uid += 1
                items.append(FetchedMessage(uid=uid, raw=m.raw, flags=m.flags))
            result = ingest_batch(s, target, folder.id, 1, items)
            folder.last_uid = uid
        new_messages += result.new_messages
        new_locations += result.new_locations
        problems += result.problems

    for message in iter_source(path):
        read += 1
        if rewrite is not None:
            message = replace(message, raw=rewrite(message.raw))
        pending.setdefault(message.folder, []).append(message)
        if len(pending[message.folder]) >= BATCH:
            flush(message.folder)
        if progress and read % 1000 == 0:
            progress(read)
    for name in list(pending):
        flush(name)
    return ImportReport(read, new_messages, new_locations, already, problems)
