"""The real thing: ``python -m generator build`` runs ``mkdocs build --strict`` on the real corpus.

One build of a copy of the real project is shared by the whole session; the tests read its HTML.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, REPO, CliRunner, copy_project
from corpus_edits import replace_in

from generator.build import Project
from generator.model import Corpus
from generator.pages import CorpusIndex, entity_page, policy_page, source_page

ARTICLE = "rksnews-2026-01-20-lavrov-balkans"


class PageParser(HTMLParser):
    """Collect a built page's element ids, link targets and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.footnote_hrefs: list[str] = []
        self.text: list[str] = []
        self._footnote_depth = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "div" and "footnote" in (values.get("class") or "").split():
            self._footnote_depth = 1
        elif self._footnote_depth and tag == "div":
            self._footnote_depth += 1
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))
            if self._footnote_depth:
                self.footnote_hrefs.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "div" and self._footnote_depth:
            self._footnote_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


@dataclass
class BuiltPage:
    """One HTML page of the built site."""

    url: str
    """Its URL path relative to the site root, e.g. ``people/albin-kurti/``."""
    ids: set[str]
    hrefs: list[str]
    footnote_hrefs: list[str]
    text: str = field(repr=False)
    """Visible text with whitespace collapsed."""


@dataclass
class BuiltSite:
    """The result of one real build of the real corpus."""

    project: Project
    stdout: str
    stderr: str
    returncode: int
    pages: dict[str, BuiltPage]
    """By URL path relative to the site root."""


def page_url(markdown_path: str) -> str:
    """URL of a Markdown page under ``use_directory_urls``."""
    stem = markdown_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def read_site(site: Path) -> dict[str, BuiltPage]:
    pages = {}
    for path in sorted(site.rglob("index.html")):
        parser = PageParser()
        parser.feed(path.read_text(encoding="utf-8"))
        url = path.parent.relative_to(site).as_posix()
        url = "" if url == "." else url + "/"
        text = " ".join("".join(parser.text).split())
        pages[url] = BuiltPage(url, parser.ids, parser.hrefs, parser.footnote_hrefs, text)
    return pages


def cli_build(project: Project) -> subprocess.CompletedProcess[str]:
    """Run ``python -m generator build`` in a project, as a contributor would.

    Session- and module-scoped fixtures cannot use the function-scoped ``run_cli``.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "generator", "build"],
        cwd=project.root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, real_corpus: Corpus) -> BuiltSite:
    """Build a copy of the real project once, for real, through the command line."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = cli_build(project)
    pages = read_site(project.site) if project.site.is_dir() else {}
    return BuiltSite(project, result.stdout, result.stderr, result.returncode, pages)


def test_build_succeeds(built: BuiltSite) -> None:
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    assert "error:" not in built.stderr
    assert not list(built.project.root.glob(".site-build-*"))


def test_everyone_may_read_the_site_whatever_the_umask(mini_project: Project, run_cli: CliRunner) -> None:
    """A web server often runs as another user: site/ and everything in it is readable by all."""
    private = os.umask(0o077)  # the build's processes inherit it
    try:
        result = run_cli("build", "--no-bundle", cwd=mini_project.root)
    finally:
        os.umask(private)
    assert result.returncode == 0, result.stderr
    site = mini_project.site
    folders = [site, *(p for p in site.rglob("*") if p.is_dir())]
    assert {stat.S_IMODE(folder.stat().st_mode) & 0o555 for folder in folders} == {0o555}
    assert {stat.S_IMODE(p.stat().st_mode) & 0o444 for p in site.rglob("*") if p.is_file()} == {0o444}


def test_site_has_every_page(built: BuiltSite, real_corpus: Corpus) -> None:
    expected = {"", "about/", "tags/", "timeline/", "countries/", "organisations/", "people/", "policy/", "sources/"}
    expected |= {page_url(entity_page(e)) for e in real_corpus.entities}
    expected |= {page_url(source_page(s.id)) for s in real_corpus.sources}
    expected |= {page_url(policy_page(p)) for p in real_corpus.policies}
    assert {"policy/us-policy/", "policy/eu-policy/"} <= expected
    missing = expected - set(built.pages)
    assert not missing, f"pages missing from site/: {sorted(missing)}"
    required = {
        "kosovo",
        "serbia",
        "bosnia-and-herzegovina",
        "albania",
        "north-macedonia",
        "montenegro",
        "united-states",
        "european-union",
        "russia",
        "republika-srpska",
        "kosovo-security-force",
        "albin-kurti",
        "vjosa-osmani",
        "sergei-lavrov",
        "vladimir-putin",
        "donald-trump",
    }
    assert required <= {e.id for e in real_corpus.entities}


