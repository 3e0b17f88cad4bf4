"""The site in a real browser: the offline bundle from file://, the web build over local HTTP.

Every page goes through a guard that aborts and records any request to a host other
than this machine; a test fails if one was made, or if a page threw a JavaScript error.
"""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from generator.pages import FACTS_PER_PAGE
from tests.browser import guarded_page, serve
from tests.conftest import BuiltSite
from tests.tiny_corpus import FILES, build_project, make_project

KURTI = "people/albin-kurti"
SOURCE = "sources/rksnews-2026-01-20-lavrov-balkans"
FACT = "fact-kurti-serbia-48-operational-bases"
KURTI_TITLE = re.compile(r"^Albin Kurti¶?$")
MODES = ["offline", "web"]
HEADER_TITLE = '[data-md-component="header-topic"] .md-ellipsis'
"""The page's title in the header bar, shown once the page scrolls past its heading."""


def site_url(mode: str, built_site: BuiltSite, web_url: str, page: str) -> str:
    """Address of a page ('people/albin-kurti', or '' for the home page) in either build."""
    if mode == "offline":
        return (built_site.offline / f"{page or 'index'}.html").as_uri()
    return f"{web_url}{page}/" if page else web_url


def page_pattern(mode: str, page: str) -> re.Pattern[str]:
    """Regex for a page's address in either build, with any query and fragment."""
    suffix = r"\.html" if mode == "offline" else "/"
    return re.compile(rf"/{re.escape(page)}{suffix}(\?[^#]*)?(#.*)?$")


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    """Which build a test opens."""
    return str(request.param)


def tab_to(page: Page, selector: str, limit: int) -> None:
    """Press Tab until the focused element matches the selector, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{limit} presses of Tab never reached {selector}")


def expect_kurti_profile(page: Page, mode: str) -> None:
    """The browser shows Albin Kurti's profile."""
    expect(page).to_have_url(page_pattern(mode, KURTI))
    expect(page.locator("h1")).to_have_text(KURTI_TITLE)


def expect_at_kurtis_fact(page: Page) -> Locator:
    """The browser shows Kurti's profile at the fact FACT, which is in view; return that fact."""
    expect(page).to_have_url(re.compile(rf"/{KURTI}(\.html|/)#{FACT}$"))
    fact = page.locator(f"#{FACT}")
    expect(fact).to_be_visible()
    expect(fact).to_be_in_viewport()
    return fact


def test_offline_bundle_opened_from_disk_shows_a_profile(chromium: Browser, built_site: BuiltSite) -> None:
    with guarded_page(chromium) as (page, guard):
        page.goto((built_site.offline / f"{KURTI}.html").as_uri())
        expect(page.locator("h1")).to_have_text(KURTI_TITLE)
        expect(page.locator(".md-nav").first).to_be_visible()
        expect(page.locator(".md-search__input")).to_be_visible()
        assert page.locator(f"#{FACT}").count() == 1
    assert any(url.endswith("iframe-worker/shim.js") for url in guard.local)


def search_from_home(page: Page, address: str, query: str) -> Locator:
    """Open the home page, type a query into the search box as a reader would; return the results' links.

    The query is typed once the search has read its index ("Initializing search" gives way to "Type to start
    searching"), as a reader's first key comes after the page has loaded. Playwright types a letter that no key
    of its keyboard makes (Cyrillic) as inserted text, without the key events a reader's keyboard sends and the
    search listens for: the End key, pressed after, sends them."""
    page.goto(address)
    page.locator(".md-search__input").click()
    expect(page.locator(".md-search-result__meta")).to_have_text("Type to start searching", timeout=30_000)
    page.keyboard.type(query)
    page.keyboard.press("End")
    return page.locator(".md-search-result__item > .md-search-result__link")


