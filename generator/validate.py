"""Load every fact file, check it against its schema and across files, and build the model."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator import chronology, citations, collector, lifecycle, progress, tree
from generator.crosscheck import cross_check, same_names, unused_problems
from generator.filecheck import SCHEMA_OF_FOLDER, check_files, home_hint, schema_line_problem
from generator.loader import Document, LoadError, decode_utf8, load_file
from generator.model import Corpus, Entity, Fact, Policy, Topic
from generator.problems import Problem, line_column, sort_problems
from generator.records import build_entity, build_sources, folded, stem_id, under
from generator.schema_check import check_document

MAX_SNAPSHOT_BYTES = 8 * 1024 * 1024
"""Stored article texts larger than this are refused: a long article is under 100 KB."""
MAX_STORED_BYTES = 128 * 1024 * 1024
"""All stored texts together may be this large: thousands of articles. Checking a text holds about ten bytes of
memory for each of its characters, so a pull request of texts near ``MAX_SNAPSHOT_BYTES`` each could otherwise
take all of a machine's memory."""
GIT_FILES = frozenset({".gitattributes", ".gitignore", ".gitmodules"})
"""Files Git reads from any folder: under facts/, one could make a diff hide a change to the facts."""
GIT_HINT = "remove it: Git reads it, and under facts/ it could make `git diff` or GitHub hide a change to the facts"


@dataclass
class Inputs:
    """The documents of a fact tree that passed their schema, by file type, and what was built from them."""

    topics: Document | None = None
    sources: list[Document] = field(default_factory=list)
    entities: list[Document] = field(default_factory=list)
    policies: list[Document] = field(default_factory=list)
    snapshots: dict[str, bytes] = field(default_factory=dict)
    unread: set[str] = field(default_factory=set)
    """Stored texts present but refused (too large, or not a regular file), whose problem is already reported."""
    built: list[tuple[Entity, list[Fact]]] = field(default_factory=list)
    """The entity and facts of each document in ``entities``, in the same order."""
    present: dict[str, set[str]] = field(default_factory=lambda: {folder: set() for folder in SCHEMA_OF_FOLDER})
    """The ids of every file under each folder of fact files (``sources``, ``entities`` ...), loaded or not."""


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
"""Control characters that no published text holds (a tab, a line end and a form feed it may). The C1 ones,
U+0080 to U+009F, are what a text saved in a Windows code page and then read as Latin-1 shows for its
curly quotes and dashes."""


def _stored_text_problem(stored: bytes, shown: str) -> Problem | None:
    """Why a stored text cannot be read as the article's words: not UTF-8, or a control character in it.

    Passages are matched against the text, so it must read as it was written.
    """
    try:
        text = decode_utf8(stored, shown)
    except LoadError as exc:
        return exc.problem
    found = _CONTROL.search(text)
    if found is None:
        return None
    message = f"stored text holds the control character U+{ord(found.group()):04X}, which no published text does"
    hint = "copy the article's text again from its page, and save it as UTF-8"
    return Problem(shown, *line_column(text, found.start()), message, hint=hint)


def linked_facts(folder: Path, root: Path) -> Problem | None:
    """The problem with ``facts`` or a folder in it that is a symbolic link, which is never followed: a
    pull request can make one a link to any folder on the machine that runs the checks."""
    if not folder.is_symlink():
        return None
    message = "the folder is a symbolic link, which the generator never follows"
    return Problem(_display(folder, root), 0, 0, message, hint="make it a folder of the project itself")


