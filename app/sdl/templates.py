"""The SDL templates we ship (resources/templates/*.yaml): title, description and tags from the header comment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.resources import resource_path

TEMPLATES_DIR = resource_path("templates")


class TemplateError(ValueError):
    """A template file without its title, description or tags."""


@dataclass(frozen=True)
class Template:
    """One ready-to-edit SDL."""

    name: str  # the file stem, e.g. "hello-world"
    title: str
    description: str
    tags: tuple[str, ...]
    text: str  # the whole file, header included (comments are ignored by YAML)


def _header(text: str, path: Path) -> dict[str, str]:
    """`# key: value` lines at the top; a line starting with `#   ` continues the previous value."""
    fields: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        if body.startswith("   ") and key:
            fields[key] += " " + body.strip()
            continue
        name, sep, value = body.strip().partition(":")
        if not sep:
            raise TemplateError(f"{path.name}: header line without `key:`: {line!r}")
        key = name.strip()
        fields[key] = value.strip()
    return fields


def load_template(path: Path) -> Template:
    text = path.read_text(encoding="utf-8")
    fields = _header(text, path)
    missing = [k for k in ("title", "description", "tags") if not fields.get(k)]
    if missing:
        raise TemplateError(f"{path.name}: the header needs {', '.join(missing)}")
    tags = tuple(t.strip() for t in fields["tags"].split(",") if t.strip())
    return Template(path.stem, fields["title"], fields["description"], tags, text)


def list_templates(directory: Path = TEMPLATES_DIR) -> list[Template]:
    """Every template, sorted by title."""
    return sorted((load_template(p) for p in directory.glob("*.yaml")), key=lambda t: t.title.lower())
