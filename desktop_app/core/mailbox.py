"""The facade the CLI and the UI use: one object over the store, accounts and sync."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.core.accounts import credentials, tokens
from desktop_app.core.accounts.settings import AccountSettings
from desktop_app.core.store import queries
from desktop_app.core.store.accounts import (
    add_account,
    find_account,
    list_accounts,
    remove_account,
)
from desktop_app.core.store.db import Store
from desktop_app.core.sync import connection
from desktop_app.core.sync.account import AccountSync, SyncReport
from desktop_app.core.sync.engine import Progress, _no_progress

if TYPE_CHECKING:
    from desktop_app.core.store.file_import import ImportReport
    from desktop_app.core.store.shop_settings import ShopSettings


class Mailbox:
    """Everything Shopdesk keeps, behind one object; hand it to the CLI or the UI."""

    def __init__(self, store: Store) -> None:
        from desktop_app.core.reminders.service import Reminders
        from desktop_app.core.replies.outbox import Outbox
        from desktop_app.core.replies.templates import Templates
        from desktop_app.core.triage import Triage
        from desktop_app.core.views import Views

        self.store = store
        self.views = Views(store)  # what the UI reads
        self.triage = Triage(store)  # what the merchant changes (local first, then the server)
        self.templates = Templates(store)  # canned replies (built-ins copied in on first use)
        self.outbox = Outbox(store)  # replies waiting to leave, sent exactly once; drafts
        self.reminders = Reminders(store)  # follow-ups due, computed on demand (issue 6)

    @classmethod
    def open(cls, path: Path) -> Mailbox:
        return cls(Store.open(path))

    def close(self) -> None:
        self.store.close()

    # accounts
    def add_account(self, settings: AccountSettings, password: str, check: bool = True) -> int:
        """Check the login (unless told not to), keep the password in the keyring, save."""
        settings.check()
        if check:
            client = connection.connect_and_login(settings.imap, settings.username, password)
            connection.close(client)
        with self.store.session() as s:
            account_id = add_account(s, settings)
            credentials.set_secret(settings.credential_key, password)
        return account_id

    def set_password(self, name: str, password: str, check: bool = True) -> None:
        """Replace the keyring entry of an account, after checking the login."""
        settings = self.account(name)
        if check:
            connection.close(
                connection.connect_and_login(settings.imap, settings.username, password)
            )
        credentials.set_secret(settings.credential_key, password)

    def remove_account(self, name: str) -> None:
        """Forget an account: its password or sign-in first (a locked keyring leaves the
        account in place to try again, never a secret without its account), then its local
        mail and settings."""
        settings = self.account(name)
        credentials.delete_secret(settings.smtp_credential_key)
        credentials.delete_secret(settings.credential_key)
        tokens.forget(settings.credential_key)
        with self.store.session() as s:
            remove_account(s, name)

    def accounts(self) -> list[AccountSettings]:
        with self.store.session() as s:
            return list_accounts(s)

    def account(self, name: str | None) -> AccountSettings:
        with self.store.session() as s:
            return find_account(s, name, kind=None if name else "imap")

    # sync
    def sync(self, name: str | None = None, progress: Progress = _no_progress) -> SyncReport:
        """Sync one account (the only one when no name is given)."""
        return self.sync_account(self.account(name), progress)

    def sync_account(
        self, settings: AccountSettings, progress: Progress = _no_progress
    ) -> SyncReport:
        syncer = AccountSync(self.store, settings, progress=progress)
        try:
            return syncer.sync()
        finally:
            syncer.close()

    def mail_accounts(self) -> list[AccountSettings]:
        """The accounts that sync with a server (not imported mail or the demo shop)."""
        return [a for a in self.accounts() if a.kind == "imap"]

    # files
    def import_path(
        self, path: Path, progress: Callable[[int], None] | None = None, assign: bool = True
    ) -> ImportReport:
        """Import mail files; then group the new messages into cases (unless told not to)."""
        from desktop_app.core.store.file_import import import_path

        report = import_path(self.store, path, progress)
        if assign:
            self.assign_new_messages()
        return report

    def import_orders_csv(self, path: Path) -> tuple[int, list[str]]:
        """Orders from a Shopify or WooCommerce export; returns (orders read, problems)."""
        from desktop_app.core.store import orders
        from desktop_app.core.threads.orders_csv import read_orders_csv

        problems: list[str] = []
        count = 0
        try:
            with self.store.session() as s:  # all of the file, or nothing
                account_id = self._case_accounts(s)[0]
                count = orders.upsert_orders(s, account_id, read_orders_csv(path, problems))
        except ValueError as exc:  # not an order export, or unreadable
            from desktop_app.core.errors import ConfigError

            raise ConfigError(str(exc)) from None
        self.regroup_cases()  # known orders change which case earlier mail belongs to
        return count, problems

    # cases
    def _case_accounts(self, session: Any) -> list[int]:
        from sqlalchemy import select

        from desktop_app.core.store.models import Account

        rows = session.execute(select(Account.id, Account.kind).order_by(Account.id)).all()
        # The merchant's own orders never go into the demo shop (it is removed whole).
        ids = [i for i, kind in rows if kind == "imap"] + [
            i for i, kind in rows if kind not in ("imap", "demo")
        ]
        if not ids:
            from desktop_app.core.store.accounts import ensure_local_account

            ids = [ensure_local_account(session)]
        return ids

    def assign_new_messages(self) -> int:
        """Group messages that have no case yet (a whole regroup when very many are new)."""
        from desktop_app.core.store.new_mail import settle_new_mail

        return settle_new_mail(self.store)

    def regroup_cases(self) -> int:
        """Group every message again from scratch, the merchant's corrections replayed."""
        from sqlalchemy import func, select

        from desktop_app.core.store import annotate, case_summaries, cases
        from desktop_app.core.store.models import Account, Message

        with self.store.session() as s:
            top = s.scalar(select(func.max(Message.id))) or 0
            # each account's cases, and the language and intent of each case's newest
            # customer message (older ones are annotated when asked for)
            count = sum(cases.regroup(s, a) for a in list(s.scalars(select(Account.id))))
            annotate.mark_checked(s, int(top))
        case_summaries.refresh_store(self.store)  # the case list's summaries, ready for the UI
        return count

    def annotate_messages(self, limit: int | None = None) -> int:
        """Language and intent of each case's newest customer message, customers' languages."""
        from desktop_app.core.store.annotate import annotate_pending

        with self.store.session() as s:
            return annotate_pending(s, limit)

    def set_customer_language(self, email: str, language: str | None) -> None:
        """The merchant's choice of the language to answer `email` in (None: detect it again).

        Raises ConfigError for a language code that is not two or three lowercase letters, or
        an address the store has neither mail nor a customer for.
        """
        import re

        from desktop_app.core.errors import ConfigError
        from desktop_app.core.store.annotate import set_customer_language

        if language is not None and not re.fullmatch(r"[a-z]{2,3}", language):
            raise ConfigError(f"{language!r} is not a language code (such as en, de or fi).")
        with self.store.session() as s:
            if not set_customer_language(s, email, language):
                raise ConfigError(f"No customer or mail from {email} is known.")

    def correct(
        self,
        message_key: str,
        *,
        to_order: str | None = None,
        with_message: str | None = None,
        alone: bool = False,
        merge_into: str | None = None,
    ) -> int:
        """The merchant's correction of one message (or its case); returns the case id."""
        from desktop_app.core.store import corrections

        with self.store.session() as s:
            account_id = corrections.account_of_message(s, message_key)
            if merge_into is not None:
                return corrections.correct_merge(s, account_id, message_key, merge_into)
            if alone:
                return corrections.correct_split(s, account_id, [message_key])
            target = f"order:{to_order}" if to_order else f"with:{with_message}"
            return corrections.correct_move(s, account_id, message_key, target)

    def confirm_suggestion(self, message_key: str) -> int:
        """The merchant agrees with a suggested case: it becomes a correction that sticks."""
        from sqlalchemy import select

        from desktop_app.core.store.models import Case, Message

        with self.store.session() as s:
            order = s.scalar(
                select(Case.order_number)
                .join(Message, Message.case_id == Case.id)
                .where(Message.dedup_key == message_key)
            )
        if order is None:
            from desktop_app.core.errors import ConfigError

            raise ConfigError(f"{message_key} is not in an order's case.")
        return self.correct(message_key, to_order=order)

    def export_case_rows(self) -> Iterator[queries.CaseRow]:
        with self.store.session() as s:
            yield from queries.case_rows(s)

    def shop(self) -> ShopSettings:
        from desktop_app.core.store import shop_settings

        with self.store.session() as s:
            return shop_settings.load(s)

    def set_shop(self, settings: ShopSettings) -> None:
        """Save the shop's settings; cases are regrouped when what they depend on changed."""
        from desktop_app.core.store import shop_settings
        from desktop_app.core.threads.order_refs import OrderPatterns

        if settings.order_pattern:
            try:
                OrderPatterns(custom_regex=settings.order_pattern).check()
            except ValueError as exc:  # a plain sentence naming what is wrong with the pattern
                from desktop_app.core.errors import ConfigError

                raise ConfigError(str(exc)) from None
        before = self.shop()
        with self.store.session() as s:
            shop_settings.save(s, settings)
        if (before.addresses, before.order_prefix, before.order_suffix, before.order_pattern) != (
            settings.addresses,
            settings.order_prefix,
            settings.order_suffix,
            settings.order_pattern,
        ):
            with self.store.session() as s:
                from sqlalchemy import update

                from desktop_app.core.store.models import Message

                s.execute(update(Message).values(analyzed=False))
            self.regroup_cases()

    # the demo shop
    def load_demo(self, now: datetime | None = None) -> int:
        """Load the demo shop into its own account (once); returns the new messages."""
        from desktop_app.core import demo

        return demo.load_demo(self, now)

    def remove_demo(self) -> None:
        """Remove the demo shop and all it holds; it is not offered again."""
        from desktop_app.core import demo

        demo.remove_demo(self)

    def has_demo(self) -> bool:
        from desktop_app.core import demo

        return demo.has_demo(self)

    # reading
    def search(self, text: str, limit: int = 200) -> list[queries.MessageSummary]:
        with self.store.session() as s:
            return queries.search(s, text, limit)

    def stats(self) -> dict[str, int]:
        with self.store.session() as s:
            return queries.stats(s)

    def export_rows(self, include_gone: bool = False) -> Iterator[queries.ExportRow]:
        """Every message in every folder; customer messages with their intent (the ones not
        annotated yet are annotated first, once: ~1 ms each)."""
        from desktop_app.core.store.annotate import annotate_pending

        with self.store.session() as s:
            annotate_pending(s, everything=True)
        with self.store.session() as s:
            yield from queries.export_rows(s, include_gone)
