"""The template library: built-ins from resources/templates, the merchant's own, rendering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desktop_app.core.errors import ShopdeskError
from desktop_app.core.replies import formats
from desktop_app.core.replies.context import case_party
from desktop_app.core.replies.render import (
    Rendered,
    case_context,
    check_syntax,
    render_template,
)
from desktop_app.core.replies.template_files import (
    KEY_RE,
    LANGUAGE_RE,
    TemplateFile,
    iter_builtin,
    read_template_file,
    write_template_file,
)
from desktop_app.core.replies.template_seed import (
    CONTENT,
    deleted_builtins,
    seed_library,
    set_deleted_builtins,
)
from desktop_app.core.store import shop_settings
from desktop_app.core.store.accounts import utcnow
from desktop_app.core.store.models import Template

if TYPE_CHECKING:
    from desktop_app.core.store.db import Store

FALLBACK = "en"
LANGUAGE_NAMES = {"en": "English", "de": "German", "fi": "Finnish", "lv": "Latvian",
                  "hi": "Hindi", "hy": "Armenian"}  # fmt: skip


class TemplateNotFound(ShopdeskError):
    """No template by that name (in that language or in English)."""


class TemplateInvalid(ShopdeskError):
    """A template that cannot be saved as given (bad name, taken shortcut, Jinja2 mistake)."""


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """One template as the UI and the CLI see it; `id` is None for one not yet saved."""

    id: int | None
    key: str
    language: str
    title: str
    category: str
    shortcut: str
    intent: str
    subject: str
    body: str
    builtin: bool
    modified: bool


def _info(row: Template) -> TemplateInfo:
    return TemplateInfo(
        id=row.id, key=row.key, language=row.language, title=row.title, category=row.category,
        shortcut=row.shortcut, intent=row.intent, subject=row.subject, body=row.body,
        builtin=row.builtin, modified=row.modified,
    )  # fmt: skip


class Templates:
    """The canned replies in the store; the built-in ones are copied in on first use."""

    def __init__(self, store: Store, builtin_folder: Path | None = None) -> None:
        self.store = store
        self.builtin_folder = builtin_folder
        self._seeded = False

    # reading
    def list(self, language: str | None = None) -> list[TemplateInfo]:
        """All templates (of one language), by category, then title."""
        self._seed_once()
        with self.store.session() as s:
            query = select(Template).order_by(Template.category, Template.title, Template.key)
            if language is not None:
                query = query.where(Template.language == language)
            return [_info(row) for row in s.scalars(query)]

    def get(self, key: str, language: str) -> TemplateInfo | None:
        """One template in one language, or None."""
        self._seed_once()
        with self.store.session() as s:
            row = _row(s, key, language)
            return _info(row) if row is not None else None

    def find_shortcut(self, shortcut: str, language: str) -> TemplateInfo | None:
        """The template typed as `;shortcut`: in `language`, else in English, else None."""
        self._seed_once()
        shortcut = shortcut.strip().lstrip(";").lower()
        if not shortcut:
            return None
        with self.store.session() as s:
            for lang in dict.fromkeys((language, FALLBACK)):
                row = s.scalar(
                    select(Template)
                    .where(Template.shortcut == shortcut, Template.language == lang)
                    .order_by(Template.builtin, Template.id)
                )
                if row is not None:
                    return _info(row)
        return None

    # changing
    def save(self, info: TemplateInfo) -> TemplateInfo:
        """Create or update a template (by id, else by key and language); returns it saved."""
        self._seed_once()
        _validate(info)
        now = utcnow()
        with self.store.session() as s:
            row = s.get(Template, info.id) if info.id is not None else None
            row = row or _row(s, info.key, info.language)
            clash = _row(s, info.key, info.language)
            if clash is not None and row is not None and clash.id != row.id:
                raise TemplateInvalid(
                    f"A template named {info.key!r} exists already in {info.language}."
                )
            if info.shortcut:
                other = s.scalar(
                    select(Template.key).where(
                        Template.shortcut == info.shortcut.lower(),
                        Template.language == info.language,
                        Template.key != info.key,
                    )
                )
                if other is not None:
                    raise TemplateInvalid(
                        f"The shortcut ;{info.shortcut} is taken by {other!r} already."
                    )
            if row is None:
                row = Template(key=info.key, language=info.language, builtin=False,
                               modified=False, created_at=now)  # fmt: skip
                s.add(row)
            changed = any(getattr(row, f) != getattr(info, f) for f in CONTENT)
            row.key, row.language = info.key, info.language
            for field in CONTENT:
                setattr(row, field, getattr(info, field))
            row.shortcut = info.shortcut.strip().lstrip(";").lower()
            if row.builtin and changed:
                row.modified = True
            row.updated_at = now
            s.flush()
            self._undelete(s, info.language, info.key)
            return _info(row)

    def duplicate(self, key: str, language: str, new_key: str) -> TemplateInfo:
        """A copy of a template under a new name, as the merchant's own (no shortcut)."""
        original = self.get(key, language)
        if original is None:
            raise TemplateNotFound(f"There is no template {key!r} in {language}.")
        if self.get(new_key, language) is not None:
            raise TemplateInvalid(f"A template named {new_key!r} exists already in {language}.")
        copy = replace(original, id=None, key=new_key, title=f"{original.title} (copy)",
                       shortcut="", builtin=False, modified=False)  # fmt: skip
        return self.save(copy)

    def delete(self, key: str, language: str) -> None:
        """Remove a template; a deleted built-in stays deleted when the library updates."""
        self._seed_once()
        with self.store.session() as s:
            row = _row(s, key, language)
            if row is None:
                raise TemplateNotFound(f"There is no template {key!r} in {language}.")
            if row.builtin:
                deleted = deleted_builtins(s) | {f"{language}/{key}"}
                set_deleted_builtins(s, deleted)
            s.delete(row)

    def seed_builtin(self) -> int:
        """Copy the built-in library in: new ones added, unedited ones updated; returns how many.

        The merchant's own templates, built-ins they edited and built-ins they deleted are
        never touched.
        """
        files = list(iter_builtin(self.builtin_folder))
        try:
            with self.store.session() as s:
                count = seed_library(s, files)
        except IntegrityError:  # another window or process seeded at the same moment
            with self.store.session() as s:
                count = seed_library(s, files)
        self._seeded = True
        return count

    # rendering
    def reply_language(self, case_id: int) -> str:
        """The customer's language, else the shop's default, else English."""
        with self.store.session() as s:
            shop = shop_settings.load(s)
            party = case_party(s, case_id)
        for language in (party.customer_language, shop.default_language):
            if language and LANGUAGE_RE.match(language):
                return language
        return FALLBACK

    def render_for_case(
        self,
        key: str,
        case_id: int,
        language: str | None = None,
        extra: Mapping[str, str] = {},
    ) -> Rendered:
        """Render template `key` for a case, in `language` or the case's reply language.

        When the template has no text in that language the English text is used and
        `Rendered.note` says so (`Rendered.language` is then "en").
        """
        wanted = language or self.reply_language(case_id)
        info = self.get(key, wanted)
        note = ""
        if info is None:
            info = self.get(key, FALLBACK)
            if info is None:
                raise TemplateNotFound(f"There is no template {key!r}.")
            note = (
                f"The template {key!r} has no {LANGUAGE_NAMES.get(wanted, wanted)} text yet; "
                "the English one is used."
            )
        with self.store.session() as s:
            shop = shop_settings.load(s)
            context = case_context(s, case_id, info.language, extra)
        locale = formats.locale_for(info.language, shop.locale, shop.default_language)
        rendered = render_template(info.subject, info.body, context, locale)
        return replace(rendered, note=note) if note else rendered

    # files
    def export_files(self, folder: Path, keys: Sequence[str] | None = None) -> int:
        """Write templates as `folder/<language>/<key>.j2`; returns how many."""
        count = 0
        for info in self.list():
            if keys is None or info.key in keys:
                write_template_file(folder, _file(info))
                count += 1
        return count

    def import_files(self, paths: Sequence[Path]) -> int:
        """Read template files and save them (same name and language: replaced); how many."""
        files = [read_template_file(Path(p)) for p in paths]
        for tf in files:
            existing = self.get(tf.key, tf.language)
            self.save(
                TemplateInfo(
                    id=existing.id if existing else None,
                    builtin=existing.builtin if existing else False,
                    modified=True,
                    **{f: getattr(tf, f) for f in ("key", "language", *CONTENT)},
                )
            )
        return len(files)

    def _seed_once(self) -> None:
        if not self._seeded:
            self.seed_builtin()

    def _undelete(self, s: Session, language: str, key: str) -> None:
        deleted = deleted_builtins(s)
        if f"{language}/{key}" in deleted:
            set_deleted_builtins(s, deleted - {f"{language}/{key}"})


def _validate(info: TemplateInfo) -> None:
    if not KEY_RE.match(info.key):
        raise TemplateInvalid(
            f"A template's name is lower-case letters, digits and '_', not {info.key!r}."
        )
    if not LANGUAGE_RE.match(info.language):
        raise TemplateInvalid(f"{info.language!r} is not a language code (en, de, fi ...).")
    shortcut = info.shortcut.strip().lstrip(";")
    if shortcut and not KEY_RE.match(shortcut.lower()):
        raise TemplateInvalid(f"A shortcut is one word of letters and digits, not {shortcut!r}.")
    for name, text in (("subject", info.subject), ("text", info.body)):
        problem = check_syntax(text)
        if problem:
            raise TemplateInvalid(f"The template's {name} has a mistake: {problem}")


def _file(info: TemplateInfo) -> TemplateFile:
    return TemplateFile(**{f: getattr(info, f) for f in ("key", "language", *CONTENT)})


def _row(s: Session, key: str, language: str) -> Template | None:
    return s.scalar(select(Template).where(Template.key == key, Template.language == language))
