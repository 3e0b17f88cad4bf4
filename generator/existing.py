"""What a fact tree already holds, for the scaffolding commands: sources' addresses, entities' names, fact ids.

Files are read as text, not parsed, so that a file in the middle of an edit, which the strict loader would
refuse, still counts for what it has: a new file must not repeat what an unfinished one already claims.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.characters import look_alike
from generator.chronology import address_key

URL_IN_TEXT = re.compile(r"^url:\s*[\"']?([^\"'\s]+)", re.MULTILINE)
ID_IN_TEXT = re.compile(r"^\s*(?:-\s+)?id:\s*[\"']?([a-z0-9-]+)", re.MULTILINE)
NAME_IN_TEXT = re.compile(r"^name:[ \t]*([\"']?)(.*?)\1[ \t]*(?:#.*)?$", re.MULTILINE)
"""An entity file's top-level name, plain or in quotes (no escapes: a name needs none)."""
ALIASES_IN_TEXT = re.compile(r"^aliases:[ \t]*(\[[^\]\n]*\]|(?:#.*)?\n(?:[ \t]+-[ \t].*\n?)+)", re.MULTILINE)
"""An entity file's aliases, as a list in brackets or one item a line."""


def fact_files(folder: Path) -> list[Path]:
    """The regular ``*.yaml`` files of a folder, in order: no folder or link that only bears the name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.yaml") if p.is_file() and not p.is_symlink())


def text_of(path: Path) -> str:
    """A fact file's text, as far as it can be read: a file mid-edit, or unreadable, still counts for what it has."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def recorded_as(folder: Path, url: str) -> Path | None:
    """The source file in ``folder`` that records this article already, whatever its tracking parameters."""
    wanted = address_key(url)
    for path in fact_files(folder):
        found = URL_IN_TEXT.search(text_of(path))
        if found and address_key(found.group(1)) == wanted:
            return path
    return None


def named_by(folder: Path, name: str, wanted: str) -> tuple[Path, str] | None:
    """The entity file in ``folder``, other than ``wanted``'s, with a name or alias a reader could not tell from
    this name, with that name or alias as written."""
    key = look_alike(name)
    for path in fact_files(folder):
        if path.stem == wanted:
            continue
        text = text_of(path)
        found = NAME_IN_TEXT.search(text)
        written = [found.group(2)] if found else []
        written += _aliases(text)
        for other in written:
            if other and look_alike(other) == key:
                return path, other
    return None


def _aliases(text: str) -> list[str]:
    """The aliases an entity file lists, read as YAML on their own, so that quotes and commas in them count."""
    listed = ALIASES_IN_TEXT.search(text)
    if not listed:
        return []
    try:
        items = yaml.safe_load(listed.group(1))
    except (yaml.YAMLError, RecursionError):  # RecursionError: a list nested thousands deep
        return []
    return [str(item) for item in items if isinstance(item, str | int | float)] if isinstance(items, list) else []


def known_fact_ids(facts_dir: Path) -> set[str]:
    """Every fact id in use."""
    ids: set[str] = set()
    for path in fact_files(facts_dir / "entities"):
        ids.update(ID_IN_TEXT.findall(text_of(path)))
    return ids


def fact_id_at(facts_dir: Path, fact_id: str) -> tuple[Path, int] | None:
    """The entity file and 1-based line where a fact id is in use, if it is."""
    for path in fact_files(facts_dir / "entities"):
        text = text_of(path)
        for found in ID_IN_TEXT.finditer(text):
            if found.group(1) == fact_id:
                return path, text.count("\n", 0, found.start(1)) + 1
    return None


def fresh_fact_id(facts_dir: Path, entity_id: str) -> str:
    """The first ``<entity>-<n>`` id that no fact uses yet."""
    used = known_fact_ids(facts_dir)
    number = 1
    while f"{entity_id}-{number}" in used:
        number += 1
    return f"{entity_id}-{number}"
