"""The JSON Schemas (what an editor checks as you type) and the validator agree on every file.

Three verdicts per fixture under tests/fixtures/agreement/:
- the ``jsonschema`` library on the file read by a plain YAML loader (the schema alone);
- the ``check-jsonschema`` command, as a pre-commit hook or an editor would run it;
- the validator, on the file placed into a copy of the real corpus.

``good/`` files pass all three; ``bad/`` files fail all three. ``validator-only/`` files hold
problems the schemas leave to the validator (references to other files, duplicate ids, calendar
dates, stored snapshots, and rules across fields, such as an event given a review period, that
the validator can explain in plain words): the schema accepts them and only the validator
rejects them. Problems of the YAML
text itself (duplicate keys, anchors, tabs) belong to the strict loader and its own tests;
YAML parsers disagree on them, so they are not part of this corpus.
Each bad file names the validator's message in an ``# expect:`` comment.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator.loader import TEXT_KEYS
from generator.validate import load_corpus
from tests.conftest import FIXTURES, REPO

AGREEMENT = FIXTURES / "agreement"
SCHEMAS = REPO / "generator" / "schema"
FOLDER_OF_KIND = {"entity": "entities", "source": "sources", "policy": "policies"}
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\s*$")


def _cases(group: str) -> list[Path]:
    return sorted((AGREEMENT / group).glob("*/*.yaml"))


def _kind(path: Path) -> str:
    return path.parent.name


def _id(path: Path) -> str:
    return f"{path.parent.parent.name}/{_kind(path)}/{path.name}"


def _expected_message(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect: "):
            return line.removeprefix("# expect: ")
    raise AssertionError(f"{path} has no '# expect:' line")


def _retrieve(uri: str) -> Resource:
    return Resource.from_contents(json.loads((SCHEMAS / uri).read_text(encoding="utf-8")))


def schema_errors(path: Path) -> list[str]:
    """Errors from the schema alone: a plain YAML parser and the jsonschema library."""
    schema = json.loads((SCHEMAS / f"{_kind(path)}.schema.json").read_text(encoding="utf-8"))
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    checker = Draft202012Validator(schema, registry=Registry(retrieve=_retrieve))
    return [error.message for error in checker.iter_errors(data)]


def validator_messages(path: Path, tmp_path: Path) -> list[str]:
    """Messages the validator reports for this file, placed into a copy of the real corpus."""
    facts = tmp_path / "facts"
    shutil.copytree(REPO / "facts", facts)
    if _kind(path) == "topics":
        target = facts / "topics.yaml"
    else:
        target = facts / FOLDER_OF_KIND[_kind(path)] / path.name
    shutil.copy2(path, target)
    _, problems = load_corpus(facts, tmp_path)
    shown = target.relative_to(tmp_path).as_posix()
    # Errors only: a good source file added to the corpus is, rightly, cited by nothing yet.
    return [p.message for p in problems if p.file == shown and p.severity == "error"]


@pytest.fixture(scope="module")
def check_jsonschema_verdicts() -> dict[Path, list[str]]:
    """Run the check-jsonschema command once per schema over every fixture of that type."""
    verdicts: dict[Path, list[str]] = {}
    every = _cases("good") + _cases("bad") + _cases("validator-only")
    for kind in sorted({_kind(p) for p in every}):
        files = [p for p in every if _kind(p) == kind]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "check_jsonschema",
                "--output-format",
                "json",
                "--schemafile",
                str(SCHEMAS / f"{kind}.schema.json"),
                *map(str, files),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode in (0, 1), result.stderr
        report = json.loads(result.stdout)
        assert report["parse_errors"] == [], report["parse_errors"]
        for file in files:
            verdicts[file] = [e["message"] for e in report["errors"] if Path(e["filename"]) == file]
    return verdicts


def test_the_corpus_has_every_kind_of_case() -> None:
    assert len(_cases("good")) >= 6
    assert len(_cases("bad")) >= 20
    assert {_kind(p) for p in _cases("bad")} == {"entity", "source", "policy", "topics"}


@pytest.mark.parametrize("path", _cases("good"), ids=_id)
def test_good_file_passes_schema_check_jsonschema_and_validator(
    path: Path, tmp_path: Path, check_jsonschema_verdicts: dict[Path, list[str]]
) -> None:
    assert schema_errors(path) == []
    assert check_jsonschema_verdicts[path] == []
    assert validator_messages(path, tmp_path) == []


@pytest.mark.parametrize("path", _cases("bad"), ids=_id)
def test_bad_file_fails_schema_check_jsonschema_and_validator(
    path: Path, tmp_path: Path, check_jsonschema_verdicts: dict[Path, list[str]]
) -> None:
    assert schema_errors(path) != []
    assert check_jsonschema_verdicts[path] != []
    messages = validator_messages(path, tmp_path)
    expected = _expected_message(path)
    assert any(expected in m for m in messages), messages


@pytest.mark.parametrize("path", _cases("validator-only"), ids=_id)
def test_cross_file_problem_is_seen_by_the_validator_only(
    path: Path, tmp_path: Path, check_jsonschema_verdicts: dict[Path, list[str]]
) -> None:
    assert check_jsonschema_verdicts[path] == []
    assert schema_errors(path) == []
    messages = validator_messages(path, tmp_path)
    assert any(_expected_message(path) in m for m in messages), messages


def _yaml_files() -> list[Path]:
    return sorted((REPO / "facts").rglob("*.yaml")) + sorted(AGREEMENT.rglob("*.yaml"))


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_schema_line_points_at_the_schema_of_the_files_type(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path} does not start with a yaml-language-server $schema line"
    target = (path.parent / match.group(1)).resolve()
    assert target.is_file(), target
    if AGREEMENT in path.parents:
        kind = _kind(path)
    elif path.name == "topics.yaml" and path.parent.name == "facts":
        kind = "topics"
    else:
        kind = {v: k for k, v in FOLDER_OF_KIND.items()}[path.parent.name]
    assert target == SCHEMAS / f"{kind}.schema.json"


def test_the_real_corpus_passes_check_jsonschema() -> None:
    for kind, pattern in (
        ("entity", "entities/*.yaml"),
        ("source", "sources/*.yaml"),
        ("policy", "policies/*.yaml"),
        ("topics", "topics.yaml"),
    ):
        files = sorted(str(p) for p in (REPO / "facts").glob(pattern))
        result = subprocess.run(
            [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMAS / f"{kind}.schema.json"), *files],
            capture_output=True,
            text=True,
            check=False,
        )
        assert (result.returncode, result.stdout.strip()) == (0, "ok -- validation done"), result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("facts/entities/kosovo.yaml", "entity"),
        ("facts/sources/tass-2026-01-20-lavrov-balkans.yaml", "source"),
        ("facts/policies/us-policy.yaml", "policy"),
        ("facts/topics.yaml", "topics"),
    ],
)
def test_validate_refuses_a_fact_file_without_its_schema_line(tmp_path: Path, name: str, kind: str) -> None:
    """The pull-request check needs the line (above); the validator, which contributors run first, says so too."""
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    shutil.copytree(SCHEMAS, tmp_path / "generator" / "schema")
    path = tmp_path / name
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    expected = (
        f"# yaml-language-server: $schema={'../' if kind == 'topics' else '../../'}generator/schema/{kind}.schema.json"
    )
    assert lines[0] == expected + "\n"
    assert load_corpus(tmp_path / "facts", tmp_path)[1] == []

    path.write_text("".join(lines[1:]), encoding="utf-8")
    [problem] = load_corpus(tmp_path / "facts", tmp_path)[1]
    assert (problem.file, problem.line, problem.column, problem.severity) == (name, 1, 1, "error")
    assert problem.message == "the first line is not the file's schema line, which editors check it by"
    assert problem.hint == f"make the first line, exactly: {expected}"
    path.write_text("# a comment first\n" + "".join(lines), encoding="utf-8")
    assert [p.message for p in load_corpus(tmp_path / "facts", tmp_path)[1]] == [problem.message]
    path.write_text(expected + "  \r\n" + "".join(lines[1:]), encoding="utf-8")  # a space, a Windows line end
    assert load_corpus(tmp_path / "facts", tmp_path)[1] == []

    other = "source" if kind != "source" else "entity"
    path.write_text(expected.replace(kind, other) + "\n" + "".join(lines[1:]), encoding="utf-8")
    [problem] = load_corpus(tmp_path / "facts", tmp_path)[1]
    assert problem.message == f"the schema line is not the one for {'an' if kind == 'entity' else 'a'} {kind} file"

    shutil.rmtree(tmp_path / "generator")  # a project without the schemas has nothing for the line to point at
    assert load_corpus(tmp_path / "facts", tmp_path)[1] == []


NUMBER_LIKE = ("12", "2022", "1e3", "3.14", "0x1f", "0755", "true")
"""Values that YAML editors read as a number or a yes/no when they are written without quotes."""


def _text_values(node: Any, schema: str, seen: frozenset[str] = frozenset()) -> dict[str, list[dict[str, Any]]]:
    """For each key anywhere under a schema node, the schemas of the text its value, or its list's items, may be."""
    if not isinstance(node, dict):
        found: dict[str, list[dict[str, Any]]] = {}
        for item in node if isinstance(node, list) else []:
            for key, leaves in _text_values(item, schema, seen).items():
                found.setdefault(key, []).extend(leaves)
        return found
    if "$ref" in node and node["$ref"] not in seen:
        target, schema = _resolved(node["$ref"], schema)
        return _text_values(target, schema, seen | {node["$ref"]})
    found = {}
    for key, value in node.get("properties", {}).items():
        found.setdefault(key, []).extend(_text_leaves(value, schema, seen))
    for key, value in node.items():
        if key != "$defs":
            for inner, leaves in _text_values(value, schema, seen).items():
                found.setdefault(inner, []).extend(leaves)
    return found