def discover(facts_dir: Path, root: Path, jobs: int | None = None) -> tuple[Inputs, list[Problem]]:
    """Find, strictly load and check on its own every file under the facts folder.

    Each file is checked against its schema and its positions are freed as soon as it is
    read, so memory holds the data of every file but the positions of one at a time. With
    many files, ``jobs`` processes share the reading (see ``generator.filecheck``).
    """
    inputs = Inputs()
    problems: list[Problem] = []
    if not facts_dir.is_dir():
        found = Problem(
            _display(facts_dir, root),
            0,
            0,
            f"facts folder not found (looked for {facts_dir.absolute()})",
            hint="run the command in the project's folder, or point --root at it",
        )
        return inputs, [found]
    if (linked := linked_facts(facts_dir, root)) is not None:
        return inputs, [linked]
    yaml_files: list[tuple[Path, str, str]] = []
    prefix = _display(facts_dir, root)
    stored_bytes = 0
    for rel, entry in walk(facts_dir, problems, prefix):
        shown = under(prefix, *rel)
        if rel[-1] in GIT_FILES:
            problems.append(Problem(shown, 0, 0, "a file of Git settings; not allowed under facts/", hint=GIT_HINT))
            continue
        if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
            # A pull request can add a symlink to any file on the CI machine; never follow one.
            problems.append(
                Problem(
                    shown,
                    0,
                    0,
                    "not a regular file (symbolic link or special file); not read",
                    hint="put the file itself here: a link is never followed, since it could point anywhere",
                )
            )
            if len(rel) == 2 and rel[0] == "sources":
                inputs.unread.add(rel[1])
            continue
        path = Path(entry.path)
        if rel == ("topics.yaml",):
            try:
                inputs.topics = load_file(path, shown)
            except LoadError as exc:
                problems.append(exc.problem)
            else:
                problems.extend(filter(None, [schema_line_problem(path, inputs.topics, "topics")]))
        elif len(rel) == 2 and rel[0] in SCHEMA_OF_FOLDER and rel[1].endswith(".yaml"):
            yaml_files.append((path, shown, rel[0]))
        elif len(rel) == 2 and rel[0] == "sources" and rel[1].endswith(".txt"):
            size = entry.stat(follow_symlinks=False).st_size
            if size > MAX_SNAPSHOT_BYTES:
                problems.append(Problem(shown, 0, 0, f"stored text is larger than {MAX_SNAPSHOT_BYTES} bytes"))
                inputs.unread.add(rel[1])
                continue
            if stored_bytes + size > MAX_STORED_BYTES:
                message = f"the stored texts come to more than {MAX_STORED_BYTES} bytes with this one; not read"
                problems.append(Problem(shown, 0, 0, message, hint="store each article's text alone, as published"))
                inputs.unread.add(rel[1])
                continue
            stored_bytes += size
            try:
                stored = path.read_bytes()
            except OSError as exc:  # unreadable: say so here, and go on to every other problem
                reason = exc.strerror or type(exc).__name__
                hint = "make the file readable (its permissions), or store the text again"
                problems.append(Problem(shown, 0, 0, f"stored text cannot be read: {reason}", hint=hint))
                inputs.unread.add(rel[1])
                continue
            if (refused := _stored_text_problem(stored, shown)) is not None:
                problems.append(refused)
                inputs.unread.add(rel[1])
                continue
            inputs.snapshots[rel[1]] = stored
        else:
            expected = "facts/topics.yaml, facts/{sources,entities,policies}/*.yaml or facts/sources/*.txt"
            hint = "YAML files end in .yaml" if path.suffix in (".yml", ".YAML") else ""
            if path.suffix == ".yaml" and rel != ("topics.yaml",) and (len(rel) == 1 or rel[0] in SCHEMA_OF_FOLDER):
                hint = home_hint(path, shown) or (
                    "fact files go into facts/entities/, facts/sources/ or facts/policies/"
                    + (", in no subfolder" if len(rel) > 1 else "")
                )
            problems.append(Problem(shown, 0, 0, f"unexpected file; expected {expected}", hint=hint))
    inputs.present = _present(facts_dir, prefix, problems)
    for number, checked in enumerate(check_files(yaml_files, jobs), start=1):
        progress.tick("load", number, len(yaml_files))
        problems.extend(checked.problems)
        if checked.doc is not None:
            getattr(inputs, checked.folder).append(checked.doc)
            if checked.folder == "entities":
                inputs.built.append(build_entity(checked.doc, checked.lines, problems))
    if inputs.topics is None and not any(p.file.endswith("topics.yaml") for p in problems):
        problems.append(Problem(_display(facts_dir / "topics.yaml", root), 0, 0, "missing topic vocabulary file"))
    return inputs, problems


def _present(facts_dir: Path, prefix: str, problems: list[Problem]) -> dict[str, set[str]]:
    """The ids of every fact file in each folder of them, loaded or not, from one listing of each folder.

    A folder named as a fact file (``serbia.yaml/``) is reported: the walk yields no file for it, even if it is
    empty, but its name makes its id one whose file is flawed, and every reference to it would pass unchecked."""
    present: dict[str, set[str]] = {}
    for folder in SCHEMA_OF_FOLDER:
        listed, ids = facts_dir / folder, present.setdefault(folder, set())
        try:
            entries = sorted(os.scandir(listed), key=lambda entry: entry.name) if listed.is_dir() else []
        except OSError:  # reported by the walk
            continue
        for entry in entries:
            if entry.name.startswith(".") or not fnmatch.fnmatch(entry.name, "*.y*ml"):
                continue
            ids.add(Path(entry.name).stem)
            if entry.is_dir(follow_symlinks=False) and not listed.is_symlink():
                hint = "put the fact file itself here, or remove the folder"
                problems.append(
                    Problem(under(prefix, folder, entry.name), 0, 0, "a folder, not a fact file", hint=hint)
                )
    return present


