"""The only code that changes ``content/``: atomic, minimal, and only on files it made.

A manifest (``content/.generated.json``) records every file the generator wrote.
Files not in it are hand-written and are never overwritten or removed; nor is a file
it lists that does not show it is generated, since a manifest can be forged
(``generator.ownership``). Nothing is written through a symbolic link: not into a
linked ``content/`` or folder in it, and not over a linked file.

A write is crash-safe: each changed page is staged as soon as it is rendered, in
a dot-named folder inside ``content/`` (MkDocs ignores it; being on the same file
system makes each move an atomic rename). Only when every page is rendered and
staged without a problem does ``content/`` change: the manifest claims the pages,
they are renamed into place one by one, stale pages are removed, and the manifest
is narrowed. A crash at any point leaves each page either old or new, never
partial, and every generated file listed in the manifest. A staging folder left
by a crash is removed by the next write.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from generator import ownership, progress
from generator.ownership import GITIGNORE as GITIGNORE
from generator.ownership import MANIFEST as MANIFEST
from generator.problems import Problem, sort_problems

STAGING_PREFIX = ".generate-"
"""Staging folders inside ``content/`` are named so; only the writer makes them."""
_STAGED_PART = re.compile(rf"{re.escape(os.sep + STAGING_PREFIX)}[^{re.escape(os.sep)}]+{re.escape(os.sep)}")
"""The staging folder in a path: a page being staged is reported by the name it will have."""


FileStat = tuple[int, int]
"""A file's size and modification time in nanoseconds."""


@dataclass
class WriteResult:
    """What a write changed on disk."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Files the last write listed and this one did not make that do not show they are generated: left alone."""
    stats: dict[str, FileStat] = field(default_factory=dict, compare=False)
    """Size and mtime of each file written, taken as it was written (the stamp records them)."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write bytes to a file so that readers see the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with _naming(temp), os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _write_if_changed(path: Path, data: bytes) -> bool:
    if _same_bytes(path, data):
        return False
    atomic_write(path, data)
    return True


def _manifest_bytes(files: set[str]) -> bytes:
    listed = sorted(files | {MANIFEST})
    return (json.dumps({"generator": "generator", "files": listed}, indent=1) + "\n").encode()


def _gitignore_bytes(files: set[str]) -> bytes:
    lines = [ownership.GITIGNORE_HEADER]
    lines += [f"/{name}" for name in sorted(files)]
    return ("\n".join(lines) + "\n").encode()


def remove_staging(content_dir: Path) -> list[str]:
    """Remove staging folders and temporary files an interrupted write left behind; return their names."""
    removed = []
    for folder in sorted(content_dir.glob(f"{STAGING_PREFIX}*")):
        if ownership.is_staging(folder):  # not a folder that only has the name
            ownership.remove_staging_folder(folder)
            removed.append(folder.name)
    for temp in sorted(content_dir.glob(f".{MANIFEST}.*.tmp")):  # atomic_write's, for the manifest
        if temp.is_file() and not temp.is_symlink():
            temp.unlink()
            removed.append(temp.name)
    return removed


@dataclass
class Staged:
    """Pages rendered and staged in a dot-named folder inside ``content/``, not yet moved in."""

    content_dir: Path
    staging: Path
    old: set[str]
    """The generated files of the last write, from its manifest."""
    names: set[str] = field(default_factory=set)
    """Every generated page of this write."""
    changed: list[str] = field(default_factory=list)
    """The pages whose bytes differ from what is on disk, staged under ``staging``."""
    stats: dict[str, FileStat] = field(default_factory=dict)
    """Size and mtime of each staged file; moving it into ``content/`` changes neither."""
    problems: list[Problem] = field(default_factory=list)
    folders: dict[str, bool] = field(default_factory=dict)
    """Each folder under ``content/`` a page goes into, and whether it may be written into."""


def begin(content_dir: Path) -> Staged:
    """Start a write: clear what a crashed write left, read the manifest, make a staging folder.

    ``content_dir`` must not be a symbolic link (``ownership.linked_folder``).
    """
    if content_dir.is_symlink():
        raise ValueError(f"{content_dir} is a symbolic link")
    content_dir.mkdir(parents=True, exist_ok=True)
    remove_staging(content_dir)
    staging = ownership.make_staging(content_dir, STAGING_PREFIX)
    staged = Staged(content_dir, staging, ownership.read_manifest(content_dir))
    ignore = ownership.existing(os.fspath(content_dir / GITIGNORE), ownership.HEAD_BYTES)
    if ignore is not None and not ownership.written_by_generator(GITIGNORE, ignore):
        staged.old.discard(GITIGNORE)  # not the one the generator writes, whatever the manifest says
    found = (ownership.conflict(content_dir, name, staged.old) for name in (GITIGNORE, MANIFEST))
    staged.problems += [problem for problem in found if problem is not None]
    return staged


Page = str | bytes | Iterator[str | bytes]
"""A page's text, its UTF-8 bytes, or its text in pieces (for files too large to hold at once)."""


