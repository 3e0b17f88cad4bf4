"""Open data: the corpus as ``facts.json`` and ``facts.csv``. Returns strings; writes nothing.

``facts.json`` is the complete record, described by ``schema/facts-export.schema.json``
(published beside it as ``facts.schema.json``). ``facts.csv`` flattens it into one row
per citation, for spreadsheets. Output is deterministic: same corpus, same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.model import Citation, Corpus, DateSpec, Source

EXPORT_VERSION = "1.0.0"
SCHEMA_FILE = Path(__file__).parent / "schema" / "facts-export.schema.json"
JSON_PAGE = "facts.json"
CSV_PAGE = "facts.csv"
SCHEMA_PAGE = "facts.schema.json"

CSV_COLUMNS = (
    "statement_id",
    "kind",
    "text",
    "date",
    "date_precision",
    "date_qualifier",
    "date_certainty",
    "entity_id",
    "entity_name",
    "speaker_id",
    "speaker_name",
    "about",
    "topics",
    "citation_number",
    "source_id",
    "source_title",
    "source_publisher",
    "source_url",
    "source_published",
    "passage",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_date(date: DateSpec) -> dict[str, str]:
    """A date with its precision, so no reader takes it as more precise than its source."""
    data = {"value": date.value, "precision": date.precision, "certainty": date.certainty}
    if date.qualifier:
        data["qualifier"] = date.qualifier
    if date.note:
        data["note"] = date.note
    return data


def _citations(citations: tuple[Citation, ...]) -> list[dict[str, str]]:
    return [{"source": c.source, **({"passage": c.passage} if c.passage else {})} for c in citations]


def _source(source: Source) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "language": source.language,
        "published": export_date(source.published),
        "accessed": export_date(source.accessed),
        "byline": source.byline,
        "relays": list(source.relays),
        "carried_by": source.carried_by,
        "note": source.note,
    }
    data["stored_text"] = {"file": source.snapshot.file, "sha256": source.snapshot.sha256} if source.snapshot else None
    return data


def export_data(corpus: Corpus) -> dict[str, Any]:
    """The whole corpus as plain JSON-ready data, in the shape the export schema describes."""
    return {
        "version": EXPORT_VERSION,
        "schema": SCHEMA_PAGE,
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "roles": [
                    {"title": r.title, "of": r.of, "as_of": export_date(r.as_of), "citations": _citations(r.citations)}
                    for r in e.roles
                ],
            }
            for e in corpus.entities
        ],
        "facts": [
            {
                "id": f.id,
                "kind": f.kind,
                "text": f.text,
                "date": export_date(f.date),
                "entity": f.entity,
                "speaker": f.speaker,
                "about": list(f.about),
                "topics": list(f.topics),
                "key": f.key,
                "citations": _citations(f.citations),
            }
            for f in corpus.facts
        ],
        "sources": [_source(s) for s in corpus.sources],
        "topics": [{"id": t.id, "title": t.title, "description": t.description} for t in corpus.topics],
        "policies": [
            {"id": p.id, "title": p.title, "summary": p.summary, "actors": list(p.actors)} for p in corpus.policies
        ],
    }


def render_json(corpus: Corpus) -> str:
    """``facts.json``: the complete record (the same text as ``json.dumps(..., indent=2)``)."""
    # json.dumps keeps every small piece the encoder yields until one final join: gigabytes at scale.
    chunks: list[str] = []
    pieces: list[str] = []
    for piece in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(export_data(corpus)):
        pieces.append(piece)
        if len(pieces) >= 65536:
            chunks.append("".join(pieces))
            pieces.clear()
    chunks.append("".join(pieces))
    return "".join(chunks) + "\n"


def csv_cell(value: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula by prefixing an apostrophe."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


@dataclass(frozen=True)
class Statement:
    """A cited statement as the CSV flattens it: a fact, or a person's role."""

    id: str
    kind: str
    text: str
    date: DateSpec
    entity: str
    speaker: str
    about: tuple[str, ...]
    topics: tuple[str, ...]
    citations: tuple[Citation, ...]


def statements(corpus: Corpus) -> list[Statement]:
    """Every fact, then every role, as statements with their citations."""
    found = [
        Statement(f.id, f.kind, f.text, f.date, f.entity, f.speaker, f.about, f.topics, f.citations)
        for f in corpus.facts
    ]
    for person in corpus.entities:
        for number, role in enumerate(person.roles, start=1):
            about = (role.of,) if role.of else ()
            found.append(
                Statement(
                    f"{person.id}/role-{number}",
                    "role",
                    role.title,
                    role.as_of,
                    person.id,
                    "",
                    about,
                    (),
                    role.citations,
                )
            )
    return found


def _rows(corpus: Corpus) -> list[dict[str, str]]:
    names = {e.id: e.name for e in corpus.entities}
    sources = {s.id: s for s in corpus.sources}
    rows = []
    for statement in statements(corpus):
        for number, citation in enumerate(statement.citations, start=1):
            source = sources[citation.source]
            rows.append(
                {
                    "statement_id": statement.id,
                    "kind": statement.kind,
                    "text": statement.text,
                    "date": statement.date.value,
                    "date_precision": statement.date.precision,
                    "date_qualifier": statement.date.qualifier,
                    "date_certainty": statement.date.certainty,
                    "entity_id": statement.entity,
                    "entity_name": names[statement.entity],
                    "speaker_id": statement.speaker,
                    "speaker_name": names.get(statement.speaker, ""),
                    "about": ";".join(statement.about),
                    "topics": ";".join(statement.topics),
                    "citation_number": str(number),
                    "source_id": source.id,
                    "source_title": source.title,
                    "source_publisher": source.publisher,
                    "source_url": source.url,
                    "source_published": source.published.value,
                    "passage": citation.passage,
                }
            )
    return rows


def render_csv(corpus: Corpus) -> str:
    """``facts.csv``: one row per citation of a fact or a role (RFC 4180, CRLF line ends)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writeheader()
    for row in _rows(corpus):
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
    return out.getvalue()


def render_data(corpus: Corpus) -> dict[str, str]:
    """Every open-data file; keys are paths relative to ``content/``."""
    return {
        JSON_PAGE: render_json(corpus),
        CSV_PAGE: render_csv(corpus),
        SCHEMA_PAGE: SCHEMA_FILE.read_text(encoding="utf-8"),
    }
