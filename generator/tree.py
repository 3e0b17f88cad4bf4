"""Walking a folder tree without following links and without recursion."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

Entries = Callable[[str, tuple[str, ...]], list[os.DirEntry[str]]]
"""Lists a folder, given its path and its parts under the walked folder, in the order to walk it."""


def walk(folder: str, entries: Entries) -> Iterator[tuple[tuple[str, ...], os.DirEntry[str]]]:
    """Every entry under a folder but its folders, as (path parts under it, entry), depth first.

    ``entries`` lists each folder (it may sort, skip, or report a folder it cannot read). A
    symbolic link is yielded, never followed, even to a folder; ``os.scandir`` gives each entry's
    type with the listing, so this costs no further system call. The walk keeps its own stack,
    so no depth of folders can exhaust Python's.
    """
    stack: list[tuple[tuple[str, ...], Iterator[os.DirEntry[str]]]] = [((), iter(entries(folder, ())))]
    while stack:
        rel, listed = stack[-1]
        entry = next(listed, None)
        if entry is None:
            stack.pop()
            continue
        parts = (*rel, entry.name)
        if entry.is_dir(follow_symlinks=False):
            stack.append((parts, iter(entries(entry.path, parts))))
        else:
            yield parts, entry
