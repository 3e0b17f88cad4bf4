"""Small edits that tests make to a copied fact tree, failing loudly if the text to edit is gone."""

from __future__ import annotations

from pathlib import Path


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a file; fail if it is not there exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected one {old!r}, found {text.count(old)}"
    path.write_text(text.replace(old, new), encoding="utf-8")
