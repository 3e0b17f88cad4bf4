"""The no-op fast path: skip validate and render when nothing they read has changed.

After a clean ``generate`` (no problems at all), a stamp records a hash of every
file under ``facts/``, of the generator's own code, templates and schemas and of
the library versions, plus the size and modification time of every generated file.
The next ``generate`` hashes the inputs again, which costs a fraction of parsing
them; if the hash and every generated file are as recorded, the output would be
byte-for-byte the same, so nothing is parsed, rendered or written.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from generator import tree
from generator.ownership import MANIFEST, read_json, read_manifest
from generator.writer import FileStat, atomic_write

STAMP = ".generator-stamp.json"
"""In the project root, beside ``content/``: MkDocs never sees it. Git ignores it."""
GENERATOR_DIR = Path(__file__).parent
LIBRARIES = ("PyYAML", "Jinja2", "MarkupSafe", "jsonschema", "fastjsonschema")


@dataclass(frozen=True)
class Stamp:
    """What a clean run read and wrote."""

    inputs: str
    """Hash of the generator, its libraries and every file under ``facts/``."""
    outputs: dict[str, FileStat]
    """Size and mtime (ns) of every generated file, by path relative to ``content/``."""
    summary: str
    """The run's counts, shown again when a later run is skipped."""


def _hash_tree(digest: Any, folder: str, suffixes: tuple[str, ...] = ()) -> int:
    """Hash every entry under a folder, in name order; return the number of regular files.

    A file is hashed by its path and content, a symbolic link by its path and target (it is never
    followed), anything else by its path. With ``suffixes``, only files with those endings count.
    What cannot be read is hashed as unreadable: validation reports it, and a run with a problem
    records no stamp.
    """

    def unreadable(parts: tuple[str, ...], exc: OSError) -> None:
        digest.update("/".join(parts).encode("utf-8", "surrogateescape") + b"/\0unreadable folder\0")

    if os.path.islink(folder):  # facts/ as a link: validation refuses it, and nothing is read through it
        digest.update(b"\0linked folder\0")
        return 0
    count = 0
    for parts, entry in tree.walk(folder, unreadable):
        if suffixes and not entry.name.endswith(suffixes):
            continue
        digest.update("/".join(parts).encode("utf-8", "surrogateescape") + b"\0")
        try:
            if entry.is_symlink():
                digest.update(b"link\0" + os.fsencode(os.readlink(entry.path)) + b"\0")
            elif entry.is_file(follow_symlinks=False):
                count += 1
                with open(entry.path, "rb") as handle:
                    digest.update(hashlib.sha256(handle.read()).digest())
            else:
                digest.update(b"special\0")
        except OSError:
            digest.update(b"unreadable\0")
    return count


def input_hash(facts_dir: Path, today: str = "") -> tuple[str, int]:
    """Hash everything that decides the generated pages; return the hash and the number of fact files.

    ``today`` is part of it: the day decides which facts are past their review date.
    """
    digest = hashlib.sha256()
    digest.update(sys.version.encode("utf-8"))
    digest.update(f"today={today}\0".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing\0".encode())
    _hash_tree(digest, os.fspath(GENERATOR_DIR), (".py", ".j2", ".json"))
    digest.update(b"facts\0")
    count = _hash_tree(digest, os.fspath(facts_dir)) if facts_dir.is_dir() else 0
    return digest.hexdigest(), count


def _outputs(content_dir: Path, known: Mapping[str, FileStat] | None = None) -> dict[str, FileStat] | None:
    """Size and mtime of every generated file; ``known`` gives those the writer took as it wrote them."""
    files = read_manifest(content_dir)
    if not files:
        return None
    known = known or {}
    folder = os.fspath(content_dir)
    found = {}
    for name in sorted(files | {MANIFEST}):
        stat = known.get(name)
        if stat is None:
            try:
                info = os.lstat(os.path.join(folder, name))
            except OSError:
                return None
            stat = (info.st_size, info.st_mtime_ns)
        found[name] = stat
    return found


def _read(root: Path) -> Stamp | None:
    data: Any = read_json(root / STAMP)  # a symbolic link is never followed
    try:
        outputs = {str(k): (int(v[0]), int(v[1])) for k, v in data["outputs"].items()}
        return Stamp(inputs=str(data["inputs"]), outputs=outputs, summary=str(data["summary"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def unchanged(root: Path, content_dir: Path, inputs: str) -> Stamp | None:
    """Return the last clean run's stamp if its inputs hash and generated files are unchanged, else None."""
    stamp = _read(root)
    if stamp is None or stamp.inputs != inputs:
        return None
    if _outputs(content_dir) != stamp.outputs:
        return None
    return stamp


def record(
    root: Path, content_dir: Path, inputs: str, summary: str, written: Mapping[str, FileStat] | None = None
) -> None:
    """Record a clean run, so that the next run can be skipped if nothing changes.

    ``written`` holds the size and mtime of the files this run wrote, as the writer took them.
    """
    if _foreign(root):
        return
    outputs = _outputs(content_dir, written)
    if outputs is None:
        (root / STAMP).unlink(missing_ok=True)  # the generator's own, as _foreign found
        return
    data = {"inputs": inputs, "outputs": {k: list(v) for k, v in outputs.items()}, "summary": summary}
    atomic_write(root / STAMP, (json.dumps(data, indent=0, sort_keys=True) + "\n").encode("utf-8"))


def _foreign(root: Path) -> bool:
    """Whether something the generator did not write is at the stamp's name: a symbolic link, a folder, or
    a file that is no JSON object with the stamp's ``inputs``. It is left alone, and no run is skipped while
    it is there. A stamp of another version of the generator is still the generator's, to replace."""
    path = root / STAMP
    if not (path.exists() or path.is_symlink()):
        return False
    data = read_json(path)
    return not (isinstance(data, dict) and "inputs" in data)
