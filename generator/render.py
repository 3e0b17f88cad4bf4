"""Render the corpus into Markdown pages. Returns strings; writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import Markup

from generator import escape, progress
from generator.fact_blocks import DATE_NOTE
from generator.jsonld import profile_jsonld_html
from generator.lifecycle import troubled_sources
from generator.listing import ROWS_PER_PAGE, TimelinePage, index_pages, pager, timeline_pages
from generator.model import Corpus, DateSpec, Entity, Fact, Role
from generator.page_context import PageContext, environment
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
    source_page,
    split_groups,
)
from generator.report import NO_STATUS, build_report

SOURCING_PAGE = "sourcing.md"
PROFILE_SECTIONS = ("countries", "organisations", "people")
Unit = Callable[[], Iterable[tuple[str, str]]]
"""A unit of work: renders the pages of one entity, one source, or one of the whole-site pages."""
POLICY_PARTS = {
    "Reports about them": "No reports about them are recorded yet.",
    "What they say": "No claims or statements by these actors are recorded yet.",
    "Other reports that name them": "No other reports name them yet.",
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

ADDRESS_SHOWN = Markup("{ .address-shown }")
"""Marks a link whose text is its own address: print does not write the address after it again."""


@dataclass(frozen=True)
class KeyRow:
    """One row of a profile's key-facts box."""

    label: str
    detail: str
    cite: Markup
    date: str | Markup


@dataclass(frozen=True)
class Section:
    """A topic section on a profile page."""

    title: str
    facts: list[Fact]


def _key_date(page: PageContext, item: Fact | Role, date: DateSpec) -> str:
    """A key fact's date: an event's day, or the day as of which a state held, flagged once it is due for review
    and when a source it cites was corrected or retracted, as a fact's own block is."""
    when = date.human() if isinstance(item, Fact) and item.timing == "event" else f"as of {date.human()}"
    when += " (may be out of date)" if page.stale(item) else ""
    for source in troubled_sources(item, page.index.sources):
        assert source.status is not None
        when += f" (a source was {source.status.state})"
    return when


def _role_date(page: PageContext, role: Role) -> str | Markup:
    """A role's date in the key facts, with its note: a role has no block of its own to show the note in."""
    when = _key_date(page, role, role.as_of)
    if not role.as_of.note:
        return when
    return escape.markdown_text(f"{when}.") + Markup(DATE_NOTE.format(escape.markdown_text(role.as_of.note)))


def render_profile(entity: Entity, index: CorpusIndex) -> dict[str, str]:
    """Render one entity's profile: one page, or several when it has more facts than a page holds."""
    template = environment().get_template("profile.md.j2")
    parts = index.profile_parts[entity.id]
    paths = [part_page(entity_page(entity), n) for n in range(1, len(parts) + 1)]
    split = len(parts) > 1
    homes: list[list[str]] = []  # for a split profile only: the anchors of each page's own facts
    if split:
        homes = [[fact_anchor(f) for _, facts in part for f in facts if f.entity == entity.id] for part in parts]
    out = {}
    for number, (path, part) in enumerate(zip(paths, parts, strict=True), start=1):
        page = PageContext(path, index, subject=entity.id)
        here = {fact_anchor(f) for _, facts in part for f in facts} if split else set()
        rows = []
        if number == 1:  # the key facts are on the first page only
            rows = [KeyRow("Role", r.title, page.cite(r.citations), _role_date(page, r)) for r in entity.roles]
            rows += [
                KeyRow(f.key, f.text, page.cite(f.citations), _key_date(page, f, f.date))
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
            jsonld=profile_jsonld_html(entity, index, shown),
            elsewhere=moved_links(page, paths, homes, here),
        )
    return out


def moved_links(page: PageContext, paths: list[str], homes: list[list[str]], here: set[str]) -> list[Markup]:
    """For a profile split into pages: a hidden link, named by its anchor, to each of the entity's facts on
    another of its pages. ``homes`` holds the anchors of each page's own facts, ``here`` those on this one.

    A fact can move between the pages as facts are added before it; an address of it with the page it
    was on still finds it (``assets/javascripts/permalinks.js`` follows the link).
    """
    if not homes:
        return []
    return [
        Markup(f"[]({page.link_to(path)}#{anchor}){{ #{anchor} .fact-moved }}")
        for path, anchors in zip(paths, homes, strict=True)
        if path != page.path
        for anchor in anchors
        if anchor not in here
    ]


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
        original_link=escape.link(source.url, escape.url(source.url)) + ADDRESS_SHOWN,
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
        "organisations": "Government bodies, alliances, agencies and outlets named in the sources.",
        "people": "People named in the sources, with the role each held on the date the source gives.",
    }[section]
    template = environment().get_template("section_index.md.j2")
    paths = index_pages(f"{section}/index.md", len(rows))
    return {
        path: template.render(
            title=SECTIONS[section],
            intro=intro,
            rows=rows[ROWS_PER_PAGE * n : ROWS_PER_PAGE * (n + 1)],
            pager=pager(paths, n + 1),
            tags=[] if n else types,
        )
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
            title=SECTIONS["policy"],
            intro="What outside powers do and say in the region.",
            rows=rows,
            pager="",
            tags=[],
        )
    )


