"""Read and check each fact file on its own, on every core when there are many files.

What one file can show about itself (its YAML, its schema, its name) is checked here,
file by file. A large project is split among worker processes: parsing is most of
the cost of a run, and every file parses independently. The workers send back each
file's data without its positions; a later check that reports a problem in a file
reads its positions again (see ``Document.forget_positions``).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.loader import Document, LoadError, load_file, parse_text
from generator.problems import Problem, suggested_id, with_article
from generator.schema_check import check_document

SCHEMA_OF_FOLDER = {"sources": "source", "entities": "entity", "policies": "policy"}
"""The schema of the files in each folder under ``facts/``."""
PARALLEL_FROM = 1000
"""Fewer files than this are read in this process: starting workers would cost more than it saves."""
BATCH = 100
"""Files a worker reads per task: few enough to share the work evenly, enough to keep messages few."""
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""An id as the schemas write it: lowercase letters and digits, in words joined by single hyphens."""
RESERVED_IDS = frozenset({"index"})
"""Ids that would name a page the generator writes for a whole section (``countries/index.md``, ...)."""


SCHEMA_LINE = "# yaml-language-server: $schema={}generator/schema/{}.schema.json"
"""The first line of every fact file in a project that ships its schemas (``generator/schema/`` beside ``facts/``):
it tells editors which schema checks the file as it is typed. A project without them has nothing to point at."""


def schema_line_problem(path: Path, doc: Document, kind: str) -> Problem | None:
    """A problem if a fact file does not start with its kind's schema line: without it, an editor checks nothing as
    the file is typed, and the pull-request check fails. ``topics.yaml`` is in ``facts/``, the others a folder down."""
    up = 1 if kind == "topics" else 2
    if not (path.parents[up] / "generator" / "schema").is_dir():  # one look per file: a run can outlive a folder
        return None
    expected = SCHEMA_LINE.format("../" * up, kind)
    if doc.first_line.rstrip() == expected:  # a space after it changes nothing for an editor
        return None
    hint = f"make the first line, exactly: {expected}"
    if doc.first_line.startswith("# yaml-language-server:"):
        return Problem(doc.path, 1, 1, f"the schema line is not the one for {with_article(kind)} file", hint=hint)
    message = "the first line is not the file's schema line, which editors check it by"
    return Problem(doc.path, 1, 1, message, hint=hint)


def reserved(id_: str) -> str:
    """Why an id in ``RESERVED_IDS`` cannot be one."""
    return f"'{id_}' cannot be an id: the index page of a section of the site has that name"


@dataclass
class Checked:
    """One fact file after its own checks."""

    folder: str
    """``sources``, ``entities`` or ``policies``."""
    doc: Document | None
    """The document, or None if it did not load, failed its schema or has an invalid name."""
    lines: tuple[int, ...] = ()
    """The line of each fact in an entity file, for messages that point at a fact."""
    problems: list[Problem] = field(default_factory=list)
    reader: int = field(default_factory=os.getpid)
    """The process that read it."""


def check_stem(doc: Document, problems: list[Problem], folder: Path | None = None) -> bool:
    """Check that the file name is a valid id; report it if not. ``folder`` holds the file, to tell a free
    name from a taken one in the hint."""
    stem = Path(doc.path).stem
    if not ID.fullmatch(stem):  # the schema's id pattern; str.islower() would let "é" or "²" through
        hint = f"rename it to '{suggested}.yaml'" if (suggested := suggested_id(stem)) else ""
        if suggested and folder is not None and (folder / f"{suggested}.yaml").exists():
            hint = f"'{suggested}.yaml' is taken: merge the two files, or rename this one to an id of its own"
        problems.append(
            Problem(
                doc.path,
                1,
                1,
                f"file name '{stem}' is not a valid id; use lowercase letters, digits and single hyphens",
                hint=hint,
            )
        )
        return False
    if stem in RESERVED_IDS:
        problems.append(
            Problem(
                doc.path,
                1,
                1,
                reserved(stem),
                hint="name the file after what it describes: its name is its id",
            )
        )
        return False
    return True


