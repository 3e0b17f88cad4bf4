"""Render the corpus into Markdown pages. Returns strings; writes nothing."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import escape, progress
from generator.jsonld import profile_jsonld
from generator.lifecycle import is_stale, troubled_sources
from generator.listing import ROWS_PER_PAGE, index_pages, pager, timeline_pages
from generator.model import Citation, Corpus, DateSpec, Entity, Fact, Role, Source
from generator.pages import (
    SECTION_OF_TYPE,
    SECTIONS,
    TIMELINE_PAGE,
    CorpusIndex,
    entity_page,
    fact_anchor,
    fact_order,
    part_page,
    policy_page,
    relative,
    source_page,
    split_groups,
)
from generator.report import build_report

TEMPLATE_DIR = Path(__file__).parent / "templates"
SOURCING_PAGE = "sourcing.md"
POLICY_PARTS = {
    "What they do": "No actions are recorded yet.",
    "What they say": "No claims or statements by these actors are recorded yet.",
    "What others say about them": "No claims by others are recorded yet.",
}
"""The parts of a policy page, and what each says when it has no facts."""
SOURCING_ROWS = 50
"""Rows of each table the Sourcing page shows, so that its size does not grow with the corpus."""
TYPE_LABELS = {
    "country": "Country",
    "territory": "Territory",
    "region": "Region",
    "organisation": "Organisation",
    "person": "Person",
}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja environment: every ``{{ value }}`` is Markdown-escaped unless it is Markup."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        finalize=escape.markdown_text,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,  # templates do not change during a run; skip a stat per get_template
    )
    env.filters["front_matter"] = escape.front_matter_string
    return env


@dataclass
class PageContext:
    """Per-page helpers for templates: links relative to this page, and its footnotes."""

    path: str
    index: CorpusIndex
    _notes: dict[Citation, int] = field(default_factory=dict)
    folder: str = field(init=False)
    """The folder of this page; links from it are the same for every page in it."""

    def __post_init__(self) -> None:
        self.folder = posixpath.dirname(self.path)

    def link_to(self, target: str) -> str:
        """Relative Markdown link target from this page."""
        return relative(self.path, target)

    def entity_name(self, entity_id: str) -> str:
        """Display name of an entity."""
        return self.index.entities[entity_id].name

    def entity_link(self, entity_id: str) -> Markup:
        """Link to an entity's profile."""
        key = ("entity_link", self.folder, entity_id)
        found: Markup | None = self.index.memo.get(key)
        if found is None:
            entity = self.index.entities[entity_id]
            found = self.index.memo[key] = escape.link(entity.name, self.link_to(entity_page(entity)))
        return found

    def source_link(self, source_id: str) -> Markup:
        """Link to a source's page, titled with the source's title."""
        key = ("source_link", self.folder, source_id)
        found: Markup | None = self.index.memo.get(key)
        if found is None:
            found = escape.link(self.index.sources[source_id].title, self.link_to(source_page(source_id)))
            self.index.memo[key] = found
        return found

    def fact_link(self, fact: Fact) -> Markup:
        """Link to a fact on its home page, labelled with its date."""
        target = f"{self.link_to(self.index.home_page(fact))}#{fact_anchor(fact)}"
        return escape.link(fact.date.human(), target)

    def _source_note(self, source_id: str) -> tuple[str, str]:
        """The parts of a footnote before and after its passage; the same on every page of a folder."""
        key = ("source_note", self.folder, source_id)
        found: tuple[str, str] | None = self.index.memo.get(key)
        if found is None:
            source = self.index.sources[source_id]
            head = f"{self.source_link(source.id)}, {escape.markdown_text(source.publisher)}"
            head += f", {escape.markdown_text(source.published.human())}."
            tail = f" {escape.link('Original article', escape.url(source.url))}"
            if source.status:
                tail += f" {self.status_note(source)}"
            found = self.index.memo[key] = (head, tail)
        return found

    def anchor(self, fact: Fact) -> Markup:
        """The id attribute value for a fact on this page (ids are validated)."""
        return Markup(fact_anchor(fact))

    def cite(self, citations: Iterable[Citation]) -> Markup:
        """Footnote references for citations, numbering each distinct citation once per page."""
        refs = []
        for citation in citations:
            number = self._notes.setdefault(citation, len(self._notes) + 1)
            refs.append(f"[^{number}]")
        return Markup("".join(refs))

    def stale(self, item: Fact | Role) -> bool:
        """True when the fact or role is past its review date on the day of the build."""
        return is_stale(item.review, self.index.corpus.today)

    def flags(self, fact: Fact) -> list[Flag]:
        """Warnings a reader must see beside a fact: out of date, or resting on a corrected or retracted source."""
        out = []
        if self.stale(fact) and fact.review:
            out.append(Flag("May be out of date", Markup(f"it was due for review on {_human(fact.review)}.")))
        for source in troubled_sources(fact, self.index.sources):
            assert source.status is not None
            label = "Source corrected" if source.status.state == "corrected" else "Source retracted"
            text = f"{self.source_link(source.id)} was {source.status.state} on "
            text += f"{escape.markdown_text(source.status.date.human())}."
            out.append(Flag(label, Markup(text)))
        return out

    def status_note(self, source: Source) -> Markup:
        """A sentence on a source's correction, retraction or dead link, with its archived copy."""
        status = source.status
        if status is None:
            return Markup("")
        what = {"corrected": "Corrected", "retracted": "Retracted", "dead": "Link found dead"}[status.state]
        text = f"{what} on {escape.markdown_text(status.date.human())}."
        if status.note:
            text += f" {escape.markdown_text(status.note)}"
        if status.archive_url:
            text += f" {escape.link('Archived copy', escape.url(status.archive_url))}."
        return Markup(text)

    def footnotes(self) -> Markup:
        """Footnote definitions for every citation this page referenced."""
        lines = []
        for citation, number in self._notes.items():
            head, tail = self._source_note(citation.source)
            text = f"[^{number}]: {head}"
            if citation.passage:
                text += f" “{escape.markdown_text(citation.passage)}”"
            source = self.index.sources[citation.source]
            if source.snapshot is None:
                text += " (not archived; unverified)"
            elif not citation.passage:
                text += " (no passage quoted; unverified)"
            lines.append(text + tail)
        return Markup("\n".join(lines) + ("\n" if lines else ""))