def _resolved(ref: str, schema: str) -> tuple[Any, str]:
    file, _, pointer = ref.partition("#")
    node = json.loads((SCHEMAS / (file or schema)).read_text(encoding="utf-8"))
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node, file or schema


def _text_leaves(node: Any, schema: str, seen: frozenset[str]) -> list[dict[str, Any]]:
    """The schemas of text that a value under this node may be: itself, an item of its list, a branch of its choice."""
    if "$ref" in node:
        return [] if node["$ref"] in seen else _text_leaves(*_resolved(node["$ref"], schema), seen | {node["$ref"]})
    if node.get("type") == "string" or (node.get("enum") and all(isinstance(v, str) for v in node["enum"])):
        return [node]
    if node.get("type") == "array":
        return _text_leaves(node.get("items", {}), schema, seen)
    branches = [n for k in ("anyOf", "oneOf", "allOf") for n in node.get(k, [])]
    return [leaf for branch in branches for leaf in _text_leaves(branch, schema, seen)]


def _takes_a_quoted_number(text: dict[str, Any]) -> bool:
    return any(
        value in text.get("enum", [value]) and re.search(text.get("pattern", ""), value) for value in NUMBER_LIKE
    )


def test_the_loader_reads_as_text_every_key_whose_value_may_be_a_quoted_number() -> None:
    """The loader refuses ``id: 12`` or ``date: 2022``, where ``"12"`` or ``"2022"`` could be right, as an editor would:
    it reads a number there, not text, and the fix is the quotes. Where no quoted number could be right (``kind: 1``,
    ``valid_for: 1``), the schema's own message says what to write instead, so the loader leaves it to the schema."""
    values: dict[str, list[dict[str, Any]]] = {}
    for kind in ("entity", "source", "policy"):
        for key, leaves in _text_values(*_resolved("", f"{kind}.schema.json")).items():
            values.setdefault(key, []).extend(leaves)
    numbers = {key for key, leaves in values.items() if any(map(_takes_a_quoted_number, leaves))}
    others = {key for key, leaves in values.items() if leaves} - numbers
    assert {"id", "speaker", "source", "text", "date", "aliases", "topics", "about", "actors"} <= numbers
    assert {"kind", "valid_for", "language", "url", "sha256"} <= others  # the walk finds them too
    assert numbers <= TEXT_KEYS, sorted(numbers - TEXT_KEYS)
    assert not others & TEXT_KEYS, sorted(others & TEXT_KEYS)
