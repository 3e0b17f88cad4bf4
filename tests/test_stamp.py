"""The no-op fast path of generate: skipped only when nothing it reads or wrote has changed."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from generator.build import Project, generate
from generator.ownership import read_manifest
from generator.stamp import STAMP, _read, input_hash
from tests.conftest import corpus_summary


def run(project: Project) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    outcome = generate(project, lines.append)
    assert outcome.ok, outcome.problems
    assert outcome.written is not None
    return outcome.written.written, lines


def snapshot(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def test_second_generate_is_skipped_and_writes_nothing(project: Project) -> None:
    written, lines = run(project)
    assert "people/albin-kurti.md" in written
    before = snapshot(project.content)
    written, lines = run(project)
    assert written == []
    assert lines[0] == f"validate: skipped, nothing changed since the last clean run ({corpus_summary(project.facts)})"
    files = sum(1 for path in project.facts.rglob("*") if path.is_file())
    assert lines[1].startswith(f"render: skipped; {files} fact files hashed in ")
    pages = len(read_manifest(project.content)) - 2  # less the manifest and content/.gitignore
    assert lines[2] == f"write: 0 written, {pages} unchanged, 0 removed in 0.00s"
    assert snapshot(project.content) == before
    assert (project.root / STAMP).is_file()


def test_an_edited_fact_reruns_and_rewrites_only_its_pages(project: Project) -> None:
    run(project)
    entity = project.facts / "entities" / "albin-kurti.yaml"
    old, text = "RksNews describes Albin Kurti as expressing optimism", entity.read_text(encoding="utf-8")
    assert text.count(old) == 1
    entity.write_text(text.replace(old, "RksNews calls Albin Kurti optimistic"), encoding="utf-8")
    written, lines = run(project)
    assert lines[0].startswith(f"validate: {corpus_summary(project.facts)} in ")
    # The fact is about Kosovo, so it shows on Kosovo's profile too.
    assert written == [
        "countries/kosovo.md",
        "facts.csv",  # the open data carry every fact
        "facts.json",
        "people/albin-kurti.md",
        "sources/rksnews-2026-01-20-lavrov-balkans.md",
        "timeline/2026.md",
    ]


def test_a_deleted_or_edited_generated_page_is_restored(project: Project) -> None:
    run(project)
    before = snapshot(project.content)
    (project.content / "people" / "albin-kurti.md").unlink()
    timeline = project.content / "timeline" / "2026.md"
    timeline.write_text(timeline.read_text(encoding="utf-8") + "Edited by hand.\n", encoding="utf-8")
    written, lines = run(project)
    assert lines[0].startswith(f"validate: {corpus_summary(project.facts)} in ")
    assert written == ["people/albin-kurti.md", "timeline/2026.md"]
    assert snapshot(project.content) == before


def test_a_run_with_problems_is_never_skipped(project: Project) -> None:
    run(project)
    entity = project.facts / "entities" / "albin-kurti.yaml"
    good = entity.read_text(encoding="utf-8")
    entity.write_text(good.replace("topics: [diplomacy]", "topics: [diplomcy]"), encoding="utf-8")
    for _ in range(2):
        lines: list[str] = []
        outcome = generate(project, lines.append)
        assert [p.message for p in outcome.problems] == ["unknown topic 'diplomcy'"]
        assert not any("skipped" in line for line in lines)
    entity.write_text(good, encoding="utf-8")
    written, lines = run(project)
    assert written == []
    assert lines[0].startswith("validate: skipped")


def test_any_new_entry_under_facts_means_a_full_run(project: Project, tmp_path: Path) -> None:
    """A link or a renamed file changes the hash, even one the run then refuses to read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text("name: X\n", encoding="utf-8")
    changes = [
        lambda: (project.facts / "entities" / "linked").symlink_to(outside, target_is_directory=True),
        lambda: (project.facts / "sources" / "linked.yaml").symlink_to(outside / "x.yaml"),
    ]
    for change in changes:
        run(project)
        change()
        lines: list[str] = []
        outcome = generate(project, lines.append)
        assert not any("skipped" in line for line in lines)
        assert any("symbolic link" in p.message for p in outcome.problems)
        for link in ("entities/linked", "sources/linked.yaml"):
            (project.facts / link).unlink(missing_ok=True)
    run(project)
    renamed = project.facts / "sources" / "rksnews-2026-01-20-lavrov-balkans.yaml"
    text = renamed.read_bytes()
    renamed.rename(renamed.with_name("renamed.yaml"))
    (project.facts / "sources" / "renamed.yaml").unlink()
    renamed.write_bytes(text)  # the same file back under its name: nothing changed
    assert run(project)[1][0].startswith("validate: skipped")


def test_a_file_at_the_stamps_name_that_the_generator_did_not_write_is_left_alone(
    project: Project, tmp_path: Path
) -> None:
    """No run is then skipped, and the file, or the link and what it points at, stay as they were."""
    mine = project.root / STAMP
    mine.write_text("my own notes\n", encoding="utf-8")
    for _ in range(2):
        _, lines = run(project)
        assert not lines[0].startswith("validate: skipped")  # there is no stamp to skip by
        assert mine.read_text(encoding="utf-8") == "my own notes\n"
    mine.unlink()
    run(project)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(mine.read_bytes())  # a stamp, but reached through a link
    mine.unlink()
    mine.symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    _, lines = run(project)
    assert not lines[0].startswith("validate: skipped")
    assert (mine.is_symlink(), elsewhere.read_bytes()) == (True, before)


def test_a_stamp_another_version_of_the_generator_wrote_is_replaced(project: Project) -> None:
    """A stamp that this version cannot read, but that is a stamp (a JSON object with ``inputs``), is its own."""
    (project.root / STAMP).write_text('{"inputs": "an older hash", "pages": {}}\n', encoding="utf-8")
    run(project)
    assert "an older hash" not in (project.root / STAMP).read_text(encoding="utf-8")
    _, lines = run(project)
    assert lines[0].startswith("validate: skipped")


def test_the_input_hash_reads_nothing_through_a_facts_folder_that_is_a_link(project: Project, tmp_path: Path) -> None:
    """It runs before validation, which refuses the link: it must not read the folder the link points to."""
    outside = tmp_path / "outside"
    project.facts.rename(outside)
    project.facts.symlink_to(outside, target_is_directory=True)
    first = input_hash(project.facts)
    (outside / "entities" / "albin-kurti.yaml").write_text("changed\n", encoding="utf-8")
    assert input_hash(project.facts) == first
    assert first[1] == 0  # no fact file read


def test_reading_the_manifest_and_the_stamp_sets_aside_no_more_memory_than_they_hold(project: Project) -> None:
    run(project)
    tracemalloc.start()
    assert read_manifest(project.content) and _read(project.root) is not None
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 16 * 2**20, peak
