"""Open data: facts.json against its schema, facts.csv's columns and escaping, JSON-LD on profiles."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from generator import export, indented_json
from generator.jsonld import SCHEMA_TYPES
from generator.model import Corpus, described
from generator.render import render_site
from generator.validate import load_corpus
from tests.conftest import BuiltSite
from tests.goldens import CORPORA

SCHEMA = json.loads(export.SCHEMA_FILE.read_text(encoding="utf-8"))
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_schema_is_valid_and_versioned() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["version"]["const"] == export.EXPORT_VERSION


def test_facts_json_validates_and_holds_everything(real_corpus: Corpus) -> None:
    data = json.loads(export.render_json(real_corpus))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(SCHEMA).iter_errors(data)]
    assert errors == []
    assert data["version"] == "1.3.0"
    assert [e["id"] for e in data["entities"]] == [e.id for e in real_corpus.entities]
    assert [f["id"] for f in data["facts"]] == [f.id for f in real_corpus.facts]
    assert [s["id"] for s in data["sources"]] == [s.id for s in real_corpus.sources]
    citations = sum(len(f.citations) for f in real_corpus.facts)
    assert sum(len(f["citations"]) for f in data["facts"]) == citations
    kurti = next(f for f in data["facts"] if f["id"] == "kurti-quote-think-twice")
    assert kurti["kind"] == "quote" and kurti["speaker"] == "albin-kurti" and kurti["among"] == ""
    osmani = next(f for f in data["facts"] if f["id"] == "osmani-serbia-russia-extended-arm")
    assert (osmani["speaker"], osmani["among"]) == ("vjosa-osmani", "senior officials in Kosovo")
    assert kurti["date"] == {
        "value": "2026-01-20",
        "precision": "day",
        "certainty": "estimated",  # the article gives this remark no time of its own
        "note": next(f for f in real_corpus.facts if f.id == "kurti-quote-think-twice").date.note,
    }
    assert kurti["date"]["note"].startswith("The article reports this in its account of Kurti’s remarks in Davos")
    timings = {f["id"]: f["timing"] for f in data["facts"]}
    assert timings == {f.id: f.timing for f in real_corpus.facts}
    assert timings["trump-signed-ndaa-2025-12-18"] == "event" and timings["kurti-quote-think-twice"] == "event"
    assert (
        timings["osmani-serbia-russia-extended-arm"] == "as-of"
        and timings["kosovo-aspires-to-eu-membership"] == "as-of"
    )


def test_schema_rejects_what_it_should(real_corpus: Corpus) -> None:
    data = json.loads(export.render_json(real_corpus))
    validator = Draft202012Validator(SCHEMA)
    report = next(f for f in data["facts"] if f["kind"] == "report")
    report["speaker"] = "albin-kurti"
    report["among"] = "senior officials"  # a report has neither
    quote = next(f for f in data["facts"] if f["kind"] == "quote")
    quote["among"] = "senior officials"  # a quotation is one speaker's words
    claim = next(f for f in data["facts"] if f["kind"] == "claim")
    claim["among"] = "senior officials"  # the one kind that may have a group
    data["version"] = "2.0.0"
    messages = sorted(e.message for e in validator.iter_errors(data))
    assert messages == ["'' was expected", "'' was expected", "'' was expected", "'1.3.0' was expected"]


def test_csv_has_one_row_per_citation_with_the_documented_columns(real_corpus: Corpus, repo_root: Path) -> None:
    text = export.render_csv(real_corpus)
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0].keys()) == export.CSV_COLUMNS
    facts = sum(len(f.citations) for f in real_corpus.facts)
    roles = sum(len(r.citations) for e in real_corpus.entities for r in e.roles)
    assert len(rows) == facts + roles
    assert {r["statement_id"] for r in rows if r["kind"] != "role"} == {f.id for f in real_corpus.facts}
    assert {r["source_id"] for r in rows} == {s.id for s in real_corpus.sources}
    documented = (repo_root / "content" / "data.md").read_text(encoding="utf-8")
    columns = ", ".join(f"`{c}`" for c in export.CSV_COLUMNS[:-1]) + f" and `{export.CSV_COLUMNS[-1]}`"
    assert columns in " ".join(documented.split())
    published = {s.id: s.published.certainty for s in real_corpus.sources}
    assert {r["source_id"]: r["source_published_certainty"] for r in rows} == published
    assert published["rksnews-2026-01-20-lavrov-balkans"] == "estimated"  # the page shows no date
    assert "exact" in published.values()
    relayed = {(r["statement_id"], r["citation_number"]) for r in rows if r["citation_via"]}
    assert relayed == {(f.id, str(n)) for f in real_corpus.facts for n, c in enumerate(f.citations, start=1) if c.via}
    assert len(relayed) == 6 and {r["citation_via"] for r in rows} == {"", "Reuters"}
    quote = next(r for r in rows if r["statement_id"] == "kurti-quote-unless-kremlin-orders")
    assert quote["text"] == (
        "I do not believe it will happen. The chances are very small — unless the Kremlin orders something"
    )
    assert quote["speaker_name"] == "Albin Kurti"
    assert {r["timing"] for r in rows if r["statement_id"] == "trump-signed-ndaa-2025-12-18"} == {"event"}
    assert {r["timing"] for r in rows if r["statement_id"] == quote["statement_id"]} == {"event"}
    assert {r["timing"] for r in rows if r["kind"] == "role"} == {"as-of"}
    groups = {r["statement_id"]: r["speaker_among"] for r in rows if r["speaker_among"]}
    assert groups == {"osmani-serbia-russia-extended-arm": "senior officials in Kosovo"}


def test_csv_defuses_formulas_and_quotes_delimiters(real_corpus: Corpus) -> None:
    fact = real_corpus.facts[0]
    hostile = dataclasses.replace(fact, text='=HYPERLINK("http://x","click"), then "more"\nline two')
    text = export.render_csv(dataclasses.replace(real_corpus, facts=(hostile,)))
    assert '"\'=HYPERLINK(""http://x"",""click""), then ""more""\nline two"' in text
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    assert row["text"] == '\'=HYPERLINK("http://x","click"), then "more"\nline two'
    grouped = dataclasses.replace(fact, kind="claim", speaker="albin-kurti", among="-officials, deputies")
    row = next(csv.DictReader(io.StringIO(export.render_csv(dataclasses.replace(real_corpus, facts=(grouped,))))))
    assert row["speaker_among"] == "'-officials, deputies"
    for start in "=+-@\t\r":
        assert export.csv_cell(f"{start}1") == f"'{start}1"
    assert export.csv_cell("Kosovo − 3%") == "Kosovo − 3%"
    assert export.csv_cell("") == ""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",))), min_size=2, max_size=6))
def test_csv_lines_are_what_the_csv_module_writes(cells: list[str]) -> None:
    """facts.csv writes its lines itself, to quote a fact's cells once for all its citations: as csv.writer would,
    and a cell with a semicolon in quotes too."""
    line = export.csv_line(cells) + export.CSV_LINE_END
    assert next(csv.reader(io.StringIO(line, newline=""))) == cells  # any CSV reader gets the cells back
    if not any(";" in cell for cell in cells):
        expected = io.StringIO()
        csv.writer(expected, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n").writerow(cells)
        assert line == expected.getvalue()
    quoted = [cell for cell in cells if export.csv_line([cell]).startswith('"')]
    assert quoted == [cell for cell in cells if any(mark in cell for mark in ',;"\r\n')]
    assert export.csv_line(cells[:1]) + "," + export.csv_line(cells[1:]) == export.csv_line(cells)


def test_a_cell_with_a_semicolon_is_quoted_for_spreadsheets_that_split_on_semicolons() -> None:
    assert export.csv_line(["Harmless;=1+1;tail", "a", "x;y"]) == '"Harmless;=1+1;tail",a,"x;y"'


def test_profiles_embed_parseable_jsonld_with_types_and_speakers(built_site: BuiltSite, real_corpus: Corpus) -> None:
    names = {e.id: e.name for e in real_corpus.entities}
    checked = grouped = 0
    for entity in real_corpus.entities:
        section = {"person": "people", "organisation": "organisations"}.get(entity.type, "countries")
        html = (built_site.site / section / entity.id / "index.html").read_text(encoding="utf-8")
        (block,) = JSONLD.findall(html)
        data = json.loads(block)
        assert data["@context"] == "https://schema.org"
        subject, *items = data["@graph"]
        assert (subject["@type"], subject["name"], subject["identifier"]) == (
            SCHEMA_TYPES[entity.type],
            entity.name,
            entity.id,
        )
        shown = [
            f for f in real_corpus.facts if f.kind != "report" and (entity.id in f.entities or f.speaker == entity.id)
        ]
        assert sorted(i["identifier"] for i in items) == sorted(f.id for f in shown)
        items.sort(key=lambda i: str(i["identifier"]))
        for item, fact in zip(items, sorted(shown, key=lambda f: f.id), strict=True):
            # a claim its source gives to a group has no author: the speaker is one of the group, who is credited
            speaker_key = "spokenByCharacter" if fact.kind == "quote" else "contributor" if fact.among else "author"
            assert item["@type"] == {"quote": "Quotation", "claim": "Claim"}[fact.kind]
            assert item[speaker_key]["name"] == names[fact.speaker]
            assert {"spokenByCharacter", "contributor", "author"} & item.keys() == {speaker_key}
            group = f"{fact.among}, among them {names[fact.speaker]}" if fact.among else None
            assert item.get("creditText") == group
            grouped += bool(group)
            # what it concerns, not who says it
            about = [e for e in fact.entities if e != fact.speaker]
            assert [a["identifier"] for a in item.get("about", [])] == about
            assert about or "about" not in item
            assert item["text"] == fact.text
            articles = item["citation" if fact.kind == "quote" else "appearance"]
            assert {a["@type"] for a in articles} == {"NewsArticle"}
            assert [a["url"] for a in articles] == [
                next(s.url for s in real_corpus.sources if s.id == c.source) for c in fact.citations
            ]
            checked += 1
    assert checked > 20
    assert grouped == 4  # Osmani's claim, on her profile and the three it is about


def test_jsonld_states_only_what_the_sources_give(built_site: BuiltSite, real_corpus: Corpus) -> None:
    """schema.org cannot say "about": a date the site marks "c." is left out, a given one keeps its precision.
    A title in square brackets describes an article that has no headline, and is never given as one."""
    facts = {f.id: f for f in real_corpus.facts}
    sources = {s.url: s for s in real_corpus.sources}
    seen: set[tuple[str, bool]] = set()
    for page in built_site.site.glob("*/*/index.html"):
        for block in JSONLD.findall(page.read_text(encoding="utf-8")):
            for item in json.loads(block)["@graph"][1:]:
                fact = facts[item["identifier"]]
                given = fact.date.certainty != "estimated"
                assert item.get("dateCreated") == (fact.date.value if given else None), fact.id
                seen.add(("fact", given))
                articles = item["citation" if fact.kind == "quote" else "appearance"]
                for citation, article in zip(fact.citations, articles, strict=True):
                    source = sources[article["url"]]
                    assert source.id == citation.source
                    relayed = [
                        {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": o}}
                        for o in citation.via
                    ]
                    assert article.get("isBasedOn", []) == relayed, fact.id
                    seen.add(("relayed", bool(relayed)))
                    given = source.published.certainty != "estimated"
                    assert article.get("datePublished") == (source.published.value if given else None), source.id
                    seen.add(("source", given))
                    if source.title.startswith("["):  # no headline was published: the title describes it
                        assert "headline" not in article and article["description"] == source.title[1:-1], source.id
                        seen.add(("described", True))
                    else:
                        assert article["headline"] == source.title and "description" not in article, source.id
                    if source.byline:  # a byline that is the outlet's own name credits no person
                        kind = "Organization" if source.byline == source.publisher else "Person"
                        assert article["author"] == {"@type": kind, "name": source.byline}, source.id
    assert seen == {
        ("fact", True), ("fact", False), ("source", True), ("source", False), ("described", True),
        ("relayed", True), ("relayed", False),
    }  # fmt: skip


def test_jsonld_cannot_close_its_script_element() -> None:
    """A claim's text and its source's title go into the JSON-LD script verbatim as data, never as markup."""
    corpus, problems = load_corpus(CORPORA["mini"])
    assert corpus is not None, problems
    hostile = "</script><script>alert(1)</script> <!-- & -->"
    claim = next(f for f in corpus.facts if f.kind == "claim")
    cited = claim.citations[0].source
    corpus = dataclasses.replace(
        corpus,
        facts=tuple(dataclasses.replace(f, text=hostile) if f is claim else f for f in corpus.facts),
        sources=tuple(dataclasses.replace(s, title=hostile) if s.id == cited else s for s in corpus.sources),
    )
    blocks = [block for text in render_site(corpus).values() for block in JSONLD.findall(text)]
    nodes = [node for block in blocks for node in json.loads(block)["@graph"]]
    shown = [n for n in nodes if n.get("identifier") == claim.id]  # on each profile page the claim is on
    assert len(shown) >= 2
    for node in shown:
        assert node["text"] == hostile  # the same words, read back as JSON
        assert hostile in {article["headline"] for article in node["appearance"]}
    assert all("<" not in block and ">" not in block for block in blocks)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES)
@settings(max_examples=300, deadline=None)
def test_indented_json_is_what_json_dumps_writes(value: object) -> None:
    assert indented_json.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_indented_json_refuses_what_the_export_never_holds() -> None:
    with pytest.raises(TypeError) as error:
        indented_json.dumps({"a": 1.5})
    assert str(error.value) == "cannot write float as export JSON: 1.5"


def test_facts_json_is_json_dumps_of_the_export_data(real_corpus: Corpus) -> None:
    fact = real_corpus.facts[0]
    hostile = dataclasses.replace(fact, text='"quoted" \\ back\tslash\n\u2028 \x01 “curly” 🙂', key="", about=())
    for corpus in (real_corpus, dataclasses.replace(real_corpus, facts=(hostile, *real_corpus.facts[1:]))):
        expected = json.dumps(export.export_data(corpus), ensure_ascii=False, indent=2) + "\n"
        assert export.render_json(corpus) == expected
    empty = dataclasses.replace(real_corpus, facts=(), policies=())
    assert export.render_json(empty) == json.dumps(export.export_data(empty), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("[Albanian-language report of Lavrov's remarks]", "Albanian-language report of Lavrov's remarks"),
        ("[VIDEO] Vučić meets Lavrov [UPDATED]", ""),  # a real headline that happens to start and end so
        ("Lavrov: Russia Ready to Communicate", ""),
        ("[]", ""),
    ],
)
def test_only_a_whole_bracketed_title_is_a_description(title: str, description: str) -> None:
    assert described(title) == description
