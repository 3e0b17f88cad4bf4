"""Review dates, stale facts, and corrected, retracted and dead sources."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from generator import export
from generator.lifecycle import add_duration, resolve_today
from generator.render import render_site
from generator.validate import load_corpus
from tests.footnote_numbers import numbered
from tests.test_verify import REPO, cite_on_trumps_role, edit, errors_of, line_of, problems_of, tree  # noqa: F401

ALFAPRESS = "facts/sources/alfapress-2026-01-20-lavrov-balkans.yaml"
RKSNEWS = "facts/sources/rksnews-2026-01-20-lavrov-balkans.yaml"
RUSSIA = "facts/entities/russia.yaml"


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        ("2026-01-20", "P1Y", "2027-01-20"),
        ("2024-02-29", "P1Y", "2025-02-28"),
        ("2026-01-31", "P1M", "2026-02-28"),
        ("2026-11-15", "P2M", "2027-01-15"),
        ("2026-01-20", "P2W", "2026-02-03"),
        ("2026-01-20", "P1Y6M10D", "2027-07-30"),
    ],
)
def test_add_duration(start: str, duration: str, expected: str) -> None:
    assert add_duration(dt.date.fromisoformat(start), duration).isoformat() == expected


def test_malformed_duration_is_a_schema_error(tree: Path) -> None:  # noqa: F811
    edit(tree, RUSSIA, "valid_for: P1Y\n    topics: [recognition]", "valid_for: 1 year\n    topics: [recognition]")
    [problem] = [p for p in errors_of(tree) if p.file == RUSSIA]  # the file's facts drop out, so others complain
    assert problem.key_path == "facts[0].valid_for"
    assert problem.message.startswith("expected an ISO 8601 duration of years, months, weeks and days, such as P1Y")


def test_today_comes_from_the_option_then_source_date_epoch() -> None:
    assert resolve_today(dt.date(2030, 1, 2), {"SOURCE_DATE_EPOCH": "0"}) == (dt.date(2030, 1, 2), [])
    assert resolve_today(None, {"SOURCE_DATE_EPOCH": "1795824000"}) == (dt.date(2026, 11, 28), [])
    day, [problem] = resolve_today(None, {"SOURCE_DATE_EPOCH": "yesterday"})
    assert problem.message == "expected a whole number of seconds since 1970; found 'yesterday'"
    day, [problem] = resolve_today(None, {"SOURCE_DATE_EPOCH": "--5"})
    assert problem.message == "expected a whole number of seconds since 1970; found '--5'"
    for beyond in (
        "99999999999999",
        "-99999999999999",
        "99_999_999_999_999",
    ):  # a whole number, but no date has that many seconds
        day, [problem] = resolve_today(None, {"SOURCE_DATE_EPOCH": beyond})
        assert problem.message == f"expected seconds since 1970 that give a year from 1 to 9999; found '{beyond}'"


def test_stale_fact_warns_and_strict_fails(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert problems_of(tree) == []  # on the pinned day nothing is due yet
    corpus, problems = load_corpus(tree / "facts", tree, dt.date(2027, 1, 21))
    assert corpus is not None
    stale = [p for p in problems if p.file == RUSSIA]
    assert [(p.severity, p.line, p.key_path) for p in stale] == [
        ("warning", 12, "facts[0].valid_for"),
        ("warning", 25, "facts[1].valid_for"),
    ]
    assert stale[0].message == (
        "fact 'russia-does-not-recognize-kosovo' dated 2026-01-20 was current for P1Y; "
        "it was due for review on 2027-01-20 and today is 2027-01-21"
    )
    result = run_cli("validate", "--today", "2027-01-21", cwd=tree)
    assert result.returncode == 0
    assert result.stderr.strip().endswith("0 errors, 10 warnings")
    assert run_cli("validate", "--strict", "--today", "2027-01-21", cwd=tree).returncode == 1
    # Donald Trump's role, stated as of 2025-12-18 for P1Y, is the first to fall due.
    assert run_cli("validate", "--strict", "--today", "2026-12-18", cwd=tree).returncode == 0
    result = run_cli("validate", "--strict", "--today", "2026-12-19", cwd=tree)
    assert result.returncode == 1
    assert "facts/entities/donald-trump.yaml:11:16: warning: role 'President of the United States'" in result.stderr


@pytest.mark.parametrize("written", ["0000", "2026-02-30"])
def test_a_date_that_is_no_calendar_date_gets_its_error_and_no_review_warning(tree: Path, written: str) -> None:  # noqa: F811
    """The checks go on with the year alone (0001 for year 0), which is not the date the file gives."""
    old = 'independence."\n    date:\n      value: "2026-01-20"'
    edit(tree, RUSSIA, old, old.replace("2026-01-20", written))
    _, found = load_corpus(tree / "facts", tree, dt.date(2027, 6, 1))  # when either would be due
    problems = [p for p in found if p.file == RUSSIA and p.key_path.startswith("facts[0]")]
    assert [(p.severity, p.key_path) for p in problems] == [("error", "facts[0].date.value")]
    assert problems[0].message.startswith(f"'{written}' is not a calendar date")


def test_entity_default_review_period_applies_to_its_facts(tree: Path) -> None:  # noqa: F811
    edit(tree, "facts/entities/serbia.yaml", "type: country\n", "type: country\nvalid_for: P6M\n")
    _, problems = load_corpus(tree / "facts", tree, dt.date(2026, 8, 1))
    serbia = [p for p in problems if p.file == "facts/entities/serbia.yaml"]
    assert [(p.severity, p.key_path) for p in serbia] == [("warning", "facts[0].date"), ("warning", "facts[1].date")]
    assert "was current for P6M; it was due for review on 2026-07-20" in serbia[0].message


def test_an_event_never_falls_due_for_review(tree: Path) -> None:  # noqa: F811
    serbia = "facts/entities/serbia.yaml"
    edit(tree, serbia, "type: country\n", "type: country\nvalid_for: P6M\n")
    topics = "      certainty: estimated\n    topics: [eu-integration]"
    edit(tree, serbia, topics, topics.replace("    topics", "    timing: event\n    topics"))
    corpus, problems = load_corpus(tree / "facts", tree, dt.date(2026, 12, 1))  # after the sources were read
    assert corpus is not None
    assert [(p.severity, p.key_path) for p in problems if p.file == serbia] == [("warning", "facts[1].date")]
    event = next(f for f in corpus.facts if f.id == "serbia-aspires-to-eu-membership")
    assert (event.timing, event.valid_for, event.review) == ("event", "", None)
    lines = render_site(corpus)["countries/serbia.md"].splitlines()
    shown = [line for line in lines if "Serbia aspires to EU membership." in line]
    assert len(shown) == 2 and not any("out of date" in line for line in shown)  # key facts and its block
    stale = [line for line in lines if "dialogue is aimed at normalizing" in line]
    assert len(stale) == 2 and all("out of date" in line for line in stale)


def test_an_event_with_its_own_review_period_is_an_error(tree: Path) -> None:  # noqa: F811
    edit(tree, "facts/entities/donald-trump.yaml", "    timing: event\n", "    timing: event\n    valid_for: P1Y\n")
    [problem] = errors_of(tree)
    assert (problem.file, problem.line, problem.key_path) == (
        "facts/entities/donald-trump.yaml",
        line_of(tree, "facts/entities/donald-trump.yaml", "    timing: event") + 1,
        "facts[0].valid_for",
    )
    assert problem.message == "an event does not go out of date: it happened or was said on its date"
    assert problem.hint.startswith("remove valid_for")


def test_pages_show_as_of_and_out_of_date_marker(tree: Path) -> None:  # noqa: F811
    fresh, _ = load_corpus(tree / "facts", tree)
    assert fresh is not None
    page = numbered(render_site(fresh)["countries/russia.md"])
    as_of = "**As of [c. 20 January 2026](../countries/russia.md#fact-russia-does-not-recognize-kosovo).**"
    assert f"{as_of} Russia does not recognize Kosovo’s independence.[^1]\n" in page
    assert "out of date" not in page
    corpus, _ = load_corpus(tree / "facts", tree, dt.date(2027, 1, 21))
    assert corpus is not None
    pages = {path: numbered(text) for path, text in render_site(corpus).items()}
    assert (
        f"{as_of} Russia does not recognize Kosovo’s independence.[^1] "
        "**May be out of date:** it was due for review on 20 January 2027.\n"
    ) in pages["countries/russia.md"]
    assert (
        "| Recognition of Kosovo | Russia does not recognize Kosovo’s independence.[^1] | "
        "as of c. 20 January 2026 (may be out of date) |" in pages["countries/russia.md"]
    )
    assert (
        "| Role | Acting Prime Minister of Kosovo[^1] | as of 20 January 2026 (may be out of date) |"
        in pages["people/albin-kurti.md"]
    )
    assert "| [russia-does-not-recognize-kosovo](countries/russia.md#" not in pages["sourcing.md"]
    assert (
        "| [russia-does-not-recognize-kosovo](countries/russia.md) | 2026-01-20 | 2027-01-20 |" in pages["sourcing.md"]
    )


def _set_status(root: Path, name: str, status: str) -> None:
    edit(root, name, "\nnote: ", f"\nstatus:\n{status}note: ")


def test_fact_resting_only_on_a_retracted_source_fails(tree: Path) -> None:  # noqa: F811
    _set_status(tree, RKSNEWS, '  state: retracted\n  date: "2026-03-01"\n')
    errors = errors_of(tree)
    corpus, _ = load_corpus(REPO / "facts", REPO)
    assert corpus is not None
    cited = [*corpus.facts, *(r for e in corpus.entities for r in e.roles)]
    alone = [item for item in cited if {c.source for c in item.citations} == {"rksnews-2026-01-20-lavrov-balkans"}]
    assert len(alone) < len(cited)
    assert len(errors) == len(alone)  # every fact and every role without another source
    first = next(p for p in errors if p.file == RUSSIA)
    assert (first.line, first.column, first.key_path) == (16, 5, "facts[0].citations")
    assert first.message == (
        "fact 'russia-does-not-recognize-kosovo' rests only on retracted sources ('rksnews-2026-01-20-lavrov-balkans')"
    )
    assert first.hint == "cite a source that still stands, or remove the fact"
    role = next(p for p in errors if p.message.startswith("role "))
    assert role.hint == "cite a source that still stands, or remove the role"


def test_retracted_source_beside_another_is_allowed_and_flagged(tree: Path) -> None:  # noqa: F811
    _set_status(tree, ALFAPRESS, '  state: retracted\n  date: "2026-03-01"\n  note: Withdrawn by the outlet.\n')
    cite_on_trumps_role(tree, "alfapress-2026-01-20-lavrov-balkans")  # a role that the troubled source backs
    corpus, problems = load_corpus(tree / "facts", tree)
    assert problems == [] and corpus is not None
    pages = {path: numbered(text) for path, text in render_site(corpus).items()}
    assert (
        "Donald Trump signed the National Defense Authorization Act (NDAA).[^3][^2] **Source retracted:** "
        "[Lavrov: Russia is ready to communicate with the US on the Balkans]"
        "(../sources/alfapress-2026-01-20-lavrov-balkans.md) was retracted on 1 March 2026. *About the date:* "
    ) in pages["people/donald-trump.md"]
    # His role, which cites it beside the article, says so in its row of the Key facts box as the fact's block does
    assert "| as of 18 December 2025 (a source was retracted). *About the date:* " in pages["people/donald-trump.md"]
    source_page = pages["sources/alfapress-2026-01-20-lavrov-balkans.md"]
    admonition = '!!! warning "Retracted"\n\n    Retracted on 1 March 2026. Withdrawn by the outlet. Every fact below'
    assert admonition in source_page
    assert "| Status | Retracted on 1 March 2026. Withdrawn by the outlet. |" in source_page
    citing = [f for f in corpus.facts if any(c.source == "alfapress-2026-01-20-lavrov-balkans" for c in f.citations)]
    assert len(citing) >= 5
    assert source_page.count("](../people/") >= len(citing)  # it still lists every fact that depends on it


def test_corrected_source_flags_its_facts(tree: Path) -> None:  # noqa: F811
    _set_status(
        tree,
        ALFAPRESS,
        '  state: corrected\n  date: "2026-02-03"\n  note: The headline was changed.\n'
        "  archive_url: https://archive.example/alfapress\n",
    )
    cite_on_trumps_role(tree, "alfapress-2026-01-20-lavrov-balkans")  # a role that the troubled source backs
    corpus, problems = load_corpus(tree / "facts", tree)
    assert problems == [] and corpus is not None
    pages = render_site(corpus)
    flag = (
        "**Source corrected:** [Lavrov: Russia is ready to communicate with the US on the Balkans]"
        "(../sources/alfapress-2026-01-20-lavrov-balkans.md) was corrected on 3 February 2026."
    )
    assert pages["people/vjosa-osmani.md"].count(flag) == 1  # the one fact on her page that cites it
    assert pages["people/albin-kurti.md"].count("Source corrected") == 0
    assert "| as of 18 December 2025 (a source was corrected). *About the date:* " in pages["people/donald-trump.md"]
    footnote = (
        "(not archived; unverified) [Original article](https://www.alfapress.al/english/politike/"
        "lavrov-rusia-eshte-e-gatshme-te-komunikoje-me-shba-ne-per-ballkanin-i183395) Corrected on 3 February 2026. "
        "The headline was changed. [Archived copy](https://archive.example/alfapress)."
    )
    assert footnote in pages["people/vjosa-osmani.md"]
    assert '!!! warning "Corrected"' in pages["sources/alfapress-2026-01-20-lavrov-balkans.md"]
    # the open data says so too, so that no re-user takes the source as it was first published
    [exported] = [s for s in export.export_data(corpus)["sources"] if s["id"] == "alfapress-2026-01-20-lavrov-balkans"]
    assert exported["status"] == {
        "state": "corrected",
        "date": {"value": "2026-02-03", "precision": "day", "certainty": "exact"},
        "note": "The headline was changed.",
        "archive_url": "https://archive.example/alfapress",
    }
    assert json.loads(export.render_json(corpus))["sources"] == export.export_data(corpus)["sources"]
    rows = list(csv.DictReader(io.StringIO(export.render_csv(corpus), newline="")))
    assert {(r["source_id"], r["source_status"]) for r in rows} == {
        ("alfapress-2026-01-20-lavrov-balkans", "corrected"),
        ("rksnews-2026-01-20-lavrov-balkans", ""),
        ("tass-2026-01-20-lavrov-balkans", ""),
        ("noa-2026-01-20-lavrov-balkans", ""),
    }
    citing = [f for f in corpus.facts if any(c.source == "alfapress-2026-01-20-lavrov-balkans" for c in f.citations)]
    assert f"| corrected | {len(citing)} |" in pages["sources/index.md"]


def test_dead_source_shows_its_archived_copy_without_flagging_facts(tree: Path) -> None:  # noqa: F811
    _set_status(tree, ALFAPRESS, '  state: dead\n  date: "2026-06-01"\n  archive_url: https://archive.example/a\n')
    corpus, problems = load_corpus(tree / "facts", tree)
    assert problems == [] and corpus is not None
    pages = render_site(corpus)
    assert (
        "Link found dead on 1 June 2026. [Archived copy](https://archive.example/a)." in pages["people/vjosa-osmani.md"]
    )
    assert "Source corrected" not in pages["people/vjosa-osmani.md"]
    assert "!!! warning" not in pages["sources/alfapress-2026-01-20-lavrov-balkans.md"]


def test_unknown_status_state_is_a_schema_error(tree: Path) -> None:  # noqa: F811
    _set_status(tree, ALFAPRESS, '  state: withdrawn\n  date: "2026-06-01"\n')
    [problem] = [p for p in errors_of(tree) if p.file == ALFAPRESS]
    assert problem.key_path == "status.state"
    assert problem.message == "expected one of corrected, retracted, dead; found 'withdrawn'"


def test_a_claim_is_an_event_unless_it_says_otherwise(tree: Path) -> None:  # noqa: F811
    kurti = "facts/entities/albin-kurti.yaml"
    claim = "20 January 2026, a Tuesday.\n    topics: [security]\n    about: [kosovo, serbia]\n"
    edit(tree, kurti, claim, claim.replace("    topics", "    valid_for: P6M\n    topics"))
    [problem] = errors_of(tree)
    assert (problem.file, problem.key_path) == (kurti, "facts[1].valid_for")
    assert problem.hint.endswith("write 'timing: as-of' (a claim or a quote is an event unless it says so)")
    edit(tree, kurti, "    valid_for: P6M\n", "    timing: as-of\n    valid_for: P6M\n")
    corpus, problems = load_corpus(tree / "facts", tree, dt.date(2026, 12, 1))
    assert corpus is not None
    assert [(p.file, p.key_path, p.severity) for p in problems] == [(kurti, "facts[1].valid_for", "warning")]
    held = next(f for f in corpus.facts if f.id == "kurti-potential-threat-from-serbia")
    assert (held.timing, held.review) == ("as-of", dt.date(2026, 7, 20))
