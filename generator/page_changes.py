"""Which pages a pull request changes: compare the generated Markdown of two content/ folders.

The pull-request workflow generates content/ for the base branch and for the pull request, and
writes this comparison into the job summary, so a reviewer sees which pages an edit touches. From
the open data (``facts.json``) it also names what a review must not let pass unseen: a fact whose
id, its address, is gone, and a stored source text that changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from generator.ownership import MANIFEST, read_manifest


@dataclass(frozen=True)
class PageChanges:
    """Generated pages added, removed and changed between two content/ folders."""

    added: tuple[str, ...] = field(default_factory=tuple)
    removed: tuple[str, ...] = field(default_factory=tuple)
    changed: tuple[str, ...] = field(default_factory=tuple)
    unchanged: int = 0
    facts_gone: tuple[str, ...] = field(default_factory=tuple)
    """Ids of facts in the base that the head does not have: their addresses (``#fact-<id>``) stop working."""
    texts_changed: tuple[str, ...] = field(default_factory=tuple)
    """Ids of sources whose stored text is different, or gone, in the head."""
    unlisted: tuple[str, ...] = field(default_factory=tuple)
    """``base`` or ``head`` when that folder has no readable list of generated files: its pages count as none."""
    unread: tuple[str, ...] = field(default_factory=tuple)
    """``base`` or ``head`` when that folder lists its files but has no ``facts.json`` this version reads: no fact
    id and no stored text could be compared."""

    @property
    def any(self) -> bool:
        """True when at least one page differs."""
        return bool(self.added or self.removed or self.changed)


def _open_data(content_dir: Path, listed: set[str]) -> tuple[set[str], dict[str, str]] | None:
    """The fact ids and the stored texts' SHA-256 by source id, from a generated ``facts.json``;
    None when there is none, or it is another version's format: then there is nothing to compare.
    ``listed`` holds the files the folder's manifest names as generated."""
    path = content_dir / "facts.json"
    if "facts.json" not in listed or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        facts = {str(fact["id"]) for fact in data["facts"]}
        texts = {str(s["id"]): str(s["stored_text"]["sha256"]) for s in data["sources"] if s.get("stored_text")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    return facts, texts


def page_hashes(content_dir: Path, listed: set[str]) -> dict[str, str]:
    """SHA-256 of every generated Markdown page (of the ``listed`` files), by path relative to content/."""
    hashes = {}
    for name in sorted(listed - {MANIFEST}):
        path = content_dir / name
        if name.endswith(".md") and path.is_file():
            hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def compare(base_dir: Path, head_dir: Path) -> PageChanges:
    """Compare the generated pages of the base and the head content/ folders."""
    base_listed, head_listed = read_manifest(base_dir), read_manifest(head_dir)  # each read once
    base, head = page_hashes(base_dir, base_listed), page_hashes(head_dir, head_listed)
    unlisted = tuple(side for side, listed in (("base", base_listed), ("head", head_listed)) if not listed)
    base_data, head_data = _open_data(base_dir, base_listed), _open_data(head_dir, head_listed)
    sides = (("base", base_listed, base_data), ("head", head_listed, head_data))
    unread = tuple(side for side, listed, data in sides if listed and data is None)
    if base_data is None or head_data is None:  # nothing to compare with: all would look gone
        base_data = head_data = (set(), {})
    (base_facts, base_texts), (head_facts, head_texts) = base_data, head_data
    return PageChanges(
        added=tuple(sorted(head.keys() - base.keys())),
        removed=tuple(sorted(base.keys() - head.keys())),
        changed=tuple(sorted(name for name in base.keys() & head.keys() if base[name] != head[name])),
        unchanged=sum(1 for name in base.keys() & head.keys() if base[name] == head[name]),
        facts_gone=tuple(sorted(base_facts - head_facts)),
        texts_changed=tuple(sorted(i for i, digest in base_texts.items() if head_texts.get(i) != digest)),
        unlisted=unlisted,
        unread=unread,
    )


def page_url(name: str) -> str:
    """The site path of a page, as MkDocs builds it with use_directory_urls."""
    stem = name.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def summary_markdown(changes: PageChanges) -> str:
    """A job summary in GitHub-flavoured Markdown listing every page that differs."""
    counts = (
        f"{len(changes.changed)} changed, {len(changes.added)} added, "
        f"{len(changes.removed)} removed, {changes.unchanged} unchanged."
    )
    lines = ["### Pages this pull request changes", "", counts, ""]
    for side in changes.unlisted:
        lines += [
            f"**Warning:** the {side}'s `content/` has no readable list of generated files (`{MANIFEST}`), "
            f"so none of its pages could be compared: each counts as {'added' if side == 'base' else 'removed'}.",
            "",
        ]
    for side in changes.unread:
        lines += [
            f"**Warning:** the {side}'s `content/facts.json` is missing or of another version's format, so no fact "
            "whose address is gone and no stored text that changed could be looked for: read the diff of `facts/`.",
            "",
        ]
    if not changes.any:
        lines.append("No generated page changes.")
    else:
        lines += ["| Page | Change |", "| --- | --- |"]
        for label, names in (("changed", changes.changed), ("added", changes.added), ("removed", changes.removed)):
            lines += [f"| `/{page_url(name)}` | {label} |" for name in names]
    if changes.facts_gone:
        lines += ["", "### Facts whose address is gone", ""]
        gone = "A fact's id is its address (`#fact-<id>`): links to these, from this site or others, stop working."
        lines += [gone, ""]
        lines += [f"- `{fact}`" for fact in changes.facts_gone]
    if changes.texts_changed:
        lines += ["", "### Stored texts that changed", ""]
        lines += [
            "A stored text is the article as it was read: a correction is a `status` on its source "
            "(`state: corrected` and its `date`), and the text stays as it was.",
            "",
        ]
        lines += [f"- `{source}`" for source in changes.texts_changed]
    return "\n".join(lines) + "\n"
