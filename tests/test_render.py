"""Rendered Markdown: byte-for-byte goldens, and the rules every page must keep."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator import escape
from generator.fact_blocks import sentence_start
from generator.model import Corpus, Fact
from generator.pages import CorpusIndex, entity_page, fact_order, relative, source_page
from generator.render import render_site
from generator.validate import load_corpus
from tests.footnote_numbers import numbered
from tests.goldens import CORPORA, TEST_DAY, golden_files, render_corpus

REGENERATE = "if the change is intended, run `make goldens` and review the diff under tests/golden/"
BLOCK = re.compile(
    r"(?:^|\n\n)(?P<body>(?:(?!\n\n).)*?)\n(?P<quoted>> )?\{ #fact-(?P<id>[a-z0-9-]+) \.fact \.fact-(?P<kind>\w+) \}"
    r"(?P<rest>(?:\n>(?:(?!\n\n).)*)?)",
    re.S,
)
"""A fact as every template writes it: an attribute list with its anchor and kind after its first paragraph.

That paragraph is the whole of a claim, a report or a quotation: a quotation's attribution is in the same paragraph
as its words, after a line break, so that the theme's search preview never shows the words without the speaker.
"""
REF = re.compile(r"\[\^([0-9a-f]+)\](?!:)")
FOOTNOTE = re.compile(r"^\[\^([0-9a-f]+)\]: (.*)$", re.M)
REFS = r"(\[\^[0-9a-f]{12,}\])+"
"""One or more footnote references, by their page-independent labels."""


def dated(fact: Fact, shown: str) -> str:
    """A pattern for a fact's date as its block shows it: a link to the fact on a page one folder deep."""
    return rf"\[{re.escape(shown)}\]\(\.\./[a-z]+/[a-z0-9-]+(_[0-9]+)?\.md#fact-{re.escape(fact.id)}\)"


def date_note(fact: Fact) -> str:
    """A pattern for the end of a fact's block: its date's note, exactly when the date has one.

    A fact with the same note as the last one the page showed in full above it points to that one instead.
    """
    note = fact.date.note
    full = re.escape(f" *About the date:* {escape.markdown_text(note)}")
    return rf"({full}| \*About the date:\* see \[the note above\]\(#fact-[a-z0-9-]+\)\.)" if note else ""


@pytest.fixture(scope="module")
def mini_corpus() -> Corpus:
    corpus, problems = load_corpus(CORPORA["mini"])
    assert corpus is not None, problems
    return corpus


@pytest.fixture(scope="module", params=["mini", "real"])
def rendered(request: pytest.FixtureRequest) -> tuple[Corpus, dict[str, str]]:
    """A corpus and its rendered pages; every rule below is checked on both corpora."""
    corpus, problems = load_corpus(CORPORA[request.param])
    assert corpus is not None, problems
    return corpus, render_site(corpus)


def blocks(markdown: str) -> dict[str, tuple[str, str]]:
    """Fact id -> (kind, Markdown lines without the attribute list) for every fact shown on a page."""
    return {m["id"]: (m["kind"], m["body"] + m["rest"]) for m in BLOCK.finditer(markdown)}


def footnotes(markdown: str) -> dict[str, str]:
    """Footnote number -> its definition text."""
    return dict(FOOTNOTE.findall(markdown))


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_output_matches_the_goldens(name: str) -> None:
    pages = {path: text.encode("utf-8") for path, text in render_corpus(name).items()}
    stored = golden_files(name)
    assert sorted(pages) == sorted(stored), f"the set of pages changed; {REGENERATE}"
    for path, data in pages.items():
        assert data == stored[path], f"tests/golden/{name}/{path} differs; {REGENERATE}"