def test_searching_kurti_lists_his_profile_and_opens_it(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str
) -> None:
    with guarded_page(chromium) as (page, _):
        first = search_from_home(page, site_url(mode, built_site, web_url, ""), "Kurti").first
        expect(first).to_have_attribute("href", page_pattern(mode, KURTI))
        expect(first).to_contain_text("Albin Kurti")
        first.click()
        expect_kurti_profile(page, mode)


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("Lavrov", "people/sergei-lavrov"),  # three source pages have "Lavrov" in their titles
        ("Reuters", "organisations/reuters"),  # the sources that relay Reuters name it too
    ],
)
def test_a_name_finds_its_profile_before_the_pages_that_mention_it(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str, query: str, page: str
) -> None:
    with guarded_page(chromium) as (browser_page, _):
        first = search_from_home(browser_page, site_url(mode, built_site, web_url, ""), query).first
        expect(first).to_have_attribute("href", page_pattern(mode, page))


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("Kosovo's", "countries/kosovo"),  # typed with a straight apostrophe; the pages print "Kosovo’s"
        ("KSF", KURTI),  # printed "(KSF)" on his profile, in brackets
        ("NDAA", "policy/us-policy"),  # the abbreviation readers know the act by, "(NDAA)"
        ("Pristina", "countries/russia"),  # the other English spelling of Prishtina, "(Pristina)"
    ],
)
def test_search_finds_words_beside_punctuation(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str, query: str, page: str
) -> None:
    with guarded_page(chromium) as (browser_page, _):
        pages = search_from_home(browser_page, site_url(mode, built_site, web_url, ""), query)
        expect(pages.first).to_be_visible()
        expect(pages.filter(has=browser_page.locator("h1"))).not_to_have_count(0)
        hrefs = pages.evaluate_all("links => links.map(link => link.getAttribute('href'))")
        assert any(page_pattern(mode, page).search(href) for href in hrefs), hrefs


@pytest.mark.parametrize("query", ["Лавров", "Балканам", "США"])
def test_a_word_of_a_cyrillic_title_finds_its_source(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str, query: str
) -> None:
    """TASS's title is Russian; one word of it is what a reader who read the report would type."""
    with guarded_page(chromium) as (browser_page, _):
        pages = search_from_home(browser_page, site_url(mode, built_site, web_url, ""), query)
        expect(pages.first).to_be_visible()
        hrefs = pages.evaluate_all("links => links.map(link => link.getAttribute('href'))")
        assert any(page_pattern(mode, "sources/tass-2026-01-20-lavrov-balkans").search(h) for h in hrefs), hrefs


def test_a_russian_title_is_marked_russian_in_the_header_bar_too(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str
) -> None:
    """A screen reader reads the title in the header bar with a Russian voice, as it reads the heading."""
    with guarded_page(chromium) as (page, _):
        page.goto(site_url(mode, built_site, web_url, "sources/tass-2026-01-20-lavrov-balkans"))
        title = page.locator(HEADER_TITLE)
        expect(title).to_have_text("Лавров: РФ готова к диалогу с США по Балканам")
        expect(title).to_have_attribute("lang", "ru")
        expect(page.locator("article h1")).to_have_attribute("lang", "ru")
        page.goto(site_url(mode, built_site, web_url, SOURCE))  # an English title is left in the page's language
        expect(page.locator(HEADER_TITLE)).not_to_have_attribute("lang", re.compile(".*"))


def test_footnote_numbers_side_by_side_in_a_search_preview_are_kept_apart(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str
) -> None:
    """Footnotes 8 and 9 must not read as 89 in a result's preview, as on the page itself."""
    with guarded_page(chromium) as (page, _):
        search_from_home(page, site_url(mode, built_site, web_url, ""), "Osmani")
        second = page.locator(".md-search-result sup + sup")
        expect(second).not_to_have_count(0)
        assert set(second.evaluate_all("sups => sups.map(s => getComputedStyle(s, '::before').content)")) == {'","'}


def test_a_quotations_words_found_by_search_show_who_said_them(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str
) -> None:
    """A result's preview shows only the blocks that hold the words searched for: a quotation's words must
    bring its speaker and date with them, or Lavrov's would read, under the Russia page, as no one's."""
    with guarded_page(chromium) as (page, _):
        search_from_home(page, site_url(mode, built_site, web_url, ""), "positive results")
        words = page.locator(".md-search-result__article p").filter(has_text=re.compile(r"^“These contacts are"))
        expect(words.first).to_be_visible()
        shown = words.all_text_contents()  # those under "more on this page" too
        assert len(shown) >= 4, shown  # the timeline, Russia, the United States, Lavrov, US policy
        assert all("— Sergei Lavrov, 20 January 2026" in text for text in shown), shown


