"""Which files in ``content/`` are the generator's: the manifest, and what each file shows.

The manifest (``content/.generated.json``) lists the files the last write made. It is a file
like any other, which a pull request could add with any list in it, so a file it lists counts
as the generator's only if the file shows it too (``shows_generated``): a Markdown page with
the ``edit_path`` that generated pages carry in their front matter, ``content/.gitignore``
with the generator's header, or one of the open-data files, whose names the generator
reserves. A symbolic link is never the generator's, and never followed.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from generator import tree
from generator.export import CSV_PAGE, JSON_PAGE, SCHEMA_PAGE
from generator.problems import Problem

MANIFEST = ".generated.json"
GITIGNORE = ".gitignore"
GITIGNORE_HEADER = "# Written by `python -m generator generate`: these files are generated. Do not edit."


READ_WHOLE = -1
"""For ``existing``: the whole file (a size of its own would make ``read`` set aside that much memory)."""


def read_json(path: Path) -> object:
    """The JSON value a file holds, read whole and never through a symbolic link; None if there is no
    such file, it cannot be read, or it is no JSON."""
    found = existing(os.fspath(path), READ_WHOLE)
    if found is None or found is NOT_A_FILE:
        return None
    try:
        return json.loads(found)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        return None


def read_manifest(content_dir: Path) -> set[str]:
    """Return the paths the generator wrote last time (empty if none, unreadable, or a symbolic link)."""
    data = read_json(content_dir / MANIFEST)
    files = data.get("files", []) if isinstance(data, dict) else []
    return {f for f in files if isinstance(f, str) and _safe_relative(f)}


def _safe_relative(path: str) -> bool:
    """A path as the writer writes one: relative, inside, and spelt one way only (no ``.``, no ``//``)."""
    pure = PurePosixPath(path)
    plain = pure.as_posix() == path and "." not in path.split("/")
    return plain and not pure.is_absolute() and ".." not in pure.parts and "\x00" not in path and bool(path)


DATA_FILES = frozenset({JSON_PAGE, CSV_PAGE, SCHEMA_PAGE})
"""Generated files that carry no front matter: their names in ``content/`` are the generator's."""
HEAD_BYTES = 64 * 1024
"""How much of a file ``shows_generated`` reads: more than any generated page's front matter holds
(a title of 4,000 characters, each written as a six-byte escape, takes 24,000)."""


def shows_generated(name: str, start: bytes) -> bool:
    """Whether a file in ``content/``, from its first bytes, is one the generator writes."""
    if name in DATA_FILES:
        return True
    if name == GITIGNORE:
        return start.startswith(GITIGNORE_HEADER.encode())
    if not name.endswith(".md") or not start.startswith(b"---\n"):
        return False
    front_matter = start[4:].split(b"\n---\n", 1)[0]
    return any(line.startswith(b"edit_path: ") for line in front_matter.split(b"\n"))


def linked_folder(folder: Path) -> Problem | None:
    """A problem if an output folder (``content/``, ``site/``, ``dist/``) is a symbolic link, or a file.

    Whatever a run wrote into a link would land wherever it points, outside the project; a file
    by that name is someone's, which the run would move aside to put its folder in place.
    """
    if folder.exists() and not folder.is_dir() and not folder.is_symlink():
        return Problem(
            folder.as_posix(),
            0,
            0,
            "is a file, not a folder; the generator writes only into a folder, and replaces no file it did not make",
            hint="move the file away or rename it",
        )
    if not folder.is_symlink():
        return None
    return Problem(
        folder.as_posix(),
        0,
        0,
        "is a symbolic link; the generator writes only into a real folder",
        hint="replace the link with a real folder",
    )


def conflict(content_dir: Path, name: str, owned: set[str]) -> Problem | None:
    """A problem if a generated path would overwrite a hand-written file."""
    target = content_dir / name
    if name in owned or not (target.exists() or target.is_symlink()):
        return None
    if name == MANIFEST:  # the manifest lists itself: this one is no manifest the generator wrote
        return Problem(
            target.as_posix(),
            0,
            0,
            f"{MANIFEST} is where the generator lists the files it wrote, and this file is no such list; "
            "the generator will not overwrite it",
            hint="move the file away: the next run writes a new list",
        )
    if written_by_generator(name, existing(os.fspath(target), HEAD_BYTES)):
        return Problem(
            target.as_posix(),
            0,
            0,
            "a generated page that no run here wrote (committed to Git, or copied in) is where this run must write "
            "it; the generator will not overwrite it",
            hint="generated pages are not kept in Git: remove it (git rm --cached, then delete the file), and the "
            "next run writes it from facts/",
        )
    return Problem(
        target.as_posix(),
        0,
        0,
        "a hand-written file is where a generated page must go; the generator will not overwrite it",
        hint="rename the hand-written file, or rename the entity or source that generates this page",
    )


def disowned(target: str) -> Problem:
    """A problem for a file the manifest lists as generated that does not show it (``shows_generated``)."""
    return Problem(
        Path(target).as_posix(),
        0,
        0,
        f"{MANIFEST} lists this file as generated, but it is not a page the generator writes "
        "(a generated page has edit_path in its front matter); the generator will not overwrite it",
        hint="if you edited a generated page, or an earlier version of the generator wrote it, delete it: "
        "the next run writes it again from facts/",
    )


def kept(name: str) -> Problem:
    """A warning for a page the last write made, this one does not, and that no longer shows it is generated."""
    return Problem(
        f"content/{name}",
        0,
        0,
        f"{MANIFEST} listed this file as generated, but it does not show it (a generated page has edit_path "
        "in its front matter), so it was left in place, and is now a hand-written file",
        severity="warning",
        hint="delete it if nothing needs it",
    )


def strays(content_dir: Path) -> list[Problem]:
    """An error for each file in a folder of ``content/`` the generator writes into (but ``content/`` itself), or
    below one, that its last write did not make: MkDocs would publish it beside the generated pages, with nothing
    checked. A page the generator made once but that no longer shows it (``kept``) is one of them.

    A symbolic link anywhere in ``content/`` is an error too (``links``). Names starting with a dot, and what is
    below them, are left alone, as MkDocs leaves them out of the site."""
    listed = read_manifest(content_dir)
    folders = {name.rpartition("/")[0] for name in listed} - {""}
    found = []
    for parts, entry in tree.walk(os.fspath(content_dir), lambda parts, exc: None):
        name = "/".join(parts)
        if any(part.startswith(".") for part in parts):
            continue
        if entry.is_symlink():
            found.append(_published_link(f"content/{name}"))
            continue
        if name in listed:
            continue
        if any("/".join(parts[:depth]) in folders for depth in range(1, len(parts))):  # in one, or below one
            found.append(
                Problem(
                    f"content/{name}",
                    0,
                    0,
                    f"a file that is not one of the generated pages, in content/{parts[0]}/, where every page is "
                    "generated from facts/; the site would publish it unchecked",
                    hint="put what it says into facts/, with its sources; a page of the site's own, like about.md, "
                    "goes at the top of content/",
                )
            )
    return found


def links(folder: Path, shown: str) -> list[Problem]:
    """An error for each symbolic link in the theme's folder (``overrides/``; ``strays`` reads ``content/``), or for
    the folder if it is one: MkDocs copies its files, and its templates can include any file in it, dot-named too."""
    if folder.is_symlink():
        return [_published_link(shown)]
    return [
        _published_link(f"{shown}/{'/'.join(parts)}")
        for parts, entry in tree.walk(os.fspath(folder), lambda parts, exc: None)
        if entry.is_symlink()
    ]


def _published_link(shown: str) -> Problem:
    return Problem(
        shown,
        0,
        0,
        "a symbolic link; MkDocs would publish what it points to, which can be any file on the machine that builds "
        "the site",
        hint="put the file itself here, or remove the link",
    )


NOT_A_FILE = b"\0 not a regular file"
"""What ``existing`` returns for a symbolic link (never followed), a folder or a file it cannot read."""


def existing(path: str, size: int) -> bytes | None:
    """Up to ``size`` bytes of an existing file, ``NOT_A_FILE`` for anything else there, None if nothing is."""
    try:
        with open(path, "rb", opener=_no_follow) as existing:
            return existing.read(size)
    except FileNotFoundError:
        return None
    except OSError:
        return NOT_A_FILE


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)


