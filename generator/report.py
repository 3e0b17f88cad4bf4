"""The sourcing figures: one structure that both the CLI report and the site's Sourcing page show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from generator.lifecycle import is_stale
from generator.model import Citation, Corpus, Fact, Source
from generator.pages import CorpusIndex, entity_page, source_page

FIGURE_HEADERS = (
    "Facts", "Citations", "Verified passages", "Unverified citations", "Single-source facts", "Verified in two sources"
)  # fmt: skip


@dataclass(frozen=True)
class Figures:
    """Counts for a set of facts."""

    facts: int
    citations: int
    verified: int
    """Citations whose passage was found in the source's stored text."""
    unverified: int
    """Citations that could not be checked word for word."""
    single_source: int
    """Facts that rest on one source: their citations all point at one source, once retracted sources are left out."""
    verified_twice: int
    """Facts with verified passages in two sources or more that are not retracted: a second source whose text is not
    kept corroborates a fact, but nothing has checked that it says so."""

    def cells(self) -> list[str]:
        """The counts as table cells, in FIGURE_HEADERS order."""
        counts = (self.facts, self.citations, self.verified, self.unverified, self.single_source, self.verified_twice)
        return [str(n) for n in counts]


@dataclass(frozen=True)
class Table:
    """A titled table of plain-text cells; ``links`` gives the page the first cell of a row names."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    links: tuple[str | None, ...]
    empty: str = "None."
    """What to say when there are no rows."""


@dataclass(frozen=True)
class SourcingReport:
    """Every figure of the sourcing report, in the order it is shown."""

    today: dt.date | None
    summary: tuple[str, ...]
    """Sentences shown above the tables."""
    tables: tuple[Table, ...]


def is_verified(citation: Citation, sources: dict[str, Source]) -> bool:
    """True for a passage of a stored text (validation has found it there)."""
    source = sources.get(citation.source)
    return bool(citation.passage) and source is not None and source.snapshot is not None


def is_retracted(source_id: str, sources: dict[str, Source]) -> bool:
    """True for a source its outlet has retracted: it corroborates nothing."""
    source = sources.get(source_id)
    return source is not None and source.retracted


def figures(facts: list[Fact], sources: dict[str, Source]) -> Figures:
    """Count facts, citations, verified and unverified citations, single-source facts and facts verified twice.

    A retracted source's passage still counts as found in its text, but not as a source a fact rests on."""
    citations = verified = single = twice = 0
    for fact in facts:
        checked = [c.source for c in fact.citations if is_verified(c, sources)]
        citations += len(fact.citations)
        verified += len(checked)
        single += len({c.source for c in fact.citations if not is_retracted(c.source, sources)}) <= 1
        twice += len({s for s in checked if not is_retracted(s, sources)}) > 1
    return Figures(len(facts), citations, verified, citations - verified, single, twice)


def _summed(counts: list[Figures]) -> Figures:
    """The counts of several sets of facts, added up."""
    return Figures(*(sum(getattr(c, field.name) for c in counts) for field in fields(Figures)))


NO_STATUS = "none recorded"
"""A source's status until a correction, a retraction or a dead address is recorded: what the project knows, not a
check of the source."""


def _status(source: Source) -> str:
    if source.status is None:
        return NO_STATUS
    return f"{source.status.state} {source.status.date.value}"


def _count(index: CorpusIndex, source_id: str) -> int:
    return len(index.facts_by_source.get(source_id, ()))


def build_report(corpus: Corpus, index: CorpusIndex | None = None) -> SourcingReport:
    """Work out every figure of the sourcing report for a validated corpus (``index``: the render's, if any)."""
    index = CorpusIndex(corpus) if index is None else index
    sources = index.sources
    by_entity: dict[str, list[Fact]] = {}
    for fact in corpus.facts:
        by_entity.setdefault(fact.entity, []).append(fact)
    per_page = [figures(by_entity.get(e.id, []), sources) for e in corpus.entities]
    page_rows = [(e.name, *counts.cells()) for e, counts in zip(corpus.entities, per_page, strict=True)]
    total = _summed(per_page)  # every fact belongs to exactly one entity's page
    pages = Table(
        "Facts and citations by page",
        ("Page", *FIGURE_HEADERS),
        (*page_rows, ("All pages", *total.cells())),
        (*(entity_page(e) for e in corpus.entities), None),
    )
    source_table = Table(
        "Facts each source supports",
        ("Source", "Publisher", "Stored text", "Status", "Facts supported"),
        tuple(
            (s.title, s.publisher, "yes" if s.snapshot else "no", _status(s), str(_count(index, s.id)))
            for s in corpus.sources
        ),
        tuple(source_page(s.id) for s in corpus.sources),
    )
    stale_rows: list[tuple[str, ...]] = []
    stale_links: list[str | None] = []
    for entity in corpus.entities:
        for role in entity.roles:
            if role.review and is_stale(role.review, corpus.today):
                stale_rows.append((f"{entity.name}: role {role.title}", role.as_of.value, role.review.isoformat()))
                stale_links.append(entity_page(entity))
    for fact in corpus.facts:
        if fact.review and is_stale(fact.review, corpus.today):
            stale_rows.append((fact.id, fact.date.value, fact.review.isoformat()))
            stale_links.append(index.home_page(fact))
    stale = Table(
        "Past their review date",
        ("Fact or role", "Dated", "Review due"),
        tuple(stale_rows),
        tuple(stale_links),
        empty="No fact or role is past its review date.",
    )
    cited = sum(1 for f in corpus.facts if f.citations)
    role_citations = [c for e in corpus.entities for r in e.roles for c in r.citations]
    summary = (
        f"{cited} of {len(corpus.facts)} facts cite at least one source.",
        f"{total.verified} of {total.citations} citations of facts quote a passage found word for word "
        f"in the source's stored text; {total.unverified} cannot be checked word for word.",
        f"{total.facts - total.single_source} of {total.facts} facts cite two sources or more{_standing(sources)}; "
        f"{total.verified_twice} of these are verified word for word in two sources.",
        f"{sum(1 for c in role_citations if is_verified(c, sources))} of {len(role_citations)} citations "
        "of people's roles are verified passages.",
    )
    return SourcingReport(corpus.today, summary, (pages, source_table, stale))


def _standing(sources: dict[str, Source]) -> str:
    """What the count of sources leaves out, when there is anything to leave out."""
    return " that are not retracted" if any(is_retracted(s, sources) for s in sources) else ""


def format_report(report: SourcingReport) -> str:
    """The report as aligned plain text for a terminal."""
    heading = "Sourcing report" + (f" (review dates judged as of {report.today.isoformat()})" if report.today else "")
    lines = [heading, "", *report.summary]
    for table in report.tables:
        lines += ["", table.title, ""]
        if not table.rows:
            lines.append(table.empty)
            continue
        columns = range(len(table.headers))
        widths = [max(len(row[i]) for row in (table.headers, *table.rows)) for i in columns]
        numeric = [all(row[i].isdigit() for row in table.rows) for i in columns]
        for row in (table.headers, *table.rows):
            cells = [row[i].rjust(widths[i]) if numeric[i] else row[i].ljust(widths[i]) for i in columns]
            lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
