"""The writer: minimal, atomic changes to content/, and never a file it did not make."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import HAND_WRITTEN, CliRunner
from corpus_edits import replace_in

from generator import export
from generator.build import Outcome, Project, generate, render_outputs
from generator.export import CSV_PAGE, JSON_PAGE, export_data, iter_data, render_csv
from generator.model import Corpus
from generator.ownership import read_manifest
from generator.writer import GITIGNORE, MANIFEST, write_pages

GENERATED_FOLDERS = ("countries", "organisations", "people", "policy", "sources")
MINI_PAGES = [
    "countries/index.md",
    "countries/valdoria.md",
    "facts.csv",
    "facts.json",
    "facts.schema.json",
    "organisations/index.md",
    "organisations/valdorian-assembly.md",
    "people/index.md",
    "people/mira-dordevic.md",
    "policy/index.md",
    "policy/valdoria-policy.md",
    "sources/example-wire-2026-01-21-summit.md",
    "sources/index.md",
    "sources/valdoria-herald-2026-01-20-summit.md",
    "sourcing.md",
    "timeline/2025.md",
    "timeline/2026.md",
    "timeline/index.md",
]


def run_generate(project: Project) -> Outcome:
    outcome = generate(project)
    assert outcome.ok, outcome.problems
    assert outcome.written is not None
    return outcome


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under a folder with its inode and bytes: a rewrite changes the inode."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def add_hand_written(project: Project) -> dict[str, bytes]:
    """Put a hand-written page in every folder the generator writes into."""
    files = {}
    for folder in GENERATED_FOLDERS:
        path = project.content / folder / "notes.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = f"# Notes on {folder}\n\nWritten by hand.\n".encode()
        path.write_bytes(data)
        files[f"{folder}/notes.md"] = data
    return files


def test_first_generate_writes_every_page(mini_project: Project) -> None:
    outcome = run_generate(mini_project)
    assert outcome.written is not None and outcome.corpus is not None
    assert sorted(outcome.written.written) == sorted([*MINI_PAGES, GITIGNORE])
    assert (outcome.written.unchanged, outcome.written.removed) == (0, [])
    for path, text in render_outputs(outcome.corpus).items():
        assert (mini_project.content / path).read_bytes() == text.encode("utf-8")
    on_disk = sorted(snapshot(mini_project.content))
    assert on_disk == sorted([*MINI_PAGES, GITIGNORE, MANIFEST, *HAND_WRITTEN])


def test_the_size_and_mtime_of_each_written_file_are_taken_as_it_is_written(mini_project: Project) -> None:
    outcome = run_generate(mini_project)
    assert outcome.written is not None
    assert set(outcome.written.stats) == set(outcome.written.written)
    for name, stat in outcome.written.stats.items():
        info = (mini_project.content / name).lstat()
        assert stat == (info.st_size, info.st_mtime_ns), name


def test_second_generate_writes_nothing(mini_project: Project) -> None:
    run_generate(mini_project)
    before = snapshot(mini_project.content)
    outcome = run_generate(mini_project)
    assert outcome.written is not None
    assert (outcome.written.written, outcome.written.unchanged, outcome.written.removed) == ([], len(MINI_PAGES), [])
    assert snapshot(mini_project.content) == before


def test_second_generate_through_the_cli_reports_zero_written(mini_project: Project, run_cli: CliRunner) -> None:
    run_cli("generate", cwd=mini_project.root, check=True)
    result = run_cli("generate", cwd=mini_project.root, check=True)
    assert "write: 0 written, 18 unchanged, 0 removed in " in result.stderr


def test_editing_one_fact_rewrites_only_the_pages_that_show_it(mini_project: Project) -> None:
    run_generate(mini_project)
    before = snapshot(mini_project.content)
    replace_in(
        mini_project.facts / "entities" / "valdorian-assembly.yaml",
        "text: the embassy plan lacks funding.",
        "text: the embassy plan lacks money.",
    )
    outcome = run_generate(mini_project)
    assert outcome.written is not None
    changed = [
        "facts.csv",  # the open data carry every fact
        "facts.json",
        "organisations/valdorian-assembly.md",  # its own entity
        "people/mira-dordevic.md",  # the entity it is about
        "policy/valdoria-policy.md",  # what others say about the policy's actors
        "sources/valdoria-herald-2026-01-20-summit.md",  # the source it cites
        "timeline/2026.md",
    ]
    assert outcome.written.written == changed
    assert outcome.written.unchanged == len(MINI_PAGES) - len(changed)
    after = snapshot(mini_project.content)
    assert sorted(p for p in after if after[p] != before[p]) == changed
    assert "the embassy plan lacks money." in (mini_project.content / "timeline" / "2026.md").read_text(
        encoding="utf-8"
    )


def test_deleting_an_entity_removes_its_page(mini_project: Project) -> None:
    run_generate(mini_project)
    (mini_project.facts / "entities" / "valdorian-assembly.yaml").unlink()
    outcome = run_generate(mini_project)
    assert outcome.written is not None
    # Its facts were the only ones dated 2025, so that year's timeline page goes too.
    assert outcome.written.removed == ["organisations/valdorian-assembly.md", "timeline/2025.md"]
    assert not (mini_project.content / "organisations" / "valdorian-assembly.md").exists()
    assert (mini_project.content / "organisations" / "index.md").is_file()
    assert "/organisations/valdorian-assembly.md" not in (mini_project.content / GITIGNORE).read_text(encoding="utf-8")


def test_a_section_keeps_its_index_when_its_last_page_goes(mini_project: Project) -> None:
    run_generate(mini_project)
    shutil.rmtree(mini_project.facts / "policies")
    outcome = run_generate(mini_project)
    assert outcome.written is not None
    assert outcome.written.removed == ["policy/valdoria-policy.md"]
    assert (mini_project.content / "policy" / "index.md").is_file()


def test_a_folder_an_earlier_version_wrote_goes_when_its_last_page_goes(mini_project: Project) -> None:
    """A page from a folder the generator no longer writes is removed, and so is the folder it leaves empty."""
    run_generate(mini_project)
    content = mini_project.content
    (content / "briefs" / "2026").mkdir(parents=True)
    (content / "briefs" / "2026" / "valdoria.md").write_text(
        '---\ntitle: "Valdoria"\nedit_path: "facts/entities/valdoria.yaml"\n---\n\n# Valdoria\n', encoding="utf-8"
    )
    (content / "notes").mkdir()
    (content / "notes" / "valdoria.md").write_text(
        '---\nedit_path: "facts/entities/valdoria.yaml"\n---\n', encoding="utf-8"
    )
    (content / "notes" / "mine.md").write_text("# Written by hand\n", encoding="utf-8")
    manifest = json.loads((content / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"] += ["briefs/2026/valdoria.md", "notes/valdoria.md"]
    (content / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    outcome = run_generate(mini_project)
    assert outcome.written is not None and not outcome.problems
    assert outcome.written.removed == ["briefs/2026/valdoria.md", "notes/valdoria.md"]
    assert not (content / "briefs").exists()  # both the emptied folder and its emptied parent
    assert sorted(p.name for p in (content / "notes").iterdir()) == ["mine.md"]  # not empty: kept


def test_hand_written_files_in_generated_folders_are_never_touched(mini_project: Project) -> None:
    hand = add_hand_written(mini_project)
    hand.update({name: (mini_project.content / name).read_bytes() for name in HAND_WRITTEN})
    inodes = {name: (mini_project.content / name).stat().st_ino for name in hand}

    def unchanged() -> None:
        for name, data in hand.items():
            path = mini_project.content / name
            assert path.read_bytes() == data, name
            assert path.stat().st_ino == inodes[name], name

    run_generate(mini_project)
    unchanged()
    replace_in(mini_project.facts / "entities" / "valdoria.yaml", "name: Valdoria", "name: Valdoria Republic")
    run_generate(mini_project)
    unchanged()
    for name in ("valdoria.yaml", "valdorian-assembly.yaml", "mira-dordevic.yaml"):
        (mini_project.facts / "entities" / name).unlink()
    shutil.rmtree(mini_project.facts / "policies")
    for path in (mini_project.facts / "sources").iterdir():  # the sources and their stored texts
        path.unlink()
    outcome = run_generate(mini_project)
    assert outcome.written is not None
    assert sorted(outcome.written.removed) == sorted(
        p for p in MINI_PAGES if not p.endswith("index.md") and p != "sourcing.md" and not p.startswith("facts.")
    )
    unchanged()
    ignored = (mini_project.content / GITIGNORE).read_text(encoding="utf-8")
    assert all(f"/{name}" not in ignored.splitlines() for name in hand)


@pytest.mark.parametrize("generated_before", [False, True])
def test_hand_written_file_at_a_generated_path_fails_and_writes_nothing(
    generated_before: bool, mini_project: Project, run_cli: CliRunner
) -> None:
    if generated_before:
        run_cli("generate", cwd=mini_project.root, check=True)
        # A new entity whose page would land on a file someone wrote by hand.
        entities = mini_project.facts / "entities"
        shutil.copy(entities / "valdoria.yaml", entities / "freedonia.yaml")
        replace_in(entities / "freedonia.yaml", "name: Valdoria", "name: Freedonia")
        replace_in(entities / "freedonia.yaml", "aliases: [Republic of Valdoria]", "aliases: [Republic of Freedonia]")
        replace_in(entities / "freedonia.yaml", "id: valdoria-hosts", "id: freedonia-hosts")
        mine = mini_project.content / "countries" / "freedonia.md"
    else:
        mine = mini_project.content / "countries" / "valdoria.md"
        mine.parent.mkdir()
    mine.write_text("# Written by hand\n", encoding="utf-8")
    before = snapshot(mini_project.content)
    result = run_cli("generate", cwd=mini_project.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [
        f"content/countries/{mine.name}:1:1: error: a hand-written file is where a generated page must go; "
        "the generator will not overwrite it",
        "  hint: rename the hand-written file, or rename the entity or source that generates this page",
        "1 error, 0 warnings",
    ]
    assert "Traceback" not in result.stderr
    assert snapshot(mini_project.content) == before


def test_a_generated_page_committed_to_git_is_named_as_such(mini_project: Project, run_cli: CliRunner) -> None:
    """A pull request that force-adds a generated page: a fresh clone has that page and no list of what was written."""
    run_cli("generate", cwd=mini_project.root, check=True)
    page = mini_project.content / "countries" / "valdoria.md"
    committed = page.read_bytes() + b"\nA line added by hand.\n"
    for name in read_manifest(mini_project.content):  # the list names itself too
        (mini_project.content / name).unlink()
    page.write_bytes(committed)
    result = run_cli("generate", cwd=mini_project.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [
        "content/countries/valdoria.md:1:1: error: a generated page that no run here wrote (committed to Git, or "
        "copied in) is where this run must write it; the generator will not overwrite it",
        "  hint: generated pages are not kept in Git: remove it (git rm --cached, then delete the file), and the next "
        "run writes it from facts/",
        "1 error, 0 warnings",
    ]
    assert page.read_bytes() == committed


def test_gitignore_lists_exactly_the_generated_files(mini_project: Project) -> None:
    add_hand_written(mini_project)
    run_generate(mini_project)
    lines = (mini_project.content / GITIGNORE).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Written by `python -m generator generate`: these files are generated. Do not edit."
    assert lines[1:] == sorted(f"/{name}" for name in [*MINI_PAGES, GITIGNORE, MANIFEST])


def test_git_sees_only_the_hand_written_files(mini_project: Project) -> None:
    """The real git, reading content/.gitignore, leaves exactly the hand-written pages untracked."""
    hand = add_hand_written(mini_project)
    run_generate(mini_project)
    subprocess.run(["git", "init", "-q", str(mini_project.root)], check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "content"],
        cwd=mini_project.root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(line[3:] for line in status.stdout.splitlines()) == sorted(
        f"content/{name}" for name in [*hand, *HAND_WRITTEN]
    )


def test_real_corpus_generates_into_a_copy(project: Project) -> None:
    outcome = run_generate(project)
    assert outcome.written is not None and outcome.corpus is not None
    assert len(outcome.written.written) == len(render_outputs(outcome.corpus)) + 1
    assert run_generate(project).written.written == []  # type: ignore[union-attr]


def test_a_page_in_pieces_is_written_whole_and_left_alone_when_unchanged(tmp_path: Path) -> None:
    content = tmp_path / "content"
    pieces = ["first piece, ", "second piece, ", "“third”\n"]
    small = '---\nedit_path: ""\n---\nsmall\n'
    result = write_pages(content, {"facts.csv": iter(pieces), "small.md": small})
    assert sorted(result.written) == [GITIGNORE, "facts.csv", "small.md"]
    assert (content / "facts.csv").read_bytes() == "".join(pieces).encode("utf-8")
    inode = (content / "facts.csv").stat().st_ino
    again = write_pages(content, {"facts.csv": iter(pieces), "small.md": small})
    assert again.written == [] and again.unchanged == 2
    assert (content / "facts.csv").stat().st_ino == inode  # compared, not replaced
    changed = write_pages(content, {"facts.csv": iter([*pieces, "more\n"]), "small.md": small})
    assert changed.written == ["facts.csv"]
    assert (content / "facts.csv").read_text(encoding="utf-8").endswith("“third”\nmore\n")
    assert not list(content.glob(".generate-*"))  # no staging folder is left behind


@pytest.mark.parametrize("piece", [1, 2, 3, 2000])
def test_the_streamed_exports_are_the_whole_files(
    piece: int, real_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole_json = json.dumps(export_data(real_corpus), indent=2, ensure_ascii=False) + "\n"
    whole_csv = render_csv(real_corpus)  # in one piece: the corpus has fewer rows than PIECE
    monkeypatch.setattr(export, "PIECE", piece)  # a piece boundary after every record, or none at all
    streamed = {name: list(pieces) for name, pieces in iter_data(real_corpus)}
    if piece < 3:
        assert len(streamed[JSON_PAGE]) > 10 and len(streamed[CSV_PAGE]) > 10
    assert "".join(streamed[JSON_PAGE]) == whole_json
    assert "".join(streamed[CSV_PAGE]) == whole_csv
    assert len(list(csv.reader(io.StringIO(whole_csv)))) > 20


def test_a_forged_manifest_cannot_make_the_generator_remove_or_overwrite_what_it_did_not_write(
    mini_project: Project, tmp_path: Path, run_cli: CliRunner
) -> None:
    """A manifest is a file a pull request can add: a file it lists counts only if the file shows it is generated."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("precious\n")
    (mini_project.content / "evil").symlink_to(outside)
    hand = mini_project.content / "countries" / "valdoria.md"  # where a generated page goes
    hand.parent.mkdir()
    hand.write_text("# Written by hand\n", encoding="utf-8")
    (outside / "victim.md").write_text('---\nedit_path: ""\n---\nLooks generated, but is outside.\n')
    forged = [".generated.json", "about.md", "evil/keep.txt", "evil/victim.md", "countries/valdoria.md", "./about.md"]
    (mini_project.content / MANIFEST).write_text(json.dumps({"generator": "generator", "files": forged}))
    before = snapshot(mini_project.content)
    result = run_cli("generate", cwd=mini_project.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:3] == [
        "content/countries/valdoria.md:1:1: error: .generated.json lists this file as generated, but it is not a "
        "page the generator writes (a generated page has edit_path in its front matter); "
        "the generator will not overwrite it",
        "  hint: if you edited a generated page, or an earlier version of the generator wrote it, delete it: "
        "the next run writes it again from facts/",
    ]
    assert snapshot(mini_project.content) == before
    hand.unlink()  # with the page out of the way, the run goes ahead and still leaves the others alone
    run_generate(mini_project)
    assert (mini_project.content / "about.md").read_bytes() == before["about.md"][1]
    assert (outside / "keep.txt").read_text() == "precious\n"
    assert (outside / "victim.md").is_file()
    assert json.loads((mini_project.content / MANIFEST).read_text())["files"] == sorted(
        {*MINI_PAGES, MANIFEST, GITIGNORE}
    )


