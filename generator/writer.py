"""The only code that changes ``content/``: atomic, minimal, and only on files it made.

A manifest (``content/.generated.json``) records every file the generator wrote.
Files not in it are hand-written and are never overwritten or removed.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator import progress
from generator.problems import Problem

MANIFEST = ".generated.json"
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
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write(path, data)
    return True


def _manifest_bytes(files: set[str]) -> bytes:
    listed = sorted(files | {MANIFEST})
    return (json.dumps({"generator": "generator", "files": listed}, indent=1) + "\n").encode()


def _gitignore_bytes(files: set[str]) -> bytes:
    lines = ["# Written by `python -m generator generate`: these files are generated. Do not edit."]
    lines += [f"/{name}" for name in sorted(files)]
    return ("\n".join(lines) + "\n").encode()


def conflicts(content_dir: Path, pages: dict[str, str]) -> list[Problem]:
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


def write_pages(content_dir: Path, pages: dict[str, str]) -> WriteResult:
    """Bring ``content/`` in line with the rendered pages, touching only generated files."""
    result = WriteResult()
    old = read_manifest(content_dir)
    new = {*pages, GITIGNORE, MANIFEST}
    # Claim every file before writing it, so a crash never leaves an unclaimed generated file.
    content_dir.mkdir(parents=True, exist_ok=True)
    _write_if_changed(content_dir / MANIFEST, _manifest_bytes(old | new))
    for number, name in enumerate(sorted(pages), start=1):
        progress.tick("write", number, len(pages))
        if _write_if_changed(content_dir / name, pages[name].encode("utf-8")):
            result.written.append(name)
        else:
            result.unchanged += 1
    if _write_if_changed(content_dir / GITIGNORE, _gitignore_bytes(new)):
        result.written.append(GITIGNORE)
    for name in sorted(old - new):
        target = content_dir / name
        if target.is_file() and not target.is_symlink():
            target.unlink()
            result.removed.append(name)
            _remove_empty_parents(target.parent, content_dir)
    _write_if_changed(content_dir / MANIFEST, _manifest_bytes(new))
    return result


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