def _human(day: dt.date) -> str:
    return DateSpec(day.isoformat(), "day").human()


@dataclass(frozen=True)
class Flag:
    """A visible warning beside a fact."""

    label: str
    text: Markup


@dataclass(frozen=True)
class KeyRow:
    """One row of a profile's key-facts box."""

    label: str
    detail: str
    cite: Markup
    as_of: str


@dataclass(frozen=True)
class Section:
    """A topic section on a profile page."""

    title: str
    facts: list[Fact]


def _as_of(page: PageContext, item: Fact | Role, date: DateSpec) -> str:
    return date.human() + (" (may be out of date)" if page.stale(item) else "")


def render_profile(entity: Entity, index: CorpusIndex) -> dict[str, str]:
    """Render one entity's profile: one page, or several when it has more facts than a page holds."""
    template = environment().get_template("profile.md.j2")
    parts = index.profile_parts[entity.id]
    paths = [part_page(entity_page(entity), n) for n in range(1, len(parts) + 1)]
    out = {}
    for number, (path, part) in enumerate(zip(paths, parts, strict=True), start=1):
        page = PageContext(path, index)
        rows = []
        if number == 1:  # the key facts are on the first page only
            rows = [KeyRow("Role", r.title, page.cite(r.citations), _as_of(page, r, r.as_of)) for r in entity.roles]
            rows += [
                KeyRow(f.key, f.text, page.cite(f.citations), _as_of(page, f, f.date))
                for f in index.facts_by_entity.get(entity.id, [])
                if f.key and f.entity == entity.id
            ]
        shown = sorted((f for _, facts in part for f in facts), key=fact_order)  # the claims in its JSON-LD
        out[path] = template.render(
            entity=entity,
            title=entity.name if number == 1 else f"{entity.name} (page {number})",
            kind_label=TYPE_LABELS[entity.type],
            key_rows=rows,
            sections=[Section(title, facts) for title, facts in part],
            page=page,
            pager=pager(paths, number),
            jsonld=escape.json_for_html(profile_jsonld(entity, index, shown)),
        )
    return out


def render_source(source_id: str, index: CorpusIndex) -> str:
    """Render one source's page with every fact that depends on it."""
    source = index.sources[source_id]
    page = PageContext(source_page(source_id), index)
    template = environment().get_template("source.md.j2")
    return template.render(
        source=source,
        facts=index.facts_by_source.get(source_id, []),
        page=page,
        role_holders=index.roles_by_source.get(source_id, []),
        original_link=escape.link(source.url, escape.url(source.url)),
    )


def render_section_index(section: str, index: CorpusIndex) -> dict[str, str]:
    """Render the index of a profile section, split into pages of a bounded number of rows."""
    rows = []
    page = PageContext(f"{section}/index.md", index)
    types = []
    for entity in index.corpus.entities:
        if SECTION_OF_TYPE[entity.type] != section:
            continue
        description = TYPE_LABELS[entity.type]
        if description not in types:
            types.append(description)
        if entity.roles:
            latest = max(entity.roles, key=lambda r: r.as_of.sort_key)
            description = f"{latest.title} (as of {latest.as_of.human()})"
        rows.append(
            {
                "link": page.entity_link(entity.id),
                "description": description,
                "count": len(index.facts_by_entity.get(entity.id, [])),
            }
        )
    intro = {
        "countries": "Countries, territories and regions named in the sources.",
        "organisations": "Governments' bodies, alliances, agencies and outlets named in the sources.",
        "people": "People named in the sources, with the role each held on the date the source gives.",
    }[section]
    template = environment().get_template("section_index.md.j2")
    paths = index_pages(f"{section}/index.md", len(rows))
    return {
        path: template.render(
            title=SECTIONS[section], intro=intro, rows=rows[ROWS_PER_PAGE * n : ROWS_PER_PAGE * (n + 1)],
            pager=pager(paths, n + 1), tags=[] if n else types,
        )  # fmt: skip
        for n, path in enumerate(paths)
    }


