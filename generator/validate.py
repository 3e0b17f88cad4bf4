"""Load every fact file, check it against its schema and across files, and build the model."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import chronology, citations, collector, lifecycle, progress, tree
from generator.crosscheck import cross_check, same_names, unused_problems
from generator.filecheck import KINDS, check_files, home_hint
from generator.loader import DataPath, Document, LoadError, load_file
from generator.model import (
    Citation,
    Corpus,
    DateSpec,
    Entity,
    Fact,
    Policy,
    Role,
    RoleMention,
    Snapshot,
    Source,
    SourceStatus,
    Topic,
    calendar_problem,
)
from generator.problems import Problem, sort_problems
from generator.schema_check import check_document

MAX_SNAPSHOT_BYTES = 8 * 1024 * 1024
"""Stored article texts larger than this are refused: a long article is under 100 KB."""


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


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


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
    yaml_files: list[tuple[Path, str, str]] = []
    prefix = _display(facts_dir, root)
    for rel, entry in walk(facts_dir, problems, prefix):
        shown = _under(prefix, *rel)
        if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
            # A pull request can add a symlink to any file on the CI machine; never follow one.
            problems.append(Problem(shown, 0, 0, "not a regular file (symbolic link or special file); not read"))
            if len(rel) == 2 and rel[0] == "sources":
                inputs.unread.add(rel[1])
            continue
        path = Path(entry.path)
        if rel == ("topics.yaml",):
            try:
                inputs.topics = load_file(path, shown)
            except LoadError as exc:
                problems.append(exc.problem)
        elif len(rel) == 2 and rel[0] in KINDS and rel[1].endswith(".yaml"):
            yaml_files.append((path, shown, rel[0]))
        elif len(rel) == 2 and rel[0] == "sources" and rel[1].endswith(".txt"):
            if entry.stat(follow_symlinks=False).st_size > MAX_SNAPSHOT_BYTES:
                problems.append(Problem(shown, 0, 0, f"stored text is larger than {MAX_SNAPSHOT_BYTES} bytes"))
                inputs.unread.add(rel[1])
                continue
            inputs.snapshots[rel[1]] = path.read_bytes()
        else:
            expected = "facts/topics.yaml, facts/{sources,entities,policies}/*.yaml or facts/sources/*.txt"
            hint = "YAML files end in .yaml" if path.suffix in (".yml", ".YAML") else ""
            if path.suffix == ".yaml" and rel != ("topics.yaml",) and (len(rel) == 1 or rel[0] in KINDS):
                hint = home_hint(path, shown) or (
                    "fact files go into facts/entities/, facts/sources/ or facts/policies/"
                    + (", in no subfolder" if len(rel) > 1 else "")
                )
            problems.append(Problem(shown, 0, 0, f"unexpected file; expected {expected}", hint=hint))
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


def walk(folder: Path, problems: list[Problem], shown: str) -> Iterator[tuple[tuple[str, ...], os.DirEntry[str]]]:
    """Every entry under a folder but its folders, as (path parts under it, entry), sorted by parts.

    Names starting with a dot are skipped, with everything under them; a folder that cannot be
    listed is a problem. Symbolic links are yielded, never followed (``generator.tree.walk``).
    """

    def unreadable(parts: tuple[str, ...], exc: OSError) -> None:
        problems.append(Problem(_under(shown, *parts), 0, 0, f"cannot read folder: {exc.strerror or exc}"))

    return tree.walk(os.fspath(folder), unreadable, hidden=False)


def _under(folder: str, *parts: str) -> str:
    """A displayed path inside a displayed folder."""
    return "/".join(parts if folder == "." else (folder, *parts)) or folder


def _stem_id(doc: Document) -> str:
    return Path(doc.path).stem


_PLAIN_DATES: dict[str, DateSpec] = {}
"""Valid dates written as plain strings, which repeat across facts: each is checked and built once."""


def parse_date(doc: Document, path: DataPath, raw: Any, problems: list[Problem]) -> DateSpec:
    """Turn a schema-valid date value into a DateSpec, checking it is a real calendar date."""
    if isinstance(raw, str) and raw in _PLAIN_DATES:
        return _PLAIN_DATES[raw]
    data = raw if isinstance(raw, dict) else {"value": raw}
    value = str(data["value"])
    parts = value.split("-")
    if wrong := calendar_problem(value):
        problems.append(doc.problem((*path, "value") if isinstance(raw, dict) else path, wrong))
        # Keep going with the year alone (year 0 does not exist: the first), so later checks can run.
        value = parts[0] if int(parts[0]) >= dt.MINYEAR else f"{dt.MINYEAR:04d}"
        parts = [value]
        raw = None  # not remembered: every use of a wrong date is reported
    precision = ("year", "month", "day")[len(parts) - 1]
    if precision == "day" and data.get("qualifier"):
        problems.append(
            doc.problem(
                (*path, "qualifier"),
                f"'{data['qualifier']}' needs a date given as a year or a month; this one is a day",
                hint="drop the qualifier, or give the year or month the source names",
            )
        )
    spec = DateSpec(
        value=value,
        precision=precision,  # type: ignore[arg-type]
        qualifier=data.get("qualifier", ""),
        certainty=data.get("certainty", "exact"),
        note=" ".join(data.get("note", "").split()),
    )
    if isinstance(raw, str) and len(_PLAIN_DATES) < 1 << 16:
        _PLAIN_DATES[raw] = spec
    return spec


def _citations(raw: list[dict[str, str]]) -> tuple[Citation, ...]:
    return tuple(
        Citation(source=c["source"], passage=" ".join(c.get("passage", "").split()), via=tuple(c.get("via", ())))
        for c in raw
    )


def _text(value: str) -> str:
    """Fold the line breaks of a YAML block scalar into single spaces."""
    return " ".join(value.split())


def build_sources(
    docs: list[Document], snapshots: dict[str, bytes], problems: list[Problem], unread: Iterable[str] = ()
) -> tuple[list[Source], dict[str, bytes]]:
    """Build Source values and check their stored texts; return them and the texts that match their hash.

    Only a stored text that matches its recorded hash can verify passages; a changed one is an error.
    """
    sources, trusted = [], {}
    for doc in docs:
        data: dict[str, Any] = doc.data
        snapshot = None
        if "snapshot" in data:
            snap = data["snapshot"]
            snapshot = Snapshot(file=snap["file"], sha256=snap["sha256"])
            content = snapshots.get(snapshot.file)
            if content is None:
                if snapshot.file not in unread:  # one there but refused has its own problem, which says why
                    problems.append(
                        doc.problem(("snapshot", "file"), f"snapshot file '{snapshot.file}' not found beside this file")
                    )
            elif (actual := hashlib.sha256(content).hexdigest()) == snapshot.sha256:
                trusted[snapshot.file] = content
            else:
                hint = (
                    f"its SHA-256 is {actual}; if you are adding this source, record that hash; "
                    "if not, restore the original text rather than the hash"
                )
                if hashlib.sha256(content.replace(b"\r\n", b"\n")).hexdigest() == snapshot.sha256:
                    hint = "its line ends were changed to CRLF after it was recorded, by a checkout or an editor; "
                    stored = _under(posixpath.dirname(doc.path) or ".", snapshot.file)
                    hint += f"restore the original bytes: delete the file, then run git checkout -- {stored}"
                problems.append(
                    doc.problem(
                        ("snapshot", "sha256"),
                        f"snapshot '{snapshot.file}' does not match its recorded SHA-256: the text or the hash differs",
                        hint=hint,
                    )
                )
        sources.append(
            Source(
                id=_stem_id(doc),
                title=_text(data["title"]),
                publisher=data["publisher"],
                url=data["url"],
                language=data["language"],
                published=parse_date(doc, ("published",), data["published"], problems),
                accessed=parse_date(doc, ("accessed",), data["accessed"], problems),
                byline=data.get("byline", ""),
                relays=tuple(data.get("relays", ())),
                carried_by=data.get("carried_by", ""),
                snapshot=snapshot,
                note=_text(data.get("note", "")),
                file=doc.path,
                status=_status(doc, data.get("status"), problems),
            )
        )
    return sources, trusted


def _status(doc: Document, raw: dict[str, str] | None, problems: list[Problem]) -> SourceStatus | None:
    if raw is None:
        return None
    return SourceStatus(
        state=raw["state"],  # type: ignore[arg-type]
        date=parse_date(doc, ("status", "date"), raw["date"], problems),
        note=_text(raw.get("note", "")),
        archive_url=raw.get("archive_url", ""),
    )


def build_entity(doc: Document, lines: tuple[int, ...], problems: list[Problem]) -> tuple[Entity, list[Fact]]:
    """Build one Entity and its Facts from a schema-valid document, given the line of each fact."""
    data: dict[str, Any] = doc.data
    entity_id = _stem_id(doc)
    default_valid_for = data.get("valid_for", "")
    roles = []
    for i, r in enumerate(data.get("roles", [])):
        as_of = parse_date(doc, ("roles", i, "as_of"), r["as_of"], problems)
        valid_for = r.get("valid_for", default_valid_for)
        roles.append(
            Role(
                title=r["title"],
                as_of=as_of,
                citations=_citations(r["citations"]),
                of=r.get("of", ""),
                valid_for=valid_for,
                review=lifecycle.review_date(as_of.start, valid_for) if valid_for else None,
            )
        )
    entity = Entity(
        id=entity_id,
        name=data["name"],
        type=data["type"],
        article=data.get("article", ""),
        aliases=tuple(data.get("aliases", ())),
        roles=tuple(roles),
        file=doc.path,
        valid_for=default_valid_for,
    )
    facts = []
    for i, raw in enumerate(data.get("facts", [])):
        date = parse_date(doc, ("facts", i, "date"), raw["date"], problems)
        timing = raw.get("timing", "as-of" if raw["kind"] == "report" else "event")  # what is said, is said on a day
        valid_for = raw.get("valid_for", default_valid_for) if timing == "as-of" else ""
        if timing == "event" and "valid_for" in raw:
            problems.append(
                doc.problem(
                    ("facts", i, "valid_for"),
                    "an event does not go out of date: it happened or was said on its date",
                    hint="remove valid_for; or, if the fact is a state that holds as of its date, write 'timing: as-of'"
                    + ("" if "timing" in raw else " (a claim or a quote is an event unless it says so)"),
                )
            )
        facts.append(
            Fact(
                id=raw["id"],
                kind=raw["kind"],
                text=_text(raw["text"]),
                date=date,
                topics=tuple(raw["topics"]),
                entity=entity_id,
                about=tuple(a for a in raw.get("about", ()) if a != entity_id),
                citations=_citations(raw["citations"]),
                speaker=raw.get("speaker", ""),
                key=raw.get("key", ""),
                file=doc.path,
                line=lines[i],
                valid_for=valid_for,
                review=lifecycle.review_date(date.start, valid_for) if valid_for else None,  # no date to build
                roles=tuple(
                    RoleMention(person=m["person"], title=m["title"], words=m.get("words", m["title"]))
                    for m in raw.get("roles", [])
                ),
                timing=timing,
            )
        )
    return entity, facts


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
                Topic(id=k, title=v["title"], description=_text(v.get("description", "")))
                for k, v in inputs.topics.data.items()
            ]
    sources, trusted = build_sources(inputs.sources, inputs.snapshots, problems, inputs.unread)
    entities, facts = [], []
    for entity, entity_facts in inputs.built:
        entities.append(entity)
        facts.extend(entity_facts)
    policies = [
        Policy(
            id=_stem_id(d),
            title=d.data["title"],
            summary=_text(d.data["summary"]),
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
    corpus, found = citations.check_sourcing(corpus, inputs.entities, trusted, today)
    problems.extend(found)
    # What lies in the future is judged by the calendar, not by SOURCE_DATE_EPOCH, which pins a build's
    # timestamps to any moment, often long past.
    calendar_today = today or lifecycle.calendar_today()
    problems.extend(chronology.source_problems(inputs.sources, sources, calendar_today))
    problems.extend(chronology.dating_problems(inputs.entities, corpus, calendar_today))
    # Every source or entity file present, even one that did not load or failed its schema.
    present = {folder: {p.stem for p in (facts_dir / folder).glob("*.y*ml")} for folder in ("sources", "entities")}
    flawed = (present["sources"] | present["entities"]) - ({s.id for s in sources} | {e.id for e in entities})
    problems.extend(cross_check(inputs.entities, inputs.policies, corpus, frozenset(flawed)))
    problems.extend(same_names(inputs.entities, inputs.topics, corpus))
    clean = not any(p.severity == "error" for p in problems)
    shown = _display(facts_dir / "sources", root)
    # A source file that did not load names no stored text; until it loads, no text is called stray.
    stored = inputs.snapshots if present["sources"] <= {s.id for s in sources} else {}
    problems.extend(unused_problems((inputs.sources, inputs.entities), corpus, stored, shown, uncited=clean))
    problems = sort_problems(problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return corpus, problems