def render_policy(policy_id: str, index: CorpusIndex) -> dict[str, str]:
    """Render one policy page, continued on further pages when it has more facts than a page holds."""
    policy = next(p for p in index.corpus.policies if p.id == policy_id)
    groups = list(zip(POLICY_PARTS, index.policy_facts(policy), strict=True))
    parts = split_groups(groups)
    paths = [part_page(policy_page(policy), n) for n in range(1, len(parts) + 1)]
    template = environment().get_template("policy.md.j2")
    return {
        path: template.render(
            policy=policy,
            title=policy.title if n == 1 else f"{policy.title} (page {n})",
            groups=part,
            empty=POLICY_PARTS,
            pager=pager(paths, n),
            page=PageContext(path, index),
        )
        for n, (path, part) in enumerate(zip(paths, parts, strict=True), start=1)
    }


def render_sources_index(index: CorpusIndex) -> dict[str, str]:
    """Render the index of sources, split into pages of a bounded number of rows."""
    page = PageContext("sources/index.md", index)
    rows = [
        {
            "link": page.source_link(s.id),
            "source": s,
            "status": s.status.state if s.status else NO_STATUS,
            "count": len(index.facts_by_source.get(s.id, [])),
        }
        for s in index.corpus.sources
    ]
    template = environment().get_template("sources_index.md.j2")
    paths = index_pages("sources/index.md", len(rows))
    return {
        path: template.render(rows=rows[ROWS_PER_PAGE * n : ROWS_PER_PAGE * (n + 1)], pager=pager(paths, n + 1))
        for n, path in enumerate(paths)
    }


def _timeline_page(part: TimelinePage, index: CorpusIndex) -> Iterable[tuple[str, str]]:
    """One page of the timeline: a year, a month of a busy year, or a continuation of either."""
    siblings = list(part.siblings)
    number = siblings.index(part.path) + 1 if siblings else 1
    links = pager(siblings, number) if siblings else ""
    template = environment().get_template("timeline_page.md.j2")
    page = PageContext(part.path, index)
    title = part.title if number == 1 else f"{part.title} (page {number})"  # each page's heading its own
    text = template.render(
        title=title,
        full=f"Timeline: {title}",
        facts=part.facts,
        months=part.months,
        page=page,
        pager=links,
        around=part.around,
    )
    return [(part.path, text)]


def render_sourcing(index: CorpusIndex) -> str:
    """Render the Sourcing page from the same report the ``report`` command prints."""
    page = PageContext(SOURCING_PAGE, index)
    report = build_report(index.corpus, index)  # the indexes the other pages built
    languages = {source_page(s.id): s.title_language for s in index.corpus.sources}  # of the titles that link
    tables = []
    for table in report.tables:
        linked = list(zip(table.rows, table.links, strict=True))
        listed = [pair for pair in linked if pair[1] is not None]
        more = max(0, len(listed) - SOURCING_ROWS)
        if more:  # a page of bounded size: the first rows and the totals; the report command lists them all
            linked = listed[:SOURCING_ROWS] + [pair for pair in linked if pair[1] is None]
        rows = [
            [escape.link(row[0], page.link_to(target), languages.get(target, "")) if target else row[0], *row[1:]]
            for row, target in linked
        ]
        tables.append((table, rows, more))
    return environment().get_template("sourcing.md.j2").render(report=report, tables=tables)


def render_site(corpus: Corpus) -> dict[str, str]:
    """Render every generated page; keys are paths relative to ``content/``."""
    return dict(iter_site(corpus))


def iter_site(corpus: Corpus) -> Iterator[tuple[str, str]]:
    """Render the generated pages one by one, as (path relative to ``content/``, Markdown)."""
    index = CorpusIndex(corpus)
    units = site_units(index)
    try:
        for number, unit in enumerate(units, start=1):
            yield from unit()
            progress.tick("render", number, len(units))
    finally:
        # The renderers' helpers in the memo refer back to the index. Breaking that cycle lets reference
        # counting free the run's indexes and fragments at once, instead of a collection over every object.
        index.memo.clear()


def site_units(index: CorpusIndex) -> list[Unit]:
    """Every unit of work, in the order of the site: profiles, section indexes, sources, policy, timeline, sourcing."""
    corpus = index.corpus
    units: list[Unit] = [partial(_items, render_profile, entity, index) for entity in corpus.entities]
    units += [partial(_items, render_section_index, section, index) for section in PROFILE_SECTIONS]
    units += [partial(_one, source_page(s.id), render_source, s.id, index) for s in corpus.sources]
    units.append(partial(_items, render_sources_index, index))
    units += [partial(_items, render_policy, p.id, index) for p in corpus.policies]
    units.append(partial(_one, "policy/index.md", render_policy_index, index))
    years, pages = timeline_pages(list(corpus.facts))
    units.append(lambda: [(TIMELINE_PAGE, environment().get_template("timeline.md.j2").render(years=years))])
    units += [partial(_timeline_page, page, index) for page in pages]
    units.append(partial(_one, SOURCING_PAGE, render_sourcing, index))
    return units


def _items(render: Callable[..., dict[str, str]], *args: Any) -> Iterable[tuple[str, str]]:
    return render(*args).items()


def _one(path: str, render: Callable[..., str], *args: Any) -> Iterable[tuple[str, str]]:
    return [(path, render(*args))]
