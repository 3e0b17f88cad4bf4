"""Pages that list the whole corpus, split so that no page grows with it: the timeline and the indexes."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from markupsafe import Markup

from generator import escape
from generator.model import MONTHS, Fact
from generator.pages import FACTS_PER_PAGE, TIMELINE_FOLDER, fact_order, part_page

ROWS_PER_PAGE = 100
"""Rows of an index table on one page; about 20–30 KB of HTML, whatever the size of the corpus."""
FACTS_PER_TIMELINE_PAGE = 60
"""A year with more facts than this gets one page per month."""


def index_pages(index_path: str, count: int) -> list[str]:
    """Paths of the pages an index of ``count`` rows is split into: ``index.md``, then ``_page-2.md``, ….

    Entity and source ids never contain an underscore, so these names cannot collide with a profile.
    """
    folder = posixpath.dirname(index_path)
    pages = max(1, -(-count // ROWS_PER_PAGE))
    return [index_path, *(posixpath.join(folder, f"_page-{n}.md") for n in range(2, pages + 1))]


PAGER_ALL = 10
"""Up to this many pages, the pager links every one of them."""


def pager_numbers(count: int, current: int) -> list[int]:
    """The page numbers a pager links, in order.

    Up to ``PAGER_ALL`` pages, all of them. Beyond, so that the line stays short and every page still
    stays a few clicks away: the first and the last page, the two on either side of this one, and the
    pages 10, 100, 1,000 … before and after it.
    """
    if count <= PAGER_ALL:
        return list(range(1, count + 1))
    shown = {1, count, *range(current - 2, current + 3)}
    step = 10
    while step < count:
        shown.update((current - step, current + step))
        step *= 10
    return sorted(n for n in shown if 1 <= n <= count)


def pager(paths: list[str], current: int) -> Markup:
    """A line of links to the pages of a split index (``pager_numbers``); empty when there is only one page.

    A gap in the numbers is shown as "…", and the current page in bold with ``aria-current``. The line is left out
    of the theme's search index.
    """
    if len(paths) == 1:
        return Markup("")
    parts: list[str] = []
    previous = 0
    for number in pager_numbers(len(paths), current):
        if number > previous + 1:
            parts.append("…")
        previous = number
        if number == current:  # marked for screen readers too, as a bold number alone is not
            parts.append(f'**{number}**{{ aria-current="page" }}')
        else:
            parts.append(escape.link(str(number), posixpath.basename(paths[number - 1])))
    # Left out of the search index: a search for "2 billion" would find every page that links a page 2.
    return Markup("Pages: " + " · ".join(parts) + "\n{ data-search-exclude }")


NOTHING = Markup("")


@dataclass(frozen=True)
class TimelinePage:
    """One page of the timeline: a year, or a month of a busy year."""

    path: str
    title: str
    facts: list[Fact]
    months: list[tuple[Markup, int]]
    """For a year split by month: (link, number of facts) of each month page."""
    siblings: tuple[str, ...] = ()
    """Every page of a year or month whose facts fill more than one page, in order."""
    around: Markup = NOTHING
    """Links beside the timeline's: on every page of a year the years before and after it that have facts,
    on every page of a month its year."""


def _parts(
    path: str, title: str, facts: list[Fact], months: list[tuple[Markup, int]], around: Markup = NOTHING
) -> list[TimelinePage]:
    """A timeline page, or its pages of at most FACTS_PER_PAGE facts each (the months list on the first, the
    links to the years around it on each)."""
    if len(facts) <= FACTS_PER_PAGE:
        return [TimelinePage(path, title, facts, months, around=around)]
    chunks = [facts[n : n + FACTS_PER_PAGE] for n in range(0, len(facts), FACTS_PER_PAGE)]
    paths = tuple(part_page(path, n) for n in range(1, len(chunks) + 1))
    return [
        TimelinePage(p, title, chunk, months if n == 0 else [], paths, around)
        for n, (p, chunk) in enumerate(zip(paths, chunks, strict=True))
    ]


def _around(years: list[str], at: int) -> Markup:
    """'Earlier: 2025 · Later: 2027', linked, for the year at ``at`` among the years that have facts."""
    parts = []
    if at > 0:
        parts.append(f"Earlier: {escape.link(years[at - 1], f'{years[at - 1]}.md')}")
    if at < len(years) - 1:
        parts.append(f"Later: {escape.link(years[at + 1], f'{years[at + 1]}.md')}")
    return Markup(" · ".join(parts))


def timeline_pages(facts: list[Fact]) -> tuple[list[tuple[Markup, int]], list[TimelinePage]]:
    """The timeline's years (link from the timeline index, number of facts) and its pages, oldest first."""
    by_year: dict[str, list[Fact]] = {}
    for fact in sorted(facts, key=fact_order):
        by_year.setdefault(fact.date.value[:4], []).append(fact)
    years = []
    pages = []
    in_order = list(by_year)
    for at, (year, in_year) in enumerate(by_year.items()):
        years.append((escape.link(year, f"{year}.md"), len(in_year)))
        path = f"{TIMELINE_FOLDER}/{year}.md"
        around = _around(in_order, at)
        if len(in_year) <= FACTS_PER_TIMELINE_PAGE:
            pages += _parts(path, year, in_year, [], around)
            continue
        by_month: dict[str, list[Fact]] = {}
        year_only = []
        for fact in in_year:
            if len(fact.date.value) >= 7:
                by_month.setdefault(fact.date.value[:7], []).append(fact)
            else:
                year_only.append(fact)
        months = []
        for month, in_month in by_month.items():
            label = f"{MONTHS[int(month[5:7]) - 1]} {year}"
            months.append((escape.link(label, f"{month}.md"), len(in_month)))
            pages += _parts(f"{TIMELINE_FOLDER}/{month}.md", label, in_month, [], escape.link(year, f"{year}.md"))
        pages += _parts(path, year, year_only, months, around)
    return years, pages