def test_every_fact_anchor_is_on_its_home_page(built: BuiltSite, real_corpus: Corpus) -> None:
    index = CorpusIndex(real_corpus)
    for fact in real_corpus.facts:
        page = built.pages[page_url(index.home_page(fact))]
        assert f"fact-{fact.id}" in page.ids, f"#fact-{fact.id} missing on {page.url}"


def test_a_link_to_a_quotation_lands_on_its_words_and_who_said_them(built: BuiltSite, real_corpus: Corpus) -> None:
    """The words and their attribution are one paragraph, parted by a line break: the theme's search preview
    shows the paragraphs that hold the words searched for, and must show the speaker with a quotation's words."""
    index = CorpusIndex(real_corpus)
    quotes = [f for f in real_corpus.facts if f.kind == "quote"]
    assert quotes
    for fact in quotes:
        path = built.project.site / page_url(index.home_page(fact)) / "index.html"
        found = re.search(rf'<p class="fact fact-quote" id="fact-{fact.id}">(.*?)</p>', path.read_text("utf-8"), re.S)
        assert found, f"#fact-{fact.id} is not the quotation's paragraph on {path}"
        words, said = found[1].split("<br />\n")
        assert html.unescape(re.sub(r"<[^>]+>", "", words)) == f"“{fact.text}”"
        speaker = index.entities[fact.speaker or ""].name
        assert html.unescape(re.sub(r"<[^>]+>", "", said)).startswith(f"— {speaker}, {fact.date.human()}")


def test_every_citation_passage_appears_on_the_home_page(built: BuiltSite, real_corpus: Corpus) -> None:
    index = CorpusIndex(real_corpus)
    for fact in real_corpus.facts:
        page = built.pages[page_url(index.home_page(fact))]
        for citation in fact.citations:
            if citation.passage:  # a passage that holds a quotation goes in single quotation marks
                opening, closing = "‘’" if any(mark in citation.passage for mark in "“”") else "“”"
                assert f"{opening}{citation.passage}{closing}" in page.text, (fact.id, citation.passage)


def resolve(page: BuiltPage, href: str) -> tuple[str, str] | None:
    """(URL path, fragment) of an internal link, or None for an external one."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    target = posixpath.normpath(posixpath.join(page.url, parts.path)) if parts.path else page.url.rstrip("/")
    target = "" if target in (".", "") else target.rstrip("/") + "/"
    return target, html.unescape(parts.fragment)


def test_a_split_pages_current_number_is_marked_for_screen_readers(built: BuiltSite) -> None:
    """The real timeline of 2026 is two pages; each says which one it is, as a screen reader hears it too."""
    for number, url in ((1, "timeline/2026"), (2, "timeline/2026_2")):
        page = (built.project.site / url / "index.html").read_text(encoding="utf-8")
        assert page.count(f'<strong aria-current="page">{number}</strong>') == 2  # the line above and below


def test_every_internal_link_and_anchor_resolves(built: BuiltSite) -> None:
    checked = 0
    for page in built.pages.values():
        for href in page.hrefs:
            resolved = resolve(page, href)
            if resolved is None or href.startswith(("../assets/", "assets/")) or "/assets/" in href:
                continue
            target, fragment = resolved
            if target.endswith((".xml/", ".json/", ".csv/", ".css/", ".js/", ".png/", ".svg/", ".ico/", ".gz/")):
                assert (built.project.site / target.rstrip("/")).is_file(), (page.url, href)
                continue
            assert target in built.pages, f"{page.url}: broken link {href}"
            if fragment:
                assert fragment in built.pages[target].ids, f"{page.url}: missing anchor {href}"
            checked += 1
    assert checked > 500


def test_footnotes_link_to_built_source_pages_and_the_original(built: BuiltSite, real_corpus: Corpus) -> None:
    index = CorpusIndex(real_corpus)
    for fact in real_corpus.facts:
        page = built.pages[page_url(index.home_page(fact))]
        assert page.footnote_hrefs, page.url
        for citation in fact.citations:
            source = index.sources[citation.source]
            source_url = page_url(source_page(source.id))
            targets = {resolve(page, h) for h in page.footnote_hrefs}
            assert (source_url, "") in targets, (page.url, source.id)
            assert source_url in built.pages
            assert source.url in page.footnote_hrefs, (page.url, source.url)


def test_source_pages_link_the_original_article(built: BuiltSite, real_corpus: Corpus) -> None:
    for source in real_corpus.sources:
        page = built.pages[page_url(source_page(source.id))]
        assert source.url in page.hrefs
    assert "https://rks.news/lavrov-russia-ready-to-communicate-with-the-u-s-on-the-balkans" in (
        built.pages[page_url(source_page(ARTICLE))].hrefs
    )


def test_no_page_requests_a_third_party_host(built: BuiltSite) -> None:
    # Anything the browser fetches by itself: src= of any element, and stylesheets, icons, preloads.
    fetched = re.compile(
        r"""\bsrc=["']?(?:https?:)?//|<link\b(?![^>]*rel=["']?(?:canonical|alternate)\b)[^>]*href=["']?(?:https?:)?//""",
        re.I,
    )
    for path in built.project.site.rglob("*.html"):
        assert not fetched.search(path.read_text(encoding="utf-8")), path


