"""The one strict YAML loader: libyaml events in, plain strings, lists and dicts out.

Every scalar stays the string that was written (no YAML 1.1 booleans, dates or
octal numbers); a plain ``null`` or ``~``, which other YAML readers take for no value,
is refused, as is prose that a ``#`` comment would cut short. Duplicate keys, anchors,
aliases, tags and multiple documents are rejected. Every node keeps its line and column
so that later stages can point at it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from generator.characters import INVISIBLE, forbidden, mixed_word
from generator.problems import Problem, line_column
from generator.yaml_syntax import FREE_TEXT, ListItem, duplicate_hint, syntax_problem

try:  # libyaml is what makes parsing fast; fall back only so errors stay readable
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader

DataPath = tuple[str | int, ...]
T = TypeVar("T")

MAX_FILE_BYTES = 1024 * 1024
"""Larger files are refused before parsing: no real fact file comes close."""
MAX_DEPTH = 24
"""Deeper nesting is refused: the schemas need fewer than ten levels."""


class LoadError(Exception):
    """A file that cannot be turned into data; carries one Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Document:
    """One loaded YAML file: its data and where every node came from."""

    path: str
    """Display path of the file (relative to the project root where possible)."""
    data: Any
    """The file's content: nested dicts and lists whose leaves are all strings."""
    marks: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, column) of each value node, keyed by its data path."""
    key_marks: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, column) of the key whose value is at that data path."""
    file: Path | None = None
    """The file it was read from, to read the positions again after ``forget_positions``."""

    forgotten: bool = False
    """True once the positions were freed and not yet read again."""
    first_line: str = ""
    """The file's first line, without its line end: a fact file's schema line, a comment the data does not hold."""

    def forget_positions(self) -> None:
        """Free the positions (most of a document's memory); ``mark`` reads them again if a problem needs one."""
        if self.file is not None:
            self.marks, self.key_marks, self.forgotten = {}, {}, True

    def _positions(self) -> None:
        if self.forgotten and self.file is not None:
            self.forgotten = False
            try:
                again = load_file(self.file, self.path)
            except LoadError:  # changed on disk since: point at the top of the file
                return
            self.marks, self.key_marks = again.marks, again.key_marks

    def mark(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """Return the position of a node, falling back to its nearest ancestor."""
        self._positions()
        table = self.key_marks if key else self.marks
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.marks:
                return self.marks[probe]
            probe = probe[:-1]
        return self.marks.get((), (1, 1))

    def problem(self, path: DataPath, message: str, *, key: bool = False, **extra: Any) -> Problem:
        """Build a Problem located at a node of this document."""
        from generator.problems import format_path

        line, column = self.mark(path, key=key)
        return Problem(self.path, line, column, message, key_path=format_path(path), **extra)


_SHARED: dict[Any, Any] = {}
"""One copy of each data path and position: files share most of them, and a corpus holds millions."""


def _shared(value: T) -> T:
    found: T = _SHARED.setdefault(value, value)
    if len(_SHARED) > 1 << 20:  # bound the table for long-running processes; a rebuild costs nothing
        _SHARED.clear()
    return found


def _error(display: str, line: int, column: int, message: str, hint: str = "") -> LoadError:
    return LoadError(Problem(display, line, column, message, hint=hint))


TAB_HINT = "type spaces instead: two for each level of indentation, one between words"


def decode_utf8(raw: bytes, display: str) -> str:
    """The text of a file's bytes, which must be UTF-8 without a byte order mark; else a ``LoadError`` at the byte."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _error(display, 1, 1, "file starts with a byte order mark (BOM); save it as UTF-8 without BOM")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _error(display, 1, 1, "file is saved as UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        line, column = line_column(prefix, len(prefix))
        raise _error(
            display, line, column, f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; save the file as UTF-8"
        ) from None
    return text


_LONE_CR = re.compile(r"\r(?!\n)")


def _check_characters(text: str, display: str) -> None:
    if "\r" in text and (lone := _LONE_CR.search(text)):  # YAML reads it as a line end; git and editors may not
        line, column = line_column(text, lone.start())
        raise _error(
            display, line, column, "line ends with a carriage return alone; save the file with LF (or CRLF) line ends"
        )
    bad = forbidden(text)
    if bad:
        char = bad.group()
        line, column = line_column(text, bad.start())
        if char == "\t":
            raise _error(display, line, column, "tab character; YAML files here use spaces only, never tabs", TAB_HINT)
        raise _error(display, line, column, f"{_refused(char)} is not allowed", _delete_hint(char))


def _refused(char: str) -> str:
    """A character no value may hold, by its code point, and by its name where it has one: an invisible one."""
    if char == "\t":
        return "tab"
    if ord(char) in INVISIBLE:
        return f"invisible or bidirectional control character U+{ord(char):04X} ({unicodedata.name(char, '?')})"
    return f"control character U+{ord(char):04X}"


def _delete_hint(char: str) -> str:
    """How to mend a character no value may hold, written as itself."""
    return "delete it: most editors show nothing where it is" if ord(char) in INVISIBLE else "delete it"


def _check_value(value: str, display: str, mark: tuple[int, int]) -> None:
    """Reject a forbidden character that a double-quoted escape such as ``\\u202e`` produced."""
    bad = forbidden(value)
    if bad:
        message = f"{_refused(bad.group())} is not allowed, written here as an escape sequence"
        space = bad.group() in "\t\n\r\v\f"  # "\t" between two words: they need a space, not nothing
        hint = "write a space in place of the escape sequence" if space else "delete the escape sequence"
        raise _error(display, *mark, message, f"{hint}, a backslash and the letter or code after it")


def _check_node_event(event: Any, display: str) -> None:
    line, column = event.start_mark.line + 1, event.start_mark.column + 1
    if getattr(event, "anchor", None) is not None:
        raise _error(display, line, column, f"anchor '&{event.anchor}' is not allowed; write the value out in full")
    if getattr(event, "tag", None) is not None:
        raise _error(display, line, column, f"tag '{event.tag}' is not allowed; write a plain value")


NULLS = frozenset({"null", "Null", "NULL", "~"})
"""Plain values that mean "no value" to every other YAML reader, and to editors checking the schemas."""
NULL_MESSAGE = "'{}' without quotes means 'no value' in YAML; leave the field out, or quote it to mean the word"
TEXT_KEYS = FREE_TEXT | {"date", "value", "as_of", "published", "accessed", "name", "among"} | {
    "aliases", "relays", "via", "topics", "about", "actors"
} | {"id", "speaker", "source", "of", "person"}  # fmt: skip
"""Keys whose values, or the items of whose lists, are text that could be a number or a yes/no ("date: 2022",
"id: 12", "aliases: [1984]"): every value is text to the loader, but a number to an editor's schema check, so the fix
is the quotes. Where no number could be right (``kind: 1``, ``valid_for: 1``), the schema check's message says what
to write instead. ``tests/test_schema_agreement.py`` holds this set to the schemas."""
NOT_TEXT = re.compile(
    r"[-+]?(?:[0-9]+|\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE"
)
"""Plain values that YAML 1.2, which editors read the schemas with, takes for a number or a yes/no."""
NOT_TEXT_MESSAGE = (
    '{0} without quotes is a number or a yes/no to YAML editors, which then mark the file wrong; write "{0}"'
)
ONE_ALPHABET = (FREE_TEXT - {"passage"}) | {"among"}
"""Keys whose values pages show as written, where no word may mix alphabets (``characters.mixed_word``). A passage
is the source's own words, checked against its stored text; a name or an alias has its own check."""


def _owner(path: tuple[Any, ...]) -> object:
    """The key a list is the value of, for an item of that list: "aliases" for ``("aliases",)``."""
    return path[-1] if path else None


def _list_item(doc: Document, mapping: tuple[Any, DataPath, Any], key: tuple[int, int]) -> ListItem | None:
    """Where the item starts, when a mapping is an item of a block list and a key of it is at its first key's
    column: a line that could be the start of the next item, written without its '- '."""
    path, first = mapping[1], next(iter(mapping[2]))
    if not path or not isinstance(path[-1], int) or doc.key_marks[(*path, first)] != doc.marks[path]:
        return None  # not an item of a list, or a flow mapping, which starts at its '{'
    dash, (line, column) = doc.marks[path[:-1]], doc.marks[path]
    return ListItem(dash[1], line, first) if key[1] == column and dash[1] < column else None


def _check_cut(event: Any, text: str, display: str) -> None:
    """Refuse prose that a comment cut short: in a plain value, `` #`` starts a comment, silently."""
    end = event.end_mark
    at = end.index  # libyaml counts characters, as str indexes do
    while at < len(text) and text[at] == " ":
        at += 1
    if at < len(text) and text[at] == "#":
        raise LoadError(
            Problem(
                display,
                end.line + 1,
                end.column + at - end.index + 1,
                "a '#' after a space starts a YAML comment, so this text ends before it",
                hint="put the whole text in double quotes; a comment goes on a line of its own",
            )
        )


def _check_alphabets(value: str, display: str, event: Any, text: str) -> None:
    """Refuse a word of prose that mixes alphabets, as "Oсмани" with a Latin "O" does: it reads as another word.

    The error points at the word where the file has it as written, else (written with escapes) at the value.
    """
    if (mixed := mixed_word(value)) is not None:
        at = text.find(mixed.word, event.start_mark.index, event.end_mark.index)
        where: tuple[int, int] = (event.start_mark.line + 1, event.start_mark.column + 1)
        if at >= 0:
            where = line_column(text, at)
        raise _error(
            display,
            *where,
            f"{mixed.describe()}, so it reads as a word it is not",
            hint="type the word again in one alphabet; a keyboard set to another language can slip such a letter in",
        )


def parse_text(text: str, display: str) -> Document:
    """Parse YAML text strictly into a Document; raise LoadError on the first problem."""
    _check_characters(text, display)
    end = text.find("\n")
    doc = Document(path=display, data={}, first_line=(text if end < 0 else text[:end]).rstrip("\r"))
    stack: list[tuple[Any, DataPath, dict[str, tuple[int, int]] | None]] = []
    pending_key: list[str | None] = []
    documents = 0
    root: Any = None

    def attach(value: Any, mark: tuple[int, int]) -> DataPath:
        nonlocal root
        if not stack:
            root = value
            doc.marks[()] = mark
            return ()
        container, cpath, seen = stack[-1]
        if isinstance(container, list):
            path: DataPath = _shared((*cpath, len(container)))
            container.append(value)
            doc.marks[path] = mark
            return path
        key = pending_key[-1]
        assert key is not None and seen is not None
        path = _shared((*cpath, key))
        container[key] = value
        doc.marks[path] = mark
        pending_key[-1] = None
        return path

    try:
        event: Any
        for event in yaml.parse(text, Loader=_Parser):
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _error(
                        display,
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                        "a second YAML document ('---') is not allowed; one file holds one document",
                    )
                continue
            if kind is yaml.AliasEvent:
                raise _error(
                    display,
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                    f"alias '*{event.anchor}' is not allowed; write the value out in full",
                )
            if kind in (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent):
                _check_node_event(event, display)
                mark = _shared((event.start_mark.line + 1, event.start_mark.column + 1))
                in_mapping = bool(stack) and isinstance(stack[-1][0], dict)
                if kind is yaml.ScalarEvent:
                    _check_value(event.value, display, mark)
                    value = unicodedata.normalize("NFC", event.value)
                    if len(value) <= 64:  # keys, ids, dates and kinds repeat across files: keep one copy
                        value = _shared(value)
                    if in_mapping and pending_key[-1] is None:
                        seen = stack[-1][2]
                        assert seen is not None
                        if value in seen:
                            first = seen[value][0]
                            same = "" if value == event.value else " (equal after Unicode normalisation)"
                            raise _error(
                                display,
                                *mark,
                                f"duplicate key '{value}'{same}; it is already set at line {first}",
                                duplicate_hint(value, stack[-1][0][value], first, _list_item(doc, stack[-1], mark)),
                            )
                        seen[value] = mark
                        pending_key[-1] = value
                        doc.key_marks[_shared((*stack[-1][1], value))] = mark
                    else:
                        if not event.style and value in NULLS:  # plain: no quotes
                            raise _error(display, *mark, NULL_MESSAGE.format(value))
                        key = pending_key[-1] if in_mapping else _owner(stack[-1][1] if stack else ())
                        if not event.style and key in TEXT_KEYS and NOT_TEXT.fullmatch(value):
                            raise _error(display, *mark, NOT_TEXT_MESSAGE.format(value))
                        if not event.style and in_mapping and pending_key[-1] in FREE_TEXT:
                            _check_cut(event, text, display)
                        if in_mapping and pending_key[-1] in ONE_ALPHABET:
                            _check_alphabets(value, display, event, text)
                        attach(value, mark)
                    continue
                if in_mapping and pending_key[-1] is None:
                    raise _error(display, *mark, "a key must be a plain value, not a list or mapping")
                if len(stack) >= MAX_DEPTH:
                    raise _error(display, *mark, f"nesting is deeper than {MAX_DEPTH} levels")
                container: Any = {} if kind is yaml.MappingStartEvent else []
                path = attach(container, mark)
                stack.append((container, path, {} if kind is yaml.MappingStartEvent else None))
                pending_key.append(None)
                continue
            if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                stack.pop()
                pending_key.pop()
    except yaml.MarkedYAMLError as exc:
        raise LoadError(syntax_problem(exc, text, display)) from None
    except yaml.YAMLError as exc:  # reader errors carry a position but no marks
        position = getattr(exc, "position", None)
        line, column = line_column(text, position) if isinstance(position, int) else (1, 1)
        raise _error(display, line, column, f"YAML syntax: {getattr(exc, 'reason', exc)}") from None
    if root is None:
        raise _error(display, 1, 1, "file is empty; expected a YAML mapping")
    doc.data = root
    return doc


def load_file(path: Path, display: str | None = None, *, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read and strictly parse one YAML file; raise LoadError with a located Problem."""
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            problem = Problem(
                shown,
                1,
                1,
                f"file is {size} bytes; the limit is {max_bytes} bytes",
                hint="no fact file comes near this: store an article's text beside its source as a .txt file",
            )
            raise LoadError(problem)
        raw = path.read_bytes()
    except OSError as exc:
        raise _error(shown, 0, 0, f"cannot read file: {exc.strerror}") from None
    if not raw.strip():
        raise _error(shown, 1, 1, "file is empty; expected a YAML mapping")
    doc = parse_text(decode_utf8(raw, shown), shown)
    doc.file = path
    return doc