def test_a_citation_found_by_search_is_in_the_references_section(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str
) -> None:
    """A word found only in a footnote leads to the page's References, not to its last topic."""
    with guarded_page(chromium) as (page, _):
        # "emphasized" is in a passage the profile quotes, never in a fact's own text
        search_from_home(page, site_url(mode, built_site, web_url, ""), "emphasized")
        found = page.locator(".md-search-result__item a[href*='albin-kurti']")
        expect(found.first).to_be_visible()
        sections = found.evaluate_all("links => links.map(link => link.getAttribute('href').split('#')[1] || '')")
        assert sections == ["", "references"], sections  # the page, then its References; not its last topic


def test_footnote_leads_to_the_source_and_the_source_back_to_the_fact(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str
) -> None:
    with guarded_page(chromium) as (page, _):
        page.goto(site_url(mode, built_site, web_url, KURTI))
        first = page.locator("a.footnote-ref").first
        expect(first).to_have_text("1")  # labels are hashes; readers see numbers in order of use
        label = first.get_attribute("href") or ""
        assert re.fullmatch(r"#fn:[0-9a-f]{12}", label), label
        first.click()
        expect(page).to_have_url(re.compile(f"{re.escape(label)}$"))
        note = page.locator(f'[id="{label[1:]}"]')
        expect(note).to_be_in_viewport()
        note.locator(f'a[href*="{SOURCE.split("/")[1]}"]').click()
        expect(page).to_have_url(page_pattern(mode, SOURCE))
        expect(page.locator("h1")).to_contain_text("Lavrov")
        page.locator(f'a[href$="#{FACT}"]').click()
        fact = expect_at_kurtis_fact(page)
        expect(fact).to_contain_text("there are 48 advanced operational bases along Kosovo’s borders.")


def test_a_facts_date_on_the_timeline_leads_to_it_on_its_profile(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str
) -> None:
    with guarded_page(chromium) as (page, _):
        page.goto(site_url(mode, built_site, web_url, "timeline/2026"))
        shown = page.locator(f"#{FACT}")
        expect(shown).to_contain_text("there are 48 advanced operational bases")
        shown.get_by_role("link", name="20 January 2026", exact=True).click()
        reached = expect_at_kurtis_fact(page)
        expect(page.locator("h1")).to_have_text(KURTI_TITLE)
        # The fact the link leads to is marked among its neighbours, by a rule around it; the others are not.
        outline = "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
        assert reached.evaluate(outline) == "solid 2px"
        assert page.locator(".fact:not(:target)").first.evaluate(outline).startswith("none ")


def test_a_claim_is_set_apart_from_the_reports_around_it(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str
) -> None:
    with guarded_page(chromium) as (page, _):
        page.goto(site_url(mode, built_site, web_url, "countries/kosovo"))
        claims, reports = page.locator(".fact-claim"), page.locator(".fact-report")
        expect(claims.first).to_contain_text("According to Albin Kurti, ")
        assert claims.count() >= 1 and reports.count() >= 1
        side = "blocks => blocks.map(b => getComputedStyle(b).borderLeftStyle)"
        assert set(claims.evaluate_all(side)) == {"dashed"}
        assert set(reports.evaluate_all(side)) == {"none"}


def test_footnote_tooltip_shows_the_citation(chromium: Browser, built_site: BuiltSite, web_url: str, mode: str) -> None:
    with guarded_page(chromium) as (page, _):
        page.goto(site_url(mode, built_site, web_url, KURTI))
        expect(page.locator(".md-tooltip2--active")).to_have_count(0)
        page.locator("a.footnote-ref").first.hover()
        tooltip = page.locator(".md-tooltip2--active")
        expect(tooltip).to_be_visible()
        expect(tooltip).to_contain_text("Lavrov: Russia Ready to Communicate with the U.S. on the Balkans, RksNews")


def test_keyboard_reaches_search_and_opens_a_result(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str
) -> None:
    with guarded_page(chromium) as (page, _):
        page.goto(site_url(mode, built_site, web_url, ""))
        tab_to(page, ".md-search__input", 40)
        page.keyboard.type("Kurti")
        expect(page.locator(".md-search-result__item").first).to_be_visible()
        page.keyboard.press("ArrowDown")
        focused = page.evaluate("() => document.activeElement.getAttribute('href') || ''")
        assert page_pattern(mode, KURTI).search(focused), focused
        page.keyboard.press("Enter")
        expect_kurti_profile(page, mode)