# --- Every statement in the article can be found on the site ---------------------------------

SKIPPED_LINES = [
    # The headline: it restates the first paragraph, which is checked sentence by sentence.
    "Lavrov: Russia Ready to Communicate with the U.S. on the Balkans",
    # Byline and reading time: page furniture, not statements.
    "RksNews",
    "RksNews 4 Min Read",
    "4 Min Read",
    # Section headings: labels for the paragraphs below them, whose sentences are checked.
    "Regional Concerns Over Russian Influence",
    "Kurti: Serbia Acts Only If Ordered by the Kremlin",
    "Bosnia and Herzegovina and the EU’s Role",
    "U.S. and EU Policy in the Balkans",
]
SENTENCE_END = re.compile(r"(?<!U\.S\.)(?:(?<=[.!?])|(?<=[.!?]”))\s+(?=[A-Z“])")
"""A sentence ends at . ! or ? (perhaps inside a closing quote), before a capital or an opening quote."""
WORD = re.compile(r"[\w’%$]+")
MIN_COVERAGE = 0.85
"""Share of a sentence's words that passages must cover; the rest may be connectives ("In contrast")."""


def article_text(project_root: Path) -> str:
    return (project_root / "facts" / "sources" / f"{ARTICLE}.txt").read_text(encoding="utf-8")


def article_sentences(text: str) -> tuple[list[str], list[str]]:
    """(skipped lines, sentences) of the article: a line is a paragraph unless it ends without punctuation."""
    skipped, sentences = [], []
    for line in (" ".join(raw.split()) for raw in text.splitlines()):
        if not line:
            continue
        if not re.search(r"[.!?”]$", line):
            skipped.append(line)
            continue
        sentences.extend(SENTENCE_END.split(line))
    return skipped, sentences


def passages(corpus: Corpus, source_id: str) -> list[str]:
    cited = [c for f in corpus.facts for c in f.citations]
    cited += [c for e in corpus.entities for r in e.roles for c in r.citations]
    return [c.passage for c in cited if c.source == source_id and c.passage]


def test_the_sentence_splitter() -> None:
    skipped, sentences = article_sentences(
        "Title Line\n\nOn May 1, U.S. President X said “It is done. It is over,” X said. Then Y left.\n"
    )
    assert skipped == ["Title Line"]
    assert sentences == ["On May 1, U.S. President X said “It is done.", "It is over,” X said.", "Then Y left."]


def test_every_passage_is_verbatim_in_the_stored_article(real_corpus: Corpus, repo_root: Path) -> None:
    flat = " ".join(article_text(repo_root).split())
    for passage in passages(real_corpus, ARTICLE):
        assert passage in flat, passage


