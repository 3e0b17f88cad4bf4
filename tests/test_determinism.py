"""Determinism and portability: same commit, same bytes; ProperDocs builds the same pages and search index.

What may differ between two builds of the same commit, and why:
- without ``SOURCE_DATE_EPOCH``: ``sitemap.xml`` (each ``<lastmod>``) and ``sitemap.xml.gz``
  (the dates, and the gzip header's timestamp). MkDocs takes both from SOURCE_DATE_EPOCH when set.
- nothing else: the generated Markdown and JSON, every HTML page, the search index and
  the theme's assets are byte-identical, even when built from different folders.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_corpus import REPO, cli_env, make_project, tree_digest

from generator.build import render_outputs
from generator.validate import load_corpus

EPOCH = "1767225600"
PROPERDOCS = REPO / ".venv-properdocs" / "bin" / "properdocs"
MAY_DIFFER_WITHOUT_EPOCH = {"sitemap.xml", "sitemap.xml.gz"}


def _build(root: Path, **env: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=root, env=cli_env(**env), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_two_builds_of_the_same_commit_are_byte_identical(tmp_path: Path) -> None:
    first = make_project(tmp_path / "first", real_facts=True)
    second = make_project(tmp_path / "elsewhere" / "second", real_facts=True)
    _build(first, SOURCE_DATE_EPOCH=EPOCH)
    _build(second, SOURCE_DATE_EPOCH=EPOCH)
    assert tree_digest(first / "content") == tree_digest(second / "content")
    assert tree_digest(first / "site") == tree_digest(second / "site")
    generated = json.loads((first / "content" / ".generated.json").read_text())["files"]
    # Every file the generator renders, plus its manifest and content/.gitignore.
    assert len(generated) == len(render_outputs(load_corpus(first / "facts", first)[0])) + 2  # type: ignore[arg-type]


def test_without_source_date_epoch_only_the_sitemap_differs(tmp_path: Path) -> None:
    first = make_project(tmp_path / "first")
    second = make_project(tmp_path / "second")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    _build(first, SOURCE_DATE_EPOCH="1000000000")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "environ", env)
        _build(second)
    a, b = tree_digest(first / "site"), tree_digest(second / "site")
    assert a.keys() == b.keys()
    assert {name for name in a if a[name] != b[name]} == MAY_DIFFER_WITHOUT_EPOCH
    assert "<lastmod>2001-09-09</lastmod>" in (first / "site" / "sitemap.xml").read_text()


def _search_entries(site: Path) -> list[tuple[str, str]]:
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return sorted((d["location"], d["title"]) for d in docs)


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_properdocs_builds_the_same_pages_and_search_index(tmp_path: Path) -> None:
    if not PROPERDOCS.exists():
        pytest.fail(f"{PROPERDOCS} is missing: run `make setup-test`, which creates .venv-properdocs")
    root = make_project(tmp_path / "p", real_facts=True)
    _build(root, SOURCE_DATE_EPOCH=EPOCH)
    # ProperDocs reads mkdocs.yml when told to; without -f it looks for properdocs.yml first.
    result = subprocess.run(
        [str(PROPERDOCS), "build", "--strict", "-f", "mkdocs.yml", "-d", str(tmp_path / "properdocs-site")],
        cwd=root,
        env={**cli_env(SOURCE_DATE_EPOCH=EPOCH)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    version = subprocess.run([str(PROPERDOCS), "--version"], capture_output=True, text=True).stdout
    assert version.startswith("properdocs, version 1.6.7"), version
    assert _pages(tmp_path / "properdocs-site") == _pages(root / "site")
    assert len(_pages(root / "site")) == len(list((root / "content").rglob("*.md"))) + 1  # and 404.html
    assert _search_entries(tmp_path / "properdocs-site") == _search_entries(root / "site")
    shutil.rmtree(tmp_path / "properdocs-site")
