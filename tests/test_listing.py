"""Pages that would grow with the corpus are split: profiles, policies, the timeline and the indexes."""

from __future__ import annotations

import dataclasses
import re

import markdown
import pytest

from generator.listing import FACTS_PER_TIMELINE_PAGE, PAGER_ALL, ROWS_PER_PAGE, index_pages, pager, pager_numbers
from generator.model import Corpus, DateSpec
from generator.pages import FACTS_PER_PAGE, CorpusIndex, split_groups
from generator.render import render_site
from generator.validate import load_corpus
from tests.goldens import CORPORA
from tests.test_render import BLOCK


def _mini() -> Corpus:
    corpus, problems = load_corpus(CORPORA["mini"])
    assert corpus is not None, problems
    return corpus


def _with_many_facts(corpus: Corpus, entity: str, count: int) -> Corpus:
    """The corpus plus ``count`` copies of one of the entity's facts, each on its own day."""
    fact = next(f for f in corpus.facts if f.entity == entity)
    copies = [
        dataclasses.replace(
            fact, id=f"{fact.id}-{n:03d}", date=dataclasses.replace(fact.date, value=f"2020-01-{n % 28 + 1:02d}")
        )
        for n in range(count)
    ]
    return dataclasses.replace(corpus, facts=(*corpus.facts, *copies))


def test_index_pages_and_pager() -> None:
    assert index_pages("people/index.md", 0) == ["people/index.md"]
    assert index_pages("people/index.md", ROWS_PER_PAGE) == ["people/index.md"]
    paths = index_pages("people/index.md", ROWS_PER_PAGE * 2 + 1)
    assert paths == ["people/index.md", "people/_page-2.md", "people/_page-3.md"]
    assert (
        pager(paths, 2)
        == 'Pages: [1](index.md) · **2**{ aria-current="page" } · [3](_page-3.md)\n{ data-search-exclude }'
    )
    assert pager(["people/index.md"], 1) == ""
    # As MkDocs renders it, with the site's attr_list: the current page is marked for screen readers.
    shown = markdown.markdown(pager(paths, 2), extensions=["attr_list"])
    assert shown == (
        '<p data-search-exclude>Pages: <a href="index.md">1</a> · <strong aria-current="page">2</strong> · '
        '<a href="_page-3.md">3</a></p>'
    )


@pytest.mark.parametrize("count", [2, PAGER_ALL, PAGER_ALL + 1, 57, 200, 4321])
def test_a_long_pager_stays_short_and_every_page_is_a_few_clicks_away(count: int) -> None:
    paths = index_pages("sources/index.md", ROWS_PER_PAGE * count)
    assert len(paths) == count
    for current in range(1, count + 1):
        numbers = pager_numbers(count, current)
        assert numbers == sorted(set(numbers)) and numbers[0] == 1 and numbers[-1] == count and current in numbers
        if count <= PAGER_ALL:
            assert numbers == list(range(1, count + 1))
        else:  # the first, the last, five around this one, and two for each power of ten below the count
            assert len(numbers) <= 7 + 2 * (len(str(count - 1)) - 1)
    # From the first page, any page is reached by following the pager's links: never more than a few.
    clicks = {1: 0}
    frontier = [1]
    while frontier:
        here = frontier.pop(0)
        for there in pager_numbers(count, here):
            if there not in clicks:
                clicks[there] = clicks[here] + 1
                frontier.append(there)
    assert len(clicks) == count
    assert max(clicks.values()) <= 5 * len(str(count))
    line = pager(paths, 57 if count >= 57 else 1)
    if count == 200:
        assert line == (
            "Pages: [1](index.md) · … · [47](_page-47.md) · … · [55](_page-55.md) · [56](_page-56.md) · "
            '**57**{ aria-current="page" } · [58](_page-58.md) · [59](_page-59.md) · … · [67](_page-67.md) · … · '
            "[157](_page-157.md) · … · [200](_page-200.md)\n{ data-search-exclude }"
        )


def test_split_groups_keeps_order_and_bounds_every_page() -> None:
    facts = list(_mini().facts)
    assert split_groups([("A", facts[:3]), ("B", []), ("C", facts[3:5])], limit=2) == [
        [("A", facts[:2])],
        [("A", facts[2:3]), ("B", []), ("C", facts[3:4])],
        [("C", facts[4:5])],
    ]
    assert split_groups([]) == [[]]


