"""YAML syntax errors in words a contributor can act on, at the line where the mistake is.

libyaml reports where it gave up, which is often a line after the mistake, and in a parser's
terms ("did not find expected key"). The common mistakes in fact files are few: a quote inside a
quoted value, a missing space after a colon, a quote or bracket never closed, a colon inside an
unquoted value, a line indented too far or not far enough. Each gets a message and a hint here;
anything else keeps libyaml's own words. A key set twice in one mapping is most often a list item
that lost its '- ', or a second list under the same key: ``duplicate_hint`` says which.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import yaml

from generator.problems import Problem

QUOTES = "\"'"
KEY_WITHOUT_SPACE = re.compile(r"^(\s*(?:-\s+)?)[A-Za-z_][\w-]*:[^\s]")
"""A line such as ``kind:claim`` or ``- id:abc``: a key whose colon has no space after it."""
KEY_WITHOUT_COLON = re.compile(r"^(\s*(?:-\s+)?)([a-z_][a-z0-9_]*)\s+[^\s#:][^:]*$")
"""A line such as ``- id kosovo`` or ``name Kosovo``: a key (fact files' keys are small letters) and its value with
no colon between them."""
FREE_TEXT = frozenset(
    {"text", "passage", "title", "note", "summary", "description", "key", "words", "byline", "publisher", "carried_by"}
)
"""Keys whose values are prose: a `` #`` in one is more likely part of the text than a comment (``loader``), and
the lines under one of them with nothing after its colon are its text, not keys missing their colons."""
KEY_ALONE = re.compile(r"^\s*(?:-\s+)?([^\s:#][^:]*):\s*(?:#.*)?$")
"""A line with a key and nothing after it (``note:``): its value is on the lines below, a list, a mapping or text."""
INLINE_VALUE = re.compile(r"^\s*(?:-\s+)?[^\s:#][^:]*:\s+[^\s#]")
"""A line with a key and the start of its value, as ``text: Kurti said that``: the next lines may go on with it."""
ITEM = re.compile(r"^\s*-(?:\s|$)")
"""A line that starts an item of a list: ``- id: x``, or a ``-`` alone."""
DOCUMENT_END = re.compile(r"\.\.\.(?:\s+#.*)?\s*")
"""A line that ends a YAML document: ``...``, with or without a comment after it."""
DUPLICATE_KEY_HINT = "a key is set once in its mapping: delete one of the two, keeping the value you mean"
MISSING_SPACE = ("expected 'key: value' on this line", "put a colon and a space after the key, as in `kind: claim`")


def _holds_yaml(line: str) -> bool:
    """Whether a line holds YAML, not a blank or a comment."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _quotes(text: str, quote: str) -> int:
    """How many of a quote mark a line has, not counting ``\"``, which a double-quoted value may hold."""
    return text.count(quote) - (text.count('\\"') if quote == '"' else 0)


def _opening(text: str, before: int, quote: str) -> tuple[int, int] | None:
    """The line and column of the last quoted value opened before line ``before`` and never closed on its line."""
    starts = re.compile(rf"(?:^|:\s|-\s|\[)\s*{re.escape(quote)}")
    for number in range(before - 1, 0, -1):
        line = _line(text, number)
        found = starts.search(line)
        if found and _quotes(line, quote) % 2 == 1:
            return number, found.end()
    return None


def _at(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _line(text: str, number: int) -> str:
    lines = _lines(text)
    return lines[number - 1] if 0 < number <= len(lines) else ""


@functools.lru_cache(maxsize=1)
def _lines(text: str) -> tuple[str, ...]:
    """The lines of the text whose error is being explained, split once: the scans upwards read many of them."""
    return tuple(text.splitlines())


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _continues_a_value(text: str, number: int) -> bool:
    """Whether line ``number`` goes on with a value begun above it: on the first line above that is indented less,
    after its key (``text: Kurti said that``), or, as a prose key's whole value, on lines of its own (``note:``)."""
    here = _line(text, number)
    indent = _indent(here)
    for above in range(number - 1, 0, -1):
        line = _line(text, above)
        if _holds_yaml(line) and _indent(line) < indent:
            alone = KEY_ALONE.match(line)
            return bool(INLINE_VALUE.match(line)) or (
                alone is not None and alone.group(1) in FREE_TEXT and not here.lstrip().startswith("- ")
            )
    return False


EMPTY_LIST = re.compile(r"^\s*(?:-\s+)?([^\s:#][^:]*):\s*\[\s*\]\s*(?:#.*)?$")
"""A key whose value is written as an empty list, ``facts: []``."""


def _item_hint(text: str, number: int) -> str:
    """How to indent a list item written where its mapping's keys are, as a fact pasted at column 1 under
    'facts:': like the items of the least indented list above it, in the same mapping."""
    indent = _indent(_line(text, number))
    items: list[tuple[int, int]] = []  # (indentation, -line) of each item above, of lists inside the mapping
    for above in range(number - 1, 0, -1):
        line = _line(text, above)
        if not _holds_yaml(line):
            continue
        if _indent(line) < indent:  # the mapping starts below this line
            if empty := EMPTY_LIST.match(line):  # "facts: []", as `new entity` writes it
                return f"delete the '[]' after '{empty.group(1)}:' on line {above}: the items below it are its list"
            break
        if _indent(line) > indent and ITEM.match(line):
            items.append((_indent(line), -above))
    if not items:
        return "a list goes under its key, on the lines after it, each item indented two spaces more than the key"
    column, above = min(items)
    more = column - indent
    return (
        f"indent every line of this item {more} more space{'s' if more > 1 else ''}, to put its '-' in column "
        f"{column + 1} like the other items of the list (line {-above})"
    )


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    """The Problem for a YAML syntax error: what is wrong, where it is, and how to put it right."""
    problem, context = exc.problem or "", exc.context or ""
    line, column = _at(exc.problem_mark or exc.context_mark)
    started = _at(exc.context_mark)
    message, hint = "", ""
    if problem == "could not find expected ':'" and context == "while scanning a simple key":
        line, column = started  # libyaml gives up a line later, where the next key starts
        message, hint = MISSING_SPACE
    elif problem == "found unexpected end of stream" and context == "while scanning a quoted scalar":
        line, column = started
        message = "this quoted value is never closed"
        hint = "end the value with the same quote mark it starts with"
    elif problem.startswith("did not find expected ',' or ") and context.startswith("while parsing a flow"):
        line, column = started
        closing, example = ("]", "topics: [security, borders]") if "sequence" in context else ("}", "- {source: x}")
        message = f"this '{_line(text, line)[column - 1 : column]}' is never closed with '{closing}'"
        hint = f"close it on the same line, as in `{example}`"
    elif problem == "did not find expected key" and context == "while parsing a block mapping":
        before = _line(text, line)[: column - 1]
        quote = next((c for c in reversed(before) if c in QUOTES), "")
        opened = _opening(text, line, quote) if quote and _quotes(before, quote) % 2 == 1 else None
        if opened:  # the quote that ends here opened a value on an earlier line
            message = f"this quoted value is never closed; it runs on to line {line}"
            line, column = opened
            hint = "end the value with the same quote mark it starts with"
        elif quote == "'":
            message = "unexpected text after a quoted value"
            hint = (
                "a value in single quotes ends at the next ', so an apostrophe inside it ends it early: write the "
                "apostrophe twice ('') or put the whole value in double quotes"
            )
        elif quote:
            message = "unexpected text after a quoted value"
            hint = (
                'a value in double quotes ends at the next ", so a " inside it ends it early: put the whole value '
                "in single quotes, or use curly quotes “ ” inside it"
            )
        elif ITEM.match(_line(text, line)):
            message, hint = "expected a new 'key: value' line here, not a list item", _item_hint(text, line)
        else:
            message = "expected a new 'key: value' line here"
            hint = "indent this line like the keys beside it"
    elif problem == "mapping values are not allowed in this context":
        above = _line(text, line - 1)
        prior = KEY_WITHOUT_SPACE.match(above)
        if not prior and (bare := KEY_WITHOUT_COLON.match(above)) and not _continues_a_value(text, line - 1):
            prior = bare
        here = _line(text, line)
        if prior and len(here) - len(here.lstrip()) >= len(prior.group(1)):
            # "- id:abc" or "- id abc" above reads as one plain value that runs on into this line, so this
            # line's ": " looks out of place. A line indented less than that one is no continuation of it
            # (a block scalar's text, say).
            line, column = line - 1, len(prior.group(1)) + 1
            message, hint = MISSING_SPACE
        elif (key := _indented_key(above, here)) is not None:
            column = _indent(here) + 1
            message = f"this line is indented more than '{key[0]}:' above it, so it reads as more of that value"
            hint = f"start '{key[1]}:' in column {key[2]}, like '{key[0]}:' on line {line - 1}"
        else:
            message = "unexpected ': ' here"
            hint = (
                'a value that contains ": " must be quoted, as in `text: "Lavrov said: yes"`; '
                "if this line starts a new key, indent it like the keys above it"
            )
    elif problem == "did not find expected '-' indicator" and context == "while parsing a block collection":
        message = f"this line breaks off the list that starts on line {started[0]}"
        dash = started[1]
        item = _line(text, started[0])[dash - 1 :]
        first = dash + len(item) - len(item[1:].lstrip(" ")) if item.startswith("-") else dash + 2  # after '- '
        hint = (
            f"if this line belongs to the item above, start it in column {first}, under the item's first key; "
            f"a new item starts with '- ' in column {dash}, as the others do"
        )
    elif problem == "did not find expected <document start>" and (
        ends := [n for n in range(line - 1, 0, -1) if DOCUMENT_END.fullmatch(_line(text, n))]
    ):
        line, column = ends[0], 1  # libyaml gives up at the next line with text, after the marker
        message = "a line '...' ends the YAML document here, and more follows it"
        hint = "delete the '...' line: one file holds one YAML document"
    elif problem == "found character that cannot start any token":
        char = _line(text, line)[column - 1 : column]
        message = f"a value cannot start with {char!r} unless it is quoted"
        hint = f'put the value in quotes, as in `text: "{char}…"`'
    if not message:
        message = f"{problem} ({context})" if problem and context else problem or context or str(exc)
    return Problem(display, line, column, f"YAML syntax: {message}", hint=hint)


PLAIN_VALUE_LINE = re.compile(r"^(\s*(?:-\s+)?)([a-z_][a-z0-9_]*):\s+[^\s#'\"|>\[{]")
"""A line with a key and a plain value after it (no quotes): the lines below it indented more go on with that value."""
KEY_LINE = re.compile(r"^(\s*)([a-z_][a-z0-9_]*):(?:\s|$)")


@functools.cache
def field_names() -> frozenset[str]:
    """Every field name the schemas know, at any depth."""
    from generator.schema_fast import schema_documents

    names: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            names.update(node.get("properties", {}) if isinstance(node.get("properties"), dict) else ())
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(list(schema_documents().values()))
    return frozenset(names)


def _indented_key(above: str, here: str) -> tuple[str, str, int] | None:
    """For a field of the schemas written on a line indented more than a key with a plain value on the line above
    (``kind: claim`` then ``      speaker: x``), which libyaml reads as more of that value: the key above, this key
    and the column it belongs in. None when this line may be the value's own text, with a colon in it."""
    prior, key = PLAIN_VALUE_LINE.match(above), KEY_LINE.match(here)
    if prior is None or key is None or key.group(2) not in field_names():
        return None
    column = len(prior.group(1)) + 1
    return (prior.group(2), key.group(2), column) if _indent(here) >= column else None


class ListItem(NamedTuple):
    """Where a block list's item starts: the column of the list's '-', the line of the item, and its first key."""

    dash: int
    line: int
    first_key: str


def duplicate_hint(key: str, value: object, line: int, item: ListItem | None) -> str:
    """How to mend a key set twice in one mapping, where ``value`` is what the key's first setting, on ``line``,
    gave it.

    A list there means a second list under the same key ("facts:" again at the end of the file), whose items
    belong in the first. A key set again in the column of the first key of a list's item (``item``) may start a
    new item whose '- ' was forgotten; it likely does when it is the key the item starts with ("id" for a fact).
    """
    if value == []:  # "facts: []", as `new entity` writes it, then "facts:" with items
        return f"delete the first '{key}:' line, line {line}: its list is empty, and this one holds the items"
    if isinstance(value, list):
        return (
            f"add the new items to the list under '{key}:' at line {line}, after its last item, "
            f"and delete this second '{key}:' line"
        )
    if item is None:
        return DUPLICATE_KEY_HINT
    new_item = (
        f"if this line starts a new item of the list, write '- ' before '{key}:', with the '-' in column "
        f"{item.dash} as on line {item.line}"
    )
    if key == item.first_key:
        return f"{new_item}; else delete one of the two, keeping the value you mean"
    return f"{DUPLICATE_KEY_HINT}; {new_item}"
