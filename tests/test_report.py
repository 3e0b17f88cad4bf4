"""The sourcing report: the CLI and the Sourcing page show the same figures."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

from generator.model import Corpus
from generator.render import render_site
from generator.report import build_report, figures
from tests.test_verify import REPO, edit, tree  # noqa: F401

RKSNEWS = "rksnews-2026-01-20-lavrov-balkans"
LINK = re.compile(r"^\[(.*)\]\([^)]*\)(?:\{ lang=\"[^\"]+\" \})?$")


def cli_tables(text: str) -> dict[str, list[list[str]]]:
    """The tables of the CLI report, by title, as rows of cells (header first)."""
    tables: dict[str, list[list[str]]] = {}
    blocks = text.split("\n\n")
    for title, body in zip(blocks[2::2], blocks[3::2], strict=True):
        if title in ("Facts and citations by page", "Facts each source supports", "Past their review date"):
            tables[title] = [re.split(r"\s{2,}", line.strip()) for line in body.strip().splitlines()]
    return tables


def page_tables(markdown: str) -> dict[str, list[list[str]]]:
    """The tables of the Sourcing page, by title, with links and character references undone."""
    tables: dict[str, list[list[str]]] = {}
    for section in markdown.split("\n## ")[1:]:
        title, _, body = section.partition("\n")
        rows = []
        for line in body.splitlines():
            if line.startswith("|") and not line.startswith("| ---"):
                cells = [html.unescape(c.strip()) for c in line.strip("|").split(" | ")]
                rows.append([LINK.sub(r"\1", c) for c in cells])
        if not rows:
            rows = [[line] for line in body.strip().splitlines()]
        tables[title] = rows
    return tables


def test_report_counts_every_fact_citation_and_passage(real_corpus: Corpus, run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("report", cwd=REPO)
    assert result.returncode == 0, result.stderr
    citations = [c for f in real_corpus.facts for c in f.citations]
    stored = {s.id for s in real_corpus.sources if s.snapshot}
    verified = sum(1 for c in citations if c.passage and c.source in stored)
    single = sum(1 for f in real_corpus.facts if len({c.source for c in f.citations}) == 1)
    twice = sum(1 for f in real_corpus.facts if len({c.source for c in f.citations if c.source in stored}) > 1)
    assert twice == 0 and len(stored) == 1  # the real corpus keeps one article's text: nothing is verified twice
    facts = len(real_corpus.facts)
    roles = [c for e in real_corpus.entities for r in e.roles for c in r.citations]
    roles_verified = sum(1 for c in roles if c.passage and c.source in stored)
    assert result.stdout.splitlines()[:6] == [
        "Sourcing report (review dates judged as of 2026-11-28)",
        "",
        f"{facts} of {facts} facts cite at least one source.",
        f"{verified} of {len(citations)} citations of facts quote a passage found word for word in the source's "
        f"stored text; {len(citations) - verified} cannot be checked word for word.",
        f"{facts - single} of {facts} facts cite two sources or more; 0 of these are verified word for word in two "
        "sources.",
        f"{roles_verified} of {len(roles)} citations of people's roles are verified passages.",
    ]
    tables = cli_tables(result.stdout)
    total = tables["Facts and citations by page"][-1]
    assert total == [
        "All pages",
        str(facts),
        str(len(citations)),
        str(verified),
        str(len(citations) - verified),
        str(single),
        "0",
    ]
    kurti = next(r for r in tables["Facts and citations by page"] if r[0] == "Albin Kurti")
    assert kurti == ["Albin Kurti", "15", "16", "16", "0", "15", "0"]  # one fact cites two passages of one source
    sources = {r[0]: r for r in tables["Facts each source supports"]}
    assert sources["Lavrov: Russia Ready to Communicate with the U.S. on the Balkans"][1:] == [
        "RksNews",
        "yes",
        "none recorded",
        str(facts),
    ]
    tass = sum(1 for f in real_corpus.facts if any(c.source == "tass-2026-01-20-lavrov-balkans" for c in f.citations))
    assert sources["Лавров: РФ готова к диалогу с США по Балканам"][1:] == ["TASS", "no", "none recorded", str(tass)]
    assert result.stdout.endswith("Past their review date\n\nNo fact or role is past its review date.\n")


def test_report_lists_facts_past_their_review_date(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("report", "--today", "2026-12-19", cwd=REPO)
    assert result.returncode == 0
    assert result.stdout.endswith(
        "Past their review date\n\n"
        "Fact or role                                       Dated       Review due\n"
        "Donald Trump: role President of the United States  2025-12-18  2026-12-18\n"
    )
    assert run_cli("report", "--strict", "--today", "2026-12-19", cwd=REPO).returncode == 1


def test_cli_report_and_sourcing_page_agree(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    edit(
        tree,
        "facts/sources/alfapress-2026-01-20-lavrov-balkans.yaml",
        "\nnote: ",
        '\nstatus:\n  state: corrected\n  date: "2026-02-03"\nnote: ',
    )
    for today in ("2026-11-28", "2027-01-21"):
        report = run_cli("report", "--today", today, cwd=tree).stdout
        run_cli("generate", "--today", today, cwd=tree, check=True)
        page = (tree / "content" / "sourcing.md").read_text(encoding="utf-8")
        cli, shown = cli_tables(report), page_tables(page)
        assert set(cli) == {"Facts and citations by page", "Facts each source supports", "Past their review date"}
        for title, rows in cli.items():
            assert shown[title] == rows, title
        for line in report.split("\n\n")[1].splitlines():
            assert f"- {line}\n" in page
    assert len(cli["Past their review date"]) == 11  # header and 10 facts and roles
    assert [
        "Lavrov: Russia is ready to communicate with the US on the Balkans",
        "Alfa Press",
        "no",
        "corrected 2026-02-03",
        "6",
    ] in cli["Facts each source supports"]


def test_sourcing_page_is_generated_with_links(real_corpus: Corpus) -> None:
    page = render_site(real_corpus)["sourcing.md"]
    assert page.startswith('---\nedit_path: ""\n---\n\n# Sourcing\n')
    assert "| [Albin Kurti](people/albin-kurti.md) | 15 | 16 | 16 | 0 | 15 | 0 |\n" in page
    assert (
        "| [Лавров: РФ готова к диалогу с США по Балканам](sources/tass-2026-01-20-lavrov-balkans.md)"
        '{ lang="ru" } | TASS' in page
    )
    report = build_report(real_corpus)
    assert [t.title for t in report.tables] == [
        "Facts and citations by page",
        "Facts each source supports",
        "Past their review date",
    ]


def test_real_build_shows_sourcing_page_and_out_of_date_marker(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import copy_project

    project = copy_project(tmp_path / "site-project")
    result = run_cli("build", "--today", "2027-01-21", cwd=project.root)
    assert result.returncode == 0, result.stderr
    sourcing = (project.site / "sourcing" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="past-their-review-date">Past their review date' in sourcing
    assert '<a href="../countries/russia/">russia-does-not-recognize-kosovo</a>' in sourcing
    russia = (project.site / "countries" / "russia" / "index.html").read_text(encoding="utf-8")
    assert "<strong>May be out of date:</strong> it was due for review on 20 January 2027." in russia
    as_of = '<strong>As of <a href="./#fact-russia-does-not-recognize-kosovo">c. 20 January 2026</a>.</strong>'
    assert f"{as_of} Russia does not recognize" in russia  # a fact's date links to it, here on its own page


def test_report_from_the_renderers_index_is_the_same(real_corpus: Corpus) -> None:
    from generator.pages import CorpusIndex
    from generator.report import figures

    index = CorpusIndex(real_corpus)
    index.profile_parts  # noqa: B018  # built by rendering before the Sourcing page asks for the report
    shared = build_report(real_corpus, index)
    assert shared == build_report(real_corpus)
    totals = figures(list(real_corpus.facts), index.sources).cells()
    assert shared.tables[0].rows[-1] == ("All pages", *totals)
    assert sum(int(row[1]) for row in shared.tables[0].rows[:-1]) == len(real_corpus.facts)


def test_only_passages_found_in_two_kept_texts_make_a_fact_verified_in_two_sources(real_corpus: Corpus) -> None:
    sources = {s.id: s for s in real_corpus.sources}
    lavrov = [f for f in real_corpus.facts if "alfapress-2026-01-20-lavrov-balkans" in {c.source for c in f.citations}]
    assert len(lavrov) == 6 and all(len({c.source for c in f.citations}) > 1 for f in lavrov)
    assert figures(lavrov, sources).verified_twice == 0  # Alfa Press's text is not kept: it corroborates, unchecked
    kept = dataclasses.replace(sources["alfapress-2026-01-20-lavrov-balkans"], snapshot=sources[RKSNEWS].snapshot)
    with_text = {**sources, kept.id: kept}
    assert figures(lavrov, with_text).verified_twice == 0  # a kept text, but no passage quoted from it
    quoted = [
        dataclasses.replace(
            f,
            citations=tuple(
                dataclasses.replace(c, passage="Lavrov") if c.source == kept.id else c for c in f.citations
            ),
        )
        for f in lavrov
    ]
    assert figures(quoted, with_text).verified_twice == 6
    assert figures(quoted, sources).verified_twice == 0


def test_a_retracted_source_corroborates_nothing(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    before = run_cli("report", cwd=tree, check=True).stdout
    assert "6 of 44 facts cite two sources or more; 0 of these" in before
    edit(
        tree,
        "facts/sources/alfapress-2026-01-20-lavrov-balkans.yaml",
        "\nnote: ",
        '\nstatus:\n  state: retracted\n  date: "2026-02-03"\nnote: ',
    )
    after = run_cli("report", cwd=tree, check=True).stdout
    # three of Alfa Press's six facts cite TASS or Noa.al too; the other three now rest on the article alone
    assert "3 of 44 facts cite two sources or more that are not retracted; 0 of these" in after
    single = {r[0]: r[5] for r in cli_tables(after)["Facts and citations by page"]}
    assert single["All pages"] == str(
        int({r[0]: r[5] for r in cli_tables(before)["Facts and citations by page"]}["All pages"]) + 3
    )
