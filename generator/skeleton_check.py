"""What validate would refuse in a file that a ``new`` command is about to write, said of the value at fault.

The file's text is checked as validate checks one file (``filecheck.check_file``): strictly loaded, against
its schema, and by its name. A value the command took from its command line is named by the option that
gave it (``--publisher``), so that the contributor knows what to type again; nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from generator.filecheck import check_file
from generator.problems import Problem

KEY = re.compile(r"[ \t]*(?:-[ \t]+)?([A-Za-z_]+):")
"""The key a line of a skeleton sets, in a mapping or as the first key of a list item."""
PLACEHOLDER_NOTE = "placeholder '"
"""How the schema check begins its message for a TODO still in the file (``schema_check.check_document``)."""


def refusal(
    text: str, path: Path, shown: str, options: Mapping[str, str], lines: range | None = None
) -> Problem | None:
    """The first problem validate would find in ``path`` written with ``text``, or None.

    ``options`` gives, for each key whose value came from the command line, the option or argument that
    gave it; a problem on that key's line is said of the option. The skeleton's own placeholders are
    left to fill in, unless an option gave one. ``lines``, if given, are the lines the command adds to
    an existing file: the problems the file had before are validate's to report.
    """
    written = text.split("\n")
    found: list[tuple[Problem, str]] = []
    for problem in check_file(path, shown, path.parent.name, text).problems:
        key = KEY.match(written[problem.line - 1]) if 0 < problem.line <= len(written) else None
        option = options.get(key.group(1), "") if key else ""
        if (lines is None or problem.line in lines) and (option or not problem.message.startswith(PLACEHOLDER_NOTE)):
            found.append((problem, option))
    if not found:
        return None
    problem, option = min(found, key=lambda item: (item[0].line, item[0].column))
    return Problem(option or shown, 0, 0, problem.message, hint=problem.hint)
