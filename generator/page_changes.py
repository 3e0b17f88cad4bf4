"""Which pages a pull request changes: compare the generated Markdown of two content/ folders.

The pull-request workflow generates content/ for the base branch and for the pull request, and
writes this comparison into the job summary, so a reviewer sees which pages an edit touches.
"""

from __future__ import annotations

import hashlib
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

    @property
    def any(self) -> bool:
        """True when at least one page differs."""
        return bool(self.added or self.removed or self.changed)


def page_hashes(content_dir: Path) -> dict[str, str]:
    """SHA-256 of every generated Markdown page, by path relative to content/."""
    hashes = {}
    for name in sorted(read_manifest(content_dir) - {MANIFEST}):
        path = content_dir / name
        if name.endswith(".md") and path.is_file():
            hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def compare(base_dir: Path, head_dir: Path) -> PageChanges:
    """Compare the generated pages of the base and the head content/ folders."""
    base, head = page_hashes(base_dir), page_hashes(head_dir)
    return PageChanges(
        added=tuple(sorted(head.keys() - base.keys())),
        removed=tuple(sorted(base.keys() - head.keys())),
        changed=tuple(sorted(name for name in base.keys() & head.keys() if base[name] != head[name])),
        unchanged=sum(1 for name in base.keys() & head.keys() if base[name] == head[name]),
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
    if not changes.any:
        lines.append("No generated page changes.")
        return "\n".join(lines) + "\n"
    lines += ["| Page | Change |", "| --- | --- |"]
    for label, names in (("changed", changes.changed), ("added", changes.added), ("removed", changes.removed)):
        lines += [f"| `/{page_url(name)}` | {label} |" for name in names]
    return "\n".join(lines) + "\n"