@pytest.mark.parametrize("link", ["countries", "people", "."])
def test_nothing_is_written_through_a_symbolic_link_in_content(
    link: str, mini_project: Project, tmp_path: Path, run_cli: CliRunner
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    if link == ".":  # content/ itself, hand-written pages and all
        shutil.move(mini_project.content, outside / "content")
        mini_project.content.symlink_to(outside / "content")
        shown = "content"
    else:
        (mini_project.content / link).symlink_to(outside)
        shown = f"content/{link}"
    before = snapshot(outside)
    result = run_cli("generate", cwd=mini_project.root)
    assert result.returncode == 1
    message = (
        "is a symbolic link; the generator writes only into a real folder"
        if link == "."
        else "a symbolic link or a file is where the generator must write a folder or a page; "
        "it will not write through it"
    )
    assert f"{shown}: error: {message}" in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(outside) == before


@pytest.mark.parametrize("folder", ["site", "dist"])
def test_the_build_writes_no_site_or_bundle_through_a_symbolic_link(
    folder: str, mini_project: Project, tmp_path: Path, run_cli: CliRunner
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (mini_project.root / folder).symlink_to(outside)
    result = run_cli("build", cwd=mini_project.root)
    assert result.returncode == 1
    assert f"{folder}: error: is a symbolic link; the generator writes only into a real folder" in (
        result.stderr.splitlines()
    ), result.stderr
    assert list(outside.iterdir()) == []
    assert not list(mini_project.root.glob(".site-build-*"))


@pytest.mark.parametrize(
    "link", ["content/leak.md", "content/extra", "content/assets/leak.txt", "overrides/x.css", "overrides/.leak.html"]
)
def test_the_build_publishes_nothing_through_a_symbolic_link_that_mkdocs_would_follow(
    link: str, mini_project: Project, tmp_path: Path, run_cli: CliRunner
) -> None:
    """A pull request can commit a link to any file on the machine that builds the site; MkDocs reads through it."""
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("the build machine's secret\n", encoding="utf-8")
    (mini_project.root / link).parent.mkdir(parents=True, exist_ok=True)
    (mini_project.root / link).symlink_to(secret if link.endswith((".md", ".txt", ".css", ".html")) else secret.parent)
    result = run_cli("build", cwd=mini_project.root)
    assert result.returncode == 1
    assert f"{link}: error: a symbolic link; MkDocs would publish what it points to, which can be any file on the " in (
        result.stderr
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert not (mini_project.root / "site").exists() and not list(mini_project.root.glob(".site-build-*"))


@pytest.mark.parametrize("folder", ["site", "dist"])
def test_the_build_moves_no_file_that_has_an_output_folders_name(
    folder: str, mini_project: Project, run_cli: CliRunner
) -> None:
    """A pull request can commit a file named ``site``: it is the contributor's, not a site to replace."""
    (mini_project.root / folder).write_text("someone's notes\n", encoding="utf-8")
    result = run_cli("build", cwd=mini_project.root)
    assert result.returncode == 1
    assert (
        f"{folder}:1:1: error: is a file, not a folder; the generator writes only into a folder, "
        "and replaces no file it did not make"
    ) in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert (mini_project.root / folder).read_text(encoding="utf-8") == "someone's notes\n"
    assert not list(mini_project.root.glob(".site-build-*"))


def test_a_manifest_names_each_file_one_way_only(tmp_path: Path) -> None:
    """``x/./a.md`` is ``x/a.md``: read as another name, a forged entry could remove a page just written."""
    (tmp_path / MANIFEST).write_text(json.dumps({"files": ["a.md", "x/./a.md", "x//a.md", "./a.md", "x/a.md/"]}))
    assert read_manifest(tmp_path) == {"a.md"}


def test_a_page_whose_front_matter_is_long_is_still_the_generators(mini_project: Project) -> None:
    """A title in Cyrillic is written as escapes, six bytes a letter: edit_path may come after the first kilobyte."""
    source = next((mini_project.facts / "sources").glob("*.yaml"))
    text = source.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    source.write_text(text.replace(title, "title: " + "Лавров " * 500), encoding="utf-8")
    first = run_generate(mini_project)
    page = mini_project.content / "sources" / f"{source.stem}.md"
    assert page.read_bytes().index(b"\nedit_path: ") > 10_000
    replace_in(source, "Лавров " * 500, "Лавров " * 499 + "Путин")
    again = run_generate(mini_project)  # the writer reads the listed page's front matter before replacing it
    assert first.written is not None and again.written is not None and not again.problems
    assert f"sources/{source.stem}.md" in again.written.written
    assert "Путин" in page.read_text(encoding="utf-8")


def test_a_listed_page_that_no_longer_shows_it_is_generated_is_left_and_reported(mini_project: Project) -> None:
    run_generate(mini_project)
    page = mini_project.content / "people" / "mira-dordevic.md"
    page.write_text("# Mira Đorđević\n\nNotes written by hand over the generated page.\n", encoding="utf-8")
    for name in ("valdoria.yaml", "valdorian-assembly.yaml", "mira-dordevic.yaml"):  # she, and all that names her
        (mini_project.facts / "entities" / name).unlink()
    shutil.rmtree(mini_project.facts / "policies")
    for path in (mini_project.facts / "sources").iterdir():
        path.unlink()
    outcome = generate(mini_project)
    assert [(p.file, p.severity) for p in outcome.problems] == [("content/people/mira-dordevic.md", "warning")]
    assert page.read_text(encoding="utf-8").startswith("# Mira Đorđević")
    assert "people/mira-dordevic.md" not in read_manifest(mini_project.content)


@pytest.mark.parametrize("manifest", ["my own notes, not JSON\n", '{"files": ["about.md"]}\n', None])
def test_a_file_at_the_manifests_name_that_is_no_manifest_is_never_overwritten(
    manifest: str | None, mini_project: Project, run_cli: CliRunner, tmp_path: Path
) -> None:
    """The manifest lists itself; a file there that does not, or a symbolic link, is someone else's."""
    mini_project.content.mkdir(exist_ok=True)
    target = mini_project.content / MANIFEST
    outside = tmp_path / "outside"
    outside.mkdir()
    if manifest is None:
        (outside / "elsewhere.json").write_text('{"files": [".generated.json"]}\n', encoding="utf-8")
        target.symlink_to(outside / "elsewhere.json")
    else:
        target.write_text(manifest, encoding="utf-8")
    before = snapshot(mini_project.content), snapshot(outside)
    result = run_cli("generate", cwd=mini_project.root)
    assert result.returncode == 1
    where = f"content/{MANIFEST}" + (":1:1" if manifest else "")  # a link is no file to open at a line
    assert result.stderr.splitlines()[1:] == [
        f"{where}: error: {MANIFEST} is where the generator lists the files it wrote, and this file "
        "is no such list; the generator will not overwrite it",
        "  hint: move the file away: the next run writes a new list",
        "1 error, 0 warnings",
    ]
    assert (snapshot(mini_project.content), snapshot(outside)) == before
    assert target.is_symlink() is (manifest is None)
