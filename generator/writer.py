"""The only code that changes ``content/``: atomic, minimal, and only on files it made.

A manifest (``content/.generated.json``) records every file the generator wrote.
Files not in it are hand-written and are never overwritten or removed.

A write is crash-safe: every page is rendered before anything is written, then
the changed files are staged in a dot-named folder inside ``content/`` (MkDocs
ignores it; being on the same file system makes each move an atomic rename), the
manifest claims them, they are renamed into place one by one, stale pages are
removed, and the manifest is narrowed. A crash at any point leaves each page
either old or new, never partial, and every generated file listed in the
manifest. A staging folder left by a crash is removed by the next write.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator import progress
from generator.problems import Problem

MANIFEST = ".generated.json"
STAGING_PREFIX = ".generate-"
"""Staging folders inside ``content/`` are named so; only the writer makes them."""
GITIGNORE = ".gitignore"


@dataclass
class WriteResult:
    """What a write changed on disk."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def read_manifest(content_dir: Path) -> set[str]:
    """Return the paths the generator wrote last time (empty if none or unreadable)."""
    try:
        data = json.loads((content_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    files = data.get("files", []) if isinstance(data, dict) else []
    return {f for f in files if isinstance(f, str) and _safe_relative(f)}


def _safe_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return not pure.is_absolute() and ".." not in pure.parts and "\x00" not in path and bool(path)


def atomic_write(path: Path, data: bytes) -> None:
    """Write bytes to a file so that readers see the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
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
    lines = ["# Written by `python -m generator generate`: these files are generated. Do not edit."]
    lines += [f"/{name}" for name in sorted(files)]
    return ("\n".join(lines) + "\n").encode()


def conflicts(content_dir: Path, pages: Mapping[str, str | bytes]) -> list[Problem]:
    """Problems for generated paths that would overwrite a hand-written file."""
    owned = read_manifest(content_dir)
    problems = []
    for name in sorted([*pages, MANIFEST, GITIGNORE]):
        target = content_dir / name
        if name not in owned and (target.exists() or target.is_symlink()):
            if name == MANIFEST and not owned:
                continue
            problems.append(
                Problem(
                    target.as_posix(),
                    0,
                    0,
                    "a hand-written file is where a generated page must go; the generator will not overwrite it",
                    hint="rename the hand-written file, or rename the entity or source that generates this page",
                )
            )
    return problems


def remove_staging(content_dir: Path) -> list[str]:
    """Remove staging folders and temporary files an interrupted write left behind; return their names."""
    removed = []
    for folder in sorted(content_dir.glob(f"{STAGING_PREFIX}*")):
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)
            removed.append(folder.name)
    for temp in sorted(content_dir.glob(f".{MANIFEST}.*.tmp")):  # atomic_write's, for the manifest
        if temp.is_file() and not temp.is_symlink():
            temp.unlink()
            removed.append(temp.name)
    return removed


def write_pages(content_dir: Path, pages: Mapping[str, str | bytes]) -> WriteResult:
    """Bring ``content/`` in line with the rendered pages (text or UTF-8 bytes), touching only generated files."""
    result = WriteResult()
    content_dir.mkdir(parents=True, exist_ok=True)
    remove_staging(content_dir)
    old = read_manifest(content_dir)
    new = {*pages, GITIGNORE, MANIFEST}
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=content_dir))
    changed = []
    # One page at a time: encoding every page first would hold a second copy of the whole site.
    for name in sorted([*pages, GITIGNORE]):
        page = _gitignore_bytes(new) if name == GITIGNORE else pages[name]
        data = page.encode("utf-8") if isinstance(page, str) else page
        if _same_bytes(content_dir / name, data):
            continue
        changed.append(name)
        staged = staging / name
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
        os.chmod(staged, 0o644)
    result.unchanged = len(pages) - len(set(changed) - {GITIGNORE})
    # Claim every file before moving it in, so a crash never leaves an unclaimed generated file.
    _write_if_changed(content_dir / MANIFEST, _manifest_bytes(old | new))
    for number, name in enumerate(changed, start=1):
        progress.tick("write", number, len(changed))
        target = content_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
        result.written.append(name)
    for name in sorted(old - new):
        target = content_dir / name
        if target.is_file() and not target.is_symlink():
            target.unlink()
            result.removed.append(name)
            _remove_empty_parents(target.parent, content_dir)
    _write_if_changed(content_dir / MANIFEST, _manifest_bytes(new))
    shutil.rmtree(staging)
    return result


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
