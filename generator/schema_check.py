"""Apply the repository's JSON Schemas to loaded documents, with messages people can act on."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from generator.loader import Document
from generator.model import MONTHS, WRITTEN_DATE, calendar_problem
from generator.problems import Problem, suggested_id
from generator.schema_fast import end_of_input, fast_validator, schema_documents

if TYPE_CHECKING:  # jsonschema is imported only when a file fails the fast check: it is slow to import
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

VALUE_RULES = frozenset({"type", "enum", "const", "pattern", "format", "minLength", "maxLength"})
"""Rules about one value."""
IMPLYING = frozenset({"type", "minLength"})
"""Rules whose breach makes the value's other rules' messages noise: a wrong type, or an empty value."""
PLACEHOLDER = re.compile(r"^TODO(\s|\Z)")
"""Values that ``python -m generator new`` leaves for the contributor to fill in (see common.schema.json)."""


@cache
def _registry() -> Registry:
    from referencing import Registry, Resource

    resources = [(name, Resource.from_contents(contents)) for name, contents in schema_documents().items()]
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> Draft202012Validator:
    """Return the compiled validator for one file type (``source``, ``entity``, ...)."""
    from jsonschema import Draft202012Validator

    schema = schema_documents()[f"{kind}.schema.json"]
    return _strict_patterns(Draft202012Validator)(schema, registry=_registry())


def _strict_patterns(base: type[Draft202012Validator]) -> type[Draft202012Validator]:
    """The validator with ECMA-262 patterns, as the fast check and editors read them (``schema_fast.end_of_input``)."""
    from jsonschema import validators
    from jsonschema.exceptions import ValidationError

    def pattern(checker: Any, expected: str, instance: Any, _: Any) -> Iterator[ValidationError]:
        if checker.is_type(instance, "string") and not _compiled(expected).search(instance):
            yield ValidationError(f"{instance!r} does not match {expected!r}")

    extended: type[Draft202012Validator] = validators.extend(base, {"pattern": pattern})  # type: ignore[no-untyped-call]
    return extended


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(end_of_input(pattern))


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _expected(schema: dict[str, Any]) -> str:
    if "description" in schema:
        return str(schema["description"])
    kind = schema.get("type")
    return {"string": "a text value", "array": "a list", "object": "a mapping"}.get(str(kind), "a valid value")


REQUIRED_HINTS = {
    "citations": "every fact and role cites at least one source: citations: [{source: SOURCE-ID, passage: ...}]",
    "speaker": "a claim or a quote names who said it: speaker: the id of their entity; "
    "what the source itself states is kind: report",
}
"""Hints for a missing field that a contributor may not know why it is needed."""
LIST_ITEMS = {
    "topics": (
        "topic id from facts/topics.yaml",
        "list the fact's topics, first the one its pages show it under, as in `topics: [eu-integration]`",
    ),
    "citations": ("citation", REQUIRED_HINTS["citations"]),
    "via": (
        "outlet from the source's relays",
        "name the outlets whose reporting the source passes on here, as in `via: [Reuters]`, or leave 'via' out",
    ),
    "actors": (
        "entity id",
        "list the entities whose actions and words the page collects, as in `actors: [united-states]`",
    ),
}
"""What the items of a list that may not be empty are, and how to fill it: for a list with too few."""
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})")
_YEAR_FIRST = re.compile(r"([0-9]{4})([./-])([0-9]{1,2})(?:\2([0-9]{1,2}))?")
_MONTH_NUMBERS = {
    name: number
    for number, month in enumerate((m.lower() for m in MONTHS), start=1)
    for name in (month, month[:3], "sept" if month == "september" else month)
}
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,? )?"
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"
_NAMED_MONTH = (
    re.compile(_WEEKDAY + _DAY + r"\.? (?:of )?(?P<month>[a-z]+)\.?,? (?P<year>[0-9]{4})"),  # 20th of January 2026
    re.compile(_WEEKDAY + r"(?P<month>[a-z]+)\.? " + _DAY + r",? (?P<year>[0-9]{4})"),  # January 20th, 2026
    re.compile(r"(?P<year>[0-9]{4}),? (?P<month>[a-z]+)\.? " + _DAY),  # 2026 January 20
    re.compile(r"(?P<month>[a-z]+)\.?,? (?P<year>[0-9]{4})"),  # January 2026
)
_PART = re.compile(
    r"(?P<part>early|mid|middle of|late|start of|beginning of|end of)(?:-|\s+)(?:the\s+)?(?P<period>.+)", re.I
)
"""A part of a year or a month written in words: "late 2025", "mid-2025", "early January 2026"."""
QUALIFIERS = {"start of": "early", "beginning of": "early", "middle of": "mid", "end of": "late"}
"""Words for a part of a period, each to the date's ``qualifier`` that says it; early, mid and late are their own."""
_WITH_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:T| +)[0-9]{1,2}:[0-9]{2}\S*")


