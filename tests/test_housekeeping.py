"""Nothing left over or out of place: uncited sources, stray stored texts, entities with nothing
sourced, files in the wrong folder."""

from __future__ import annotations

import hashlib

from conftest import CliRunner
from corpus_edits import replace_in

from generator.build import Project

HERALD = "valdoria-herald-2026-01-20-summit"


def test_a_file_of_another_kind_is_told_where_it_belongs(mini_project: Project, run_cli: CliRunner) -> None:
    entity = mini_project.facts / "entities" / "valdoria.yaml"
    entity.rename(mini_project.facts / "sources" / "valdoria.yaml")
    result = run_cli("validate", cwd=mini_project.root)
    lines = result.stderr.splitlines()
    assert lines[0] == "facts/sources/valdoria.yaml:1:1: error: this is an entity file, in facts/sources/"
    assert "  hint: move it to facts/entities/" in lines
    assert sum(": error: " in line for line in lines) == 1  # not one error per field the source schema lacks
    assert result.returncode == 1


def test_an_uncited_source_warns_and_a_stray_stored_text_fails(mini_project: Project, run_cli: CliRunner) -> None:
    sources = mini_project.facts / "sources"
    wire = (sources / "example-wire-2026-01-21-summit.yaml").read_text(encoding="utf-8")
    (sources / "example-wire-2026-01-22-follow-up.yaml").write_text(
        wire.replace("/2026/01/21/summit", "/2026/01/22/follow-up"), encoding="utf-8"
    )
    lenient = run_cli("validate", cwd=mini_project.root)
    assert lenient.returncode == 0  # a warning only
    assert "--strict" not in lenient.stderr
    strict = run_cli("validate", "--strict", cwd=mini_project.root)
    assert strict.returncode == 1
    assert strict.stderr.endswith("1 warning\n--strict refuses warnings: mend them, or run without --strict\n")
    assert (
        "facts/sources/example-wire-2026-01-22-follow-up.yaml:2:1: warning: no fact or role cites this source\n"
        in strict.stderr
    )
    source = "example-wire-2026-01-22-follow-up"
    hint = f"cite it (python -m generator new fact ENTITY --source {source}), or delete the file"
    assert f"  hint: {hint}" in strict.stderr
    (sources / "notes.txt").write_text("Draft notes.\n", encoding="utf-8")
    stray = run_cli("validate", cwd=mini_project.root)
    assert stray.returncode == 1
    assert "--strict refuses" not in run_cli("validate", "--strict", cwd=mini_project.root).stderr  # an error too
    assert "facts/sources/notes.txt:1:1: error: stored text that no source names\n" in stray.stderr
    digest = hashlib.sha256(b"Draft notes.\n").hexdigest()
    # The lines to paste into the source, with the file's own digest.
    assert (
        "  hint: name it in its source's snapshot, or delete it:\n"
        "        snapshot:\n"
        "          file: notes.txt\n"
        f"          sha256: {digest}\n"
    ) in stray.stderr


def test_a_stored_text_is_not_called_stray_while_its_source_fails_to_load(
    mini_project: Project, run_cli: CliRunner
) -> None:
    replace_in(mini_project.facts / "sources" / f"{HERALD}.yaml", "language: ", "language: EN_")
    result = run_cli("validate", cwd=mini_project.root)
    assert result.returncode == 1
    assert "[language]" in result.stderr
    assert "stored text that no source names" not in result.stderr


def test_an_entity_with_nothing_sourced_warns_until_a_fact_names_it(mini_project: Project, run_cli: CliRunner) -> None:
    entities = mini_project.facts / "entities"
    (entities / "zeta-land.yaml").write_text("name: Zeta Land\ntype: country\n", encoding="utf-8")
    strict = run_cli("validate", "--strict", cwd=mini_project.root)
    assert strict.returncode == 1
    assert (
        "facts/entities/zeta-land.yaml:1:1: warning: nothing on this entity's page is sourced: it has no role, "
        "and no fact names it\n" in strict.stderr
    )
    replace_in(entities / "mira-dordevic.yaml", "about: [valdoria]", "about: [valdoria, zeta-land]")
    assert run_cli("validate", "--strict", cwd=mini_project.root).returncode == 0


def test_an_entity_named_as_a_speaker_has_something_sourced(mini_project: Project, run_cli: CliRunner) -> None:
    entities = mini_project.facts / "entities"
    (entities / "zeta-council.yaml").write_text("name: Zeta Council\ntype: organisation\n", encoding="utf-8")
    assert run_cli("validate", "--strict", cwd=mini_project.root).returncode == 1
    # Its page lists the claim it made, with the claim's source.
    replace_in(entities / "valdorian-assembly.yaml", "speaker: valdorian-assembly", "speaker: zeta-council")
    result = run_cli("validate", "--strict", cwd=mini_project.root)
    assert result.returncode == 0, result.stderr


def test_a_retracted_source_that_nothing_cites_stays_without_a_warning(
    mini_project: Project, run_cli: CliRunner
) -> None:
    """Its page is where readers learn of the retraction, so validation does not ask for it to be cited or deleted."""
    sources = mini_project.facts / "sources"
    wire = (sources / "example-wire-2026-01-21-summit.yaml").read_text(encoding="utf-8")
    retracted = 'status:\n  state: retracted\n  date: "2026-01-25"\n  note: Withdrawn by the outlet.\nnote: '
    follow_up = wire.replace("/2026/01/21/summit", "/2026/01/22/follow-up").replace("\nnote: ", f"\n{retracted}")
    (sources / "example-wire-2026-01-22-follow-up.yaml").write_text(follow_up, encoding="utf-8")
    strict = run_cli("validate", "--strict", cwd=mini_project.root)
    assert (strict.returncode, "warning" in strict.stderr) == (0, False), strict.stderr
    assert run_cli("generate", cwd=mini_project.root).returncode == 0
    page = (mini_project.content / "sources" / "example-wire-2026-01-22-follow-up.md").read_text(encoding="utf-8")
    notice = "    Retracted on 25 January 2026. Withdrawn by the outlet. No fact may rest on this source alone.\n"
    assert notice in page
    assert "## Facts that cite this source\n\nNo fact cites this source.\n" in page
    corrected = follow_up.replace("state: retracted", "state: corrected")  # still owed a citation, or deletion
    (sources / "example-wire-2026-01-22-follow-up.yaml").write_text(corrected, encoding="utf-8")
    warned = run_cli("validate", "--strict", cwd=mini_project.root)
    assert "example-wire-2026-01-22-follow-up.yaml:2:1: warning: no fact or role cites this source\n" in warned.stderr