def test_every_sentence_of_the_article_is_covered_by_citations(real_corpus: Corpus, repo_root: Path) -> None:
    text = article_text(repo_root)
    flat = " ".join(text.split())
    covered = bytearray(len(flat))
    for passage in passages(real_corpus, ARTICLE):
        start = flat.find(passage)
        while start >= 0:
            covered[start : start + len(passage)] = b"\x01" * len(passage)
            start = flat.find(passage, start + 1)
    skipped, sentences = article_sentences(text)
    assert skipped == SKIPPED_LINES
    assert len(sentences) == 19
    for sentence in sentences:
        offset = flat.index(sentence)
        words = [(offset + m.start(), offset + m.end(), m.group()) for m in WORD.finditer(sentence)]
        uncovered = [(start - offset, word) for start, end, word in words if not all(covered[start:end])]
        # Names and figures carry the facts: every one must be cited, wherever it stands.
        assert not [w for at, w in uncovered if any(c.isdigit() for c in w) or (at > 0 and w[0].isupper())], sentence
        assert 1 - len(uncovered) / len(words) >= MIN_COVERAGE, (sentence, [w for _, w in uncovered])


def test_every_quotation_in_the_article_is_a_quote_fact(real_corpus: Corpus, repo_root: Path) -> None:
    flat = " ".join(article_text(repo_root).split())
    found = re.findall(r"“([^”]+)”,? (\w+) (?:said|stated)", flat)
    assert len(found) == len(re.findall("“", flat)) == 3
    quotes = {f.text: f for f in real_corpus.facts if f.kind == "quote"}
    names = {e.id: e.name for e in real_corpus.entities}
    for words, surname in found:
        words = words.rstrip(",.")
        assert words in quotes, words
        fact = quotes[words]
        assert names[fact.speaker].split()[-1] == surname, (words, fact.speaker)
        assert any(c.source == ARTICLE and f"“{words}" in c.passage for c in fact.citations)


def test_figures_given_by_kurti_are_his_claims(real_corpus: Corpus) -> None:
    for figure in ("48 advanced operational bases", "over 3% of its GDP"):
        facts = [f for f in real_corpus.facts if figure in f.text]
        assert facts, figure
        assert all(f.kind == "claim" and f.speaker == "albin-kurti" for f in facts), figure


def test_event_dates(real_corpus: Corpus) -> None:
    by_id = {f.id: f for f in real_corpus.facts}
    assert by_id["trump-signed-ndaa-2025-12-18"].date.value == "2025-12-18"
    assert by_id["kurti-davos-house-of-kosovo-discussion"].date.value == "2026-01-20"
    assert by_id["lavrov-press-conference-2026-01-20"].date.value == "2026-01-20"


# --- A failing build keeps the previous site -------------------------------------------------