def test_goldens_are_made_as_of_the_tests_day_whenever_they_are_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """``make goldens`` after a fact falls due for review must still write what the tests expect."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01, when every real fact is due
    stored = golden_files("real")
    assert {path: text.encode("utf-8") for path, text in render_corpus("real").items()} == stored
    assert not any(b"may be out of date" in data.lower() for data in stored.values())


def test_goldens_take_a_source_read_after_the_tests_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TEST_DAY pins review dates, not the future: a source read today is no date after today."""
    facts = tmp_path / "facts"
    shutil.copytree(CORPORA["real"], facts)
    today = dt.datetime.now(dt.UTC).date()
    assert today > TEST_DAY  # so the source below is read after TEST_DAY
    source = facts / "sources" / "alfapress-2026-01-20-lavrov-balkans.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace('  value: "2026-11-28"', f'  value: "{today.isoformat()}"'), encoding="utf-8")
    monkeypatch.setitem(CORPORA, "real", facts)
    pages = render_corpus("real")
    page = pages["sources/alfapress-2026-01-20-lavrov-balkans.md"]
    assert f"| Recorded | {today.day} {today:%B} {today.year} (" in page


def test_every_fact_on_its_entity_about_and_speaker_pages(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = rendered
    entities = {e.id: e for e in corpus.entities}
    for fact in corpus.facts:
        expected = {fact.entity, *fact.about, *([fact.speaker] if fact.speaker else [])}
        for entity_id in expected:
            page = entity_page(entities[entity_id])
            assert fact.id in blocks(pages[page]), f"{fact.id} missing from {page}"
        profiles = {p: text for p, text in pages.items() if p.split("/")[0] in ("countries", "organisations", "people")}
        showing = {p for p, text in profiles.items() if fact.id in blocks(text)}
        assert showing == {entity_page(entities[e]) for e in expected}, fact.id


def speaker_as_shown(index: CorpusIndex, fact: Fact, path: str) -> str:
    """The speaker as a page names them: a link (the same from every page), or plain text on their own profile."""
    assert fact.speaker is not None
    speaker = index.entities[fact.speaker]
    name = escape.markdown_text(speaker.name)
    own = re.sub(r"_\d+\.md$", ".md", path) == entity_page(speaker)  # any page of the speaker's profile
    return name if own else f"[{name}](../{entity_page(speaker)})"


def test_claims_always_name_their_speaker(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = rendered
    index = CorpusIndex(corpus)
    claims = {f.id: f for f in corpus.facts if f.kind == "claim"}
    assert claims
    seen = 0
    for path, text in pages.items():
        for fact_id, (kind, body) in blocks(text).items():
            if fact_id not in claims:
                continue
            fact = claims[fact_id]
            link = speaker_as_shown(index, fact, path)
            date = f"As of {dated(fact, fact.date.human())}" if fact.timing == "as-of" else ""
            date = date or dated(fact, sentence_start(fact.date.human()))
            the = "the " if index.entities[fact.speaker].article else ""
            if fact.among:  # the group the source gives the claim to, then the speaker among them
                the = f"{re.escape(escape.markdown_text(fact.among))}, among them {the}"
            prefix = rf"^(\*\*{date}\.\*\* )?According to {the}{re.escape(link)}, "
            assert kind == "claim"
            text = re.escape(escape.markdown_text(fact.text))
            assert re.match(prefix + text + REFS + date_note(fact) + "$", body), (path, body)
            seen += 1
    assert seen >= 2 * len(claims)  # on the speaker's page and at least the timeline


def test_source_pages_name_the_speaker_of_claims_and_quotes(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = rendered
    index = CorpusIndex(corpus)
    for fact in corpus.facts:
        if fact.kind == "report":
            continue
        name = escape.markdown_text(index.entities[fact.speaker].name)
        text = escape.markdown_text(fact.text)
        the = "the " if index.entities[fact.speaker].article else ""
        the = f"{escape.markdown_text(fact.among)}, among them {the}" if fact.among else the
        shown = f"according to {the}{name}, {text}" if fact.kind == "claim" else f"{name}: “{text}”"
        for source_id in {c.source for c in fact.citations}:
            assert f"#fact-{fact.id}): {shown}\n" in pages[source_page(source_id)]


def test_a_speaker_whose_name_takes_the_definite_article_has_it_in_running_text(mini_corpus: Corpus) -> None:
    pages = render_site(mini_corpus)
    assembly = "[Valdorian Assembly](../organisations/valdorian-assembly.md)"
    assert f"According to the {assembly}, the embassy plan lacks funding." in pages["policy/valdoria-policy.md"]
    own = pages["organisations/valdorian-assembly.md"]
    assert "According to the Valdorian Assembly, the embassy plan lacks funding." in own
    listed = pages["sources/valdoria-herald-2026-01-20-summit.md"]
    assert "#fact-assembly-embassy-plan-lacks-funding): according to the Valdorian Assembly, the embassy" in listed
    assert "According to the Mira" not in "".join(pages.values())  # a person's name takes none
    bare = dataclasses.replace(mini_corpus, facts=())
    empty = render_site(bare)["organisations/valdorian-assembly.md"]
    assert "\nNo facts about the Valdorian Assembly are recorded yet.\n" in empty
    assert "\nNo facts about Valdoria are recorded yet.\n" in render_site(bare)["countries/valdoria.md"]


def test_quotes_are_blockquotes_with_speaker_and_date(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = rendered
    index = CorpusIndex(corpus)
    quotes = {f.id: f for f in corpus.facts if f.kind == "quote"}
    assert quotes
    for path, text in pages.items():
        for fact_id, (kind, body) in blocks(text).items():
            if fact_id not in quotes:
                continue
            fact = quotes[fact_id]
            lines = body.split("\n")
            assert kind == "quote"
            # The words, and a line break (two spaces at the end of the line) before who said them and when.
            assert lines[0] == f"> “{escape.markdown_text(fact.text)}”  "
            link = speaker_as_shown(index, fact, path)
            said = rf"> — {re.escape(link)}, {dated(fact, fact.date.human())}{REFS}{date_note(fact)}"
            assert re.fullmatch(said, lines[1])
            assert len(lines) == 2
            # One paragraph, with the anchor: a link to it shows the words, and a search preview their speaker.
            assert f"\n\n{lines[0]}\n{lines[1]}\n> {{ #fact-{fact_id} .fact .fact-quote }}\n\n" in text


def test_reports_are_plain_statements(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = rendered
    reports = {f.id: f for f in corpus.facts if f.kind == "report"}
    for text in pages.values():
        for fact_id, (_kind, body) in blocks(text).items():
            if fact_id in reports:
                fact = reports[fact_id]
                shown = sentence_start(fact.date.human()) if fact.timing == "event" else fact.date.human()
                date = dated(fact, shown) if fact.timing == "event" else f"As of {dated(fact, shown)}"
                assert re.match(rf"\*\*{date}\.\*\* {re.escape(escape.markdown_text(fact.text))}\[\^", body), body
                assert "According to" not in body


def test_events_start_with_their_date_and_states_with_as_of(real_corpus: Corpus) -> None:
    corpus, pages = real_corpus, render_site(real_corpus)
    events = {f.id for f in corpus.facts if f.timing == "event"}
    assert {"trump-signed-ndaa-2025-12-18", "kosovo-applied-for-eu-membership"} <= events
    kosovo = pages["countries/kosovo.md"]
    applied_on = "../countries/kosovo.md#fact-kosovo-applied-for-eu-membership"
    assert f"\n**[Late 2022]({applied_on}).** Kosovo applied for EU membership.[^" in kosovo
    applied = r"\n    \| EU application \| Kosovo applied for EU membership\.\[\^\w+\] \| late 2022 \|\n"
    assert re.search(applied, kosovo)
    assert "| as of c. 20 January 2026 |" in kosovo  # a state in the key facts holds as of its date
    assert (
        "\n**[18 December 2025](../people/donald-trump.md#fact-trump-signed-ndaa-2025-12-18).** Donald Trump signed"
        in (pages["people/donald-trump.md"])
    )
    # What someone says is said on a day: a claim is an event unless it says otherwise.
    said = "\n**[20 January 2026](../people/albin-kurti.md#fact-kurti-potential-threat-from-serbia).** According to"
    assert f"{said} Albin Kurti, Kosovo could face" in pages["people/albin-kurti.md"]
    assert f"{said} [Albin Kurti](../people/albin-kurti.md), Kosovo could face" in pages["countries/serbia.md"]
    # Osmani's is a position the article gives to officials she is one of, undated: as of the article's date.
    held = "../people/vjosa-osmani.md#fact-osmani-serbia-russia-extended-arm"
    among = "According to senior officials in Kosovo, among them Vjosa Osmani, "
    assert f"\n**As of [c. 20 January 2026]({held}).** {among}" in pages["people/vjosa-osmani.md"]


def test_a_fact_points_to_a_date_note_only_when_it_is_the_last_note_above_it(
    rendered: tuple[Corpus, dict[str, str]],
) -> None:
    corpus, pages = rendered
    facts = {f.id: f for f in corpus.facts}
    pointed = shown_again = 0
    for path, text in pages.items():
        shown = blocks(text)
        order = list(shown)
        seen: set[str] = set()
        last = ("", "")  # the last note the page showed in full, and the fact it follows
        for fact_id, (_kind, body) in shown.items():
            note = facts[fact_id].date.note
            if not note:
                continue
            above = re.search(r"\*About the date:\* see \[the note above\]\(#fact-([a-z0-9-]+)\)\.", body)
            if note != last[0]:  # no note above, or a different one nearest: a reader would take its reason for this
                assert f"*About the date:* {escape.markdown_text(note)}" in body, (path, fact_id)
                assert above is None, (path, fact_id, body)
                shown_again += note in seen
                seen.add(note)
                last = (note, fact_id)
            else:
                assert above is not None and above[1] == last[1], (path, fact_id, body)
                assert order.index(above[1]) < order.index(fact_id)  # the note is above it, on this page
                assert escape.markdown_text(note) not in body
                pointed += 1
    if any(f.speaker == "albin-kurti" for f in corpus.facts):  # the real corpus: Kurti's remarks share notes
        assert pointed >= 10
        assert shown_again >= 2  # a note that another came after is shown in full again
        kurti = blocks(pages["people/albin-kurti.md"])
        srpska = "*About the date:* The article reports this after Kurti’s remarks in Davos “on Tuesday”"
        assert srpska in kurti["kurti-bosnia-situation-more-complicated"][1]  # "Regional stability"
        assert "(#fact-kurti-bosnia-situation-more-complicated)" in kurti["kurti-eu-opportunity-bosnia-membership"][1]


def test_a_facts_date_links_to_it_on_the_profile_page_that_shows_it(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = rendered
    facts = {f.id: f for f in corpus.facts}
    entities = {e.id: e for e in corpus.entities}
    seen = set()
    for path, text in pages.items():
        for fact_id, (_kind, body) in blocks(text).items():
            found = re.search(rf"\[[^]]+\]\(\.\./([^)#]+)#fact-{re.escape(fact_id)}\)", body)
            assert found, (path, body)
            target = found[1]
            profile = entity_page(entities[facts[fact_id].entity])
            assert re.sub(r"_[0-9]+\.md$", ".md", target) == profile, (path, fact_id, target)
            assert fact_id in blocks(pages[target]), (path, fact_id, target)  # that page shows the fact
            seen.add((fact_id, path == target))
    assert {fact_id for fact_id, _ in seen} == set(facts)
    assert any(own for _, own in seen) and any(not own for _, own in seen)  # on its own page too: a permalink


@pytest.mark.parametrize(
    ("shown", "start"),
    [
        ("late 2022", "Late 2022"),
        ("mid March 2022", "Mid March 2022"),
        ("c. 20 January 2026", "Circa 20 January 2026"),
        ("c. early 2026", "Circa early 2026"),
        ("March 2022", "March 2022"),
        ("2026", "2026"),
    ],
)
def test_a_date_that_starts_a_sentence(shown: str, start: str) -> None:
    assert sentence_start(shown) == start


def test_every_citation_is_a_footnote_linking_source_page_and_original(
    rendered: tuple[Corpus, dict[str, str]],
) -> None:
    corpus, pages = rendered
    index = CorpusIndex(corpus)
    facts = {f.id: f for f in corpus.facts}
    for path, text in pages.items():
        notes = footnotes(text)
        body = FOOTNOTE.sub("", text)
        assert sorted(set(REF.findall(body))) == sorted(notes), path
        # under a heading of their own, where the footnotes extension's marker puts the list
        assert text.count("\n\n## References\n\n///Footnotes Go Here///\n\n[^") == (1 if notes else 0), path
        for fact_id, (_kind, block) in blocks(text).items():
            refs = REF.findall(block)
            fact = facts[fact_id]
            assert len(refs) == len(set(fact.citations)), (path, fact_id)
            for ref, citation in zip(refs, dict.fromkeys(fact.citations), strict=True):
                source = index.sources[citation.source]
                note = notes[ref]
                title = escape.markdown_text(source.title)
                marked = escape.language(source.title_language)  # a title in another language says which
                assert note.startswith(f"[{title}]({relative(path, source_page(source.id))}){marked}, ")
                assert note.endswith(f" [Original article]({source.url})")
                if citation.passage:  # in double quotation marks, or in single ones around its own double ones
                    opening, closing = "‘’" if any(mark in citation.passage for mark in "“”") else "“”"
                    assert f" {opening}{escape.markdown_text(citation.passage)}{closing} " in note
                # whose account the source passes on, when it says: "RksNews, c. 20 January 2026, relaying Reuters."
                published = f", {escape.markdown_text(source.publisher)}, {source.published.human()}"
                relaying = f", relaying {' and '.join(citation.via)}" if citation.via else ""
                assert f"{published}{relaying}. " in note, (path, fact_id)


def test_key_facts_box_has_as_of_dates(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = rendered
    people_with_roles = [e for e in corpus.entities if e.roles]
    assert people_with_roles
    for entity in people_with_roles:
        page = pages[entity_page(entity)]
        for role in entity.roles:
            title, as_of = re.escape(escape.markdown_text(role.title)), f"as of {role.as_of.human()}"
            if role.as_of.note:  # a role has no block of its own: its date's note is in the box
                as_of += f". *About the date:* {escape.markdown_text(role.as_of.note)}"
            assert re.search(rf"\n    \| Role \| {title}{REFS} \| {re.escape(as_of)} \|\n", page), entity.id
    keyed = [fact for fact in corpus.facts if fact.key]
    assert keyed and {fact.kind for fact in keyed} == {"report"}  # a claim is never stated plainly
    for fact in keyed:
        page = pages[entity_page(next(e for e in corpus.entities if e.id == fact.entity))]
        when = fact.date.human() if fact.timing == "event" else f"as of {fact.date.human()}"
        label, text, when = re.escape(fact.key), re.escape(escape.markdown_text(fact.text)), re.escape(when)
        assert re.search(rf"\n    \| {label} \| {text}{REFS} \| {when} \|\n", page), fact.id


def test_key_facts_rows_of_the_mini_corpus(mini_corpus: Corpus) -> None:
    pages = {path: numbered(text) for path, text in render_site(mini_corpus).items()}
    role = "    | Role | Foreign Minister of Valdoria[^1] | as of 20 January 2026 |\n"
    assert role in pages["people/mira-dordevic.md"]
    assert (
        "    | Summit host | Valdoria hosted a regional summit.[^1][^2] | c. 20 January 2026 |\n"
        in pages["countries/valdoria.md"]
    )


def sections_of(page: str) -> dict[str, list[str]]:
    """The ids of the facts under each ``##`` heading of a page, by heading."""
    return {part.split("\n")[0]: list(blocks(part)) for part in re.split(r"^## ", page, flags=re.M)[1:]}


def test_a_fact_stands_under_the_first_topic_it_lists_whatever_the_vocabularys_order(mini_corpus: Corpus) -> None:
    fact = next(f for f in mini_corpus.facts if f.entity == "valdoria" and len(f.topics) == 1)
    topics = [t.id for t in mini_corpus.topics]
    assert len(topics) >= 2
    page = entity_page(next(e for e in mini_corpus.entities if e.id == "valdoria"))
    for listed in ((topics[-1], topics[0]), (topics[0], topics[-1])):
        moved = dataclasses.replace(fact, topics=listed)
        corpus = dataclasses.replace(mini_corpus, facts=tuple(moved if f is fact else f for f in mini_corpus.facts))
        title = next(t.title for t in corpus.topics if t.id == listed[0])
        assert fact.id in sections_of(render_site(corpus)[page])[title]


def test_a_quotation_stands_beside_the_warning_it_answers() -> None:
    corpus, problems = load_corpus(CORPORA["real"])
    assert corpus is not None, problems
    security = sections_of(render_site(corpus)["people/albin-kurti.md"])["Security and defence"]
    warned, answer = (
        security.index("kurti-potential-threat-from-serbia"),
        security.index("kurti-quote-unless-kremlin-orders"),
    )
    assert warned < answer


def test_dates_show_their_precision_qualifier_and_certainty(mini_corpus: Corpus) -> None:
    pages = render_site(mini_corpus)
    budget = "../organisations/valdorian-assembly.md#fact-assembly-approved-defence-budget-2025"
    assert f"**As of [late 2025]({budget}).** The Valdorian Assembly approved" in timeline_text(pages)
    summit = "../countries/valdoria.md#fact-valdoria-hosts-regional-summit"
    assert f"**[Circa 20 January 2026]({summit}).** Valdoria hosted a regional summit." in timeline_text(pages)


def test_policy_page_splits_reports_sayings_other_reports_and_others_sayings(mini_corpus: Corpus) -> None:
    page = render_site(mini_corpus)["policy/valdoria-policy.md"]
    sections = re.split(r"^## ", page, flags=re.M)
    assert [s.split("\n")[0] for s in sections[1:]] == [
        "Reports about them",
        "What they say",
        "Other reports that name them",
        "What others say about them",
        "References",
    ]
    assert [list(blocks(s)) for s in sections[1:]] == [
        ["valdoria-hosts-regional-summit"],
        ["dordevic-new-embassy-in-prishtina", "dordevic-quote-not-moved"],
        ["assembly-approved-defence-budget-2025"],  # the Assembly's doing, about Valdoria: not Valdoria's
        ["assembly-embassy-plan-lacks-funding"],
        [],  # the footnotes
    ]


def test_a_policy_part_without_facts_says_so(mini_corpus: Corpus) -> None:
    sourced = [f for f in mini_corpus.facts if f.id != "assembly-approved-defence-budget-2025"]
    page = render_site(dataclasses.replace(mini_corpus, facts=tuple(sourced)))["policy/valdoria-policy.md"]
    assert "## Other reports that name them\n\nNo other reports name them yet.\n" in page


def test_every_policy_page_splits_by_kind_and_speaker(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = rendered
    index = CorpusIndex(corpus)
    for policy in corpus.policies:
        does, says, reported, others = index.policy_facts(policy)
        actors = set(policy.actors)
        assert all(f.kind == "report" and f.entity in actors for f in does)
        assert all(f.speaker in actors for f in says)
        assert all(f.kind == "report" and f.entity not in actors and actors & set(f.about) for f in reported)
        assert all(f.kind != "report" and f.speaker not in actors and actors & set(f.entities) for f in others)
        text = pages[f"policy/{policy.id}.md"]
        assert set(blocks(text)) == {f.id for f in does + says + reported + others}
        assert {f.id for f in does + says + reported + others} == {
            f.id for f in corpus.facts if actors & set(f.entities) or f.speaker in actors
        }


def timeline_text(pages: dict[str, str]) -> str:
    """Every timeline page but the index, in order of their names (years, then months)."""
    return "".join(pages[p] for p in sorted(p for p in pages if p.startswith("timeline/") and p != "timeline/index.md"))


def test_every_table_has_a_header_readers_can_see(rendered: tuple[Corpus, dict[str, str]]) -> None:
    # A Markdown table's first row is its header: an empty one shows as a blank stripe and names no column.
    corpus, pages = rendered
    tables = 0
    for path, text in pages.items():
        lines = text.splitlines()
        for header, rule in zip(lines, lines[1:], strict=False):
            if re.fullmatch(r"\|( *-{3,} *\|)+", rule):
                tables += 1
                cells = [c.strip() for c in header.strip().strip("|").split("|")]
                assert all(cells), (path, header)
    assert tables > len(corpus.sources)  # one on every source page, and more


def test_timeline_is_in_date_order_with_every_fact_once(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = rendered
    shown = [m["id"] for m in BLOCK.finditer(timeline_text(pages))]
    assert shown == [f.id for f in sorted(corpus.facts, key=fact_order)]
    years = sorted({f.date.value[:4] for f in corpus.facts})
    assert re.findall(r"^- \[(\d{4})\]\((\d{4})\.md\)", pages["timeline/index.md"], flags=re.M) == [
        (y, y) for y in years
    ]
    for year in years:
        parts = sorted(p for p in pages if re.fullmatch(rf"timeline/{year}(_\d+)?\.md", p))
        on_page = [m["id"] for p in parts for m in BLOCK.finditer(pages[p])]
        assert on_page == [f.id for f in sorted(corpus.facts, key=fact_order) if f.date.value[:4] == year]


def test_a_busy_year_gets_a_page_per_month(mini_corpus: Corpus) -> None:
    fact = mini_corpus.facts[0]
    many = [
        dataclasses.replace(
            fact,
            id=f"{fact.id}-{n}",
            date=dataclasses.replace(fact.date, value=f"2020-{n % 12 + 1:02d}-01", precision="day"),
        )
        for n in range(61)
    ]
    year_only = dataclasses.replace(
        fact, id=f"{fact.id}-year", date=dataclasses.replace(fact.date, value="2020", precision="year")
    )
    corpus = dataclasses.replace(mini_corpus, facts=(*mini_corpus.facts, *many, year_only))
    pages = render_site(corpus)
    assert [m["id"] for m in BLOCK.finditer(pages["timeline/2020.md"])] == [year_only.id]
    assert "- [January 2020](2020-01.md): 6 facts\n" in pages["timeline/2020.md"]
    assert "- [December 2020](2020-12.md): 5 facts\n" in pages["timeline/2020.md"]
    assert len([m for m in BLOCK.finditer(pages["timeline/2020-01.md"])]) == 6
    assert re.findall(r"^# .*$", pages["timeline/2020-01.md"], flags=re.M) == ["# January 2020"]


def test_source_page_lists_every_fact_citing_it(rendered: tuple[Corpus, dict[str, str]]) -> None:
    corpus, pages = rendered
    index = CorpusIndex(corpus)
    for source in corpus.sources:
        page = pages[source_page(source.id)]
        found = re.findall(r"^- (As of )?\[[^\]]+\]\([^)#]+#fact-([a-z0-9-]+)\)", page, flags=re.M)
        listed = [fact_id for _, fact_id in found]
        citing = [f.id for f in corpus.facts if any(c.source == source.id for c in f.citations)]
        assert sorted(listed) == sorted(citing), source.id
        for as_of, fact_id in found:
            fact = next(f for f in corpus.facts if f.id == fact_id)
            assert f"]({relative(source_page(source.id), index.home_page(fact))}#fact-{fact_id})" in page
            # As in the fact's block: a state of affairs holds "as of" its date; an event or a quote is dated alone.
            assert bool(as_of) == (fact.timing == "as-of" and fact.kind != "quote"), (source.id, fact_id)
        assert f"| Original | [{source.url}]({source.url}){{ .address-shown }} |" in page  # print shows it once


def test_source_pages_and_the_timeline_date_a_state_of_affairs_as_of_as_its_profile_does(real_corpus: Corpus) -> None:
    pages = render_site(real_corpus)
    held = "[c. 20 January 2026](../countries/russia.md#fact-russia-does-not-recognize-kosovo)"
    assert f"\n**As of {held}.** Russia does not recognize Kosovo’s independence.[^" in pages["countries/russia.md"]
    timeline = [t for p, t in pages.items() if p.startswith("timeline/") and "fact-russia-does-not-recognize" in t]
    assert len(timeline) == 1 and f"\n**As of {held}.** Russia does not recognize" in timeline[0]
    listed = f"\n- As of {held}: Russia does not recognize Kosovo’s independence.\n"
    assert listed in pages["sources/rksnews-2026-01-20-lavrov-balkans.md"]
    said = "\n- [20 January 2026](../people/albin-kurti.md#fact-kurti-potential-threat-from-serbia): according to"
    assert said in pages["sources/rksnews-2026-01-20-lavrov-balkans.md"]  # said on a day: no "as of"


def test_yaml_values_cannot_inject_markup(mini_corpus: Corpus) -> None:
    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) **bold** {: onclick=x } `code` ![i](y) $x$ ~~s~~"
    fact = dataclasses.replace(mini_corpus.facts[0], text=hostile)
    corpus = dataclasses.replace(mini_corpus, facts=(fact, *mini_corpus.facts[1:]))
    pages = render_site(corpus)
    escaped = escape.markdown_text(hostile)
    assert "<" not in escaped and "[" not in escaped and "*" not in escaped and "`" not in escaped
    for text in pages.values():
        # The JSON-LD block is the one raw script; inside it the payload is JSON string data, checked in test_export.
        text = re.sub(r'<script type="application/ld\+json">.*?</script>', "", text, flags=re.S)
        assert "<script>" not in text and "](javascript:" not in text and "**bold**" not in text
    assert escaped in timeline_text(pages)


def test_unicode_names_are_kept(mini_corpus: Corpus) -> None:
    pages = render_site(mini_corpus)
    assert "# Mira Đorđević\n" in pages["people/mira-dordevic.md"]
    assert "new embassy in Prishtina." in pages["people/mira-dordevic.md"]


def test_goldens_cover_every_kind_of_page() -> None:
    for name in CORPORA:
        stored = golden_files(name)
        tops = {path.split("/")[0] for path in stored}
        assert {"countries", "organisations", "people", "policy", "sources", "timeline"} <= tops, name
        for section in ("countries", "organisations", "people", "policy", "sources", "timeline"):
            assert f"{section}/index.md" in stored


def _fact_ids(pages: dict[str, str]) -> set[str]:
    return {fact_id for text in pages.values() for fact_id in blocks(text)}


def test_block_pattern_finds_every_fact(rendered: tuple[Corpus, dict[str, str]]) -> None:
    """Guard for the tests above: the pattern they rely on sees every fact somewhere."""
    corpus, pages = rendered
    assert _fact_ids(pages) == {f.id for f in corpus.facts}


@pytest.mark.parametrize(
    ("language", "title", "marked"),
    [
        ("ru", "Лавров: РФ готова к диалогу с США по Балканам", "ru"),
        ("sr-Latn", "Vučić o Kosovu", "sr-Latn"),
        ("en", "Lavrov: Russia Ready to Communicate", ""),
        ("en-GB", "Lavrov: Russia Ready to Communicate", ""),
        ("sq", "[Albanian-language report of Lavrov's remarks]", ""),  # the project's description, in English
    ],
)
def test_a_title_in_another_language_is_marked_as_such(
    rendered: tuple[Corpus, dict[str, str]], language: str, title: str, marked: str
) -> None:
    corpus, _ = rendered
    source = dataclasses.replace(corpus.sources[0], language=language, title=title)
    assert source.title_language == marked
    link = escape.link(source.title, "x.md", source.title_language)
    assert link.endswith(f'{{ lang="{marked}" }}' if marked else "(x.md)")


def test_the_tass_title_is_marked_russian_wherever_it_links() -> None:
    pages = render_corpus("real")
    title = "Лавров: РФ готова к диалогу с США по Балканам"
    linked = re.compile(r"\[" + re.escape(title) + r"\]\([^)]*tass-2026-01-20-lavrov-balkans\.md(#[^)]*)?\)(.?)")
    found = [match for text in pages.values() for match in linked.finditer(text)]
    assert len(found) > 5 and all(match[2] == "{" for match in found)  # each followed by its attribute list
    assert sum(text.count(f"{title}](") for text in pages.values()) == len(found)
    assert sum(text.count('){ lang="ru" }') for text in pages.values()) == len(found)
    headings = [line for line in pages["sources/tass-2026-01-20-lavrov-balkans.md"].splitlines() if line[:2] == "# "]
    assert headings == [f'# {title} {{ lang="ru" }}']


def test_each_page_of_a_split_page_says_which_page_it_is(rendered: tuple[Corpus, dict[str, str]]) -> None:
    """A reader (and search, which lists pages by heading) can tell page 2 of a profile or a year from page 1."""
    _, pages = rendered
    continued = {path: int(m[1]) for path in pages if (m := re.search(r"_(\d+)\.md$", path))}
    for path, number in continued.items():
        [heading] = re.findall(r"^# (.*)$", pages[path], flags=re.M)
        first = pages[path.replace(f"_{number}.md", ".md")]
        [first_heading] = re.findall(r"^# (.*)$", first, flags=re.M)
        assert heading == f"{first_heading} (page {number})", path
        assert f'title: "{"Timeline: " if path.startswith("timeline/") else ""}{heading}"' in pages[path], path
