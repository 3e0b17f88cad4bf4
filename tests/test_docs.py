"""The contributor guide stays true: its YAML validates, its example output is real, every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml

from generator.cli import cli
from generator.fact_insert import content_end, insert_fact
from generator.loader import load_file, parse_text
from generator.validate import load_corpus
from tests.conftest import REPO, CliRunner, copy_project

GUIDE = REPO / "CONTRIBUTING.md"
BLOCK = re.compile(r'^```yaml title="([^"]+)"( mode="append")?\n(.*?)^```$', re.MULTILINE | re.DOTALL)
TEXT_BLOCK = re.compile(r"^```text\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _blocks() -> list[tuple[str, bool, str]]:
    return [(path, bool(append), body) for path, append, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8"))]


def _remove_fact(text: str, fact_id: str) -> str:
    """Take a fact out of an entity file's text, so that the guide can add it again."""
    root = yaml.compose(text)
    facts = next(v for k, v in root.value if k.value == "facts")
    item = next(i for i in facts.value if any(k.value == "id" and v.value == fact_id for k, v in i.value))
    lines = text.splitlines(keepends=True)
    start = item.start_mark.line
    return "".join(lines[:start] + lines[content_end(item) :])


def _apply_guide(root: Path) -> None:
    for path, append, body in _blocks():
        target = root / path
        if append:
            fact_id = parse_text(body, path).data[0]["id"]
            text = _remove_fact(target.read_text(encoding="utf-8"), fact_id)
            target.write_text(insert_fact(text, body)[0], encoding="utf-8")
        else:
            target.write_text(body, encoding="utf-8")


def test_every_yaml_block_names_its_file_and_there_is_a_source_and_a_fact() -> None:
    assert GUIDE.read_text(encoding="utf-8").count("```yaml") == len(_blocks()) == 2
    assert [(path, append) for path, append, _ in _blocks()] == [
        ("facts/sources/rksnews-2026-01-20-lavrov-balkans.yaml", False),
        ("facts/entities/kosovo.yaml", True),
    ]


def test_the_guides_yaml_validates_in_a_copy_of_the_corpus(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    _apply_guide(project.root)
    corpus, problems = load_corpus(project.facts, project.root)
    assert problems == []
    assert corpus is not None
    assert "kosovo-applied-for-eu-membership" in {fact.id for fact in corpus.facts}


def test_the_worked_example_replays_real_values() -> None:
    (source_path, _, source), (entity_path, _, fact) = _blocks()
    assert parse_text(source, source_path).data == load_file(REPO / source_path).data
    real = {f["id"]: f for f in load_file(REPO / entity_path).data["facts"]}
    written = parse_text(fact, entity_path).data[0]
    assert written == real[written["id"]]


def test_the_example_error_is_what_the_validator_prints(tmp_path: Path, run_cli: CliRunner) -> None:
    project = copy_project(tmp_path / "project")
    _apply_guide(project.root)
    kosovo = project.facts / "entities" / "kosovo.yaml"
    text = kosovo.read_text(encoding="utf-8")
    before, cited, after = text.rpartition("source: rksnews-2026-01-20-lavrov-balkans")  # the guide's fact is last
    assert cited
    kosovo.write_text(before + "source: rksnews-2026-01-21" + after, encoding="utf-8")
    result = run_cli("validate", cwd=project.root)
    example = TEXT_BLOCK.findall(GUIDE.read_text(encoding="utf-8"))[0]
    assert result.stderr == example


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found += _commands(command, prefix + name + " ")
    return found


@pytest.mark.parametrize(("name", "command"), _commands(cli), ids=lambda value: value if isinstance(value, str) else "")
def test_every_command_has_help_and_is_documented(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip()
    # The list of commands shows each one's summary whole, not cut off with "..." at 80 columns.
    assert not command.get_short_help_str(limit=50).endswith("..."), command.get_short_help_str(limit=50)
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{name} {param.opts}"
    documented = GUIDE.read_text(encoding="utf-8")
    assert f"python -m generator {name}" in documented


def test_the_command_list_is_complete() -> None:
    assert [name for name, _ in _commands(cli)] == [
        "build",
        "generate",
        "new",
        "new entity",
        "new fact",
        "new source",
        "page-changes",
        "report",
        "serve",
        "validate",
    ]


def test_pull_request_template_carries_the_sourcing_checklist_the_guide_quotes() -> None:
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = [line for line in template.splitlines() if line.startswith("- [ ] ")]
    for item in (
        "Source stored or linked",
        "Attribution is right",
        "Quotes and passages are verbatim",
        "Dates are as precise as the source allows",
    ):
        assert any(line.startswith(f"- [ ] {item}") for line in items), item
    guide = [line for line in GUIDE.read_text(encoding="utf-8").splitlines() if line.startswith("- [ ] ")]
    assert guide == items


def test_makefile_targets_are_documented() -> None:
    targets = re.findall(r"^([a-z-]+):.*## ", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert "serve" in targets
    guide = GUIDE.read_text(encoding="utf-8")
    for target in targets:
        if target not in ("help", "clean"):
            assert f"`make {target}`" in guide, target


def test_the_readme_names_every_module_and_test_file() -> None:
    """The project layout and the table of tests are how a newcomer finds their way: none may fall behind."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("generator/            the generator") : readme.index("\noverrides/")]
    modules = sorted(p.name for p in (REPO / "generator").glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert [m for m in modules if not re.search(rf"(?<![\w/]){re.escape(m)}", layout)] == []
    tests = sorted(p.name for p in (REPO / "tests").glob("test_*.py"))
    assert [t for t in tests if f"`{t}`" not in readme] == []
