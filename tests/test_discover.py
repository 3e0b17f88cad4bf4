"""Finding the files under ``facts/``: what is listed, in which order, and what is never followed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import CliRunner

from generator.build import Project, generate
from generator.problems import Problem
from generator.validate import load_corpus, walk

TREE = ["a.yaml", "a/x.yaml", "a/z/q.yaml", "a-b/y.yaml", "B.yaml", "é.yaml", ".hidden/h.yaml", "c/.dot.yaml"]


def _listed_by_rglob(folder: Path) -> list[tuple[str, ...]]:
    """What ``walk`` must list, found the slow way: every entry that is not a folder (or is a link), sorted."""
    found = []
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if any(part.startswith(".") for part in parts) or (path.is_dir() and not path.is_symlink()):
            continue
        found.append(parts)
    return sorted(found)


def test_walk_lists_every_entry_sorted_by_path_parts_without_following_links(tmp_path: Path) -> None:
    for name in TREE:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    (tmp_path / "c" / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "c" / "secret.yaml").symlink_to("/etc/passwd")
    os.mkfifo(tmp_path / "a" / "pipe.txt")
    problems: list[Problem] = []

    listed = [(rel, entry.path) for rel, entry in walk(tmp_path, problems, "facts")]

    assert [rel for rel, _ in listed] == _listed_by_rglob(tmp_path)
    # "a/..." before "a-b/...": by path parts, not by the path as one string ("/" sorts after "-").
    assert [rel for rel, _ in listed][:5] == [
        ("B.yaml",),
        ("a", "pipe.txt"),
        ("a", "x.yaml"),
        ("a", "z", "q.yaml"),
        ("a-b", "y.yaml"),
    ]
    assert ("c", "link") in dict(listed)  # listed as an entry of its own, so the caller refuses it
    assert not any(rel[:2] == ("c", "link") and len(rel) > 2 for rel, _ in listed)  # never walked into
    assert dict(listed)[("a", "z", "q.yaml")] == str(tmp_path / "a" / "z" / "q.yaml")
    assert problems == []


def _refuse_to_list(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make listing one folder fail as the operating system would (as root, no permission bit stops it)."""
    scandir = os.scandir

    def refusing(path: str | Path) -> object:
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)  # every walk of facts/ meets it: discover's and the stamp's


def test_a_folder_that_cannot_be_read_is_a_problem(mini_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _refuse_to_list(mini_project.facts / "policies", monkeypatch)
    corpus, problems = load_corpus(mini_project.facts, mini_project.root)
    assert corpus is None
    assert Problem("facts/policies", 0, 0, "cannot read folder: Permission denied") in problems


def test_generate_reports_a_folder_that_cannot_be_read(mini_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _refuse_to_list(mini_project.facts / "entities", monkeypatch)
    outcome = generate(mini_project)  # hashing the inputs for the stamp lists every folder first
    assert Problem("facts/entities", 0, 0, "cannot read folder: Permission denied") in outcome.problems
    assert outcome.written is None


def test_any_depth_of_folders_is_reported_not_crashed_on(mini_project: Project, run_cli: CliRunner) -> None:
    top = deep = mini_project.facts / "entities" / "a"
    try:
        for _ in range(1500):  # deeper than Python's recursion limit; the path stays within the system's limit
            deep.mkdir()
            deep /= "a"
        deep = deep.parent
        (deep / "x.yaml").write_text("name: X\n", encoding="utf-8")
        shown = deep.relative_to(mini_project.root).as_posix()
        for command in ("validate", "generate"):
            result = run_cli(command, cwd=mini_project.root)
            assert result.returncode == 1
            assert f"{shown}/x.yaml:1:1: error: unexpected file" in result.stderr
            assert "internal error" not in result.stderr
    finally:
        # shutil.rmtree, and so pytest's clean-up of old temporary folders, recurses once per level; rm does not.
        subprocess.run(["rm", "-rf", "--", str(top)], check=True)


@pytest.mark.parametrize("folder", ["entities", "sources", "policies"])
def test_a_folder_named_as_a_fact_file_is_an_error_not_a_crash(
    mini_project: Project, run_cli: CliRunner, folder: str
) -> None:
    """Such a folder made its id one whose file had failed, so references to it were never checked: validate
    passed without the entity, and generate stopped with an internal error."""
    path = sorted((mini_project.facts / folder).glob("*.yaml"))[-1]
    path.unlink()
    path.mkdir()
    shown = path.relative_to(mini_project.root).as_posix()
    for command in ("validate", "generate"):
        result = run_cli(command, cwd=mini_project.root)
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith(f"{shown}: error: a folder, not a fact file\n"), result.stderr
        assert "internal error" not in result.stderr


def test_files_git_reads_are_refused_under_facts(mini_project: Project, run_cli: CliRunner) -> None:
    """A .gitattributes with `-diff` makes `git diff` show a changed fact file as "Binary files differ"; other
    hidden files, and a hidden folder's contents, stay skipped."""
    facts = mini_project.facts
    (facts / ".gitattributes").write_text("*.yaml -diff linguist-generated\n", encoding="utf-8")
    (facts / "entities" / ".gitignore").write_text("*.yaml\n", encoding="utf-8")
    (facts / ".hidden").mkdir()
    (facts / ".hidden" / ".gitattributes").write_text("* -diff\n", encoding="utf-8")  # applies to .hidden/ alone
    (facts / "entities" / ".x.yaml.swp").write_text("x\n", encoding="utf-8")
    (facts / ".gitmodules").mkdir()  # no file, but Git's name all the same
    result = run_cli("validate", cwd=mini_project.root)
    assert result.returncode == 1
    refused = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert refused == [
        f"facts/{name}: error: a file of Git settings; not allowed under facts/"
        for name in (".gitattributes:1:1", ".gitmodules", "entities/.gitignore:1:1")  # a folder has no line
    ]
    assert "hint: remove it: Git reads it" in result.stderr


def test_a_stored_text_that_cannot_be_read_is_one_problem_among_the_others(
    mini_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As for a folder (above): the tests run as root, whom permissions do not stop, so the refusal is the system's
    answer played back. The run goes on to the other files' problems, and the source is not also told its text is
    missing."""
    stored = mini_project.facts / "sources" / "valdoria-herald-2026-01-20-summit.txt"
    read_bytes = Path.read_bytes

    def refusing(path: Path) -> bytes:
        if path == stored:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refusing)
    (mini_project.facts / "policies" / "beta-policy.yaml").write_text("title: [\n", encoding="utf-8")
    corpus, problems = load_corpus(mini_project.facts, mini_project.root)
    assert corpus is None
    unread = "facts/sources/valdoria-herald-2026-01-20-summit.txt"
    assert [p for p in problems if p.file == unread] == [
        Problem(
            unread,
            0,
            0,
            "stored text cannot be read: Permission denied",
            hint="make the file readable (its permissions), or store the text again",
        )
    ]
    assert any(p.file == "facts/policies/beta-policy.yaml" for p in problems)  # the run went on
    assert not any("valdoria-herald-2026-01-20-summit.txt" in p.message for p in problems)