def impossible_date(schema: dict[str, Any], value: Any) -> str:
    """What is wrong with a date written in the right shape whose year, month or day no calendar has, else ""."""
    if not isinstance(value, str) or not WRITTEN_DATE.fullmatch(value) or not _is_date_schema(schema):
        return ""
    return calendar_problem(value)


def _is_id_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and str(schema.get("description", "")).startswith("an id of")


def _is_date_schema(schema: dict[str, Any]) -> bool:
    return str(schema.get("description", "")).startswith("a date written")


def written_date_hint(schema: dict[str, Any], value: Any) -> str:
    """``date_hint`` for a value the schema wants written as a date; "" for any other value."""
    if not isinstance(value, str) or not _is_date_schema(schema):
        return ""
    return date_hint(value)


def part_of_period_hint(value: str, *, in_mapping: bool) -> str:
    """For a part of a year or a month written in words ("late 2025", "early January 2026"), the same date as the
    schema has it, a period and a qualifier; "" for anything else. ``in_mapping``: the value is already the
    ``value`` of a date written as a mapping."""
    found = _PART.fullmatch(" ".join(value.split()))
    if found is None:
        return ""
    period = found["period"]
    if not re.fullmatch(r"[0-9]{4}(?:-[0-9]{2})?", period) or calendar_problem(period):
        period = _named_month(period)
    if len(period) not in (4, 7):  # no part of a day: early, mid and late qualify a year or a month
        return ""
    part = found["part"].lower()
    qualifier = QUALIFIERS.get(part, part)
    if in_mapping:
        return f'write the period in value and the part of it in qualifier: value: "{period}", qualifier: {qualifier}'
    return f'write the period and the part of it as a mapping: {{value: "{period}", qualifier: {qualifier}}}'


def date_hint(value: str) -> str:
    """For a date written day or month first, or with an English month's name, the same date year first,
    when day and month are clear; for a month or day written with one digit, the same date with two; for a
    date with a time of day, the date alone; for one written year first with slashes or dots, with hyphens."""
    bare = value.strip()
    if value != bare and WRITTEN_DATE.fullmatch(bare):
        return f'remove the spaces around it: "{bare}"'
    short = _YEAR_FIRST.fullmatch(bare)
    if short is not None:
        padded = "-".join([short[1], *(f"{int(part):02d}" for part in short.groups()[2:] if part)])
        if calendar_problem(padded):
            return ""
        if short[2] != "-":
            return f'write it with hyphens: "{padded}"'
        parts = "the month and the day" if short[4] else "the month"
        return f'write {parts} with two digits: "{padded}"'
    if (timed := _WITH_TIME.fullmatch(bare)) and not calendar_problem(timed[1]):
        return f'leave out the time of day: "{timed[1]}"'
    if named := _named_month(value):
        return f'write it year first: "{named}"'
    found = _DAY_MONTH_YEAR.fullmatch(bare)
    if found is None:
        return ""
    first, second, year = int(found[1]), int(found[2]), found[3]
    if first > 12 >= second:
        return f'write it year first: "{year}-{second:02d}-{first:02d}"'
    if second > 12 >= first:
        return f'write it year first: "{year}-{first:02d}-{second:02d}"'
    return "write it year first, YYYY-MM-DD: here the day and the month cannot be told apart"


def _named_month(value: str) -> str:
    """A date written with an English month's name ("20 January 2026", "Jan 2026"), year first; else ""."""
    words = " ".join(value.lower().split())
    for pattern in _NAMED_MONTH:
        found = pattern.fullmatch(words)
        month = _MONTH_NUMBERS.get(found["month"]) if found else None
        if found and month:
            day = found.groupdict().get("day")
            written = f"{found['year']}-{month:02d}" + (f"-{int(day):02d}" if day else "")
            return "" if calendar_problem(written) else written
    return ""


