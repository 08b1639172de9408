"""Account rows to and from AccountSettings values."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.core.accounts.settings import AccountSettings, ServerSettings
from desktop_app.core.errors import ConfigError
from desktop_app.core.store.models import Account, Attachment, Blob, Folder, Location, Message


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_settings(row: Account) -> AccountSettings:
    imap = ServerSettings(
        host=row.imap_host or "",
        port=row.imap_port or 0,
        security=row.imap_security or "ssl",
        allow_insecure=row.allow_insecure,
        trusted_cert_sha256=row.trusted_cert_sha256,
    )
    smtp = None
    if row.smtp_host:
        smtp = ServerSettings(
            host=row.smtp_host,
            port=row.smtp_port or 0,
            security=row.smtp_security or "ssl",
            allow_insecure=row.allow_insecure,
        )
    return AccountSettings(
        id=row.id,
        name=row.name,
        email=row.email,
        username=row.username or "",
        imap=imap,
        smtp=smtp,
        kind=row.kind,
        extra_folders=tuple(f for f in row.extra_folders.split("\n") if f),
        auth_method=row.auth_method or "password",
        oauth_provider=row.oauth_provider,
    )


def add_account(session: Session, settings: AccountSettings) -> int:
    if session.scalar(select(Account.id).where(Account.name == settings.name)) is not None:
        raise ConfigError(f"An account named {settings.name!r} exists already.")
    row = Account(
        name=settings.name,
        email=settings.email,
        kind=settings.kind,
        imap_host=settings.imap.host,
        imap_port=settings.imap.port,
        imap_security=settings.imap.security,
        smtp_host=settings.smtp.host if settings.smtp else None,
        smtp_port=settings.smtp.port if settings.smtp else None,
        smtp_security=settings.smtp.security if settings.smtp else None,
        username=settings.username,
        allow_insecure=settings.imap.allow_insecure,
        trusted_cert_sha256=settings.imap.trusted_cert_sha256,
        extra_folders="\n".join(settings.extra_folders),
        created_at=utcnow(),
        auth_method=settings.auth_method,
        oauth_provider=settings.oauth_provider,
    )
    session.add(row)
    session.flush()
    return row.id


def list_accounts(session: Session) -> list[AccountSettings]:
    rows = session.scalars(select(Account).order_by(Account.name))
    return [to_settings(r) for r in rows]


def find_account(session: Session, name: str | None, kind: str | None = "imap") -> AccountSettings:
    """The named account, or the only one of that kind when no name is given."""
    query = select(Account)
    if kind:
        query = query.where(Account.kind == kind)
    if name is not None:
        row = session.scalar(query.where(Account.name == name))
        if row is None:
            raise ConfigError(f"There is no account named {name!r}.")
        return to_settings(row)
    rows = list(session.scalars(query))
    if not rows:
        raise ConfigError("No mailbox is set up yet: add one with `shopdesk account add`.")
    if len(rows) > 1:
        names = ", ".join(r.name for r in rows)
        raise ConfigError(f"Several accounts exist ({names}): choose one with --account.")
    return to_settings(rows[0])


def ensure_local_account(session: Session, name: str = "Imported mail") -> int:
    """The account that holds mail imported from files."""
    row = session.scalar(select(Account).where(Account.name == name))
    if row is not None:
        return row.id
    row = Account(name=name, email="imported@localhost", kind="local", created_at=utcnow())
    session.add(row)
    session.flush()
    return row.id


def remove_account(session: Session, name: str) -> None:
    """Delete an account and, through the foreign keys, everything stored for it."""
    row = session.scalar(select(Account).where(Account.name == name))
    if row is None:
        raise ConfigError(f"There is no account named {name!r}.")
    for model in (Attachment, Location, Message, Blob, Folder):
        session.execute(delete(model).where(model.account_id == row.id))
    session.delete(row)


def local_folder(session: Session, account_id: int, name: str, role: str) -> Folder:
    """A folder that lives only here (imported files, the outbox), made on first use."""
    row = session.scalar(select(Folder).where(Folder.account_id == account_id, Folder.name == name))
    if row is None:
        row = Folder(
            account_id=account_id,
            name=name,
            role=role,
            sync_enabled=False,
            uidvalidity=1,
            last_uid=0,
        )
        session.add(row)
        session.flush()
    return row