def utf8(text: str | bytes) -> bytes:
    """A page or a piece of one as UTF-8 bytes (bytes are already)."""
    return text.encode("utf-8") if isinstance(text, str) else text


def stage(staged: Staged, pages: Iterable[tuple[str, Page]]) -> None:
    """Stage every changed page as it arrives, so no more than one page is held at a time.

    A page that would overwrite a hand-written file is a problem, and nothing is staged for it;
    nothing in ``content/`` itself changes until ``commit``.
    """
    folders = {os.fspath(staged.staging)}
    for name, page in pages:
        stage_page(staged, name, page, folders)


def stage_page(staged: Staged, name: str, page: Page, folders: set[str]) -> None:
    """Stage one page if its bytes differ from the file it replaces; ``folders`` are the staging folders made."""
    if not _writable_folders(staged, name):
        return
    target = os.path.join(staged.content_dir, name)
    data, pieces = (utf8(page), None) if isinstance(page, str | bytes) else (None, page)
    size = ownership.HEAD_BYTES if data is None else max(ownership.HEAD_BYTES, len(data) + 1)
    existing = ownership.existing(target, size)
    owned = name in staged.old
    if owned and data is not None and existing == data:  # already what this run writes, whoever wrote it
        staged.names.add(name)
        return
    if existing is not None:  # only an existing file can be hand-written
        # The manifest can be forged: a file it lists is the generator's only if the file shows it.
        listed, owned = owned, owned and ownership.written_by_generator(name, existing)
        if owned:
            problem = None
        else:
            problem = ownership.disowned(target) if listed else ownership.conflict(staged.content_dir, name, set())
        if problem is not None:
            staged.problems.append(problem)
            return
    staged.names.add(name)
    path = os.path.join(staged.staging, name)
    if pieces is None:
        _make_folder(os.path.dirname(path), folders)
        staged.stats[name] = _create(path, data or b"")
    else:  # written piece by piece, then compared with the file it would replace
        _make_folder(os.path.dirname(path), folders)
        stat = _create_from(path, pieces)
        if owned and _same_file(path, target):
            os.unlink(path)
            return
        staged.stats[name] = stat
    staged.changed.append(name)


def _writable_folders(staged: Staged, name: str) -> bool:
    """Whether every folder on a page's path under ``content/`` is a real folder (or not there yet).

    A folder that is a symbolic link, or a file, is reported once, for the first page that needs it.
    """
    blocked, first = _blocking_folder(staged, name)
    if first:
        staged.problems.append(ownership.linked(os.path.join(staged.content_dir, blocked)))
    return not blocked


def _blocking_folder(staged: Staged, name: str) -> tuple[str, bool]:
    """The first folder on a page's path that is a symbolic link or a file ("" if none), and whether it is new.

    Each folder is looked at once per write: ``staged.folders`` keeps the verdicts.
    """
    parts = name.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        writable = staged.folders.get(folder)
        first = writable is None
        if first:
            path = os.path.join(staged.content_dir, folder)
            writable = not os.path.islink(path) and (os.path.isdir(path) or not os.path.lexists(path))
            staged.folders[folder] = writable
        if not writable:
            return folder, first
    return "", False


def _make_folder(folder: str, made: set[str]) -> None:
    """Make a folder once per write: ``made`` remembers the folders already there."""
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)