def _deepest(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, prefer the branch that got furthest."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        matching_type = [e for e in error.context if e.validator != "type"]
        pool = matching_type or list(error.context)
        best = max(pool, key=lambda e: len(e.absolute_path))
        if best.validator not in ("oneOf", "anyOf"):
            return best if matching_type else error
    return error


def _message(error: ValidationError) -> tuple[str, str]:
    """Return (message, hint) for a schema error."""
    validator_name = error.validator
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    instance: Any = error.instance
    if validator_name == "required":
        missing = _missing(error)
        described = schema.get("properties", {}).get(missing, {})
        about = described.get("description", "") if isinstance(described, dict) else ""
        return f"missing required field '{missing}'", REQUIRED_HINTS.get(missing) or (
            f"add '{missing}': {about}" if about else ""
        )
    if validator_name == "enum":
        allowed = [str(o) for o in schema.get("enum", [])]
        options = f"'{allowed[0]}'" if len(allowed) == 1 else f"one of {', '.join(allowed)}"
        close = difflib.get_close_matches(str(instance), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else ""
        return f"expected {options}; found {_describe(instance)}", hint
    if validator_name == "type" and not error.absolute_path:
        return f"expected the file to be a mapping of fields; found {_describe(instance)}", ""
    if validator_name == "type":
        # A container's description is a paragraph about the whole file; name the type instead.
        wanted = schema.get("type")
        if wanted in ("object", "array"):
            one = ""
            if wanted == "array" and isinstance(instance, str):
                one = f"write a list, even of one item: [{instance}]"
            elif wanted == "array" and isinstance(instance, dict) and instance:
                keys = [k for k in instance if re.fullmatch(r"[a-z0-9_-]{1,40}", k)]
                if all(value == "" for value in instance.values()):  # {diplomacy, security}: ids in braces
                    one = f"write a list in square brackets: [{', '.join(keys)}]" if keys else ""
                elif keys:  # one item of a list of mappings, without its '- '
                    one = f"start each item of the list with '- ', even a single one, as in `- {keys[0]}: ...`"
            return f"expected {'a mapping' if wanted == 'object' else 'a list'}; found {_describe(instance)}", one
        return f"expected {_expected(schema)}; found {_describe(instance)}", ""
    if validator_name in ("pattern", "format"):
        impossible = impossible_date(schema, instance)
        if impossible:
            return impossible, ""
        return f"expected {_expected(schema)}; found {_describe(instance)}", _pattern_hint(error)
    if validator_name == "minLength":
        return "expected a non-empty value; found an empty one", ""
    if validator_name == "maxLength":
        return f"value is {len(str(instance))} characters long; the limit is {schema.get('maxLength')}", ""
    if validator_name == "minItems":
        return _too_few(error.absolute_path[-1] if error.absolute_path else "", schema, instance)
    if validator_name == "minProperties":
        return "expected at least one entry; found none", ""
    if validator_name in ("oneOf", "anyOf"):
        return f"expected {_expected(schema)}; found {_describe(instance)}", ""
    return str(error.message), ""


def _pattern_hint(error: ValidationError) -> str:
    """How to write a text value that its pattern refuses, where the value shows it: a date, a SHA-256."""
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    value, field = error.instance, list(error.absolute_path)[-1:]
    if not isinstance(value, str):
        return ""
    if field == ["sha256"]:
        return sha256_hint(value)
    hint = written_date_hint(schema, value)
    if not hint and _is_date_schema(schema):
        hint = part_of_period_hint(value, in_mapping=field == ["value"])
    return hint


_HEX_64 = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")


def sha256_hint(value: str) -> str:
    """For a SHA-256 with more around it, as ``sha256sum`` prints it (``<hash>  file.txt``), or in capitals: the
    64 lowercase hex digits alone; "" when the value holds no one SHA-256."""
    found = _HEX_64.findall(value)
    if len(found) != 1:
        return ""
    digits = found[0].lower()
    if found[0] == value:
        return f"write the hex digits in lowercase: {digits}"
    if value.strip().startswith(found[0]):
        return f"write only the 64 hex digits, without the file name that sha256sum prints after them: {digits}"
    return f"write only the 64 lowercase hex digits: {digits}"


def _too_few(field: object, schema: dict[str, Any], instance: list[Any]) -> tuple[str, str]:
    """Message and hint for a list with fewer items than its schema's ``minItems``."""
    least = int(schema.get("minItems", 1))
    item, hint = LIST_ITEMS.get(str(field), ("item", ""))
    wanted = f"at least {'one' if least == 1 else least} {item}{'' if least == 1 else 's'}"
    return f"expected {wanted}; found {len(instance) if instance else 'an empty list'}", hint


def _repeated(doc: Document, path: tuple[str | int, ...], items: list[Any]) -> Problem:
    """The problem of a list that repeats an item, at the repeat, naming the item and where it is first."""
    again = next(at for at, item in enumerate(items) if item in items[:at])
    line, column = doc.mark((*path, items.index(items[again])))
    message = f"{_describe(items[again])} is listed twice (first at line {line}, column {column})"
    return doc.problem((*path, again), message, hint="delete the second")


def _missing(error: ValidationError) -> str:
    """The field a 'required' error says is missing."""
    return str(error.message).split("'")[1] if "'" in error.message else "?"


def _allowed(error: ValidationError) -> list[str]:
    """The fields a mapping may have, for an 'additionalProperties' error."""
    return sorted(error.schema.get("properties", {}) if isinstance(error.schema, dict) else {})


def _unknown_fields(error: ValidationError) -> list[tuple[str, str | None]]:
    """Each field an 'additionalProperties' error refuses, in order, and the allowed field it is nearest to."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    allowed = _allowed(error)
    unknown = sorted(k for k in error.instance if k not in allowed)
    return [(field, next(iter(difflib.get_close_matches(field, allowed, n=1)), None)) for field in unknown]


def _about_value(error: ValidationError) -> bool:
    return error.validator in VALUE_RULES and "propertyNames" not in error.absolute_schema_path


def check_document(doc: Document, kind: str) -> Iterator[Problem]:
    """Yield one Problem per schema violation in a document."""
    fast = fast_validator(kind)
    if fast is not None and fast(doc.data):
        return  # jsonschema would find nothing; it runs only to explain a rejection
    placeholders: set[tuple[str | int, ...]] = set()
    errors = [_deepest(raw) for raw in validator(kind).iter_errors(doc.data)]
    # An empty text also breaks its pattern, a value of the wrong type any rule of its type: one message says it.
    implied = {tuple(e.absolute_path) for e in errors if e.validator in IMPLYING and _about_value(e)}
    refused = [(e, _unknown_fields(e)) for e in errors]
    # (mapping path, field) for each required field that an unknown field of the same mapping misspells
    misspelt = {(tuple(e.absolute_path), close) for e, fields in refused for _, close in fields if close}
    for error, unknown in refused:
        path = tuple(error.absolute_path)
        if _about_value(error) and path in implied and error.validator not in IMPLYING:
            continue
        if error.validator == "required" and (path, _missing(error)) in misspelt:
            continue  # 'topic' for 'topics': the unknown field's "did you mean 'topics'?" says it once
        if isinstance(error.instance, str) and PLACEHOLDER.match(error.instance):
            # One clear message per unfilled placeholder, whatever rule of the field it also breaks.
            if path not in placeholders:
                placeholders.add(path)
                yield doc.problem(
                    path,
                    f"placeholder '{error.instance}' is still here",
                    hint="replace the TODO with the real value, as the comment above it explains",
                )
            continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            for field, close in unknown:
                hint = f"did you mean '{close}'?" if close else "allowed fields: " + ", ".join(_allowed(error))
                yield doc.problem((*path, field), f"unknown field '{field}'", key=True, hint=hint)
            continue
        if error.validator == "uniqueItems" and isinstance(error.instance, list):
            yield _repeated(doc, path, error.instance)
            continue
        message, hint = _message(error)
        if error.validator == "pattern" and isinstance(error.instance, str) and _is_id_schema(error.schema):
            suggestion = suggested_id(error.instance)  # 'Kosovo' for 'kosovo', 'Vučić' for 'vucic'
            hint = hint or (f"did you mean '{suggestion}'?" if suggestion else "")
        if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
            # A bad key: jsonschema reports the mapping that holds it; point at the key itself.
            suggestion = suggested_id(error.instance)
            hint = hint or (f"did you mean '{suggestion}'?" if suggestion else "")
            yield doc.problem((*path, error.instance), message, key=True, hint=hint)
            continue
        yield doc.problem(path, message, hint=hint)
