"""Portability: ProperDocs and Zensical read the same ``mkdocs.yml`` and generated Markdown as MkDocs.

Each runs from its own virtualenv (``make setup-test`` creates them) on a copy of the real project
that MkDocs has built. What Zensical 0.0.73 does differently, and so is left out of the comparison:
- the theme around the article: its own header, navigation and search index format;
- the Edit action, which it makes only when ``repo_url`` is set. The site sets ``edit_uri`` alone,
  so that no page asks the forge's API for star counts, so its Zensical pages have none; with
  ``repo_url`` added, they have the same as MkDocs gives them (the theme partial works in both);
- links to the page itself: MkDocs writes ``./``, Zensical the page's own path; both are compared
  as the page they resolve to;
- the tags page's headings have no permalink, and the tags of a page come after its text.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_determinism import EPOCH
from test_edit_action import EDIT_LINK, REPO_EDIT
from tiny_corpus import REPO, build_project, cli_env, make_project

PROPERDOCS = REPO / ".venv-properdocs" / "bin" / "properdocs"
ZENSICAL = REPO / ".venv-zensical" / "bin" / "zensical"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real project, generated and built with MkDocs."""
    root = make_project(tmp_path_factory.mktemp("portability") / "p", real_facts=True)
    build_project(root, SOURCE_DATE_EPOCH=EPOCH)
    return root


def _search_entries(site: Path) -> list[tuple[str, str]]:
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return sorted((d["location"], d["title"]) for d in docs)


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def _run(tool: Path, *args: str, cwd: Path) -> str:
    if not tool.exists():
        pytest.fail(f"{tool} is missing: run `make setup-test`, which creates its virtualenv")
    result = subprocess.run(
        [str(tool), *args], cwd=cwd, env=cli_env(SOURCE_DATE_EPOCH=EPOCH), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_properdocs_builds_the_same_pages_and_search_index(built: Path, tmp_path: Path) -> None:
    # ProperDocs reads mkdocs.yml when told to; without -f it looks for properdocs.yml first.
    _run(PROPERDOCS, "build", "--strict", "-f", "mkdocs.yml", "-d", str(tmp_path / "properdocs-site"), cwd=built)
    assert _run(PROPERDOCS, "--version", cwd=built).startswith("properdocs, version 1.6.7")
    assert _pages(tmp_path / "properdocs-site") == _pages(built / "site")
    assert len(_pages(built / "site")) == len(list((built / "content").rglob("*.md"))) + 1  # and 404.html
    assert _search_entries(tmp_path / "properdocs-site") == _search_entries(built / "site")


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
"""HTML elements without an end tag."""


def _zensical_build(built: Path, copy: Path, *config_lines: str) -> Path:
    """Build a copy of the project with Zensical, with lines added to its mkdocs.yml."""
    # Zensical has no --site-dir: it builds into mkdocs.yml's site_dir, so it gets a copy of the project.
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("site", "dist"))
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "".join(f"{line}\n" for line in config_lines))
    _run(ZENSICAL, "build", "--strict", "-f", "mkdocs.yml", cwd=copy)
    return copy


class Article(HTMLParser):
    """What a reader gets from a page's article: its text, its ids, where its links go, and its tags.

    Links are resolved against the page's own address, so ``./`` and the page's path compare equal.
    The theme's parts inside the article (the Edit action, the skip target, permalinks) are left out.
    """

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = posixpath.dirname(f"/{page}")
        self.open: list[str] = []
        """For each element open inside the article: what it holds ("text", "tags" or "theme")."""
        self.text: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        if not self.open and tag != "article":
            return
        holds = self.open[-1] if self.open else "text"
        if holds == "text" and "md-tags" in classes:
            holds = "tags"
        elif holds == "text" and ({"headerlink", "md-content__button"} & classes or found.get("id") == "__skip"):
            holds = "theme"
        if holds == "text" and tag != "article":
            if found.get("id"):
                self.ids.append(found["id"] or "")
            if tag == "a" and found.get("href") is not None:
                self.links.append(self._resolve(found["href"] or ""))
        if tag not in VOID:
            self.open.append(holds)

    def handle_endtag(self, tag: str) -> None:
        if self.open and tag not in VOID:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        holds = self.open[-1] if self.open else None
        if holds == "tags" and data.strip():
            self.tags.add(data.strip())
        elif holds == "text":
            self.text.append(data)

    def _resolve(self, href: str) -> str:
        if href.startswith("#") or "://" in href or href.startswith("mailto:"):
            return href
        path, hash_mark, fragment = href.partition("#")
        resolved = posixpath.normpath(posixpath.join(self.base, path))
        folder = path.endswith("/") or path in ("", ".")
        return resolved.rstrip("/") + ("/" if folder else "") + hash_mark + fragment

    def summary(self) -> tuple[str, list[str], list[str], set[str]]:
        """The article's text with whitespace folded, its ids, its resolved links and its tags."""
        return " ".join("".join(self.text).split()), self.ids, self.links, self.tags


class Loads(HTMLParser):
    """Every address a page loads from: scripts, style sheets, icons, images."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "img", "source", "iframe") and found.get("src"):
            self.found.append(found["src"] or "")
        elif tag == "link" and found.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
            self.found.append(found.get("href") or "")


def _article(site: Path, page: str) -> tuple[str, list[str], list[str], set[str]]:
    parser = Article(page)
    parser.feed((site / page).read_text(encoding="utf-8"))
    parser.close()
    return parser.summary()


def test_zensical_reads_the_same_config_and_renders_every_page_alike(built: Path, tmp_path: Path) -> None:
    copy = _zensical_build(built, tmp_path / "z")
    assert _run(ZENSICAL, "--version", cwd=copy).strip() == "0.0.73"
    ours, theirs = built / "site", copy / "site"
    pages = _pages(ours)
    assert _pages(theirs) == pages
    for page in pages:
        assert _article(theirs, page) == _article(ours, page), page
    kurti = _article(theirs, "people/albin-kurti/index.html")
    assert "fact-kurti-quote-think-twice" in kurti[1]  # a fact's anchor, which links from other pages rely on
    assert "“They should think twice before doing anything against us." in kurti[0]
    # Its own search index lists every page, and the pages load nothing from another host.
    found = {item["location"].partition("#")[0] for item in json.loads((theirs / "search.json").read_text())["items"]}
    assert found == {posixpath.dirname(p) + "/" if p != "index.html" else "" for p in pages if p != "404.html"}
    for page in pages:
        loads = Loads()
        loads.feed((theirs / page).read_text(encoding="utf-8"))
        assert loads.found, page
        assert not [a for a in loads.found if "://" in a or a.startswith("//")], page


def test_zensical_gives_the_same_edit_actions_once_repo_url_is_set(built: Path, tmp_path: Path) -> None:
    copy = _zensical_build(built, tmp_path / "z", "repo_url: https://github.com/western-balkans-facts/fact-sheets")
    edits = {}
    for page in _pages(built / "site"):
        ours = EDIT_LINK.findall((built / "site" / page).read_text(encoding="utf-8"))
        assert EDIT_LINK.findall((copy / "site" / page).read_text(encoding="utf-8")) == ours, page
        edits[page] = ours
    assert edits["people/albin-kurti/index.html"] == [REPO_EDIT + "facts/entities/albin-kurti.yaml"]
    assert edits["about/index.html"] == [REPO_EDIT + "content/about.md"]  # hand-written: the theme's own link
    assert edits["timeline/index.html"] == []  # gathered from many files