def walk(folder: Path, problems: list[Problem], shown: str) -> Iterator[tuple[tuple[str, ...], os.DirEntry[str]]]:
    """Every entry under a folder but its folders, as (path parts under it, entry), sorted by parts.

    Names starting with a dot are skipped, with everything under them, but for Git's own files (``GIT_FILES``),
    which discovery refuses; a folder that cannot be
    listed is a problem. Symbolic links are yielded, never followed (``generator.tree.walk``).
    """

    def unreadable(parts: tuple[str, ...], exc: OSError) -> None:
        problems.append(Problem(under(shown, *parts), 0, 0, f"cannot read folder: {exc.strerror or exc}"))

    return tree.walk(os.fspath(folder), unreadable, hidden=False, named=GIT_FILES)


def load_corpus(
    facts_dir: Path, root: Path | None = None, today: dt.date | None = None, jobs: int | None = None
) -> tuple[Corpus | None, list[Problem]]:
    """Load, check and model the whole fact tree; return the corpus (None on errors) and all problems.

    ``jobs`` is the number of processes that read the files; None means one per core.
    """
    with collector.fewer_collections():
        return _load_corpus(facts_dir, root or facts_dir.parent, today, jobs)


def _load_corpus(
    facts_dir: Path, root: Path, today: dt.date | None, jobs: int | None
) -> tuple[Corpus | None, list[Problem]]:
    inputs, problems = discover(facts_dir, root, jobs)
    topics: list[Topic] = []
    if inputs.topics is not None:
        found = list(check_document(inputs.topics, "topics"))
        problems.extend(found)
        if not found:
            topics = [
                Topic(id=k, title=v["title"], description=folded(v.get("description", "")))
                for k, v in inputs.topics.data.items()
            ]
    sources, trusted = build_sources(inputs.sources, inputs.snapshots, problems, inputs.unread)
    entities, facts = [], []
    for entity, entity_facts in inputs.built:
        entities.append(entity)
        facts.extend(entity_facts)
    policies = [
        Policy(
            id=stem_id(d),
            title=d.data["title"],
            summary=folded(d.data["summary"]),
            actors=tuple(d.data["actors"]),
            file=d.path,
        )
        for d in sorted(inputs.policies, key=lambda d: d.path)
    ]
    corpus = Corpus(
        sources=tuple(sorted(sources, key=lambda s: s.id)),
        entities=tuple(sorted(entities, key=lambda e: e.id)),
        facts=tuple(facts),
        topics=tuple(topics),
        policies=tuple(policies),
    )
    present = inputs.present  # every source or entity file, even one that did not load or failed its schema
    flawed = (present["sources"] | present["entities"]) - ({s.id for s in sources} | {e.id for e in entities})
    shown = _display(facts_dir / "sources", root)
    corpus, found = citations.check_sourcing(corpus, inputs.entities, trusted, today, frozenset(flawed), shown)
    problems.extend(found)
    # What lies in the future is judged by the calendar, not by SOURCE_DATE_EPOCH, which pins a build's
    # timestamps to any moment, often long past.
    calendar_today = today or lifecycle.calendar_today()
    problems.extend(chronology.source_problems(inputs.sources, sources, calendar_today))
    problems.extend(chronology.dating_problems(inputs.entities, corpus, calendar_today))
    problems.extend(cross_check(inputs.entities, inputs.policies, corpus, frozenset(flawed)))
    problems.extend(same_names(inputs.entities, inputs.topics, corpus))
    clean = not any(p.severity == "error" for p in problems)
    # A source file that did not load names no stored text; until it loads, no text is called stray.
    stored = inputs.snapshots if present["sources"] <= {s.id for s in sources} else {}
    problems.extend(unused_problems((inputs.sources, inputs.entities), corpus, stored, shown, uncited=clean))
    problems = sort_problems(problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return corpus, problems
