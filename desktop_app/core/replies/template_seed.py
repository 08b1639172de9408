"""Copying the built-in template files into the store; the built-ins the merchant deleted."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.core.replies.template_files import TemplateFile
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.models import Setting, Template

CONTENT = ("title", "category", "shortcut", "intent", "subject", "body")
DELETED_KEY = "templates.deleted"  # settings row: built-ins the merchant deleted ("de/ship")


def seed_library(s: Session, files: Sequence[TemplateFile]) -> int:
    """Add new built-ins, update unedited ones from their files; returns how many changed.

    The merchant's own templates, built-ins they edited and built-ins they deleted are kept.
    """
    count = 0
    now = utcnow()
    deleted = deleted_builtins(s)
    rows = {(r.language, r.key): r for r in s.scalars(select(Template))}
    for tf in files:
        if f"{tf.language}/{tf.key}" in deleted:
            continue
        row = rows.get((tf.language, tf.key))
        if row is None:
            s.add(Template(key=tf.key, language=tf.language, builtin=True,
                           modified=False, created_at=now, updated_at=now,
                           **{f: getattr(tf, f) for f in CONTENT}))  # fmt: skip
            count += 1
        elif (
            row.builtin
            and not row.modified
            and any(getattr(row, f) != getattr(tf, f) for f in CONTENT)
        ):
            for field in CONTENT:
                setattr(row, field, getattr(tf, field))
            row.updated_at = now
            count += 1
    return count


def deleted_builtins(s: Session) -> set[str]:
    row = s.get(Setting, DELETED_KEY)
    return set(json.loads(row.value)) if row is not None else set()


def set_deleted_builtins(s: Session, deleted: set[str]) -> None:
    value = json.dumps(sorted(deleted))
    row = s.get(Setting, DELETED_KEY)
    if row is None:
        s.add(Setting(key=DELETED_KEY, value=value))
    else:
        row.value = value
