"""Walking a folder tree in name order, without following links and without recursion."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

Unreadable = Callable[[tuple[str, ...], OSError], None]
"""Told of a folder that cannot be listed: its path parts under the walked folder, and the error."""


def walk(
    folder: str, unreadable: Unreadable, *, hidden: bool = True, named: frozenset[str] = frozenset()
) -> Iterator[tuple[tuple[str, ...], os.DirEntry[str]]]:
    """Every entry under a folder but its folders, as (path parts under it, entry), sorted by parts.

    Each folder is listed once with ``os.scandir``, which gives each entry's type without a further
    system call. A symbolic link is yielded, never followed, even to a folder. Without ``hidden``,
    names starting with a dot are skipped, with everything under them, and so are the backups and
    autosaves editors leave beside a file (``x.yaml~``, ``#x.yaml#``), except for the ``named`` ones,
    which are yielded even so (but never a folder's contents). A folder that cannot be
    listed goes to ``unreadable`` and counts as empty. The walk keeps its own stack, so no depth
    of folders can exhaust Python's.
    """

    def listing(path: str, parts: tuple[str, ...]) -> Iterator[os.DirEntry[str]]:
        try:
            with os.scandir(path) as found:
                entries = sorted(
                    (e for e in found if hidden or e.name in named or not _hidden(e.name)), key=lambda e: e.name
                )
        except OSError as exc:
            unreadable(parts, exc)
            entries = []
        return iter(entries)

    stack: list[tuple[tuple[str, ...], Iterator[os.DirEntry[str]]]] = [((), listing(folder, ()))]
    while stack:
        rel, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        parts = (*rel, entry.name)
        if entry.is_dir(follow_symlinks=False) and (hidden or not _hidden(entry.name)):
            stack.append((parts, listing(entry.path, parts)))
        else:
            yield parts, entry


def _hidden(name: str) -> bool:
    """A dot file, or an editor's backup or autosave: never part of a project's data."""
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))
