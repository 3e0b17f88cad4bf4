"""One run at a time per project: ``generate`` and ``build`` hold a lock while they write.

Each run removes the staging folders that an interrupted run left behind (``content/.generate-*``,
``.site-build-*``). Without a lock, a second run started while the first was still writing,
such as ``make site`` beside the live preview, would remove the first run's staging folder
and let it publish half a site. The lock is an advisory ``flock`` on ``.generator.lock`` in the
project root; the kernel releases it when the process ends, however it ends, so a killed run
never leaves the project locked.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system: runs are not serialised
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".generator.lock"
"""The lock file, beside ``mkdocs.yml``; listed in ``.gitignore``. Its content is never read or written."""

_held: dict[str, int] = {}
"""Projects whose lock this process holds, and how many nested runs hold it (``build`` runs ``generate``)."""


class LockError(Exception):
    """The lock file cannot be opened: it is a symbolic link, or the folder is not writable."""


@contextmanager
def exclusive(root: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold the project's lock, waiting (and saying so) while another run holds it."""
    key = os.path.realpath(root)
    if key in _held or fcntl is None:
        _held[key] = _held.get(key, 0) + 1
        try:
            yield
        finally:
            _release_nested(key)
        return
    path = root / LOCK_NAME
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        reason = "it is a symbolic link" if exc.errno == errno.ELOOP else (exc.strerror or str(exc))
        raise LockError(f"cannot open the lock file {LOCK_NAME}: {reason}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another generate or build in this project to finish ({LOCK_NAME})")
            fcntl.flock(handle, fcntl.LOCK_EX)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(handle)  # releases the lock


def _release_nested(key: str) -> None:
    _held[key] -= 1
    if not _held[key]:
        del _held[key]