def _open_new(path: str) -> int:
    """Create a file that must not exist yet, readable by all whatever the umask (MkDocs and web servers read it)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    os.fchmod(handle, 0o644)
    return handle


@contextmanager
def _naming(path: str) -> Iterator[None]:
    """Name the file in an error while writing it: a write's own error (a full disk) names none.

    A file being staged is named by the page it becomes, not by its place in the staging folder.
    """
    try:
        yield
    except OSError as exc:
        named = exc.filename if isinstance(exc.filename, str) else path
        page = _STAGED_PART.sub(os.sep, named, count=1)
        if exc.filename is None or page != named:
            raise OSError(exc.errno, exc.strerror, page) from exc
        raise


def _create(path: str, data: bytes) -> FileStat:
    """Write a new file; return its size and mtime."""
    with _naming(path), open(_open_new(path), "wb", closefd=True) as out:
        out.write(data)
        return _stat(out)


def _stat(out: BinaryIO) -> FileStat:
    """Size and mtime of a file just written, from its open handle (no path lookup)."""
    out.flush()
    info = os.fstat(out.fileno())
    return info.st_size, info.st_mtime_ns


def discard(staged: Staged) -> None:
    """Abandon a staged write: ``content/`` stays exactly as it was."""
    ownership.remove_staging_folder(staged.staging, ignore_errors=True)


def commit(staged: Staged) -> WriteResult:
    """Move the staged pages into ``content/``, remove stale ones, and record them in the manifest."""
    content_dir, old = staged.content_dir, staged.old
    if staged.problems:
        raise ValueError("a write with problems must be discarded, not committed")
    new = {*staged.names, GITIGNORE, MANIFEST}
    gitignore = _gitignore_bytes(new)
    if not _same_bytes(content_dir / GITIGNORE, gitignore):
        staged.stats[GITIGNORE] = _create(os.fspath(staged.staging / GITIGNORE), gitignore)
        staged.changed.append(GITIGNORE)
    changed = sorted(staged.changed)
    result = WriteResult(unchanged=len(staged.names) - len(set(changed) - {GITIGNORE}), stats=staged.stats)
    # Claim every file before moving it in, so a crash never leaves an unclaimed generated file.
    _write_if_changed(content_dir / MANIFEST, _manifest_bytes(old | new))
    moved = _move_new_folders(staged)
    folders = {os.fspath(content_dir)}
    for number, name in enumerate(changed, start=1):
        progress.tick("write", number, len(changed))
        result.written.append(name)
        if name.split("/", 1)[0] in moved:
            continue
        destination = os.path.join(content_dir, name)
        _make_folder(os.path.dirname(destination), folders)
        os.replace(os.path.join(staged.staging, name), destination)
    for name in sorted(old - new):
        target = content_dir / name
        removable = _removable(staged, name, target)
        if removable:
            target.unlink()
            result.removed.append(name)
            _remove_empty_parents(target.parent, content_dir)
        elif removable is None:
            result.kept.append(name)
    _write_if_changed(content_dir / MANIFEST, _manifest_bytes(new))
    ownership.remove_staging_folder(staged.staging)
    return result


def _removable(staged: Staged, name: str, target: Path) -> bool | None:
    """Whether a page the last write made and this one does not may be removed: a generated file, in real folders.

    None for a file that is there but does not show it is generated: it is left, and reported.
    """
    blocked, _ = _blocking_folder(staged, name)  # a page behind a link is only left where it is
    found = None if blocked else ownership.existing(os.fspath(target), ownership.HEAD_BYTES)
    if found is None:
        return False
    return True if ownership.written_by_generator(name, found) else None


def _move_new_folders(staged: Staged) -> set[str]:
    """Move each staged top-level folder that ``content/`` does not have yet, in one rename each.

    Everything in such a folder is a changed page, and the manifest already claims it.
    """
    moved = set()
    for entry in sorted(os.scandir(staged.staging), key=lambda e: e.name):
        target = staged.content_dir / entry.name
        if entry.is_dir(follow_symlinks=False) and not os.path.lexists(target):
            os.rename(entry.path, target)
            moved.add(entry.name)
    return moved


def write_pages(content_dir: Path, pages: Mapping[str, Page]) -> WriteResult:
    """Bring ``content/`` in line with the rendered pages (text or UTF-8 bytes), touching only generated files."""
    linked = ownership.linked_folder(content_dir)
    if linked is not None:
        raise ValueError(linked.message)
    staged = begin(content_dir)
    try:
        stage(staged, pages.items())
    except BaseException:
        discard(staged)
        raise
    if staged.problems:
        discard(staged)
        raise ValueError(sort_problems(staged.problems)[0].message)
    return commit(staged)


def _create_from(path: str, pieces: Iterator[str | bytes]) -> FileStat:
    """Write a new file from pieces of text or UTF-8 bytes, holding one piece at a time; return its size and mtime."""
    with _naming(path), open(_open_new(path), "wb", closefd=True) as out:
        for piece in pieces:
            out.write(utf8(piece))
        return _stat(out)


def _same_file(path: str, other: str) -> bool:
    try:
        return filecmp.cmp(path, other, shallow=False)
    except OSError:
        return False


def _same_bytes(path: Path | str, data: bytes) -> bool:
    try:
        with open(path, "rb") as existing:
            return existing.read(len(data) + 1) == data
    except OSError:
        return False


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