def test_keyboard_reaches_a_footnote_and_follows_it(
    chromium: Browser, built_site: BuiltSite, web_url: str, mode: str
) -> None:
    with guarded_page(chromium) as (page, _):
        page.goto(site_url(mode, built_site, web_url, KURTI))
        tab_to(page, "a.footnote-ref", 200)
        target = page.evaluate("() => document.activeElement.getAttribute('href')")
        assert re.fullmatch(r"#fn:[0-9a-f]{12}", target), target
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(f"{re.escape(target)}$"))
        expect(page.locator(f'[id="{target[1:]}"]')).to_be_in_viewport()


class Ids(HTMLParser):
    """Every id in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(v for k, v in attrs if k == "id" and v)


def page_ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        parser = Ids()
        parser.feed(path.read_text(encoding="utf-8"))
        cache[path] = parser.ids
    return cache[path]


def test_every_internal_link_works_in_the_offline_bundle(chromium: Browser, built_site: BuiltSite) -> None:
    pages = sorted(built_site.offline.rglob("*.html"))
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    checked = 0
    with guarded_page(chromium) as (page, _):
        for html in pages:
            page.goto(html.as_uri())
            hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
            for href in hrefs:
                parts = urlsplit(href)
                if parts.scheme != "file":
                    continue
                checked += 1
                target = Path(unquote(parts.path))
                where = f"{html.relative_to(built_site.offline)} -> {href}"
                if not target.is_file():
                    broken.append(f"{where}: no such file")
                elif parts.fragment and target.suffix == ".html":
                    if unquote(parts.fragment) not in page_ids(target, ids):
                        broken.append(f"{where}: no such anchor")
    assert len(pages) > 30 and checked > 1000
    assert broken == []


def test_profile_prints_without_chrome_and_with_cited_addresses(
    chromium: Browser, built_site: BuiltSite, web_url: str
) -> None:
    chrome = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search"]
    chrome += [".md-content__button"]  # profiles carry no tags: a tag listing every profile would not scale
    with guarded_page(chromium) as (page, _):
        page.goto(site_url("web", built_site, web_url, KURTI))
        for selector in chrome:
            expect(page.locator(selector).first).to_be_visible()
        page.emulate_media(media="print")
        for selector in chrome:
            expect(page.locator(selector).first).to_be_hidden()
        original = page.locator(".footnote a[href^='https://rks.news/']").first
        after = original.evaluate("a => getComputedStyle(a, '::after').content")
        assert after == '" (https://rks.news/lavrov-russia-ready-to-communicate-with-the-u-s-on-the-balkans)"'
        internal = page.locator(f".footnote a[href*='{SOURCE.split('/')[1]}']").first
        assert internal.evaluate("a => getComputedStyle(a, '::after').content") == "none"
        # Room left of each footnote for its number, "10." and "100." included (markers cannot be measured).
        room = page.locator(".footnote li").evaluate_all(
            "items => items.map(li => li.getBoundingClientRect().left / parseFloat(getComputedStyle(li).fontSize))"
        )
        assert len(room) >= 10 and min(room) >= 2.5, room
        backrefs = page.locator(".footnote .footnote-backref")
        assert backrefs.count() >= 10
        assert backrefs.evaluate_all("links => links.every(a => getComputedStyle(a).display === 'none')")
        pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")


def test_a_source_prints_its_address_once(chromium: Browser, built_site: BuiltSite, web_url: str) -> None:
    with guarded_page(chromium) as (page, _):
        page.goto(site_url("web", built_site, web_url, SOURCE))
        page.emulate_media(media="print")
        shown = page.locator("td a[href^='https://rks.news/']")  # the Original row: its text is its address
        expect(shown).to_have_text("https://rks.news/lavrov-russia-ready-to-communicate-with-the-u-s-on-the-balkans")
        assert shown.evaluate("a => getComputedStyle(a, '::after').content") == "none"


def test_the_guard_fails_a_page_that_reaches_another_host(chromium: Browser) -> None:
    with pytest.raises(AssertionError, match=r"requests left the machine: \['http://example\.invalid/pixel\.png'\]"):
        with guarded_page(chromium) as (page, _):
            page.set_content('<img src="http://example.invalid/pixel.png" alt="">')
            page.wait_for_load_state("load")


def test_an_address_the_site_lacks_shows_a_page_that_leads_back(chromium: Browser, web_url: str) -> None:
    """The 404 page is served at any depth; its links start from the site's root, not from the address asked."""
    with guarded_page(chromium) as (page, _):
        response = page.goto(f"{web_url}countries/no/such/page/")
        assert response is not None and response.status == 404
        expect(page.locator("h1")).to_have_text("Page not found")
        expect(page).to_have_title("Page not found - Western Balkans fact sheets")  # the tab says so too
        targets = page.locator("article a").evaluate_all("links => links.map(a => a.href)")
        assert targets == [web_url, f"{web_url}sources/", f"{web_url}about/"]
        page.locator("article a", has_text="Every source").click()
        expect(page).to_have_url(f"{web_url}sources/")
        expect(page.locator("h1")).to_have_text(re.compile("^Sources"))


