"""Fact blocks and footnotes made once per run: the same text on every page, numbered 1, 2, 3 for readers."""

from __future__ import annotations

import dataclasses
import gc
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import escape, fact_blocks
from generator.build import render_outputs
from generator.escape import json_for_html
from generator.fact_blocks import citation_labels
from generator.jsonld import profile_jsonld, profile_jsonld_html
from generator.model import Corpus
from generator.pages import CorpusIndex, entity_page, fact_order
from generator.render import render_site
from generator.validate import load_corpus
from tests.conftest import BuiltSite
from tests.goldens import CORPORA
from tests.test_render import BLOCK

LABEL = re.compile(r"\[\^([0-9a-f]+)\]")
NOTE_ABOVE = re.compile(r" \*About the date:\* see \[the note above\]\(#fact-[a-z0-9-]+\)\.")
DEFINITION = re.compile(r"^\[\^([0-9a-f]+)\]: ", re.M)


@pytest.fixture(scope="module", params=sorted(CORPORA))
def rendered(request: pytest.FixtureRequest) -> tuple[Corpus, dict[str, str]]:
    corpus, problems = load_corpus(CORPORA[request.param])
    assert corpus is not None, problems
    return corpus, render_site(corpus)


def test_a_fact_renders_to_identical_text_on_every_page_that_shows_it(
    rendered: tuple[Corpus, dict[str, str]],
) -> None:
    corpus, pages = rendered
    index = CorpusIndex(corpus)
    shown: dict[str, dict[str, str]] = defaultdict(dict)
    for path, text in pages.items():
        for match in BLOCK.finditer(text):
            shown[match["id"]][path] = match.group(0).lstrip("\n")
    assert set(shown) == {f.id for f in corpus.facts}
    unlinked = 0
    for fact in corpus.facts:
        texts = shown[fact.id]
        if fact.date.note:  # a note the page already showed is pointed to (tests/test_render.py): put it back
            full = f" *About the date:* {escape.markdown_text(fact.date.note)}"
            texts = {p: NOTE_ABOVE.sub(full.replace("\\", "\\\\"), t) for p, t in texts.items()}
            shown[fact.id] = texts
        if fact.speaker:  # the speaker's own profile names them without a link to itself
            speaker = index.entities[fact.speaker]
            own = {p for p in texts if re.sub(r"_\d+\.md$", ".md", p) == entity_page(speaker)}
            link = f"[{escape.markdown_text(speaker.name)}](../{entity_page(speaker)})"
            for path in own:
                texts[path] = texts[path].replace(escape.markdown_text(speaker.name), link, 1)
                unlinked += 1
        assert len(set(texts.values())) == 1, (fact.id, texts)
    assert unlinked == sum(1 for f in corpus.facts if f.speaker)
    # Every fact is on its profile and the timeline at least; in different folders, so links must not depend on it.
    folders = {fact_id: {path.split("/")[0] for path in texts} for fact_id, texts in shown.items()}
    assert all(len(f) >= 2 for f in folders.values())
    assert any({"people", "timeline", "policy"} <= f for f in folders.values())


def test_links_in_blocks_are_written_from_one_folder_down(rendered: tuple[Corpus, dict[str, str]]) -> None:
    _, pages = rendered
    targets = {t for text in pages.values() for m in BLOCK.finditer(text) for t in re.findall(r"\]\(([^)]*)\)", m[0])}
    shared = re.compile(
        r"\.\./(countries|organisations|people|sources)/[a-z0-9-]+(_[0-9]+)?\.md(#fact-[a-z0-9-]+)?|#fact-[a-z0-9-]+"
    )
    assert targets and all(shared.fullmatch(t) for t in targets)
    assert any(t.startswith("../people/") for t in targets)


def test_each_page_defines_the_footnotes_it_uses_in_order_of_first_use(
    rendered: tuple[Corpus, dict[str, str]],
) -> None:
    _, pages = rendered
    with_notes = 0
    for path, text in pages.items():
        body, _, notes = text.partition("\n[^")
        used = list(dict.fromkeys(LABEL.findall(body)))
        assert DEFINITION.findall("[^" + notes if notes else "") == used, path
        if used:
            with_notes += 1
            assert path.count("/") == 1, path  # footnotes link ../sources/…: only pages one folder deep have them
    assert with_notes >= 5