def linked(path: str) -> Problem:
    return Problem(
        Path(path).as_posix(),
        0,
        0,
        "a symbolic link or a file is where the generator must write a folder or a page; it will not write through it",
        hint="remove it: the generator makes the folders and pages it needs",
    )


def written_by_generator(name: str, found: bytes | None) -> bool:
    """Whether what ``existing`` found at a path in ``content/`` is a file the generator writes."""
    return found is not None and found is not NOT_A_FILE and shows_generated(name, found[:HEAD_BYTES])


STAGING_MARK = ".generator-staging"
"""A file in each folder the generator makes to stage a write (``content/.generate-*``, ``.site-build-*``): a
folder of such a name that an interrupted run left is removed by the next run only if it holds the mark, so a
folder that only has the name, such as one a pull request commits, is left alone."""


def make_staging(parent: Path, prefix: str) -> Path:
    """Make a new, marked staging folder in ``parent``, named ``prefix`` and a random part."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    (folder / STAGING_MARK).write_bytes(b"")
    return folder


def remove_staging_folder(folder: Path, *, ignore_errors: bool = False) -> None:
    """Remove a staging folder, its mark last: a run killed while removing it leaves one the next run removes."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name == STAGING_MARK:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
        (folder / STAGING_MARK).unlink(missing_ok=True)
        folder.rmdir()
    except OSError:
        if not ignore_errors:
            raise


def is_staging(folder: Path) -> bool:
    """Whether a folder is a staging folder the generator made: a real folder holding the mark, a real file."""
    mark = folder / STAGING_MARK
    return folder.is_dir() and not folder.is_symlink() and mark.is_file() and not mark.is_symlink()
