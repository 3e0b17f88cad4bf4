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
