"""Model values (sources, entities, facts, dates) built from schema-valid documents.

Each builder reports what a single file's schema cannot say, such as a date no calendar has, to the
``problems`` it is given; ``generator.validate`` runs them and the checks across files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator import lifecycle
from generator.loader import DataPath, Document
from generator.model import (
    Citation,
    DateSpec,
    Entity,
    Fact,
    Role,
    RoleMention,
    Snapshot,
    Source,
    SourceStatus,
    calendar_problem,
)
from generator.problems import Problem
from generator.verify import passage_key


def under(folder: str, *parts: str) -> str:
    """A displayed path inside a displayed folder."""
    return "/".join(parts if folder == "." else (folder, *parts)) or folder


def stem_id(doc: Document) -> str:
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
        Citation(source=c["source"], passage=passage_key(c.get("passage", "")), via=tuple(c.get("via", ())))
        for c in raw
    )


def folded(value: str) -> str:
    """Fold the line breaks of a YAML block scalar into single spaces."""
    return " ".join(value.split())


def build_sources(
    docs: list[Document], snapshots: dict[str, bytes], problems: list[Problem], unread: Iterable[str] = ()
) -> tuple[list[Source], dict[str, bytes]]:
    """Build Source values and check their stored texts; return them and the texts that match their hash.

    Only a stored text that matches its recorded hash can verify passages; a changed one is an error.
    """
    sources, trusted = [], {}
    shared = _sharing(docs, snapshots)
    for doc in docs:
        data: dict[str, Any] = doc.data
        snapshot = None
        if "snapshot" in data:
            snap = data["snapshot"]
            snapshot = Snapshot(file=snap["file"], sha256=snap["sha256"])
            content = snapshots.get(snapshot.file)
            if others := shared.get(stem_id(doc)):
                problems.append(_shared_text(doc, others))
            elif content is None:
                if snapshot.file not in unread:  # one there but refused has its own problem, which says why
                    message = f"snapshot file '{snapshot.file}' not found beside this file"
                    hint = "save the article's text there (UTF-8, as CONTRIBUTING.md says), or remove 'snapshot'"
                    problems.append(doc.problem(("snapshot", "file"), message, hint=hint))
            elif (actual := hashlib.sha256(content).hexdigest()) == snapshot.sha256:
                trusted[snapshot.file] = content
            else:
                hint = (
                    f"its SHA-256 is {actual}; if you are adding this source, record that hash; "
                    "if not, restore the original text rather than the hash"
                )
                if hashlib.sha256(content.replace(b"\r\n", b"\n")).hexdigest() == snapshot.sha256:
                    hint = "its line ends were changed to CRLF after it was recorded, by a checkout or an editor; "
                    stored = under(posixpath.dirname(doc.path) or ".", snapshot.file)
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
                id=stem_id(doc),
                title=folded(data["title"]),
                publisher=data["publisher"],
                url=data["url"],
                language=data["language"],
                published=parse_date(doc, ("published",), data["published"], problems),
                accessed=parse_date(doc, ("accessed",), data["accessed"], problems),
                byline=data.get("byline", ""),
                relays=tuple(data.get("relays", ())),
                carried_by=data.get("carried_by", ""),
                snapshot=snapshot,
                note=folded(data.get("note", "")),
                file=doc.path,
                status=_status(doc, data.get("status"), problems),
            )
        )
    return sources, trusted


def _sharing(docs: list[Document], snapshots: dict[str, bytes]) -> dict[str, list[str]]:
    """For each source whose stored text another source names too, the others: by the file's name, or, for files
    that are there, by their text (a copy under another name, even with other line ends)."""
    holders: dict[tuple[str, str | bytes], list[str]] = {}
    for doc in docs:
        snap = doc.data.get("snapshot")
        if isinstance(snap, dict) and isinstance(name := snap.get("file"), str):
            holders.setdefault(("file", name), []).append(stem_id(doc))
            if name in snapshots:  # the same text, whatever its line ends or the blank lines after it
                text = snapshots[name].replace(b"\r\n", b"\n").rstrip()
                holders.setdefault(("bytes", text), []).append(stem_id(doc))
    shared: dict[str, list[str]] = {}
    for ids in holders.values():
        if len(ids) > 1:
            for source in ids:
                mine = shared.setdefault(source, [])
                mine += [other for other in ids if other != source and other not in mine]
    return shared


def _shared_text(doc: Document, others: list[str]) -> Problem:
    """The error for a source whose stored text is another source's too: either's words would pass for the other's."""
    named = ", ".join(f"'{other}'" for other in others)
    return doc.problem(
        ("snapshot",),
        f"this stored text is also the text of source {named}; two articles never print the same text, and "
        "neither could be checked against its own",
        hint="store this article's own text, as it was published, in a file of its own; or, if it is the same "
        "article, cite that source instead of adding this one",
    )


def _status(doc: Document, raw: dict[str, str] | None, problems: list[Problem]) -> SourceStatus | None:
    if raw is None:
        return None
    return SourceStatus(
        state=raw["state"],  # type: ignore[arg-type]
        date=parse_date(doc, ("status", "date"), raw["date"], problems),
        note=folded(raw.get("note", "")),
        archive_url=raw.get("archive_url", ""),
    )


def build_entity(doc: Document, lines: tuple[int, ...], problems: list[Problem]) -> tuple[Entity, list[Fact]]:
    """Build one Entity and its Facts from a schema-valid document, given the line of each fact."""
    data: dict[str, Any] = doc.data
    entity_id = stem_id(doc)
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
                text=folded(raw["text"]),
                date=date,
                topics=tuple(raw["topics"]),
                entity=entity_id,
                about=tuple(a for a in raw.get("about", ()) if a != entity_id),
                citations=_citations(raw["citations"]),
                speaker=raw.get("speaker", ""),
                among=raw.get("among", ""),
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
