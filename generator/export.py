"""Open data: the corpus as ``facts.json`` and ``facts.csv``. Returns strings; writes nothing.

``facts.json`` is the complete record, described by ``schema/facts-export.schema.json``
(published beside it as ``facts.schema.json``). ``facts.csv`` flattens it into one row
per citation, for spreadsheets. Output is deterministic: same corpus, same bytes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from generator.indented_json import dumps
from generator.model import Citation, Corpus, DateSpec, Entity, Fact, Policy, Source, Topic

EXPORT_VERSION = "1.3.0"
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
    "timing",
    "source_published_certainty",
    "source_status",
    "citation_via",
    "speaker_among",
)
"""The columns in order. Each version adds its columns at the end, so that reading by position still works:
1.1.0 added ``timing``, 1.2.0 ``source_published_certainty``, ``source_status`` and ``citation_via``, 1.3.0
``speaker_among``."""
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


def _citations(citations: tuple[Citation, ...]) -> list[dict[str, str | list[str]]]:
    return [
        {"source": c.source, **({"passage": c.passage} if c.passage else {}), **({"via": list(c.via)} if c.via else {})}
        for c in citations
    ]


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
    status = source.status
    data["status"] = (
        {
            "state": status.state,
            "date": export_date(status.date),
            "note": status.note,
            "archive_url": status.archive_url,
        }
        if status
        else None
    )
    return data


def _entity(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "roles": [
            {"title": r.title, "of": r.of, "as_of": export_date(r.as_of), "citations": _citations(r.citations)}
            for r in entity.roles
        ],
    }


def _fact(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "kind": fact.kind,
        "text": fact.text,
        "date": export_date(fact.date),
        "timing": fact.timing,
        "entity": fact.entity,
        "speaker": fact.speaker,
        "among": fact.among,
        "about": list(fact.about),
        "topics": list(fact.topics),
        "key": fact.key,
        "citations": _citations(fact.citations),
    }


def _topic(topic: Topic) -> dict[str, Any]:
    return {"id": topic.id, "title": topic.title, "description": topic.description}


def _policy(policy: Policy) -> dict[str, Any]:
    return {"id": policy.id, "title": policy.title, "summary": policy.summary, "actors": list(policy.actors)}


def export_data(corpus: Corpus) -> dict[str, Any]:
    """The whole corpus as plain JSON-ready data, in the shape the export schema describes."""
    return {
        "version": EXPORT_VERSION,
        "schema": SCHEMA_PAGE,
        "entities": [_entity(e) for e in corpus.entities],
        "facts": [_fact(f) for f in corpus.facts],
        "sources": [_source(s) for s in corpus.sources],
        "topics": [_topic(t) for t in corpus.topics],
        "policies": [_policy(p) for p in corpus.policies],
    }


# A fact's record as json.dumps(indent=2) writes it in the "facts" list, field by field: a fact is
# most of the file. test_export checks that the whole file is json.dumps(export_data(corpus), indent=2).
FACT_JSON = (
    '{{\n      "id": {id},\n      "kind": {kind},\n      "text": {text},\n      "date": {date},'
    '\n      "timing": {timing},\n      "entity": {entity},\n      "speaker": {speaker},'
    '\n      "among": {among},\n      "about": {about},\n      "topics": {topics},'
    '\n      "key": {key},\n      "citations": {citations}\n    }}'
)
FIELD_INDENT = "      "
"""The indentation of a field of a record in one of the file's lists."""


class _FactWriter:
    """Writes facts as ``FACT_JSON``; dates and lists of ids repeat across facts, so each is written once."""

    def __init__(self) -> None:
        self.dates: dict[DateSpec, str] = {}
        self.lists: dict[tuple[str, ...], str] = {}

    def _date(self, date: DateSpec) -> str:
        found = self.dates.get(date)
        if found is None:
            found = self.dates[date] = dumps(export_date(date), FIELD_INDENT)
        return found

    def _list(self, ids: tuple[str, ...]) -> str:
        found = self.lists.get(ids)
        if found is None:
            found = self.lists[ids] = dumps(ids, FIELD_INDENT)
        return found

    def __call__(self, fact: Fact) -> str:
        text = encode_basestring
        return FACT_JSON.format(
            id=text(fact.id), kind=text(fact.kind), text=text(fact.text), date=self._date(fact.date),
            timing=text(fact.timing), entity=text(fact.entity), speaker=text(fact.speaker), among=text(fact.among),
            about=self._list(fact.about), topics=self._list(fact.topics), key=text(fact.key),
            citations=dumps(_citations(fact.citations), FIELD_INDENT),
        )  # fmt: skip


def render_json(corpus: Corpus) -> str:
    """``facts.json``: the complete record (the same text as ``json.dumps(export_data(...), indent=2)``)."""
    return "".join(iter_json(corpus))


PIECE = 2000
"""Records joined into one piece of a streamed export: few large writes, little held at once."""


