"""Template files: `<language>/<key>.j2`, a header of `name: value` lines, `---`, the body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import ShopdeskError
from desktop_app.core.paths import resources_dir

HEADER_FIELDS = ("title", "category", "shortcut", "intent", "subject")
SEPARATOR = "---"
KEY_RE = re.compile(r"^[a-z0-9_]{1,100}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")
MAX_FILE = 200_000


class TemplateFileError(ShopdeskError):
    """A template file that cannot be read (no header, unknown field, bad name)."""


@dataclass(frozen=True, slots=True)
class TemplateFile:
    """One template as its file holds it."""

    key: str
    language: str
    title: str
    category: str
    shortcut: str
    intent: str
    subject: str
    body: str


def builtin_dir() -> Path:
    """The built-in library: `resources/templates/` at the top of the source tree."""
    return resources_dir() / "templates"


def iter_builtin(folder: Path | None = None) -> Iterator[TemplateFile]:
    """Every built-in template file, language by language."""
    root = folder or builtin_dir()
    for path in sorted(root.glob("*/*.j2")):
        yield read_template_file(path)


def read_template_file(path: Path, language: str | None = None) -> TemplateFile:
    """Read one file; the key is its name, the language its folder's (or a `language:` line)."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise TemplateFileError(f"{path.name} is too big for a template.")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TemplateFileError(f"{path.name} is not UTF-8 text.") from None
    except OSError as e:
        raise TemplateFileError(f"{path.name} cannot be read: {e.strerror or e}.") from None
    return parse_template_text(text, path.stem, language or path.parent.name, path.name)


def parse_template_text(text: str, key: str, language: str, name: str = "") -> TemplateFile:
    """Parse a template file's text (see the module docstring)."""
    name = name or f"{key}.j2"
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    head, sep, body = text.partition(f"\n{SEPARATOR}\n")
    if not sep:
        if text.rstrip("\n").endswith(f"\n{SEPARATOR}"):
            head, body = text.rstrip("\n")[: -len(SEPARATOR) - 1], ""
        else:
            raise TemplateFileError(f"{name} has no line '---' between its header and its text.")
    fields: dict[str, str] = {}
    for number, line in enumerate(head.split("\n"), 1):
        if not line.strip():
            continue
        field, colon, value = line.partition(":")
        field = field.strip().lower()
        if not colon or field not in (*HEADER_FIELDS, "language", "key"):
            raise TemplateFileError(
                f"{name}, line {number}: expected 'name: value' with a name among "
                f"{', '.join(HEADER_FIELDS)}."
            )
        fields[field] = value.strip()
    key = fields.get("key", key)
    language = fields.get("language", language).lower()
    if not KEY_RE.match(key):
        raise TemplateFileError(
            f"{name}: a template's name is lower-case letters, digits and '_', not {key!r}."
        )
    if not LANGUAGE_RE.match(language):
        raise TemplateFileError(
            f"{name}: put it in a folder named by its language (en, de ...) "
            "or add a line 'language: xx'."
        )
    return TemplateFile(
        key=key,
        language=language,
        title=fields.get("title", "") or key.replace("_", " "),
        category=fields.get("category", ""),
        shortcut=fields.get("shortcut", "").lstrip(";"),
        intent=fields.get("intent", ""),
        subject=fields.get("subject", ""),
        body=body.rstrip("\n") + "\n" if body.strip() else "",
    )


def format_template_file(template: TemplateFile) -> str:
    """The file text for a template; `parse_template_text` reads it back unchanged."""
    lines = [f"{field}: {_one_line(getattr(template, field))}" for field in HEADER_FIELDS]
    return "\n".join([*lines, SEPARATOR, template.body.rstrip("\n")]) + "\n"


def write_template_file(folder: Path, template: TemplateFile) -> Path:
    """Write `folder/<language>/<key>.j2`; returns its path."""
    path = folder / template.language / f"{template.key}.j2"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_template_file(template), encoding="utf-8")
    return path


def _one_line(value: str) -> str:
    return " ".join(value.split())