@pytest.fixture(scope="module")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project, built once; tests copy it before breaking it."""
    project = copy_project(tmp_path_factory.mktemp("built-mini") / "project", FIXTURES / "mini" / "facts")
    result = cli_build(project)
    assert result.returncode == 0, result.stderr
    return project.root


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("link", "warning"),
    [
        (
            "no-such-page.md",
            "contains a link 'no-such-page.md', but the target is not found among documentation files.",
        ),
        (
            "timeline/index.md#no-such-anchor",
            "contains a link 'timeline/index.md#no-such-anchor', "
            "but the doc 'timeline/index.md' does not contain an anchor "
            "'#no-such-anchor'.",
        ),
    ],
)
def test_broken_link_fails_the_build_and_keeps_the_previous_site(
    link: str, warning: str, built_mini: Path, tmp_path: Path, run_cli: CliRunner
) -> None:
    project = Project(tmp_path / "mini")
    shutil.copytree(built_mini, project.root)
    before = site_files(project.site)
    assert "index.html" in before and "people/mira-dordevic/index.html" in before
    replace_in(project.content / "about.md", "## Sourcing method\n", f"## Sourcing method\n\n[List]({link})\n")
    result = run_cli("build", cwd=project.root)
    assert result.returncode == 1
    line = (project.content / "about.md").read_text(encoding="utf-8").splitlines().index(f"[List]({link})") + 1
    assert result.stderr.splitlines()[-4:] == [
        f"content/about.md:{line}:8: error: mkdocs build failed: WARNING - Doc file 'about.md' {warning}",
        f"  [List]({link})",
        "         ^",
        "1 error, 0 warnings",
    ]
    assert "Traceback" not in result.stderr
    assert site_files(project.site) == before
    assert not list(project.root.glob(".site-build-*")) and not list(project.root.glob(".site.old-*"))


def test_a_strict_run_that_a_warning_fails_writes_nothing(project: Project, run_cli: CliRunner) -> None:
    """--strict turns warnings into a failed run, and a failed run leaves content/ and site/ as they were."""
    assert run_cli("build", "--no-bundle", cwd=project.root).returncode == 0
    site, content = site_files(project.site), site_files(project.content)
    later = ("--today", "2030-01-01")  # every real fact and role is due for review by then
    for command in (("build", "--no-bundle"), ("generate",)):
        result = run_cli(*command, "--strict", *later, cwd=project.root)
        assert result.returncode == 1, result.stderr
        assert ": warning: " in result.stderr and ": error: " not in result.stderr
        assert (site_files(project.site), site_files(project.content)) == (site, content), command
    assert not list(project.root.glob(".site-build-*")) and not list(project.content.glob(".generate-*"))
    shown = run_cli("build", "--no-bundle", *later, cwd=project.root)  # without --strict, warnings are shown
    assert shown.returncode == 0 and ": warning: " in shown.stderr
    assert site_files(project.site) != site
    assert "(may be out of date)" in (project.content / "people" / "donald-trump.md").read_text(encoding="utf-8")


def test_a_page_the_generator_did_not_write_among_its_pages_fails_the_build(
    built_mini: Path, tmp_path: Path, run_cli: CliRunner
) -> None:
    """A pull request can add content/people/x.md: MkDocs would publish it as a profile no fact backs."""
    project = Project(tmp_path / "mini")
    shutil.copytree(built_mini, project.root)
    before = site_files(project.site)
    fake = project.content / "people" / "ivan-petrov.md"
    fake.write_text(
        '---\ntitle: Ivan Petrov\nedit_path: ""\n---\n\nIvan Petrov ordered the attack.\n', encoding="utf-8"
    )
    (project.content / "people" / "notes.html").write_text("<p>Unchecked.</p>\n", encoding="utf-8")
    (project.content / "people" / "extra").mkdir()
    (project.content / "people" / "extra" / "ivan.md").write_text("# Ivan\n", encoding="utf-8")  # a folder down
    (project.content / "people" / ".notes.md.swp").write_text("x\n", encoding="utf-8")  # MkDocs leaves it out
    (project.content / "stylesheets").mkdir(exist_ok=True)
    (project.content / "stylesheets" / "extra.css").write_text("p {}\n", encoding="utf-8")  # no generated folder
    (project.content / "notes.md").write_text("# Notes\n", encoding="utf-8")  # a hand-written page, in the diff
    result = run_cli("build", cwd=project.root)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"content/people/{name}: error: a file that is not one of the generated pages, in content/people/, where "
        "every page is generated from facts/; the site would publish it unchecked"
        for name in ("extra/ivan.md:1:1", "ivan-petrov.md:1:1", "notes.html:1:1")
    ]
    assert site_files(project.site) == before
    fake.unlink()
    (project.content / "people" / "notes.html").unlink()
    shutil.rmtree(project.content / "people" / "extra")
    assert run_cli("build", cwd=project.root).returncode == 0


def test_a_page_generated_once_then_edited_is_not_published_when_its_source_goes(
    built_mini: Path, tmp_path: Path, run_cli: CliRunner
) -> None:
    """The writer keeps a page that no longer shows it is generated, with a warning; build then refuses it, with one
    error that replaces the warning."""
    project = Project(tmp_path / "mini")
    shutil.copytree(built_mini, project.root)
    wire = "example-wire-2026-01-21-summit"
    page = project.content / "sources" / f"{wire}.md"
    page.write_text(page.read_text(encoding="utf-8").replace("edit_path:", "edited_by: hand\nnote:"), encoding="utf-8")
    (project.facts / "sources" / f"{wire}.yaml").unlink()
    for name in ("valdoria", "mira-dordevic"):
        replace_in(project.facts / "entities" / f"{name}.yaml", f"      - source: {wire}\n", "")
    result = run_cli("build", cwd=project.root)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if f"content/sources/{wire}.md" in line]
    assert len(lines) == 1 and ": error: a file that is not one of the generated pages" in lines[0], lines
    assert page.is_file()  # left in place all the same