def test_on_a_phone_tables_of_two_or_three_columns_need_no_sideways_scrolling(chromium: Browser, web_url: str) -> None:
    """At 320 CSS pixels (WCAG 1.4.10): a source's long address wraps, and narrow tables fit the screen.

    The six-column tables of the Sources and Sourcing pages may still scroll inside their frame, as
    data tables may; a source page's table, a profile's key facts and a section's index must not.
    """
    pages = [f"{SOURCE}/", "sources/alfapress-2026-01-20-lavrov-balkans/", "countries/kosovo/", "countries/russia/"]
    pages += ["countries/"]
    with guarded_page(chromium, viewport={"width": 320, "height": 800}) as (page, _):
        for address in pages:
            page.goto(f"{web_url}{address}")
            tables = page.locator("article table")
            assert tables.count() >= 1, address
            # what scrolls is the table's frame, padding included, not the table
            wider = tables.evaluate_all(
                "tables => tables.map(t => t.closest('.md-typeset__scrollwrap') || t.parentElement)"
                ".map(box => [box.scrollWidth, box.clientWidth]).filter(([content, box]) => content > box)"
            )
            assert wider == [], address
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, address


@pytest.fixture(scope="module")
def split_profile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """A project whose Beta Land has more facts than a page holds, built with its offline bundle.

    Returns the web build, the unpacked offline bundle and the anchor of a fact that lives on the
    profile's second page.
    """
    facts = "".join(
        f"""  - id: beta-report-{n:02d}
    kind: report
    text: A report about Beta Land.
    date: "2026-01-{n % 19 + 1:02d}"
    topics: [security]
    citations:
      - {{source: src-one, passage: A report about Beta Land}}
"""
        for n in range(FACTS_PER_PAGE + 5)
    )
    files: dict[str, str | bytes] = {**FILES, "entities/beta-land.yaml": f"{FILES['entities/beta-land.yaml']}{facts}"}
    root = make_project(tmp_path_factory.mktemp("split") / "project", files)
    build_project(root)
    second = (root / "content" / "countries" / "beta-land_2.md").read_text(encoding="utf-8")
    anchor = re.findall(r"\{ #(fact-beta-report-\d+) \.fact ", second)[-1]
    unpacked = tmp_path_factory.mktemp("split-offline")
    (bundle,) = (root / "dist").glob("*-offline.zip")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(unpacked)
    (offline,) = unpacked.iterdir()
    return root / "site", offline, anchor


def test_an_address_of_a_fact_on_another_page_of_its_profile_still_finds_it(
    chromium: Browser, split_profile: tuple[Path, Path, str]
) -> None:
    """A fact moves to a profile's next page when facts are added before it: the address with the page it was
    on still leads to it, on the web build and in the offline bundle, and the stand-in links stay hidden."""
    site, offline, anchor = split_profile
    with serve(site, "/fact-sheets/") as url, guarded_page(chromium) as (page, _):
        for first, second in (
            (f"{url}countries/beta-land/", f"{url}countries/beta-land_2/"),
            (
                (offline / "countries" / "beta-land.html").as_uri(),
                (offline / "countries" / "beta-land_2.html").as_uri(),
            ),
        ):
            page.goto(f"{first}#{anchor}")
            expect(page).to_have_url(f"{second}#{anchor}")
            expect(page.locator(f"#{anchor}")).to_be_in_viewport()
            page.goto(f"{second}#fact-beta-report-00")  # and back: a fact on the first page, asked of the second
            expect(page).to_have_url(f"{first}#fact-beta-report-00")
            expect(page.locator("#fact-beta-report-00")).to_be_in_viewport()
            assert page.locator(".fact-moved").count() > 0
            assert page.locator(".fact-moved:visible").count() == 0
