"""The compiled yes/no schema check never accepts what jsonschema rejects."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from generator.loader import Document, load_file
from generator.problems import format_path
from generator.schema_check import check_document, validator
from generator.schema_fast import Unsupported, bundle, fast_validator

REPO = Path(__file__).resolve().parent.parent
KINDS = {"entities": "entity", "sources": "source", "policies": "policy"}


def real_documents() -> list[tuple[str, Any]]:
    docs = [("topics", load_file(REPO / "facts" / "topics.yaml").data)]
    for folder, kind in KINDS.items():
        docs += [(kind, load_file(p).data) for p in sorted((REPO / "facts" / folder).glob("*.yaml"))]
    return docs


def fast_accepts(kind: str, data: Any) -> bool:
    fast = fast_validator(kind)
    assert fast is not None
    return fast(data)


def test_every_real_file_passes_both_checks() -> None:
    for kind, data in real_documents():
        fast = fast_validator(kind)
        assert fast is not None and fast(data), kind
        assert not list(validator(kind).iter_errors(data))


def mutate(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    node: Any = out
    for part in path[:-1]:
        node = node[part]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


ENTITY_BREAKS = [
    (("name",), KeyError),
    (("name",), "Kurti <script>"),
    (("name",), "Price $5"),
    (("type",), "persn"),
    (("aliases",), ["Kurti", "Kurti"]),
    (("extra",), "x"),
    (("facts", 0, "id"), "Bad_Id"),
    (("facts", 0, "text"), ""),
    (("facts", 0, "date"), "2026-13-01"),
    (("facts", 0, "date"), {"value": "2026", "qualifier": "soon"}),
    (("facts", 0, "topics"), []),
    (("facts", 0, "topics"), ["security", "security"]),
    (("facts", 0, "citations"), []),
    (("facts", 0, "citations", 0, "page"), "3"),
    (("facts", 1, "speaker"), KeyError),
    (("roles", 0, "as_of"), ["2026"]),
]


@pytest.mark.parametrize(("path", "value"), ENTITY_BREAKS)
def test_broken_entities_are_rejected_by_both(path: tuple[Any, ...], value: Any) -> None:
    data = load_file(REPO / "facts" / "entities" / "albin-kurti.yaml").data
    broken = mutate(data, path, value)
    assert not fast_accepts("entity", broken)
    assert list(validator("entity").iter_errors(broken))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("facts", 0, "id"), "kurti-davos\n"),
        (("facts", 1, "date"), "2026-01-20\n"),
        (("facts", 1, "date"), {"value": "2026-01-20\n"}),
        (("roles", 0, "as_of"), "2026-01-20\n"),
    ],
)
def test_a_pattern_ends_where_the_text_ends(path: tuple[Any, ...], value: Any) -> None:
    """JSON Schema's ``$`` is ECMA-262's: Python's also matches before a final newline, and both checks must not."""
    data = load_file(REPO / "facts" / "entities" / "albin-kurti.yaml").data
    trailing = mutate(data, path, value)
    assert not fast_accepts("entity", trailing)
    problems = list(check_document(Document("x.yaml", trailing), "entity"))
    assert [p.key_path for p in problems] == [format_path(path if isinstance(value, str) else (*path, "value"))]


def test_the_fast_check_never_accepts_what_jsonschema_rejects() -> None:
    checked = 0
    for kind, data in real_documents():
        for key in list(data):
            for value in ("", "x", "2026-01-20", [], {}, ["a"], {"value": "2026"}, KeyError):
                broken = mutate(data, (key,), value)
                if fast_accepts(kind, broken):
                    assert not list(validator(kind).iter_errors(broken)), (kind, key, value)
                checked += 1
    assert checked > 500


@pytest.mark.parametrize("text", ["TODO", "TODO: fill in", "TODO\n", "TODOS are listed", "Not TODO", "(TODO)"])
def test_a_placeholder_is_judged_the_same_by_both(text: str) -> None:
    # The fast check reads "not a TODO placeholder" as a lookahead; jsonschema reads the schema's "not".
    data = load_file(REPO / "facts" / "entities" / "albin-kurti.yaml").data
    for path in (("facts", 0, "text"), ("facts", 0, "citations", 0, "passage"), ("name",)):
        changed = mutate(data, path, text)
        if path == ("name",) and not text.isalnum():  # names refuse ":", "(" and newlines anyway
            continue
        assert fast_accepts("entity", changed) == (not list(validator("entity").iter_errors(changed))), (path, text)


def test_the_compiled_schema_needs_no_exception_on_valid_data() -> None:
    # "not" and a oneOf of types are rewritten so that valid data raises nothing inside fastjsonschema.
    text = json.dumps(bundle("entity"))
    assert '"not"' not in text and '"oneOf"' not in text
    assert '"pattern": "^(?!TODO(\\\\s|\\\\Z))"' in text


def test_unsupported_keywords_turn_the_fast_check_off(tmp_path: Path) -> None:
    schema = {"$id": "thing.schema.json", "type": "object", "unevaluatedProperties": False}
    (tmp_path / "thing.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(Unsupported, match="unevaluatedProperties"):
        bundle("thing", tmp_path)