def test_footnote_labels_depend_only_on_the_citation(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, _ = rendered
    labels = citation_labels(corpus)
    assert len(set(labels.values())) == len(labels)
    assert all(re.fullmatch(r"[0-9a-f]{12}", label) for label in labels.values())
    reordered = dataclasses.replace(corpus, facts=corpus.facts[::-1], entities=corpus.entities[::-1])
    assert citation_labels(reordered) == labels
    one = corpus.facts[0]
    fewer = dataclasses.replace(corpus, facts=corpus.facts[1:])
    kept = {c: label for c, label in labels.items() if c in citation_labels(fewer)}
    assert citation_labels(fewer) == kept  # removing a fact renames no other footnote
    assert set(one.citations) <= set(labels)


def test_labels_that_would_collide_fall_back_to_the_whole_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, problems = load_corpus(CORPORA["real"])
    assert corpus is not None, problems
    monkeypatch.setattr(fact_blocks, "LABEL_LENGTH", 1)  # 16 possible labels for many more citations
    labels = citation_labels(corpus)
    assert len(labels) > 16
    assert len(set(labels.values())) == len(labels)
    assert {len(label) for label in labels.values()} <= {1, 32}
    assert 32 in {len(label) for label in labels.values()}


def test_jsonld_pieces_join_to_the_whole_graph(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, _ = rendered
    index = CorpusIndex(corpus)
    for entity in corpus.entities:
        facts = sorted(index.facts_by_entity.get(entity.id, []), key=fact_order)
        expected = json_for_html(profile_jsonld(entity, index, facts))
        assert profile_jsonld_html(entity, index, facts) == expected
        assert profile_jsonld_html(entity, index, facts) == expected  # again, partly from the pieces kept


class FootnoteParser(HTMLParser):
    """Footnote references in document order (label, number shown) and the footnote list's labels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []
        self.definitions: list[str] = []
        self._ref: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and "footnote-ref" in (values.get("class") or "").split():
            self._ref = str(values["href"]).removeprefix("#fn:")
            self.refs.append((self._ref, ""))
        if tag == "li" and str(values.get("id") or "").startswith("fn:"):
            self.definitions.append(str(values["id"]).removeprefix("fn:"))

    def handle_data(self, data: str) -> None:
        if self._ref is not None:
            self.refs[-1] = (self._ref, self.refs[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._ref = None


def built_page(site: Path, markdown_path: str) -> Path:
    """The HTML file MkDocs builds from a Markdown page (``use_directory_urls``)."""
    stem = markdown_path.removesuffix(".md").removesuffix("index")
    return site / stem / "index.html"


def test_readers_see_footnotes_numbered_in_order_with_only_the_page_s_own(built_site: BuiltSite) -> None:
    content = built_site.project.content
    checked = repeated = 0
    for markdown_file in sorted(content.rglob("*.md")):
        markdown = markdown_file.read_text(encoding="utf-8")
        body = markdown.partition("\n[^")[0]
        written = list(dict.fromkeys(LABEL.findall(body)))
        if not written:
            continue
        parser = FootnoteParser()
        parser.feed(built_page(built_site.site, markdown_file.relative_to(content).as_posix()).read_text("utf-8"))
        first_use = list(dict.fromkeys(label for label, _ in parser.refs))
        assert first_use == written, markdown_file
        assert parser.definitions == written, markdown_file  # exactly the page's own, in order of first use
        for label, shown in parser.refs:
            assert shown == str(written.index(label) + 1), (markdown_file, label, shown)
        numbers = [int(shown) for _, shown in parser.refs]
        assert list(dict.fromkeys(numbers)) == list(range(1, len(written) + 1)), markdown_file
        repeated += len(numbers) > len(set(numbers))
        checked += 1
    assert checked >= 20
    assert repeated >= 1  # a citation used twice on a page keeps its first number


def test_a_counted_fragment_is_kept_for_its_uses_then_made_again() -> None:
    cache = fact_blocks.UseCountedCache()
    made: list[str] = []

    def make() -> str:
        made.append("x")
        return f"fragment {len(made)}"

    assert [cache.get("a", make, lambda: 3) for _ in range(3)] == ["fragment 1"] * 3
    assert cache.get("a", make, lambda: 3) == "fragment 2"  # dropped after its third use, so made again
    assert cache.get("b", make, lambda: 1) == "fragment 3"
    assert cache.get("b", make, lambda: 1) == "fragment 4"  # a fragment used once is never kept
    assert cache._entries == {"a": ["fragment 2", 2]}


def test_rendering_leaves_nothing_for_the_cyclic_garbage_collector(real_corpus: Corpus) -> None:
    # At 10,000 entities, a run's indexes and fragments kept alive by a reference cycle cost a
    # collection of half a million objects at the end of the run: they must go by reference counting.
    render_outputs(real_corpus)  # templates compiled and cached, as in any run after the first page
    gc.collect()
    gc.disable()
    try:
        pages = render_outputs(real_corpus)
        assert pages
        del pages
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_claim_given_to_a_group_names_the_group_and_its_speaker_among_them() -> None:
    corpus, problems = load_corpus(CORPORA["mini"])
    assert corpus is not None, problems
    facts = tuple(
        dataclasses.replace(f, among="the *Assembly's* majority")
        if f.id == "assembly-embassy-plan-lacks-funding"
        else f
        for f in corpus.facts
    )
    pages = render_site(dataclasses.replace(corpus, facts=facts))
    group = "the &#42;Assembly's&#42; majority"  # escaped: a group's words are text, never Markdown
    block = f"According to {group}, among them the [Valdorian Assembly](../organisations/valdorian-assembly.md), "
    assert block + "the embassy plan lacks funding." in pages["timeline/2026.md"]
    own = f"According to {group}, among them the Valdorian Assembly, the embassy plan"  # its own page: no link
    assert own in pages["organisations/valdorian-assembly.md"]
    listing = f"according to {group}, among them the Valdorian Assembly, the embassy plan lacks funding."
    assert listing in pages["sources/valdoria-herald-2026-01-20-summit.md"]
    index = CorpusIndex(dataclasses.replace(corpus, facts=facts))
    assembly = index.entities["valdorian-assembly"]
    shown = sorted(index.facts_by_entity["valdorian-assembly"], key=fact_order)
    claim = next(n for n in profile_jsonld(assembly, index, shown)["@graph"] if n.get("creditText"))
    assert claim["creditText"] == "the *Assembly's* majority, among them the Valdorian Assembly"
    assert claim["contributor"]["identifier"] == "valdorian-assembly" and "author" not in claim
    assert profile_jsonld_html(assembly, index, shown) == json_for_html(profile_jsonld(assembly, index, shown))