def test_a_profile_with_many_facts_continues_on_further_pages() -> None:
    corpus = _with_many_facts(_mini(), "valdoria", FACTS_PER_PAGE * 2)
    pages = render_site(corpus)
    index = CorpusIndex(corpus)
    shown = index.facts_by_entity["valdoria"]
    parts = ["countries/valdoria.md", "countries/valdoria_2.md", "countries/valdoria_3.md"]
    assert [p for p in pages if p.startswith("countries/valdoria")] == parts
    on_pages = [[m["id"] for m in BLOCK.finditer(pages[p])] for p in parts]
    assert [len(ids) for ids in on_pages] == [FACTS_PER_PAGE, FACTS_PER_PAGE, len(shown) - 2 * FACTS_PER_PAGE]
    assert sorted(sum(on_pages, [])) == sorted(f.id for f in shown)
    assert (
        'Pages: [1](valdoria.md) · **2**{ aria-current="page" } · [3](valdoria_3.md)\n{ data-search-exclude }\n'
        in pages[parts[1]]
    )
    assert "Key facts" in pages[parts[0]] and "Key facts" not in pages[parts[1]]
    assert pages[parts[2]].count("application/ld+json") == 1  # for the claims and quotations on that page
    assert re.search(r'^title: "?Valdoria \(page 3\)"?$', pages[parts[2]], flags=re.M)
    # A fact's links go to the page of its own profile that shows it.
    own = {f.id: f for f in shown if f.entity == "valdoria"}
    homes = {
        page: {index.home_page(own[i]) for i in ids if i in own} for page, ids in zip(parts, on_pages, strict=True)
    }
    assert homes == {page: {page} for page in parts}
    # Each page holds, hidden, a link named by the anchor of each of the profile's own facts on its other
    # pages, to the page it is on: an address with the page a fact was on before it moved still finds it.
    moved = re.compile(r"^\[\]\((valdoria(?:_\d)?\.md)#(fact-[a-z0-9-]+)\)\{ #(fact-[a-z0-9-]+) \.fact-moved \}$", re.M)
    for page, ids in zip(parts, on_pages, strict=True):
        links = [(m[1], m[2]) for m in moved.finditer(pages[page]) if m[2] == m[3]]
        assert len(links) == len(moved.findall(pages[page]))
        elsewhere = {
            (other.split("/")[-1], f"fact-{i}")
            for other, other_ids in zip(parts, on_pages, strict=True)
            if other != page
            for i in other_ids
            if i in own and i not in ids
        }
        assert sorted(links) == sorted(elsewhere) and elsewhere
        assert "\n{ .fact-elsewhere }\n" in pages[page]
    # Wherever such a fact is shown, its date links to it on that page.
    second = next(i for i in on_pages[1] if i in own)
    timeline = "".join(text for path, text in pages.items() if path.startswith("timeline/"))
    assert f"](../countries/valdoria_2.md#fact-{second}).**" in timeline


def test_a_busy_month_of_the_timeline_continues_on_further_pages() -> None:
    count = FACTS_PER_TIMELINE_PAGE + 5
    corpus = _with_many_facts(_mini(), "valdoria", count)
    pages = render_site(corpus)
    parts = ["timeline/2020-01.md", "timeline/2020-01_2.md", "timeline/2020-01_3.md"]
    assert [p for p in pages if p.startswith("timeline/2020-01")] == parts
    sizes = [len(list(BLOCK.finditer(pages[p]))) for p in parts]
    assert sizes == [FACTS_PER_PAGE, FACTS_PER_PAGE, count - 2 * FACTS_PER_PAGE]
    assert (
        'Pages: **1**{ aria-current="page" } · [2](2020-01_2.md) · [3](2020-01_3.md)\n{ data-search-exclude }\n'
        in pages["timeline/2020-01.md"]
    )
    titles = [re.findall(r"^title: (.*)$", pages[p], flags=re.M) for p in parts]
    month = '"Timeline: January 2020'
    assert titles == [[f'{month}"'], [f'{month} (page 2)"'], [f'{month} (page 3)"']]
    assert f"- [January 2020](2020-01.md): {count} facts\n" in pages["timeline/2020.md"]
    # The page links are at the foot of each part as well as at its head.
    assert (
        pages["timeline/2020-01_2.md"].count(
            'Pages: [1](2020-01.md) · **2**{ aria-current="page" } · [3](2020-01_3.md)\n{ data-search-exclude }\n'
        )
        == 2
    )


def test_each_year_of_the_timeline_links_to_the_years_around_it_and_each_month_to_its_year() -> None:
    corpus = _with_many_facts(_mini(), "valdoria", FACTS_PER_TIMELINE_PAGE + 5)  # 2020 is split by month
    pages = render_site(corpus)
    found = (re.fullmatch(r"timeline/(\d{4})\.md", p) for p in pages)
    years = sorted(match[1] for match in found if match)
    assert len(years) >= 3 and "2020" in years
    for at, year in enumerate(years):
        nearby = [f"Earlier: [{years[at - 1]}]({years[at - 1]}.md)"] if at else []
        nearby += [f"Later: [{years[at + 1]}]({years[at + 1]}.md)"] if at < len(years) - 1 else []
        assert f"\n[Timeline](index.md) · {' · '.join(nearby)}\n" in pages[f"timeline/{year}.md"], year
    assert "\n[Timeline](index.md) · [2020](2020.md)\n" in pages["timeline/2020-01.md"]
    # A continuation links them too: a reader may arrive at any page of a year or month.
    assert "\n[Timeline](index.md) · [2020](2020.md)\n" in pages["timeline/2020-01_2.md"]


def test_a_part_of_a_period_sorts_where_that_part_starts() -> None:
    """ "late 2022" is after March 2022, and "mid January" after 5 January: not first in the year or the month."""
    dates = [
        DateSpec("2022-10-02", "day"),
        DateSpec("2022", "year", qualifier="late"),
        DateSpec("2022-01", "month", qualifier="mid"),
        DateSpec("2022-03", "month"),
        DateSpec("2022-01-05", "day"),
        DateSpec("2022", "year"),
        DateSpec("2022", "year", qualifier="early"),
    ]
    assert [d.human() for d in sorted(dates, key=lambda d: d.sort_key)] == [
        "2022",
        "early 2022",
        "5 January 2022",
        "mid January 2022",
        "March 2022",
        "late 2022",
        "2 October 2022",
    ]