def iter_json(corpus: Corpus) -> Iterator[str]:
    """``facts.json`` in pieces of ``PIECE`` records, so the text of the whole file is never held at once."""
    record = "    "
    lists: list[tuple[str, Iterator[str]]] = [
        ("entities", (dumps(_entity(e), record) for e in corpus.entities)),
        ("facts", map(_FactWriter(), corpus.facts)),
        ("sources", (dumps(_source(s), record) for s in corpus.sources)),
        ("topics", (dumps(_topic(t), record) for t in corpus.topics)),
        ("policies", (dumps(_policy(p), record) for p in corpus.policies)),
    ]
    out = [f'{{\n  "version": {dumps(EXPORT_VERSION)},\n  "schema": {dumps(SCHEMA_PAGE)}']
    for key, records in lists:
        out.append(f',\n  "{key}": ')
        opening: int | None = len(out)
        for text in records:
            out += (f",\n{record}", text)
            if len(out) > 2 * PIECE:
                if opening is not None:
                    out[opening] = f"[\n{record}"
                yield "".join(out)
                out, opening = [], None
        if opening is None or len(out) > opening:
            if opening is not None:
                out[opening] = f"[\n{record}"
            out.append("\n  ]")
        else:
            out.append("[]")
    out.append("\n}\n")
    yield "".join(out)


def csv_cell(value: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula by prefixing an apostrophe."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _statements(corpus: Corpus) -> Iterator[tuple[list[str], tuple[Citation, ...], str, str]]:
    """Every fact, then every person's role: the CSV cells its rows start with, its citations, its timing and the
    group its speaker is one of (a cell, ready to write)."""
    names = {e.id: e.name for e in corpus.entities}
    for f in corpus.facts:
        date = f.date
        cells = [f.id, f.kind, f.text, date.value, date.precision, date.qualifier, date.certainty, f.entity]
        cells += [names[f.entity], f.speaker, names.get(f.speaker, ""), ";".join(f.about), ";".join(f.topics)]
        yield cells, f.citations, f.timing, csv_line([csv_cell(f.among)]) if f.among else ""
    for person in corpus.entities:
        for number, role in enumerate(person.roles, start=1):
            date = role.as_of
            cells = [f"{person.id}/role-{number}", "role", role.title, date.value, date.precision, date.qualifier]
            cells += [date.certainty, person.id, person.name, "", "", role.of, ""]
            yield cells, role.citations, "as-of", ""


QUOTE = '"'
_NEEDS_QUOTES = re.compile('[,;"\r\n]').search
"""Cells that go in quotes: those RFC 4180 asks for, and those with a semicolon, which spreadsheets in many
locales split on when they open a .csv file: unquoted, ``a;=1+1`` would give them a cell that is a formula."""
CSV_LINE_END = "\r\n"
"""Rows end in CRLF, as RFC 4180 asks."""


def csv_line(cells: Iterable[str]) -> str:
    """Cells as one line of ``facts.csv`` without its line end, quoted as ``csv.writer`` quotes them, and more.

    That is RFC 4180 with Python's minimal quoting: a cell with a comma, a double quote or a line
    break goes in double quotes, each double quote doubled; so does a cell with a semicolon
    (``_NEEDS_QUOTES``); any other cell is written as it is.
    """
    return ",".join([f'"{cell.replace(QUOTE, QUOTE * 2)}"' if _NEEDS_QUOTES(cell) else cell for cell in cells])


def _lines(corpus: Corpus) -> Iterator[str]:
    """The CSV's rows, each cell defused and quoted.

    A statement's cells and a source's are quoted once, not once for each citation: most rows repeat them.
    """
    starts = FORMULA_STARTS
    sources = {
        s.id: csv_line([csv_cell(c) for c in (s.id, s.title, s.publisher, s.url, s.published.value)])
        for s in corpus.sources
    }
    after = {s.id: f"{s.published.certainty},{s.status.state if s.status else ''}" for s in corpus.sources}
    for cells, citations, timing, among in _statements(corpus):
        shared = csv_line([f"'{cell}" if cell.startswith(starts) else cell for cell in cells])  # csv_cell, inlined
        for number, citation in enumerate(citations, start=1):
            passage = csv_line([csv_cell(citation.passage)])
            via = csv_line([csv_cell(";".join(citation.via))]) if citation.via else ""
            yield (
                f"{shared},{number},{sources[citation.source]},{passage},{timing},"
                f"{after[citation.source]},{via},{among}{CSV_LINE_END}"
            )


def render_csv(corpus: Corpus) -> str:
    """``facts.csv``: one row per citation of a fact or a role (RFC 4180, CRLF line ends)."""
    return "".join(iter_csv(corpus))


def iter_csv(corpus: Corpus) -> Iterator[str]:
    """``facts.csv`` in pieces of ``PIECE`` rows, so the text of the whole file is never held at once."""
    yield csv_line(CSV_COLUMNS) + CSV_LINE_END
    lines = _lines(corpus)
    while piece := "".join(itertools.islice(lines, PIECE)):
        yield piece


def iter_data(corpus: Corpus) -> Iterator[tuple[str, Iterator[str]]]:
    """Every open-data file, each as pieces of its text, made as they are read."""
    yield JSON_PAGE, iter_json(corpus)
    yield CSV_PAGE, iter_csv(corpus)
    yield SCHEMA_PAGE, iter([SCHEMA_FILE.read_text(encoding="utf-8")])
