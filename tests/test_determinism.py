"""Determinism: the same commit builds the same bytes (portability is in ``test_portability.py``).

What may differ between two builds of the same commit, and why:
- without ``SOURCE_DATE_EPOCH``: ``sitemap.xml`` (each ``<lastmod>``) and ``sitemap.xml.gz``
  (the dates, and the gzip header's timestamp). MkDocs takes both from SOURCE_DATE_EPOCH when set.
- nothing else: the generated Markdown and JSON, every HTML page, the search index and
  the theme's assets are byte-identical, even when built from different folders.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tiny_corpus import build_project, make_project, tree_digest

from generator.build import render_outputs
from generator.validate import load_corpus

EPOCH = "1767225600"
MAY_DIFFER_WITHOUT_EPOCH = {"sitemap.xml", "sitemap.xml.gz"}


def test_two_builds_of_the_same_commit_are_byte_identical(tmp_path: Path) -> None:
    first = make_project(tmp_path / "first", real_facts=True)
    second = make_project(tmp_path / "elsewhere" / "second", real_facts=True)
    # Sets and dicts of strings iterate in an order that depends on each interpreter's hash seed.
    build_project(first, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="1")
    build_project(second, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="2")
    assert tree_digest(first / "content") == tree_digest(second / "content")
    assert tree_digest(first / "site") == tree_digest(second / "site")
    generated = json.loads((first / "content" / ".generated.json").read_text())["files"]
    # Every file the generator renders, plus its manifest and content/.gitignore.
    assert len(generated) == len(render_outputs(load_corpus(first / "facts", first)[0])) + 2  # type: ignore[arg-type]


def test_without_source_date_epoch_only_the_sitemap_differs(tmp_path: Path) -> None:
    first = make_project(tmp_path / "first")
    second = make_project(tmp_path / "second")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    build_project(first, SOURCE_DATE_EPOCH="1000000000")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "environ", env)
        build_project(second)
    a, b = tree_digest(first / "site"), tree_digest(second / "site")
    assert a.keys() == b.keys()
    assert {name for name in a if a[name] != b[name]} == MAY_DIFFER_WITHOUT_EPOCH
    assert "<lastmod>2001-09-09</lastmod>" in (first / "site" / "sitemap.xml").read_text()
