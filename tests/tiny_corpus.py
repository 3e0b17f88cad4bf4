"""A tiny valid corpus written as text, so tests know every line and column, and site helpers."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from benchmarks.bench import HAND_WRITTEN

REPO = Path(__file__).resolve().parent.parent
CONFIGS = ("mkdocs.yml", "mkdocs.offline.yml")


def copy_site_files(root: Path) -> None:
    """Copy the real project's hand-written pages, MkDocs configurations and theme overrides."""
    for name in HAND_WRITTEN:
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "content" / name, root / "content" / name)
    for name in CONFIGS:
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "overrides", root / "overrides")


# The stored text of src-one, so that every passage in the corpus can be verified.
SNAPSHOT = "Minister Alpha Person said a passage about Beta Land. A report about Beta Land followed.\n"

FILES = {
    "topics.yaml": """\
diplomacy:
  title: Diplomacy
  description: Diplomatic contacts.
security:
  title: Security
""",
    "sources/src-one.yaml": """\
title: A report
publisher: Example News
url: https://example.org/report
language: en
published: "2026-01-20"
accessed: "2026-01-21"
snapshot:
  file: src-one.txt
  sha256: """
    + hashlib.sha256(SNAPSHOT.encode()).hexdigest()
    + """
""",
    "sources/src-one.txt": SNAPSHOT,
    "entities/alpha-person.yaml": """\
name: Alpha Person
type: person
roles:
  - title: Minister
    of: beta-land
    as_of: "2026"
    citations:
      - {source: src-one, passage: Minister Alpha Person}
facts:
  - id: alpha-says
    kind: claim
    speaker: alpha-person
    text: Something happened.
    date: "2026-01-20"
    topics: [diplomacy]
    about: [beta-land]
    citations:
      - source: src-one
        passage: said a passage
""",
    "entities/beta-land.yaml": """\
name: Beta Land
type: country
facts:
  - id: beta-report
    kind: report
    text: A report about Beta Land.
    date: "2026-01"
    topics: [security]
    citations:
      - {source: src-one, passage: A report about Beta Land}
""",
    "policies/beta-policy.yaml": """\
title: Beta policy
summary: What Beta Land does.
actors: [beta-land]
""",
}


def write_facts(facts: Path, files: dict[str, str | bytes] | None = None) -> None:
    """Write the tiny corpus (or the given files) under a facts folder."""
    for name, content in (files or FILES).items():
        path = facts / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def make_project(root: Path, files: dict[str, str | bytes] | None = None, real_facts: bool = False) -> Path:
    """Lay out a project: facts, the real hand-written pages and the real mkdocs.yml."""
    root.mkdir(parents=True, exist_ok=True)
    if real_facts:
        shutil.copytree(REPO / "facts", root / "facts")
    else:
        write_facts(root / "facts", files)
    (root / "content").mkdir()
    copy_site_files(root)
    return root


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under a folder (empty when it does not exist), by relative path."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for running ``python -m generator`` from this checkout."""
    return {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", **extra}


def build_project(root: Path, **env: str) -> None:
    """Run ``python -m generator build`` in a project, with extra environment variables; it must pass."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=root, env=cli_env(**env), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


class PageText(HTMLParser):
    """Visible text of a page's article, and the shape (tags and attribute names) of its body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.chunks: list[str] = []
        self.shape: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "article" or self.depth:
            self.depth += 1
            self.shape.append(f"<{tag} {' '.join(sorted(n for n, _ in attrs))}>")
        if self.depth and ("headerlink" in classes or tag in ("script", "style")):
            self._skip += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.shape.append(f"<{tag} {' '.join(sorted(n for n, _ in attrs))}/>")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            self.shape.append(f"</{tag}>")
            if self._skip:
                self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self._skip:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        """The article's text with whitespace folded."""
        return " ".join("".join(self.chunks).split())


def page_text(html_file: Path) -> PageText:
    """Parse one built page."""
    parser = PageText()
    parser.feed(html_file.read_text(encoding="utf-8"))
    parser.close()
    return parser
