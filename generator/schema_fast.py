"""A fast yes/no schema check: the repository's schemas compiled to Python by fastjsonschema.

jsonschema's ``iter_errors`` costs about 0.5 ms per fact, most of it in ``$ref``
resolution; at 200,000 facts that dominates the pipeline. Nearly every file is
valid, so ``schema_check`` first asks this compiled check and runs jsonschema,
whose messages users see, only on the files it rejects. The compiled check must
never accept what jsonschema rejects, so a schema using any keyword outside the
small set below is not compiled and every file of that kind goes to jsonschema.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema

SCHEMA_DIR = Path(__file__).parent / "schema"

# Keywords whose meaning is the same in draft 2020-12 (jsonschema) and draft 7 (fastjsonschema).
_ASSERTIONS = frozenset(
    {
        "type", "enum", "const", "pattern", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems",
        "properties", "required", "additionalProperties", "propertyNames", "minProperties", "maxProperties",
        "items", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    }
)  # fmt: skip
_ANNOTATIONS = frozenset({"description", "title", "$comment", "$schema", "$id", "$defs", "examples", "default"})
_SCHEMA_VALUED = frozenset({"additionalProperties", "propertyNames", "items", "not", "if", "then", "else"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})


class Unsupported(Exception):
    """The schema uses a keyword the fast check does not translate exactly."""


def _scan(pattern: str) -> Iterator[tuple[str, bool]]:
    """The tokens of a regular expression, each with whether it is inside a ``[...]`` set.

    A token is one character, or a backslash and the character it escapes.
    """
    in_set, escaped = False, False
    for char in pattern:
        if escaped:
            escaped = False
            yield "\\" + char, in_set
            continue
        if char == "\\":
            escaped = True
            continue
        if char == "[" and not in_set:
            in_set = True
        elif char == "]" and in_set:
            in_set = False
            yield char, True
            continue
        yield char, in_set


def end_of_input(pattern: str) -> str:
    """A pattern with ECMA-262's ``$``, which JSON Schema uses: the end of the text, never before a final newline.

    Python's ``$`` also matches just before a final newline, so ``^[a-z]+$`` would pass ``"id\\n"``.
    """
    return "".join("\\Z" if (char, in_set) == ("$", False) else char for char, in_set in _scan(pattern))


def _escape_dollar_in_sets(pattern: str) -> str:
    """fastjsonschema turns every ``$`` into ``\\Z``; inside ``[...]`` that is invalid, so write ``\\$`` there."""
    return "".join("\\$" if (char, in_set) == ("$", True) else char for char, in_set in _scan(pattern))


def _resolve(ref: str, document: str, documents: dict[str, Any]) -> tuple[Any, str]:
    name, _, pointer = ref.partition("#")
    name = name or document
    if name not in documents:
        raise Unsupported(f"$ref to unknown document {ref!r}")
    node = documents[name]
    for part in [p for p in pointer.split("/") if p]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node, name


def _inline(node: Any, document: str, documents: dict[str, Any], depth: int = 0) -> Any:
    """Return the schema with every ``$ref`` replaced by what it points to (the schemas are not recursive)."""
    if depth > 50:
        raise Unsupported("recursive $ref")
    if isinstance(node, bool):
        return node
    if not isinstance(node, dict):
        raise Unsupported(f"schema is {type(node).__name__}")
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _ANNOTATIONS or key == "$ref":
            continue
        if key not in _ASSERTIONS:
            raise Unsupported(f"keyword {key!r}")
        if key == "properties":
            out[key] = {name: _inline(sub, document, documents, depth + 1) for name, sub in value.items()}
        elif key in _SCHEMA_VALUED:
            if key == "items" and not isinstance(value, dict | bool):
                raise Unsupported("items as a list")
            out[key] = _inline(value, document, documents, depth + 1)
        elif key in _SCHEMA_LISTS:
            out[key] = [_inline(sub, document, documents, depth + 1) for sub in value]
        elif key == "pattern":
            out[key] = _escape_dollar_in_sets(value)
        else:
            out[key] = value
    if "$ref" in node:
        target, target_document = _resolve(node["$ref"], document, documents)
        resolved = _inline(target, target_document, documents, depth + 1)
        # In 2020-12 a $ref applies alongside its siblings; draft 7 would ignore them, so use allOf.
        return _quick({"allOf": [resolved, out]} if out else resolved)
    return _quick(out)


def _quick(node: dict[str, Any]) -> dict[str, Any]:
    """Rewrite two constructs that fastjsonschema checks by raising an exception on valid data.

    Both rewrites accept and reject exactly the same values; only the cost on valid data changes.
    """
    negated = node.get("not")
    if (
        isinstance(negated, dict)
        and set(negated) == {"type", "pattern"}
        and negated["type"] == "string"
        and _never(negated["pattern"]) is not None
    ):
        # ``not {type: string, pattern: ^P}`` holds for a non-string or a string ^P does not match.
        # A pattern applies to strings only, so the negative lookahead ``^(?!P)`` says the same.
        node = {key: value for key, value in node.items() if key != "not"}
        node["allOf"] = [*node.get("allOf", []), {"pattern": _never(negated["pattern"])}]
    branches = node.get("oneOf")
    if isinstance(branches, list) and "anyOf" not in node and _disjoint_types(branches):
        # With no value of two branches' types, at most one branch can match: oneOf is anyOf,
        # which stops at the first branch that matches instead of trying the others.
        node = {**{key: value for key, value in node.items() if key != "oneOf"}, "anyOf": branches}
    return node


def _never(pattern: str) -> str | None:
    """A pattern that a string matches exactly when the anchored ``pattern`` does not match it.

    None when ``pattern`` does not start with ``^`` or has a ``|`` outside any group, so that
    the ``^`` might not anchor every alternative.

    Each ``$`` outside a set is written ``\\Z``, the end of the text, as JSON Schema's ``$`` means
    (``end_of_input``).
    """
    if not pattern.startswith("^"):
        return None
    out, depth = [], 0
    for char, in_set in _scan(pattern[1:]):
        if not in_set and char in "()":
            depth += 1 if char == "(" else -1
        elif not in_set and char == "|" and depth == 0:
            return None
        elif not in_set and char == "$":
            char = "\\Z"
        out.append(char)
    return "^(?!" + "".join(out) + ")"


def _disjoint_types(branches: list[Any]) -> bool:
    types = [b.get("type") if isinstance(b, dict) else None for b in branches]
    return all(isinstance(t, str) for t in types) and len(set(types)) == len(types) and "number" not in types


@cache
def schema_documents(schema_dir: Path = SCHEMA_DIR) -> dict[str, Any]:
    """Every schema file of a folder, parsed, by file name: read once a run, and never changed by its readers."""
    return {
        path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(schema_dir.glob("*.schema.json"))
    }


def bundle(kind: str, schema_dir: Path = SCHEMA_DIR) -> dict[str, Any]:
    """Return one file type's schema as a single draft-7 schema with no references."""
    documents = schema_documents(schema_dir)
    name = f"{kind}.schema.json"
    schema = _inline(documents[name], name, documents)
    return {"$schema": "http://json-schema.org/draft-07/schema#", **schema}


@cache
def fast_validator(kind: str) -> Callable[[Any], bool] | None:
    """Return a function telling whether data is valid for a file type, or None if it cannot be compiled."""
    try:
        compiled = fastjsonschema.compile(bundle(kind), use_default=False, use_formats=False, detailed_exceptions=False)
    except (Unsupported, fastjsonschema.JsonSchemaDefinitionException):
        return None

    def is_valid(data: Any) -> bool:
        try:
            compiled(data)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return is_valid
