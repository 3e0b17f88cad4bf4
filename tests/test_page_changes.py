"""The job summary of a pull request lists the generated pages it changes."""

from __future__ import annotations

import hashlib
import shutil

from generator import build as pipeline
from generator.build import Project
from generator.ownership import MANIFEST
from generator.page_changes import compare, page_url, summary_markdown
from tests.conftest import CliRunner, copy_project


def test_summary_lists_changed_added_and_removed_pages(project: Project, run_cli: CliRunner) -> None:
    assert pipeline.generate(project).ok
    base = project.root.parent / "base-content"
    shutil.copytree(project.content, base)
    entity = project.facts / "entities" / "albin-kurti.yaml"
    entity.write_text(
        entity.read_text(encoding="utf-8").replace(
            "Kosovo now has a strong military.", "Kosovo now has a strong army."
        ),
        encoding="utf-8",
    )
    (project.facts / "policies" / "us-policy.yaml").unlink()
    (project.facts / "entities" / "montenegro.yaml").rename(project.facts / "entities" / "crna-gora.yaml")
    assert pipeline.generate(project).ok

    changes = compare(base, project.content)
    assert changes.added == ("countries/crna-gora.md",)
    assert changes.removed == ("countries/montenegro.md", "policy/us-policy.md")
    assert "people/albin-kurti.md" in changes.changed
    assert "sources/rksnews-2026-01-20-lavrov-balkans.md" in changes.changed  # the source lists the fact
    assert "people/sergei-lavrov.md" not in changes.changed

    result = run_cli("page-changes", str(base), str(project.content), cwd=project.root, check=True)
    assert result.stdout == summary_markdown(changes)
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "### Pages this pull request changes",
        "",
        f"{len(changes.changed)} changed, 1 added, 2 removed, {changes.unchanged} unchanged.",
    ]
    assert "| `/people/albin-kurti/` | changed |" in lines
    assert "| `/countries/crna-gora/` | added |" in lines
    assert "| `/policy/us-policy/` | removed |" in lines


def test_no_change_says_so(project: Project) -> None:
    assert pipeline.generate(project).ok
    other = copy_project(project.root.parent / "other")
    assert pipeline.generate(other).ok
    changes = compare(project.content, other.content)
    assert not changes.any
    assert summary_markdown(changes).endswith(
        f"0 changed, 0 added, 0 removed, {changes.unchanged} unchanged.\n\nNo generated page changes.\n"
    )


def test_page_urls_follow_directory_urls() -> None:
    assert page_url("people/albin-kurti.md") == "people/albin-kurti/"
    assert page_url("people/index.md") == "people/"
    assert page_url("timeline.md") == "timeline/"


def test_a_fact_id_gone_and_a_stored_text_changed_are_named(project: Project, run_cli: CliRunner) -> None:
    """What the diff shows but a reviewer could miss: a fact's address gone, and an article rewritten."""
    assert pipeline.generate(project).ok
    base = project.root.parent / "base-content"
    shutil.copytree(project.content, base)
    kosovo = project.facts / "entities" / "kosovo.yaml"
    old_id = "kosovo-applied-for-eu-membership"
    kosovo.write_text(
        kosovo.read_text(encoding="utf-8").replace(f"id: {old_id}\n", "id: kosovo-eu-application\n"), encoding="utf-8"
    )
    stored = project.facts / "sources" / "rksnews-2026-01-20-lavrov-balkans.txt"
    before = hashlib.sha256(stored.read_bytes()).hexdigest()
    stored.write_bytes(stored.read_bytes() + b"\nA sentence added later.\n")
    source = project.facts / "sources" / "rksnews-2026-01-20-lavrov-balkans.yaml"
    after = hashlib.sha256(stored.read_bytes()).hexdigest()
    source.write_text(source.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
    assert pipeline.generate(project).ok  # valid: only a reviewer can tell that these should not happen

    changes = compare(base, project.content)
    assert changes.facts_gone == (old_id,)
    assert changes.texts_changed == ("rksnews-2026-01-20-lavrov-balkans",)
    summary = run_cli("page-changes", str(base), str(project.content), cwd=project.root, check=True).stdout
    gone = (
        "### Facts whose address is gone\n\n"
        "A fact's id is its address (`#fact-<id>`): links to these, from this site or others, stop working.\n\n"
        f"- `{old_id}`\n"
    )
    assert gone in summary
    assert summary.endswith(
        "### Stored texts that changed\n\n"
        "A stored text is the article as it was read: a correction is a `status` on its source "
        "(`state: corrected` and its `date`), and the text stays as it was.\n\n"
        "- `rksnews-2026-01-20-lavrov-balkans`\n"
    )
    assert not compare(base, base).facts_gone and not compare(base, base).texts_changed


def test_a_base_without_a_readable_list_of_generated_files_is_said_so(project: Project) -> None:
    """Every page would count as added, silently: the summary says why, and the comparison is still made."""
    assert pipeline.generate(project).ok
    base = project.root.parent / "base-content"
    shutil.copytree(project.content, base)
    (base / MANIFEST).write_text("{bad json", encoding="utf-8")
    changes = compare(base, project.content)
    assert changes.unlisted == ("base",) and changes.changed == () and changes.unchanged == 0
    lines = summary_markdown(changes).splitlines()
    assert lines[4] == (
        "**Warning:** the base's `content/` has no readable list of generated files (`.generated.json`), "
        "so none of its pages could be compared: each counts as added."
    )
    assert compare(project.content, project.content).unlisted == ()


def test_open_data_that_cannot_be_read_is_said_so(project: Project) -> None:
    """A base built by another version of the generator: fact ids and stored texts cannot be compared."""
    assert pipeline.generate(project).ok
    base = project.root.parent / "base-content"
    shutil.copytree(project.content, base)
    (base / "facts.json").write_text('{"format": "another"}', encoding="utf-8")
    changes = compare(base, project.content)
    assert (changes.unread, changes.unlisted, changes.facts_gone) == (("base",), (), ())
    assert summary_markdown(changes).splitlines()[4] == (
        "**Warning:** the base's `content/facts.json` is missing or of another version's format, so no fact whose "
        "address is gone and no stored text that changed could be looked for: read the diff of `facts/`."
    )
    assert compare(project.content, project.content).unread == ()