def check_file(path: Path, display: str, folder: str, text: str | None = None) -> Checked:
    """Load one file strictly and check it against its folder's schema and its name.

    ``text``, if given, is what the file is about to be written with (by ``python -m generator new``), and is
    checked in its place.
    """
    try:
        doc = load_file(path, display) if text is None else parse_text(text, display)
    except LoadError as exc:
        return Checked(folder, None, problems=[exc.problem])
    problems = list(check_document(doc, SCHEMA_OF_FOLDER[folder]))
    if problems:
        problems = _misplaced(doc, folder) or problems
    elif (wrong_line := schema_line_problem(path, doc, SCHEMA_OF_FOLDER[folder])) is not None:
        problems = [wrong_line]
    if problems or not check_stem(doc, problems, path.parent):
        return Checked(folder, None, problems=problems)
    facts = doc.data.get("facts", []) if folder == "entities" else []
    lines = tuple(doc.mark(("facts", i))[0] for i in range(len(facts)))
    doc.forget_positions()
    return Checked(folder, doc, lines, problems)


def _valid_as(doc: Document, skip: str = "") -> tuple[str, str] | None:
    """The folder and kind of fact file that a document is valid as (other than ``skip``), if any."""
    for folder, kind in SCHEMA_OF_FOLDER.items():
        if folder != skip and isinstance(doc.data, dict) and not any(check_document(doc, kind)):
            return folder, kind
    return None


def _misplaced(doc: Document, folder: str) -> list[Problem]:
    """One clear problem for a file that is valid as another folder's kind, instead of a screenful."""
    home = _valid_as(doc, skip=folder)
    if home is None:
        return []
    message = f"this is {with_article(home[1])} file, in facts/{folder}/"
    return [Problem(doc.path, 1, 1, message, hint=f"move it to facts/{home[0]}/")]


def home_hint(path: Path, shown: str) -> str:
    """For a fact file outside the three folders: the folder it belongs in, when it is valid as one kind; else ""."""
    try:
        home = _valid_as(load_file(path, shown))
    except LoadError:
        return ""
    return "" if home is None else f"this is {with_article(home[1])} file: move it to facts/{home[0]}/"


def _check_batch(batch: list[tuple[Path, str, str]]) -> list[Checked]:
    return [check_file(*item) for item in batch]


def workers() -> int:
    """How many processes to read files with: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worth_processes(files: int, jobs: int) -> bool:
    """Whether a project of this many files, on this many processes, is worth splitting among processes."""
    return jobs >= 2 and files >= PARALLEL_FROM


def start_method() -> str:
    """How to start workers: fork (nothing to import again) unless other threads run.

    Forking a process with other threads (the preview server's) could copy a lock that one of
    them holds; the forkserver method starts workers from a clean, single-threaded process.
    """
    return "fork" if threading.active_count() == 1 else "forkserver"


def check_files(
    items: list[tuple[Path, str, str]], jobs: int | None = None, method: str | None = None
) -> Iterator[Checked]:
    """Check (path, display path, folder) items, yielding results in the order given.

    With many files and more than one core, ``jobs`` worker processes share the files,
    started by ``method`` (see ``start_method``).
    """
    jobs = workers() if jobs is None else jobs
    method = method or start_method()
    if not worth_processes(len(items), jobs) or method not in multiprocessing.get_all_start_methods():
        yield from (check_file(*item) for item in items)
        return
    batches = [items[start : start + BATCH] for start in range(0, len(items), BATCH)]
    pool = multiprocessing.get_context(method).Pool(jobs)
    finished = False
    try:
        for batch in pool.imap(_check_batch, batches):
            yield from batch
        finished = True
    finally:
        if finished:
            pool.close()  # let the workers exit, so their time and memory are accounted to this process
        else:
            pool.terminate()  # an error or an interrupted caller: stop the workers now
        pool.join()
