"""What the composer asks of the core, as plain calls for the database worker (no Qt here)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from desktop_app.core.mailbox import Mailbox
    from desktop_app.core.replies.compose import ReplyDraft
    from desktop_app.core.replies.outbox import OutboxInfo
    from desktop_app.core.replies.render import Rendered
    from desktop_app.core.replies.templates import TemplateInfo
    from desktop_app.core.store.shop_settings import ShopSettings

LANGUAGE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "fi": "Suomi",
    "lv": "Latviešu",
    "hi": "हिन्दी",
    "hy": "Հայերեն",
}


@dataclass(frozen=True, slots=True)
class Sender:
    """One mailbox a reply can go out from."""

    account_id: int
    email: str
    name: str


@dataclass(frozen=True, slots=True)
class ComposeSetup:
    """All the composer needs to open: the draft (restored or new) and its surroundings."""

    draft: ReplyDraft
    draft_id: int | None  # a saved draft that was restored
    language: str
    languages: tuple[str, ...]
    senders: tuple[Sender, ...]
    signature: str
    templates: tuple[TemplateInfo, ...]  # in `language`
    suggestion: TemplateInfo | None  # for the customer's latest message


class ReplyBackend:
    """The core calls behind the composer, each safe on the database worker thread."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    def setup(self, case_id: int | None, kind: str, message_id: int | None = None) -> ComposeSetup:
        """Open a reply (reply, reply_all, forward) to the case's latest customer message, or a
        new message ("new"); a saved draft of the case wins over a fresh one."""
        from desktop_app.core.replies.language import SUPPORTED

        box = self.mailbox
        restored = box.outbox.draft_for_case(case_id) if case_id is not None else None
        latest: tuple[int, str | None] | None = None
        if case_id is not None:
            latest = self._latest_customer_message(case_id)
            if message_id is None and latest is not None:
                message_id = latest[0]
        shop_name = self._shop().name
        senders = tuple(
            Sender(a.id or 0, a.email, shop_name or a.name) for a in box.accounts() if a.email
        )
        if restored is not None:
            draft_id, draft = restored
        else:
            draft_id, draft = None, self._fresh(kind, case_id, message_id, senders)
        language = draft.language or (
            box.templates.reply_language(case_id) if case_id is not None else self._default()
        )
        draft = replace(draft, language=language)
        return ComposeSetup(
            draft=draft,
            draft_id=draft_id,
            language=language,
            languages=tuple(SUPPORTED),
            senders=senders,
            signature=self.signature(),
            templates=tuple(self.templates(language)),
            suggestion=self._suggest(latest, language) if latest is not None else None,
        )

    def _fresh(
        self, kind: str, case_id: int | None, message_id: int | None, senders: Sequence[Sender]
    ) -> ReplyDraft:
        from desktop_app.core.replies.compose import ReplyDraft, start_reply

        if kind != "new" and message_id is not None:
            with self.mailbox.store.session() as s:
                return start_reply(s, message_id, kind)
        first = senders[0] if senders else Sender(0, "", "")
        return ReplyDraft(
            kind="new",
            account_id=first.account_id,
            case_id=case_id,
            reply_to_id=None,
            from_addr=first.email,
            from_name=first.name,
            to=(),
            cc=(),
            subject="",
            body="",
            in_reply_to=None,
            references=(),
            quoted="",
            attachments=(),
            language="",
            template_key=None,
        )

    def _shop(self) -> ShopSettings:
        from desktop_app.core.store import shop_settings

        with self.mailbox.store.session() as s:
            return shop_settings.load(s)

    def _default(self) -> str:
        return self._shop().default_language or "en"

    def _latest_customer_message(self, case_id: int) -> tuple[int, str | None] | None:
        """(id, stored intent) of the message to answer: the customer's newest, not a
        platform's notice; else the newest not ours; else the newest."""
        from sqlalchemy import select

        from desktop_app.core.store.models import Message

        rows = self.mailbox.views.case_messages(case_id)
        if not rows:
            return None
        with self.mailbox.store.session() as s:
            facts = {
                m.id: (m.notice_kind, m.intent)
                for m in s.execute(
                    select(Message.id, Message.notice_kind, Message.intent).where(
                        Message.id.in_([r.id for r in rows])
                    )
                )
            }
        customers = [r for r in rows if not r.ours and not facts.get(r.id, (None, None))[0]]
        chosen = (customers or [r for r in rows if not r.ours] or rows)[-1]
        return chosen.id, facts.get(chosen.id, (None, None))[1]

    def _suggest(self, latest: tuple[int, str | None], language: str) -> TemplateInfo | None:
        """The template for the intent of the message answered (as stored, else classified)."""
        from desktop_app.core.replies.intents import classify_intent, suggest_template

        message_id, intent = latest
        text = self.mailbox.views.message_view(message_id).text
        if not intent:
            intent, _confidence = classify_intent(text, language)
        key = suggest_template(intent, text)
        if key is None:
            return None
        templates = self.mailbox.templates
        return templates.get(key, language) or templates.get(key, "en")

    def signature(self) -> str:
        from desktop_app.core.store import shop_settings

        with self.mailbox.store.session() as s:
            return shop_settings.load(s).signature

    def templates(self, language: str) -> list[TemplateInfo]:
        """The templates of `language`, and the English ones it lacks (typed the same)."""
        mine = list(self.mailbox.templates.list(language))
        if language != "en":
            keys = {t.key for t in mine}
            mine += [t for t in self.mailbox.templates.list("en") if t.key not in keys]
        return mine

    def render(
        self, key: str, case_id: int | None, language: str, extra: Mapping[str, str]
    ) -> Rendered:
        """The template for the case; raises RenderError naming what is missing.

        Values the merchant typed for a missing case value ("order.tracking_number") fill in
        that value; plain names ("discount_code") are top-level variables.
        """
        templates = self.mailbox.templates
        if case_id is not None and not any("." in name for name in extra):
            return templates.render_for_case(key, case_id, language, dict(extra))
        info = templates.get(key, language) or templates.get(key, "en")
        if info is None:
            from desktop_app.core.replies.render import RenderError

            raise RenderError(f"There is no template called {key!r}.")
        return self.render_text(info.subject, info.body, case_id, language, extra)

    def render_text(
        self,
        subject: str,
        body: str,
        case_id: int | None,
        language: str,
        extra: Mapping[str, str] = {},
    ) -> Rendered:
        """Render template text (saved or not) against a case, in `language`."""
        from desktop_app.core.replies.formats import locale_for
        from desktop_app.core.replies.render import render_template
        from desktop_app.core.store import shop_settings

        with self.mailbox.store.session() as s:
            shop = shop_settings.load(s)
            context = case_values(s, case_id, language, extra)
        locale = locale_for(language, shop.locale, shop.default_language)
        return render_template(subject, body, context, locale)

    def save_draft(self, draft: ReplyDraft, draft_id: int | None) -> int:
        return self.mailbox.outbox.save_draft(draft, draft_id)

    def discard_draft(self, draft_id: int) -> None:
        self.mailbox.outbox.discard_draft(draft_id)

    def queue(self, draft: ReplyDraft, undo_seconds: float) -> OutboxInfo:
        return self.mailbox.outbox.queue(draft, undo_seconds)

    def cancel(self, outbox_id: int) -> bool:
        return self.mailbox.outbox.cancel(outbox_id)


def case_values(
    session: Session, case_id: int | None, language: str, extra: Mapping[str, str]
) -> dict[str, Any]:
    """The case's template values, with what the merchant typed: "order.tracking_number"
    fills that value of the order, "discount_code" is a variable of its own."""
    from desktop_app.core.replies.render import case_context
    from desktop_app.core.replies.sandbox import Values

    plain = {k: v for k, v in extra.items() if "." not in k}
    context = case_context(session, case_id, language, plain) if case_id is not None else plain
    for name, value in extra.items():
        if "." not in name or not value.strip():
            continue
        group, field = name.split(".", 1)
        current = context.get(group)
        values = current.as_dict() if isinstance(current, Values) else {}
        values[field] = typed_value(field, value.strip())
        context[group] = Values(group, values)
    return dict(context)


def typed_value(field: str, value: str) -> Any:
    """A typed date ("2026-11-20") for the date fields (`shipped_at` ...), else the text."""
    if field.endswith("_at"):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value
