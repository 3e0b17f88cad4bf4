"""Accessibility: axe-core, from npm, run in Chromium on every page of the built site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import guarded_page
from tests.conftest import REPO, BuiltSite

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("moderate", "serious", "critical")


def pages_of(site: Path) -> list[str]:
    """Every HTML page of the web build, as the path a browser asks for."""
    paths = []
    for html in sorted(site.rglob("*.html")):
        relative = html.relative_to(site).as_posix()
        paths.append(relative.removesuffix("index.html"))
    return paths


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the loaded page and return its moderate, serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def describe(path: str, violation: dict[str, Any]) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
    return f"/{path}: {violation['impact']} {violation['id']}: {violation['help']} at {targets}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations_on_any_page(chromium: Browser, built_site: BuiltSite, web_url: str, scheme: str) -> None:
    assert AXE.is_file(), f"{AXE} is missing: run `make setup-browser`"
    paths = pages_of(built_site.site)
    assert len(paths) > 30
    found: list[str] = []
    with guarded_page(chromium, color_scheme=scheme) as (page, _):
        for path in paths:
            page.goto(web_url + path)
            found += [describe(path, v) for v in axe_violations(page)]
    assert found == []


def test_axe_finds_a_seeded_violation(chromium: Browser) -> None:
    with guarded_page(chromium) as (page, _):
        page.set_content(
            '<html lang="en"><title>t</title><main><h1>h</h1><img src="data:,"><p style="color:#eee">low</p>'
            "<nav><a href=#a>a</a></nav><nav><a href=#b>b</a></nav></main>"  # two regions no one can tell apart
        )
        ids = sorted(v["id"] for v in axe_violations(page))
    assert ids == ["color-contrast", "image-alt", "landmark-unique"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_fact_reached_through_its_link_keeps_the_contrast_of_its_text(
    chromium: Browser, web_url: str, scheme: str
) -> None:
    """Its date, or a source page's list, leads to the fact, which is marked: its links and a quotation's text stay
    at 4.5:1 or more (WCAG 1.4.3)."""
    with guarded_page(chromium, color_scheme=scheme) as (page, _):
        for fact in ("kurti-serbia-48-operational-bases", "kurti-quote-unless-kremlin-orders"):
            page.goto(f"{web_url}people/albin-kurti/#fact-{fact}")
            assert page.evaluate("document.querySelector(':target').id") == f"fact-{fact}"
            contrast = [describe(f"people/albin-kurti/#fact-{fact}", v) for v in axe_violations(page)]
            assert contrast == []


def test_on_a_phone_the_keyboard_opens_the_navigation_and_skips_it_while_closed(
    chromium: Browser, web_url: str
) -> None:
    """Where the navigation is a drawer, Tab reaches the menu button without passing through the closed drawer's
    links, Space or Enter opens it, and its links come next (WCAG 2.1.1, 2.4.3)."""
    focused = "() => [document.activeElement.closest('.md-sidebar--primary') !== null, document.activeElement.id,"
    focused += " document.activeElement.getAttribute('for')]"
    with guarded_page(chromium, viewport={"width": 360, "height": 740}) as (page, _):
        page.goto(f"{web_url}people/albin-kurti/")
        stops = []
        while len(stops) < 20 and (not stops or stops[-1][2] != "__drawer"):
            page.keyboard.press("Tab")
            stops.append(page.evaluate(focused))
        assert stops[-1][2] == "__drawer", stops
        assert not any(in_drawer for in_drawer, *_ in stops), stops
        menu = page.locator('label.md-header__button[for="__drawer"]')
        assert (menu.get_attribute("role"), menu.get_attribute("aria-expanded")) == ("button", "false")
        page.keyboard.press("Space")
        assert page.evaluate("document.getElementById('__drawer').checked")
        assert menu.get_attribute("aria-expanded") == "true"
        page.keyboard.press("Space")  # and closes it
        assert not page.evaluate("document.getElementById('__drawer').checked")
        page.keyboard.press("Enter")
        for _ in range(5):
            page.keyboard.press("Tab")
            if page.evaluate(focused)[0]:
                break
        assert page.evaluate(focused)[0], "the open drawer's links take focus"


SHOWN = """() => {
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  };
  const focused = document.activeElement;
  const label = focused.nextElementSibling;  // the theme shows a hidden input's state in the label after it
  return [`${focused.tagName}.${focused.className}`, shown(focused) || (label?.tagName === "LABEL" && shown(label)),
          focused.closest(".md-main") !== null];
}"""
"""The element that has focus, whether it (or, for a hidden input, the label after it) can be seen, and whether it
is in the page's main part, past the header and the navigation."""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}])
def test_every_tab_stop_before_the_page_is_one_the_reader_can_see(
    chromium: Browser, web_url: str, viewport: dict[str, int]
) -> None:
    """Tab from the top of a page to its main part never lands on something of no size: Material's search results
    take focus even while the search is closed, 0 pixels high on a desktop, where focus vanished (WCAG 2.4.7)."""
    with guarded_page(chromium, viewport=viewport) as (page, _):
        page.goto(f"{web_url}countries/kosovo/")
        stops: list[list[Any]] = []
        while len(stops) < 40 and (not stops or not stops[-1][2]):
            page.keyboard.press("Tab")
            page.wait_for_timeout(300)  # the search closes as focus leaves it, in a transition of 250 ms
            stops.append(page.evaluate(SHOWN))
        assert stops[-1][2], stops
        assert [name for name, shown, _ in stops if not shown] == [], stops
