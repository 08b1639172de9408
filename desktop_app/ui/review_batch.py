"""Review requests approved together: each drafted, previewed, queued; plain calls, no Qt here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from desktop_app.core.errors import ShopdeskError

if TYPE_CHECKING:
    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.reminders.model import Reminder
    from desktop_app.core.replies.compose import ReplyDraft
    from desktop_app.core.replies.outbox import OutboxInfo
    from desktop_app.ui.reply_backend import ReplyBackend


@dataclass(frozen=True, slots=True)
class PreparedReview:
    """One review request: the reply ready to queue and what the customer reads, or the problem."""

    reminder: Reminder
    draft: ReplyDraft | None
    preview: str  # the text as sent (body, signature, quote); empty when it cannot be made
    problem: str  # why it cannot be sent ("The case lacks: ..."); empty when it can
    language: str = ""


def same_day(reminders: Sequence[Reminder], zone: tzinfo | None = None) -> list[Reminder]:
    """The review requests due on the day of the newest one (in `zone`, default local)."""
    reviews = [r for r in reminders if r.rule == "review" and r.case_id is not None]
    if not reviews:
        return []
    newest = max(reviews, key=lambda r: r.due_at)
    day = newest.due_at.astimezone(zone).date()
    return [r for r in reviews if r.due_at.astimezone(zone).date() == day]


def prepare(backend: ReplyBackend, reminder: Reminder) -> PreparedReview:
    """The reminder's template rendered for its case, in the customer's language."""
    from desktop_app.core.replies.compose import plain_text
    from desktop_app.core.replies.render import RenderError, describe_missing
    from desktop_app.ui.compose_templates import without_signature

    key = reminder.template_key or "review_request"
    if reminder.case_id is None:
        return PreparedReview(reminder, None, "", "This reminder belongs to no case.")
    try:
        setup = backend.setup(reminder.case_id, "reply")
    except ShopdeskError as exc:
        return PreparedReview(reminder, None, "", str(exc))
    if setup.draft_id is not None:
        return PreparedReview(
            reminder, None, "", "A draft is already open for this case: finish it there."
        )
    try:
        rendered = backend.render(key, reminder.case_id, setup.language, {})
    except RenderError as exc:
        problem = describe_missing(exc.missing) if exc.missing else str(exc)
        return PreparedReview(reminder, None, "", problem, setup.language)
    draft = setup.draft
    to = draft.to
    email = reminder.customer_email
    if email and email.lower() not in [a.lower() for a in to]:
        to = (email,)  # a case of platform notices only: the request goes to the customer
    draft = replace(
        draft,
        to=to,
        body=without_signature(rendered.body, setup.signature),
        subject=draft.subject or rendered.subject,
        language=rendered.language or setup.language,
        template_key=key,
    )
    if not draft.to:
        return PreparedReview(reminder, None, "", "There is no address to send it to.")
    return PreparedReview(
        reminder, draft, plain_text(draft, setup.signature), "", rendered.language
    )


def send(
    mailbox: Mailbox, backend: ReplyBackend, chosen: Sequence[PreparedReview], undo_seconds: float
) -> list[OutboxInfo]:
    """Queue each chosen reply through the outbox and mark its reminder done."""
    queued: list[OutboxInfo] = []
    keys: list[str] = []
    for item in chosen:
        if item.draft is None:
            continue
        try:
            queued.append(backend.queue(item.draft, undo_seconds))
        except Exception as exc:
            if keys:  # the ones before are on their way: say which, so they are not sent again
                raise PartlySent(exc, tuple(keys)) from exc
            raise
        keys.append(item.reminder.key)
        mailbox.reminders.done(item.reminder.key)
    return queued


class PartlySent(Exception):
    """Queuing stopped at one reply; `keys` are the reminders whose replies were queued."""

    def __init__(self, error: BaseException, keys: tuple[str, ...]) -> None:
        super().__init__(str(error))
        self.error, self.keys = error, keys


def due_day_text(reminders: Sequence[Reminder], now: datetime, zone: tzinfo | None = None) -> str:
    """ "today" or the date the batch fell due (in `zone`), for the dialog's heading."""
    if not reminders:
        return ""
    due = max(r.due_at for r in reminders).astimezone(zone)
    if due.date() == now.astimezone(zone).date():
        return QCoreApplication.translate("ReviewBatch", "today")
    return QLocale().toString(QDate(due.year, due.month, due.day), "ddd d MMM")
