"""Problems found in the input, and the one place that turns them into output."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.characters import printable

Severity = Literal["error", "warning"]
ID_MAX = 120
"""The longest id the schemas accept."""


def with_article(word: str) -> str:
    """A word with "a" or "an" before it, for the messages: "an entity", "a source"."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def suggested_id(text: str) -> str:
    """The id a mistyped one probably means (accents dropped, lowercase, other characters as single
    hyphens: "Vučić_2" gives "vucic-2"), or "" when that is no valid id or the text itself."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return found if found and found != text and len(found) <= ID_MAX else ""


def line_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of a place in a text, as problems give them."""
    line = text.count("\n", 0, index) + 1
    return line, index - text.rfind("\n", 0, index)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, pointing at where it is."""

    file: str
    """Path of the file, relative to the project root where possible."""
    line: int
    """1-based line number (0 when the problem concerns the whole file)."""
    column: int
    """1-based column number."""
    message: str
    """What was expected and what was found."""
    severity: Severity = "error"
    """``error`` fails the run; ``warning`` fails it only in strict mode."""
    key_path: str = ""
    """Where in the file's data, e.g. ``facts[3].citations[0].source``."""
    hint: str = ""
    """A suggestion, e.g. ``did you mean "kosovo"?``."""

    def location(self) -> str:
        """Return ``file:line:col``."""
        return f"{self.file}:{max(self.line, 1)}:{max(self.column, 1)}"


def format_path(path: Iterable[str | int]) -> str:
    """Render a data path as ``facts[3].citations[0].source``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file and position, without duplicates."""
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.message))


def source_line(root: Path, problem: Problem) -> str | None:
    """Return the offending line of the file, or None when it cannot be read."""
    if problem.line < 1:
        return None
    path = Path(problem.file)
    if not path.is_absolute():
        path = root / path
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if number == problem.line:
                    return raw.decode("utf-8", errors="replace").rstrip("\r\n")
    except OSError:
        return None
    return None


def shown_location(problem: Problem, root: Path) -> str:
    """``file:line:col``; for a problem with no line in no file (a folder, an option, a variable), its name alone."""
    if problem.line < 1:
        path = Path(problem.file)
        path = path if path.is_absolute() else root / path
        if path.is_symlink() or not path.is_file():
            return problem.file
    return problem.location()


SHOWN_LINE = 160
"""The most of a source line shown under a problem; a longer line is cut around the column, with "…"."""


def _around(line: str, column: int) -> tuple[str, int]:
    """The part of a long line around a 0-based column, and the column within it."""
    if len(line) <= SHOWN_LINE:
        return line, column
    start = min(max(column - SHOWN_LINE // 4, 0), len(line) - SHOWN_LINE + 2)
    end = start + SHOWN_LINE - 2
    head, tail = ("…" if start > 0 else ""), ("…" if end < len(line) else "")
    return head + line[start:end] + tail, column - start + len(head)


_COMMAND = re.compile(r"^(\s*)(?=::)", re.M)
_LEGACY_COMMAND = re.compile(r"#(?=#\[)")


def inert(text: str) -> str:
    """Text that a GitHub Actions runner will not read as workflow commands, with a backslash in each.

    The runner obeys a line of a job's log that begins, after spaces, with "::" (``::add-mask::``,
    ``::error …::``), and, in the older form, a line that holds "##[" anywhere (``##[add-mask]``). Text
    made of a fact file's values (a line shown under its problem, a name in a message, MkDocs' report
    on a page) could be one, so that a pull request of fact files alone could hide or fake the check's
    output. They are written "\\::" and "#\\#[", which Markdown too shows as "::" and "##[".
    """
    if "::" not in text and "##[" not in text:
        return text
    return _LEGACY_COMMAND.sub(r"#\\", _COMMAND.sub(r"\1\\", text))


def _shifted(line: str, column: int) -> int:
    """Where a 0-based column of a line is once ``inert`` has put its backslashes in."""
    at = [m.end() for m in _COMMAND.finditer(line) if line.startswith("::", m.end())]
    at += [m.end() for m in _LEGACY_COMMAND.finditer(line)]
    return column + sum(1 for index in at if index <= column)


def format_text(problem: Problem, root: Path, *, context: bool = True) -> str:
    """Format one problem the way compilers do, with the line and a caret."""
    text = f"{printable(shown_location(problem, root))}: {problem.severity}: {printable(problem.message)}"
    if problem.key_path:
        text += f" [{printable(problem.key_path)}]"  # a key of the file's own, which may hold a line break
    if context:
        line = source_line(root, problem)
        if line is not None:
            shown, caret_col = _around(printable(line), max(problem.column, 1) - 1)
            safe = inert(shown)
            caret_col = _shifted(shown, caret_col)  # the caret stays under its character
            text += f"\n  {safe}\n  {' ' * min(caret_col, len(safe))}^"
    if problem.hint:
        # A hint may span lines (e.g. two passages set one above the other); keep them aligned.
        text += "\n  hint: " + "\n        ".join(inert(printable(part)) for part in problem.hint.split("\n"))
    first, _, rest = text.partition("\n")
    return inert(first) + (f"\n{rest}" if rest else "")


def _github_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problem: Problem) -> str:
    """Format one problem as a GitHub Actions workflow annotation.

    Control characters (an escape sequence in a file name, say) are shown as ``?``, as in the
    text format; the line breaks of a hint are kept, escaped as GitHub reads them.
    """
    message = problem.message + (f"; {problem.hint}" if problem.hint else "")
    # The line is a command already, which the runner reads as nothing else; its words are made inert all the same.
    message = inert("\n".join(printable(line) for line in message.split("\n")))
    return (
        f"::{problem.severity} file={_github_escape(inert(printable(problem.file)), prop=True)},"
        f"line={max(problem.line, 1)},col={max(problem.column, 1)}::{_github_escape(message)}"
    )


def exit_code(problems: Iterable[Problem], *, strict: bool = False) -> int:
    """Return 1 when the problems should fail the run, else 0."""
    for problem in problems:
        if problem.severity == "error" or strict:
            return 1
    return 0


def summary(problems: list[Problem]) -> str:
    """Return a closing line such as ``2 errors, 1 warning``."""
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
