"""Every page built from a YAML file gets Material's Edit action, opening that file on the repository host."""

from __future__ import annotations

import re

import pytest

from generator import build as pipeline
from generator.build import Project
from tests.conftest import copy_project

REPO_EDIT = "https://github.com/western-balkans-facts/fact-sheets/edit/main/"
EDIT_LINK = re.compile(r'<a href="([^"]*)" title="Edit this page" class="md-content__button md-icon" rel="edit">')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("edit") / "project")
    outcome = pipeline.build(project)
    assert outcome.ok, outcome.problems
    return project


@pytest.mark.parametrize(
    ("page", "target"),
    [
        ("people/albin-kurti/index.html", "facts/entities/albin-kurti.yaml"),
        ("countries/kosovo/index.html", "facts/entities/kosovo.yaml"),
        ("organisations/european-union/index.html", "facts/entities/european-union.yaml"),
        (
            "sources/rksnews-2026-01-20-lavrov-balkans/index.html",
            "facts/sources/rksnews-2026-01-20-lavrov-balkans.yaml",
        ),
        ("policy/eu-policy/index.html", "facts/policies/eu-policy.yaml"),
        ("about/index.html", "content/about.md"),  # hand-written: MkDocs' own edit_url
    ],
)
def test_edit_action_opens_the_file_the_page_comes_from(built: Project, page: str, target: str) -> None:
    html = (built.site / page).read_text(encoding="utf-8")
    assert EDIT_LINK.findall(html) == [REPO_EDIT + target]
    assert (built.root / target).is_file()


@pytest.mark.parametrize(
    "page",
    ["timeline/index.html", "people/index.html", "countries/index.html", "sources/index.html", "policy/index.html"],
)
def test_pages_gathered_from_many_files_have_no_edit_action(built: Project, page: str) -> None:
    html = (built.site / page).read_text(encoding="utf-8")
    assert 'rel="edit"' not in html


def test_every_generated_page_says_where_to_edit_it(built: Project) -> None:
    generated = [line.strip("/") for line in (built.content / ".gitignore").read_text().splitlines()[1:]]
    pages = [name for name in generated if name.endswith(".md")]
    assert len(pages) >= 30
    for name in pages:
        head = (built.content / name).read_text(encoding="utf-8").split("---\n")[1]
        match = re.search(r'^edit_path: "(.*)"$', head, re.MULTILINE)
        assert match, name
        assert match.group(1) == "" or (built.root / match.group(1)).is_file()