def render_policy_index(index: CorpusIndex) -> str:
    """Render the index of policy pages."""
    page = PageContext("policy/index.md", index)
    rows = [
        {
            "link": escape.link(p.title, page.link_to(policy_page(p))),
            "description": p.summary,
            "count": sum(len(part) for part in index.policy_facts(p)),
        }
        for p in index.corpus.policies
    ]
    return (
        environment()
        .get_template("section_index.md.j2")
        .render(
            title=SECTIONS["policy"], intro="What outside powers do and say in the region.",
            rows=rows, pager="", tags=[],
        )  # fmt: skip
    )


def render_policy(policy_id: str, index: CorpusIndex) -> dict[str, str]:
    """Render one policy page, continued on further pages when it has more facts than a page holds."""
    policy = next(p for p in index.corpus.policies if p.id == policy_id)
    does, says, about = index.policy_facts(policy)
    groups = list(zip(POLICY_PARTS, (does, says, about), strict=True))
    parts = split_groups(groups)
    paths = [part_page(policy_page(policy), n) for n in range(1, len(parts) + 1)]
    template = environment().get_template("policy.md.j2")
    return {
        path: template.render(
            policy=policy, title=policy.title if n == 1 else f"{policy.title} (page {n})", groups=part,
            empty=POLICY_PARTS, pager=pager(paths, n), page=PageContext(path, index),
        )  # fmt: skip
        for n, (path, part) in enumerate(zip(paths, parts, strict=True), start=1)
    }


def render_sources_index(index: CorpusIndex) -> dict[str, str]:
    """Render the index of sources, split into pages of a bounded number of rows."""
    page = PageContext("sources/index.md", index)
    rows = [
        {"link": page.source_link(s.id), "source": s, "count": len(index.facts_by_source.get(s.id, []))}
        for s in index.corpus.sources
    ]
    template = environment().get_template("sources_index.md.j2")
    paths = index_pages("sources/index.md", len(rows))
    return {
        path: template.render(rows=rows[ROWS_PER_PAGE * n : ROWS_PER_PAGE * (n + 1)], pager=pager(paths, n + 1))
        for n, path in enumerate(paths)
    }


def render_timeline(index: CorpusIndex) -> dict[str, str]:
    """Render the timeline: an index of years, a page per year, and a page per month of a busy year."""
    years, parts = timeline_pages(list(index.corpus.facts))
    pages = {TIMELINE_PAGE: environment().get_template("timeline.md.j2").render(years=years)}
    template = environment().get_template("timeline_page.md.j2")
    for part in parts:
        page = PageContext(part.path, index)
        siblings = list(part.siblings)
        links = pager(siblings, siblings.index(part.path) + 1) if siblings else ""
        pages[part.path] = template.render(
            title=part.title, facts=part.facts, months=part.months, page=page, pager=links
        )
    return pages


def render_sourcing(index: CorpusIndex) -> str:
    """Render the Sourcing page from the same report the ``report`` command prints."""
    page = PageContext(SOURCING_PAGE, index)
    report = build_report(index.corpus)
    tables = []
    for table in report.tables:
        linked = list(zip(table.rows, table.links, strict=True))
        listed = [pair for pair in linked if pair[1] is not None]
        more = max(0, len(listed) - SOURCING_ROWS)
        if more:  # a page of bounded size: the first rows and the totals; the report command lists them all
            linked = listed[:SOURCING_ROWS] + [pair for pair in linked if pair[1] is None]
        rows = [[escape.link(row[0], page.link_to(target)) if target else row[0], *row[1:]] for row, target in linked]
        tables.append((table, rows, more))
    return environment().get_template("sourcing.md.j2").render(report=report, tables=tables)


def render_site(corpus: Corpus) -> dict[str, str]:
    """Render every generated page; keys are paths relative to ``content/``."""
    return dict(iter_site(corpus))


def iter_site(corpus: Corpus) -> Iterator[tuple[str, str]]:
    """Render the generated pages one by one, as (path relative to ``content/``, Markdown)."""
    index = CorpusIndex(corpus)
    total = len(corpus.entities) + len(corpus.sources)
    for number, entity in enumerate(corpus.entities, start=1):
        yield from render_profile(entity, index).items()
        progress.tick("render", number, total)
    for section in ("countries", "organisations", "people"):
        yield from render_section_index(section, index).items()
    for number, source in enumerate(corpus.sources, start=len(corpus.entities) + 1):
        yield source_page(source.id), render_source(source.id, index)
        progress.tick("render", number, total)
    yield from render_sources_index(index).items()
    for policy in corpus.policies:
        yield from render_policy(policy.id, index).items()
    yield "policy/index.md", render_policy_index(index)
    yield from render_timeline(index).items()
    yield SOURCING_PAGE, render_sourcing(index)
