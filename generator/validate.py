"""Load every fact file, check it against its schema and across files, and build the model."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import progress
from generator.loader import DataPath, Document, LoadError, load_file
from generator.model import (
    Citation,
    Corpus,
    DateSpec,
    Entity,
    Fact,
    Policy,
    Role,
    Snapshot,
    Source,
    Topic,
)
from generator.problems import Problem, sort_problems
from generator.schema_check import check_document

SPEAKER_TYPES = ("person", "organisation")
FOLDERS = {"sources": "source", "entities": "entity", "policies": "policy"}


@dataclass
class Inputs:
    """The loaded documents of a fact tree, by file type, before any checking."""

    topics: Document | None = None
    sources: list[Document] = field(default_factory=list)
    entities: list[Document] = field(default_factory=list)
    policies: list[Document] = field(default_factory=list)
    snapshots: dict[str, bytes] = field(default_factory=dict)


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def discover(facts_dir: Path, root: Path) -> tuple[Inputs, list[Problem]]:
    """Find and strictly load every YAML file under the facts folder."""
    inputs, problems = Inputs(), []
    if not facts_dir.is_dir():
        return inputs, [Problem(_display(facts_dir, root), 0, 0, "facts folder not found")]

    def load(path: Path) -> Document | None:
        try:
            return load_file(path, _display(path, root))
        except LoadError as exc:
            problems.append(exc.problem)
            return None

    paths = sorted(facts_dir.rglob("*"))
    for number, path in enumerate(paths, start=1):
        progress.tick("load", number, len(paths))
        if path.is_dir() or path.name.startswith("."):
            continue
        rel = path.relative_to(facts_dir).parts
        shown = _display(path, root)
        if rel == ("topics.yaml",):
            inputs.topics = load(path)
        elif len(rel) == 2 and rel[0] in FOLDERS and path.suffix == ".yaml":
            doc = load(path)
            if doc is not None:
                getattr(inputs, rel[0]).append(doc)
        elif len(rel) == 2 and rel[0] == "sources" and path.suffix == ".txt":
            inputs.snapshots[path.name] = path.read_bytes()
        else:
            expected = "facts/topics.yaml, facts/{sources,entities,policies}/*.yaml or facts/sources/*.txt"
            hint = "YAML files end in .yaml" if path.suffix in (".yml", ".YAML") else ""
            problems.append(Problem(shown, 0, 0, f"unexpected file; expected {expected}", hint=hint))
    if inputs.topics is None and not any(p.file.endswith("topics.yaml") for p in problems):
        problems.append(Problem(_display(facts_dir / "topics.yaml", root), 0, 0, "missing topic vocabulary file"))
    return inputs, problems


def _stem_id(doc: Document) -> str:
    return Path(doc.path).stem


def parse_date(doc: Document, path: DataPath, raw: Any, problems: list[Problem]) -> DateSpec:
    """Turn a schema-valid date value into a DateSpec, checking it is a real calendar date."""
    data = raw if isinstance(raw, dict) else {"value": raw}
    value = str(data["value"])
    parts = value.split("-")
    try:
        dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        problems.append(
            doc.problem((*path, "value") if isinstance(raw, dict) else path, f"'{value}' is not a calendar date")
        )
    precision = ("year", "month", "day")[len(parts) - 1]
    return DateSpec(
        value=value,
        precision=precision,  # type: ignore[arg-type]
        qualifier=data.get("qualifier", ""),
        certainty=data.get("certainty", "exact"),
        note=" ".join(data.get("note", "").split()),
    )


def _citations(raw: list[dict[str, str]]) -> tuple[Citation, ...]:
    return tuple(Citation(source=c["source"], passage=" ".join(c.get("passage", "").split())) for c in raw)


def _text(value: str) -> str:
    """Fold the line breaks of a YAML block scalar into single spaces."""
    return " ".join(value.split())


def build_sources(docs: list[Document], snapshots: dict[str, bytes], problems: list[Problem]) -> list[Source]:
    """Build Source values and check their stored snapshots."""
    sources = []
    for doc in docs:
        data: dict[str, Any] = doc.data
        snapshot = None
        if "snapshot" in data:
            snap = data["snapshot"]
            snapshot = Snapshot(file=snap["file"], sha256=snap["sha256"])
            content = snapshots.get(snapshot.file)
            if content is None:
                problems.append(
                    doc.problem(("snapshot", "file"), f"snapshot file '{snapshot.file}' not found beside this file")
                )
            elif hashlib.sha256(content).hexdigest() != snapshot.sha256:
                actual = hashlib.sha256(content).hexdigest()
                problems.append(
                    doc.problem(
                        ("snapshot", "sha256"),
                        f"snapshot '{snapshot.file}' does not match its recorded SHA-256; "
                        "the archived text was changed",
                        hint=f"its SHA-256 is now {actual}; restore the original text rather than updating the hash",
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
            )
        )
    return sources


def build_entity(doc: Document, problems: list[Problem]) -> tuple[Entity, list[Fact]]:
    """Build one Entity and its Facts from a schema-valid document."""
    data: dict[str, Any] = doc.data
    entity_id = _stem_id(doc)
    roles = tuple(
        Role(
            title=r["title"],
            as_of=parse_date(doc, ("roles", i, "as_of"), r["as_of"], problems),
            citations=_citations(r["citations"]),
            of=r.get("of", ""),
        )
        for i, r in enumerate(data.get("roles", []))
    )
    entity = Entity(
        id=entity_id,
        name=data["name"],
        type=data["type"],
        aliases=tuple(data.get("aliases", ())),
        roles=roles,
        file=doc.path,
    )
    facts = []
    for i, raw in enumerate(data.get("facts", [])):
        facts.append(
            Fact(
                id=raw["id"],
                kind=raw["kind"],
                text=_text(raw["text"]),
                date=parse_date(doc, ("facts", i, "date"), raw["date"], problems),
                topics=tuple(raw["topics"]),
                entity=entity_id,
                about=tuple(a for a in raw.get("about", ()) if a != entity_id),
                citations=_citations(raw["citations"]),
                speaker=raw.get("speaker", ""),
                key=raw.get("key", ""),
                file=doc.path,
                line=doc.mark(("facts", i))[0],
            )
        )
    return entity, facts


def _unknown(doc: Document, path: DataPath, what: str, value: str, known: Iterable[str]) -> Problem:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    return doc.problem(path, f"unknown {what} '{value}'", hint=f"did you mean '{close[0]}'?" if close else "")


def cross_check(inputs: Inputs, corpus: Corpus) -> list[Problem]:
    """Check what no single file can: ids, references, speakers."""
    problems: list[Problem] = []
    sources = {s.id for s in corpus.sources}
    entities = {e.id: e for e in corpus.entities}
    topics = {t.id for t in corpus.topics}
    docs = {d.path: d for d in inputs.entities}
    seen: dict[str, Fact] = {}
    positions: dict[str, int] = {}
    for fact in corpus.facts:
        doc = docs[fact.file]
        index = positions[fact.file] = positions.get(fact.file, -1) + 1
        base: DataPath = ("facts", index)
        if fact.id in seen:
            first = seen[fact.id]
            problems.append(
                doc.problem(
                    (*base, "id"), f"duplicate fact id '{fact.id}'; it is already used at {first.file}:{first.line}"
                )
            )
        else:
            seen[fact.id] = fact
        if fact.kind == "report" and fact.speaker:
            problems.append(
                doc.problem(
                    (*base, "speaker"), "a report has no speaker; use kind 'claim' or 'quote' for what someone says"
                )
            )
        if fact.speaker:
            speaker = entities.get(fact.speaker)
            if speaker is None:
                problems.append(_unknown(doc, (*base, "speaker"), "speaker", fact.speaker, entities))
            elif speaker.type not in SPEAKER_TYPES:
                problems.append(
                    doc.problem(
                        (*base, "speaker"),
                        f"speaker '{fact.speaker}' is a {speaker.type}; a speaker must be a person or organisation",
                        hint="name the person or body who said it",
                    )
                )
        for j, topic in enumerate(fact.topics):
            if topic not in topics:
                problems.append(_unknown(doc, (*base, "topics", j), "topic", topic, topics))
        for j, other in enumerate(doc.data["facts"][index].get("about", [])):
            if other not in entities:
                problems.append(_unknown(doc, (*base, "about", j), "entity", other, entities))
        for j, citation in enumerate(fact.citations):
            if citation.source not in sources:
                problems.append(_unknown(doc, (*base, "citations", j, "source"), "source", citation.source, sources))
    for entity in corpus.entities:
        doc = docs[entity.file]
        if entity.roles and entity.type != "person":
            problems.append(
                doc.problem(("roles",), f"only people have roles; this entity is a {entity.type}", key=True)
            )
        for i, role in enumerate(entity.roles):
            if role.of and role.of not in entities:
                problems.append(_unknown(doc, ("roles", i, "of"), "entity", role.of, entities))
            for j, citation in enumerate(role.citations):
                if citation.source not in sources:
                    problems.append(
                        _unknown(doc, ("roles", i, "citations", j, "source"), "source", citation.source, sources)
                    )
    for policy_doc, policy in zip(sorted(inputs.policies, key=lambda d: d.path), corpus.policies, strict=True):
        for j, actor in enumerate(policy.actors):
            if actor not in entities:
                problems.append(_unknown(policy_doc, ("actors", j), "entity", actor, entities))
    return problems


def _check_stem(doc: Document, problems: list[Problem]) -> bool:
    stem = _stem_id(doc)
    if (
        not stem
        or not all(c.islower() or c.isdigit() or c == "-" for c in stem)
        or "--" in stem
        or stem.strip("-") != stem
    ):
        problems.append(
            Problem(
                doc.path,
                1,
                1,
                f"file name '{stem}' is not a valid id; use lowercase letters, digits and single hyphens",
            )
        )
        return False
    return True


def load_corpus(facts_dir: Path, root: Path | None = None) -> tuple[Corpus | None, list[Problem]]:
    """Load, check and model the whole fact tree; return the corpus (None on errors) and all problems."""
    root = root or facts_dir.parent
    inputs, problems = discover(facts_dir, root)
    schema_ok: dict[str, list[Document]] = {"sources": [], "entities": [], "policies": []}
    for folder, kind in FOLDERS.items():
        for doc in getattr(inputs, folder):
            found = list(check_document(doc, kind))
            problems.extend(found)
            if not found and _check_stem(doc, problems):
                schema_ok[folder].append(doc)
    topics: list[Topic] = []
    if inputs.topics is not None:
        found = list(check_document(inputs.topics, "topics"))
        problems.extend(found)
        if not found:
            topics = [
                Topic(id=k, title=v["title"], description=_text(v.get("description", "")))
                for k, v in inputs.topics.data.items()
            ]
    sources = build_sources(schema_ok["sources"], inputs.snapshots, problems)
    entities, facts = [], []
    for doc in schema_ok["entities"]:
        entity, entity_facts = build_entity(doc, problems)
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
        for d in sorted(schema_ok["policies"], key=lambda d: d.path)
    ]
    corpus = Corpus(
        sources=tuple(sorted(sources, key=lambda s: s.id)),
        entities=tuple(sorted(entities, key=lambda e: e.id)),
        facts=tuple(facts),
        topics=tuple(topics),
        policies=tuple(policies),
    )
    inputs.policies = schema_ok["policies"]
    inputs.entities = schema_ok["entities"]
    problems.extend(cross_check(inputs, corpus))
    problems = sort_problems(problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return corpus, problems
