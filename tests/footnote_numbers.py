"""Footnotes as readers see them: labels replaced by 1, 2, 3 in order of first use on the page.

Labels in the Markdown are page-independent hashes of each citation; Python-Markdown shows the
number of each footnote in the order of its definition, and every page defines its footnotes in
order of first use (``tests/test_footnotes.py`` checks that in the built HTML).
"""

from __future__ import annotations

import re

LABEL = re.compile(r"\[\^([0-9a-f]+)\]")
"""A footnote reference or the start of a definition, with its label."""


def numbered(markdown: str) -> str:
    """The page with each footnote label replaced by its number in order of first use."""
    numbers: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        return f"[^{numbers.setdefault(match[1], len(numbers) + 1)}]"

    return LABEL.sub(number, markdown)
