"""Scaffolding: `new source` and `new fact` write commented skeletons that fail validation
until every TODO is filled in, and pass once it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.build import Project
from generator.fact_insert import insert_fact
from generator.loader import load_file
from generator.naming import source_id, url_slug
from generator.scaffold import new_source
from tests.conftest import CliRunner
from tests.goldens import TEST_DAY

CALENDAR_DAY = dt.datetime.now(dt.UTC).date()
"""The day the tests run (UTC), which judges what lies in the future."""


def _errors(stderr: str) -> list[str]:
    """The messages of the validator's error lines, without their locations."""
    return [line.split(": error: ")[1] for line in stderr.splitlines() if ": error: " in line]


URL = "https://www.example-news.com/politika/2026/02/03/Вучић-разговарао-са-Лавровом-о-Косову-у-Београду.html"


@pytest.mark.parametrize(
    ("url", "publisher", "date", "expected"),
    [
        (
            "https://rks.news/lavrov-russia-ready-to-communicate-with-the-u-s-on-the-balkans",
            "RksNews",
            "2026-01-20",
            "rksnews-2026-01-20-lavrov-russia-ready-to-communicate-with",
        ),
        (URL, None, "2026-02-03", "example-news-2026-02-03-vucic-razgovarao-sa-lavrovom-o-kosovu"),
        (
            "https://www.alfapress.al/lajme/lavrov-ballkani-rusia-gati-id123/?utm=x#top",
            "Alfa Press",
            "2026-01",
            "alfa-press-2026-01-lavrov-ballkani-rusia-gati-id123",
        ),
        ("https://noa.al/2026/01/20/", "Noa", "2026-01-20", "noa-2026-01-20"),
        (
            "https://example.org/Đorđe-Vučić%20Kurti’s-ë-ç",
            "Gazeta Express",
            None,
            "gazeta-express-djordje-vucic-kurtis-e-c",
        ),
    ],
)
def test_source_id_comes_from_publisher_date_and_slug(
    url: str, publisher: str | None, date: str | None, expected: str
) -> None:
    assert source_id(url, publisher, date) == expected


def test_url_slug_skips_numeric_segments_and_extensions() -> None:
    assert url_slug("https://example.org/news/lavrov-balkans.html/12345/") == "lavrov-balkans"


def test_new_source_writes_a_skeleton_that_fails_until_filled(project: Project, run_cli: CliRunner) -> None:
    result = run_cli("new", "source", URL, "--language", "sr", cwd=project.root)
    assert result.returncode == 0, result.stderr
    source = "example-news-2026-02-03-vucic-razgovarao-sa-lavrovom-o-kosovu"
    assert result.stdout == source + "\n"
    path = project.facts / "sources" / f"{source}.yaml"
    assert result.stderr == (
        f"created facts/sources/{source}.yaml: fill in every TODO, then run python -m generator validate\n"
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../generator/schema/source.schema.json\n")
    assert 'published: "2026-02-03"\n' in text
    untouched = run_cli("validate", cwd=project.root)
    assert untouched.returncode == 1
    assert [line for line in untouched.stderr.splitlines() if ": error: " in line] == [
        f"facts/sources/{source}.yaml:8:8: error: placeholder 'TODO the headline as published' is still here [title]",
        f"facts/sources/{source}.yaml:10:12: error: placeholder 'TODO the outlet that published it' is still here"
        " [publisher]",
    ]
    assert "  hint: replace the TODO with the real value, as the comment above it explains" in untouched.stderr
    filled = text.replace('"TODO the headline as published"', '"Vučić razgovarao sa Lavrovom"').replace(
        '"TODO the outlet that published it"', "Example News"
    )
    path.write_text(filled, encoding="utf-8")
    assert run_cli("validate", cwd=project.root).returncode == 0


def test_new_source_given_every_value_asks_for_a_check_not_for_todos(project: Project, run_cli: CliRunner) -> None:
    given = ("--publisher", "Example News", "--title", "Vučić razgovarao sa Lavrovom", "--language", "sr")
    result = run_cli("new", "source", URL, *given, cwd=project.root, check=True)
    source = result.stdout.strip()
    assert "TODO" not in (project.facts / "sources" / f"{source}.yaml").read_text(encoding="utf-8").split("\n", 3)[3]
    assert result.stderr == (
        f"created facts/sources/{source}.yaml: check each value against the article, "
        "then run python -m generator validate\n"
    )


@pytest.mark.parametrize("missing", [None, "publisher", "title", "language", "date"])
def test_new_source_is_filled_exactly_when_no_todo_is_left(tmp_path: Path, missing: str | None) -> None:
    given: dict[str, str | None] = {"publisher": "Example News", "title": "A headline", "language": "sr"}
    given["date"] = "2026-02-03"
    if missing:
        given[missing] = None
    created = new_source(tmp_path / "facts", "https://example.org/story", today=TEST_DAY, **given)
    values = [line.split("#", 1)[0] for line in created.path.read_text(encoding="utf-8").splitlines()]
    assert created.filled == (missing is None)
    assert created.filled == (not any("TODO" in value for value in values))


def test_new_source_never_overwrites_and_numbers_the_next_one(project: Project, run_cli: CliRunner) -> None:
    first = run_cli("new", "source", URL, cwd=project.root, check=True).stdout.strip()
    path = project.facts / "sources" / f"{first}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    before = path.read_bytes()
    # Another page of the same article: another address, the same id.
    second = run_cli("new", "source", URL + "?page=2", cwd=project.root, check=True).stdout.strip()
    assert second == f"{first}-2"
    assert path.read_bytes() == before
    assert f"# The file name is the source's id: facts cite it as `source: {second}`." in (
        project.facts / "sources" / f"{second}.yaml"
    ).read_text(encoding="utf-8")


def test_new_source_untouched_language_and_date_are_placeholders(project: Project, run_cli: CliRunner) -> None:
    source = run_cli("new", "source", "https://example.org/story", cwd=project.root, check=True).stdout.strip()
    assert source == "example-story"
    result = run_cli("validate", cwd=project.root)
    assert _errors(result.stderr) == [
        "placeholder 'TODO the headline as published' is still here [title]",
        "placeholder 'TODO the outlet that published it' is still here [publisher]",
        "placeholder 'TODO en, sq, sr ...' is still here [language]",
        "placeholder 'TODO YYYY-MM-DD' is still here [published]",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("javascript:alert(1)",), "URL: error: expected an http:// or https:// address; found 'javascript:alert(1)'"),
        (
            ("https://[x/a",),
            "URL: error: the address cannot be opened: its host has a '[' or ']' without its pair\n"
            "  hint: copy the article's address again from the browser",
        ),
        (
            ("https://www.reuters.com@evil.example/a",),
            "URL: error: the address names 'www.reuters.com' before its host: a browser would open evil.example\n"
            "  hint: record the article's own address, with nothing before its host but https://",
        ),
        (
            ("https://example.org/" + "a" * 1990,),  # the address rule holds, the schema's length does not
            "URL: error: value is 2010 characters long; the limit is 2000",
        ),
        (
            ("https://example.org/a", "--date", "20.01.2026"),
            "--date: error: expected a date written YYYY, YYYY-MM or YYYY-MM-DD; found '20.01.2026'\n"
            '  hint: write it year first: "2026-01-20"',
        ),
        (
            ("https://example.org/a", "--date", "2026-1-5"),
            "--date: error: expected a date written YYYY, YYYY-MM or YYYY-MM-DD; found '2026-1-5'\n"
            '  hint: write the month and the day with two digits: "2026-01-05"',
        ),
        (
            ("https://example.org/a", "--date", "2026-02-30"),
            "--date: error: '2026-02-30' is not a calendar date: February 2026 has 28 days",
        ),
        (
            ("https://example.org/a", "--date", "2026-13"),
            "--date: error: '2026-13' is not a calendar date: months are numbered 01 to 12",
        ),
        (
            ("https://example.org/a", "--date", "2999-01"),
            f"--date: error: the date 2999-01 is after today, {CALENDAR_DAY.isoformat()}",  # the calendar's day
        ),
    ],
)
def test_new_source_refuses_bad_input(
    project: Project, run_cli: CliRunner, args: tuple[str, ...], message: str
) -> None:
    before = sorted(p.name for p in (project.facts / "sources").iterdir())
    result = run_cli("new", "source", *args, cwd=project.root)
    assert (result.returncode, result.stderr) == (1, message + "\n")
    assert sorted(p.name for p in (project.facts / "sources").iterdir()) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--publisher", "RFE & RL"),
            "--publisher: error: expected a plain name: not blank, on one line, and without "
            "< > { } [ ] | * _ # ` \\ \" & ! $ ^ ~ = + : ; @ % ?; found 'RFE & RL'",
        ),
        (("--publisher", "P" * 201), "--publisher: error: value is 201 characters long; the limit is 200"),
        (
            ("--title", "A\u202eB"),
            "--title: error: invisible or bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE) is not "
            "allowed\n  hint: delete it: most editors show nothing where it is",
        ),
        (
            ("--title", "TODO later"),
            "--title: error: placeholder 'TODO later' is still here\n"
            "  hint: replace the TODO with the real value, as the comment above it explains",
        ),
    ],
)
def test_new_source_refuses_a_value_validate_would_refuse_and_names_its_option(
    project: Project, run_cli: CliRunner, args: tuple[str, ...], message: str
) -> None:
    """The file is checked as validate checks one file before it is written; nothing is written if it fails."""
    before = sorted(p.name for p in (project.facts / "sources").iterdir())
    given = ("--language", "en", "--date", "2026-01-02", "--title", "x", "--publisher", "RFE/RL")
    result = run_cli("new", "source", "https://example.net/a/b", *given, *args, cwd=project.root)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message + "\n")
    assert sorted(p.name for p in (project.facts / "sources").iterdir()) == before


def test_new_source_judges_the_future_by_the_calendar_as_validate_does(project: Project, run_cli: CliRunner) -> None:
    """SOURCE_DATE_EPOCH (TEST_DAY here) pins a build's dates, not the day an article is read."""
    assert CALENDAR_DAY > TEST_DAY
    created = run_cli("new", "source", URL, "--date", CALENDAR_DAY.isoformat(), cwd=project.root, check=True)
    text = (project.facts / "sources" / f"{created.stdout.strip()}.yaml").read_text(encoding="utf-8")
    assert f'published: "{CALENDAR_DAY.isoformat()}"' in text
    assert f'accessed: "{CALENDAR_DAY.isoformat()}"' in text


@pytest.mark.parametrize("path", ["2026/02/30/story", "2099/01/01/story"])
def test_new_source_leaves_an_impossible_date_in_the_address_to_fill_in(
    project: Project, run_cli: CliRunner, path: str
) -> None:
    """A date read from the address is a guess: one that cannot be the article's is not written down."""
    result = run_cli("new", "source", f"https://example.com/{path}", "--publisher", "Test", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "test-story\n"
    text = (project.facts / "sources" / "test-story.yaml").read_text(encoding="utf-8")
    assert 'published: "TODO YYYY-MM-DD"' in text


def test_new_source_refuses_an_article_already_recorded(project: Project, run_cli: CliRunner) -> None:
    first = run_cli("new", "source", URL, cwd=project.root, check=True).stdout.strip()
    before = sorted(p.name for p in (project.facts / "sources").iterdir())
    again = URL.replace("https://www.", "http://") + "#comments"
    result = run_cli("new", "source", again, cwd=project.root)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"URL: error: this article is already recorded as source '{first}' (facts/sources/{first}.yaml)",
        f"  hint: cite it: python -m generator new fact ENTITY --source {first}",
    ]
    assert sorted(p.name for p in (project.facts / "sources").iterdir()) == before


def test_new_source_records_the_address_without_tracking_parameters(project: Project, run_cli: CliRunner) -> None:
    created = run_cli("new", "source", f"{URL}?utm_source=newsletter&fbclid=x", cwd=project.root, check=True)
    written = project.facts / "sources" / f"{created.stdout.strip()}.yaml"
    assert load_file(written, written.name).data["url"] == URL
    assert "left out the address's tracking parameters: utm_source, fbclid\n" in created.stderr  # not silently
    plain = run_cli("new", "source", f"{URL}-2", cwd=project.root, check=True)
    assert "tracking" not in plain.stderr
    again = run_cli("new", "source", f"{URL}?utm_medium=social", cwd=project.root)
    assert again.returncode == 1 and "this article is already recorded" in again.stderr


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("English", "did you mean 'en'?"),
        ("EN", "did you mean 'en'?"),
        ("en_GB", "did you mean 'en-GB'?"),
        ("Klingon", ""),
    ],
)
def test_new_source_refuses_a_language_that_is_not_a_code(
    project: Project, run_cli: CliRunner, language: str, hint: str
) -> None:
    result = run_cli("new", "source", "https://example.org/a", "--language", language, cwd=project.root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"--language: error: expected a BCP 47 language code such as en, sq or sr; found '{language}'"
    assert lines[1:] == ([f"  hint: {hint}"] if hint else [])
    assert run_cli("new", "source", "https://example.org/a", "--language", "sr-Latn", cwd=project.root).returncode == 0


def _fill_fact(text: str) -> str:
    return (
        text.replace('"TODO what the source says"', '"Kosovo has spent over 3% of its GDP on defense."')
        .replace("topics: [TODO]", "topics: [security]")
        .replace('"TODO the verbatim words of the source"', '"Kosovo has spent over 3% of its GDP on defense"')
    )


def test_new_fact_appends_after_the_last_fact_and_keeps_the_file(project: Project, run_cli: CliRunner) -> None:
    path = project.facts / "entities" / "albin-kurti.yaml"
    original = path.read_text(encoding="utf-8")
    result = run_cli(
        "new",
        "fact",
        "albin-kurti",
        "--kind",
        "claim",
        "--source",
        "rksnews-2026-01-20-lavrov-balkans",
        cwd=project.root,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "albin-kurti-1\n"
    line = len(original.splitlines()) + 1
    assert result.stderr == (
        f"added fact 'albin-kurti-1' at facts/entities/albin-kurti.yaml:{line}: "
        "fill in every TODO, then run python -m generator validate\n"
    )
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original)
    added = text[len(original) :]
    assert added.splitlines()[:5] == [
        "  - id: albin-kurti-1  # unique and permanent: rename it now if you like (lowercase words and hyphens),"
        " never after merging",
        "    # report: the source states it; claim: a named person or body asserts it; quote: their exact words.",
        "    kind: claim",
        "    # Who claims or says it: an entity id from facts/entities/.",
        "    speaker: albin-kurti",
    ]
    # Copied from the source, whose date of publication is estimated: so is this one.
    assert '    date:\n      value: "2026-01-20"\n      certainty: estimated\n' in added
    assert "      - source: rksnews-2026-01-20-lavrov-balkans\n" in added
    untouched = run_cli("validate", cwd=project.root)
    assert untouched.returncode == 1
    assert _errors(untouched.stderr) == [
        "placeholder 'TODO what the source says' is still here [facts[15].text]",
        "placeholder 'TODO' is still here [facts[15].topics[0]]",
        "placeholder 'TODO the verbatim words of the source' is still here [facts[15].citations[0].passage]",
    ]
    path.write_text(_fill_fact(text), encoding="utf-8")
    assert run_cli("validate", cwd=project.root).returncode == 0
    second = run_cli("new", "fact", "albin-kurti", cwd=project.root, check=True)
    assert second.stdout == "albin-kurti-2\n"
    before = path.read_text(encoding="utf-8")
    third = run_cli("new", "fact", "albin-kurti", "--source", "tass-2026-01-20-lavrov-balkans", cwd=project.root)
    assert third.returncode == 0, third.stderr
    added = path.read_text(encoding="utf-8")[len(before) :]
    assert '    date: "2026-01-20"\n' in added and "\n      certainty:" not in added  # an exact date stays a plain one
    # The date is the article's, not necessarily that of what the fact states: the comment says so.
    assert "# The source's date of publication: keep it only if the source dates this itself" in added
    # Its text is not stored, so a passage of it would be refused: the skeleton has none, and says why.
    assert "\n      passage:" not in added
    assert "      # No passage: this source's text is not stored, so its words could not be checked.\n" in added


def test_new_fact_keeps_a_file_with_windows_line_ends_as_it_is(project: Project, run_cli: CliRunner) -> None:
    """A diff of the file shows the new fact, not every line changed."""
    path = project.facts / "entities" / "montenegro.yaml"
    original = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    run_cli("new", "fact", "montenegro", "--source", "rksnews-2026-01-20-lavrov-balkans", cwd=project.root, check=True)
    written = path.read_bytes()
    assert written.startswith(original)
    assert written.count(b"\n") == written.count(b"\r\n") > original.count(b"\n")


def test_new_fact_without_a_source_leaves_source_and_date_to_fill(project: Project, run_cli: CliRunner) -> None:
    run_cli("new", "fact", "serbia", cwd=project.root, check=True)
    result = run_cli("validate", cwd=project.root)
    # Only the new fact's placeholders: nothing else in the corpus is reported because of them.
    assert _errors(result.stderr) == [
        "placeholder 'TODO what the source says' is still here [facts[2].text]",
        "placeholder 'TODO YYYY-MM-DD' is still here [facts[2].date]",
        "placeholder 'TODO' is still here [facts[2].topics[0]]",
        "placeholder 'TODO' is still here [facts[2].citations[0].source]",
        "placeholder 'TODO the verbatim words of the source' is still here [facts[2].citations[0].passage]",
    ]


def test_insert_fact_goes_between_facts_and_a_following_key_keeping_comments() -> None:
    text = "name: X\nfacts:\n- id: a\n  text: |\n    two\n    lines\n\n# Roles come last in this file.\nroles: []\n"
    updated, line = insert_fact(text, "- id: b\n  # note\n  kind: report\n")
    assert updated == (
        "name: X\n"
        "facts:\n"
        "- id: a\n"
        "  text: |\n"
        "    two\n"
        "    lines\n"
        "- id: b\n"
        "  # note\n"
        "  kind: report\n"
        "\n"
        "# Roles come last in this file.\n"
        "roles: []\n"
    )
    assert line == 7


def test_insert_fact_starts_a_list_where_there_is_none() -> None:
    assert insert_fact("name: X\nfacts: []  # none yet\n", "- id: b\n") == ("name: X\nfacts:\n  - id: b\n", 3)
    assert insert_fact("name: X\ntype: country", "- id: b\n") == ("name: X\ntype: country\nfacts:\n  - id: b\n", 4)


def test_insert_fact_replaces_an_empty_list_written_over_several_lines() -> None:
    text = "name: X\nfacts: [\n]\nroles: []\n"
    assert insert_fact(text, "- id: b\n") == ("name: X\nfacts:\n  - id: b\nroles: []\n", 3)


def test_new_fact_never_fails_with_an_internal_error(project: Project, run_cli: CliRunner) -> None:
    path = project.facts / "entities" / "vladimir-putin.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "facts: [\n  ]\n", encoding="utf-8")
    result = run_cli("new", "fact", "vladimir-putin", "--id", "putin-x", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert "  - id: putin-x" in path.read_text(encoding="utf-8")
    assert run_cli("validate", cwd=project.root).returncode == 1  # only its placeholders


def test_ids_that_yaml_editors_read_as_numbers_are_written_quoted(project: Project, run_cli: CliRunner) -> None:
    """ "2026" and "1984" are ids, but numbers to an editor, and validate refuses them unquoted: new quotes them."""
    source = ("--source", "rksnews-2026-01-20-lavrov-balkans")
    run_cli("new", "fact", "vladimir-putin", *source, "--id", "2026", cwd=project.root, check=True)
    putin = project.facts / "entities" / "vladimir-putin.yaml"
    assert '  - id: "2026"  # unique' in putin.read_text(encoding="utf-8")
    run_cli("new", "fact", "vladimir-putin", *source, "--id", "null", cwd=project.root, check=True)  # "no value"
    assert '  - id: "null"  # unique' in putin.read_text(encoding="utf-8")
    run_cli("new", "entity", "1984", "--type", "organisation", cwd=project.root, check=True)
    group = project.facts / "entities" / "1984.yaml"
    assert '`about: ["1984"]` or `speaker: "1984"`' in group.read_text(encoding="utf-8")
    run_cli("new", "fact", "1984", "--kind", "claim", *source, cwd=project.root, check=True)
    assert '    speaker: "1984"\n' in group.read_text(encoding="utf-8")
    putin.write_text(_fill_fact(putin.read_text(encoding="utf-8")), encoding="utf-8")
    group.write_text(_fill_fact(group.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_cli("validate", cwd=project.root)
    assert "without quotes is a number" not in result.stderr
    assert result.returncode == 0, result.stderr


def test_new_fact_for_an_entity_without_facts_validates_once_filled(project: Project, run_cli: CliRunner) -> None:
    path = project.facts / "entities" / "vladimir-putin.yaml"
    assert "facts:" not in path.read_text(encoding="utf-8")
    run_cli(
        "new",
        "fact",
        "vladimir-putin",
        "--source",
        "rksnews-2026-01-20-lavrov-balkans",
        "--id",
        "putin-defense",
        cwd=project.root,
        check=True,
    )
    assert run_cli("validate", cwd=project.root).returncode == 1
    path.write_text(_fill_fact(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_cli("validate", cwd=project.root)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sebria",), "facts/entities/sebria.yaml: error: unknown entity 'sebria'\n  hint: did you mean 'serbia'?"),
        (
            ("../sources/tass-2026-01-20-lavrov-balkans",),
            "ENTITY: error: expected an entity id such as 'kosovo'; found '../sources/tass-2026-01-20-lavrov-balkans'",
        ),
        (("./kosovo",), "ENTITY: error: expected an entity id such as 'kosovo'; found './kosovo'"),
        (
            ("facts/sources/tass-2026-01-20-lavrov-balkans.yaml",),  # a file, but not an entity's
            "ENTITY: error: expected an entity id such as 'kosovo'; "
            "found 'facts/sources/tass-2026-01-20-lavrov-balkans.yaml'",
        ),
        (
            ("serbia", "--source", "rksnews-2026-01-21"),
            "--source: error: unknown source 'rksnews-2026-01-21'\n"
            "  hint: did you mean 'rksnews-2026-01-20-lavrov-balkans'?",
        ),
        (
            ("serbia", "--id", "x" * 121),
            "--id: error: value is 121 characters long; the limit is 120",
        ),
        (  # longer than a file's name may be: said before any file is looked for
            ("serbia", "--source", "x" * 300),
            "--source: error: value is 300 characters long; the limit is 120",
        ),
        (("x" * 300,), f"ENTITY: error: expected an entity id such as 'kosovo'; found '{'x' * 300}'"),
        (
            ("serbia", "--source", "../entities/kosovo"),  # a file, but no source's
            "--source: error: expected an id of lowercase letters, digits and single hyphens, such as 'albin-kurti'; "
            "found '../entities/kosovo'\n  hint: did you mean 'entities-kosovo'?",
        ),
        (
            ("serbia", "--id", "Bad Id"),
            "--id: error: expected an id of lowercase letters, digits and single hyphens; found 'Bad Id'\n"
            "  hint: did you mean 'bad-id'?",
        ),
    ],
)
def test_new_fact_refuses_bad_input_and_writes_nothing(
    project: Project, run_cli: CliRunner, args: tuple[str, ...], message: str
) -> None:
    before = {p.name: p.read_bytes() for p in (project.facts / "entities").iterdir()}
    result = run_cli("new", "fact", *args, cwd=project.root)
    assert (result.returncode, result.stderr) == (1, message + "\n")
    assert {p.name: p.read_bytes() for p in (project.facts / "entities").iterdir()} == before


def test_new_fact_refuses_an_id_in_use_and_says_where_as_validate_does(project: Project, run_cli: CliRunner) -> None:
    path = project.facts / "entities" / "albin-kurti.yaml"
    line = path.read_text(encoding="utf-8").split("\n").index("  - id: kurti-quote-think-twice") + 1
    before = {p.name: p.read_bytes() for p in (project.facts / "entities").iterdir()}
    result = run_cli("new", "fact", "serbia", "--id", "kurti-quote-think-twice", cwd=project.root)
    assert (result.returncode, result.stderr.splitlines()) == (
        1,
        [
            f"--id: error: fact id 'kurti-quote-think-twice' is already used at facts/entities/albin-kurti.yaml:{line}",
            "  hint: a fact's id is its address on the site: keep the published one, and give the new fact an id of "
            "its own",
        ],
    )
    assert {p.name: p.read_bytes() for p in (project.facts / "entities").iterdir()} == before


def test_new_fact_leaves_the_files_own_problems_to_validate(project: Project, run_cli: CliRunner) -> None:
    """Only the new fact is checked before it is written: a mistake already in the file is validate's to report."""
    path = project.facts / "entities" / "albin-kurti.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    kind: report\n", "    kind: reprot\n", 1), "utf-8")
    added = run_cli("new", "fact", "albin-kurti", "--id", "kurti-new", cwd=project.root)
    assert added.returncode == 0, added.stderr
    assert "  - id: kurti-new" in path.read_text(encoding="utf-8")
    assert "expected one of report, claim, quote; found 'reprot'" in run_cli("validate", cwd=project.root).stderr


@pytest.mark.parametrize("linked", ["entities/evil.yaml", "sources/evil-2026-01-20-x.yaml"])
def test_new_fact_never_reads_or_writes_through_a_link(
    project: Project, run_cli: CliRunner, tmp_path: Path, linked: str
) -> None:
    """validate refuses a linked fact file; new fact must not read it, nor replace the link with a copy."""
    outside = tmp_path / "outside.yaml"
    outside.write_text((project.facts / "entities" / "kosovo.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = outside.read_bytes()
    link = project.facts / linked
    link.symlink_to(outside)
    args = ("evil",) if linked.startswith("entities") else ("kosovo", "--source", "evil-2026-01-20-x")
    result = run_cli("new", "fact", *args, cwd=project.root)
    assert result.returncode == 1, result.stderr
    assert "error: not a regular file (symbolic link or special file); not read" in result.stderr
    assert link.is_symlink() and outside.read_bytes() == before


def test_new_entity_writes_a_file_that_validates_and_takes_facts(project: Project, run_cli: CliRunner) -> None:
    result = run_cli("new", "entity", "Aleksandar  Vučić", "--type", "person", cwd=project.root, check=True)
    assert result.stdout.strip() == "aleksandar-vucic"
    assert result.stderr.endswith(
        "created facts/entities/aleksandar-vucic.yaml: "
        "add its facts with python -m generator new fact aleksandar-vucic --source SOURCE\n"
    )
    path = project.facts / "entities" / "aleksandar-vucic.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../generator/schema/entity.schema.json\n")
    assert '\nname: "Aleksandar Vučić"\ntype: "person"\n' in text or "\nname: Aleksandar Vučić\ntype: person\n" in text
    assert "# roles:\n" in text and "`speaker: aleksandar-vucic`" in text
    assert "article" not in text  # a person's name takes no article
    assert run_cli("validate", cwd=project.root).returncode == 0
    fact = run_cli(
        "new",
        "fact",
        "aleksandar-vucic",
        "--kind",
        "claim",
        "--source",
        "rksnews-2026-01-20-lavrov-balkans",
        cwd=project.root,
        check=True,
    ).stdout.strip()
    assert fact == "aleksandar-vucic-1"
    assert "speaker: aleksandar-vucic" in path.read_text(encoding="utf-8")


def test_new_entity_of_a_place_has_no_roles_and_never_overwrites(project: Project, run_cli: CliRunner) -> None:
    created = run_cli("new", "entity", "Croatia", "--type", "country", cwd=project.root, check=True).stdout.strip()
    path = project.facts / "entities" / f"{created}.yaml"
    before = path.read_bytes()
    assert b"roles" not in before and b"speaker:" not in before
    again = run_cli("new", "entity", "Croatia", "--type", "country", cwd=project.root)
    assert again.returncode == 1
    assert again.stderr.splitlines() == [
        "facts/entities/croatia.yaml: error: entity 'croatia' already exists",
        "  hint: add facts to it: python -m generator new fact croatia, or choose another id with --id",
    ]
    assert path.read_bytes() == before
    # The commented-out article is ready to use, for a name that running text gives with "the".
    assert b"\n# An entity: a country the sources name." in before
    assert b'\n# article: the  # if running text says "the European Union"' in before
    path.write_bytes(before.replace(b"\n# article: the", b"\narticle: the"))
    assert run_cli("validate", cwd=project.root).returncode == 0


def test_new_entity_refuses_a_name_another_entity_has(project: Project, run_cli: CliRunner) -> None:
    """validate would refuse the second file; the scaffolder says so before writing it, and names the first."""
    entities = project.facts / "entities"
    before = sorted(p.name for p in entities.iterdir())
    # "А" is Cyrillic; "Lavrov" is Sergei Lavrov's alias.
    tries = (("Kosovo", "kosovo-2"), ("  vjosa   OSMANI ", "osmani"), ("Аlbania", "al"), ("Lavrov", "lavrov"))
    for name, new_id in tries:
        refused = run_cli("new", "entity", name, "--type", "country", "--id", new_id, cwd=project.root)
        assert refused.returncode == 1, name
        first = refused.stderr.splitlines()[0]
        assert first.startswith("NAME: error: entity '") and "' already goes by the name '" in first, refused.stderr
        assert "python -m generator new fact" in refused.stderr
    assert sorted(p.name for p in entities.iterdir()) == before
    # A name in quotes, with a comment after it, is read as the name it is.
    (entities / "kosovo.yaml").write_text(
        (entities / "kosovo.yaml").read_text(encoding="utf-8").replace("\nname: Kosovo\n", '\nname: "Kosova"  # x\n'),
        encoding="utf-8",
    )
    assert run_cli("new", "entity", "Kosova", "--type", "country", cwd=project.root).returncode == 1
    assert run_cli("new", "entity", "Kosovo", "--type", "country", "--id", "kosovo-2", cwd=project.root).returncode == 0
    # Aliases one a line are read too, and a comma inside a quoted alias is part of it.
    lavrov = entities / "sergei-lavrov.yaml"
    lavrov.write_text(lavrov.read_text(encoding="utf-8").replace("aliases: [Lavrov]", "aliases:\n  - Lavrov"), "utf-8")
    assert run_cli("new", "entity", "Lavrov", "--type", "person", cwd=project.root).returncode == 1
    us = entities / "united-states.yaml"
    text = us.read_text(encoding="utf-8")
    us.write_text(text.replace("aliases: [", 'aliases: ["Washington, D.C.", '), "utf-8")
    assert run_cli("new", "entity", "Washington", "--type", "organisation", cwd=project.root).returncode == 0
    assert (
        run_cli("new", "entity", "Washington, D.C.", "--type", "region", "--id", "dc", cwd=project.root).returncode == 1
    )


def test_new_entity_of_an_organisation_reads_as_english(project: Project, run_cli: CliRunner) -> None:
    created = run_cli("new", "entity", "European Commission", "--type", "organisation", cwd=project.root, check=True)
    text = (project.facts / "entities" / f"{created.stdout.strip()}.yaml").read_text(encoding="utf-8")
    assert "\n# An entity: an organisation the sources name." in text
    assert "\n# article: the  #" in text and "`speaker: european-commission`" in text


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("Serbia", "--type", "country", "--id", "Serbia_2"), 1, "found 'Serbia_2'\n  hint: did you mean 'serbia-2'?"),
        (("   ", "--type", "person"), 1, "NAME: error: expected the entity's name; found an empty one"),
        (("Index", "--type", "person"), 1, "NAME: error: 'index' cannot be an id: the index page of a section"),
        (("Serbia", "--type", "country", "--id", "index"), 1, "--id: error: 'index' cannot be an id"),
        (
            ("<script>", "--type", "person", "--id", "script"),
            1,
            "NAME: error: expected a plain name: not blank, on one line, and without "
            "< > { } [ ] | * _ # ` \\ \" & ! $ ^ ~ = + : ; @ % ?; found '<script>'",
        ),
        (("A\u202eB", "--type", "person"), 1, "NAME: error: invisible or bidirectional control character U+202E"),
        (
            ("N" * 201, "--type", "person", "--id", "n"),
            1,
            "NAME: error: value is 201 characters long; the limit is 200",
        ),
        (("!!!", "--type", "person"), 1, "found ''\n  hint: give one with --id\n"),  # nothing to make an id of
        (  # a name within its limit, whose id would not be
            (" ".join(["Abcdefghijklmnopqrstuvwxyz"] * 6), "--type", "person"),
            1,
            "NAME: error: the id made from the name is 161 characters long; the limit is 120\n"
            "  hint: give a shorter one with --id\n",
        ),
        (  # longer than a file's name may be: said before any file is looked for
            ("Serbia", "--type", "country", "--id", "x" * 300),
            1,
            "--id: error: value is 300 characters long; the limit is 120\n",
        ),
        (("Serbia",), 2, "Missing option '--type'"),
        (("Serbia", "--type", "city"), 2, "Invalid value for '--type'"),
    ],
)
def test_new_entity_refuses_bad_input(
    project: Project, run_cli: CliRunner, args: tuple[str, ...], status: int, message: str
) -> None:
    before = sorted(p.name for p in (project.facts / "entities").iterdir())
    result = run_cli("new", "entity", *args, cwd=project.root)
    assert result.returncode == status and message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (project.facts / "entities").iterdir()) == before


def test_new_fact_takes_the_entity_as_its_file_too(project: Project, run_cli: CliRunner) -> None:
    """``facts/entities/serbia.yaml`` is what a shell completes; it names the entity ``serbia``."""
    result = run_cli("new", "fact", "facts/entities/serbia.yaml", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert "serbia-1" in (project.facts / "entities" / "serbia.yaml").read_text(encoding="utf-8")


def test_a_folder_or_a_dangling_link_named_like_a_fact_file_is_passed_over(
    project: Project, run_cli: CliRunner
) -> None:
    """`new` reads the fact files as text to find ids and addresses in use; only regular files are fact files."""
    (project.facts / "sources" / "folder.yaml").mkdir()
    (project.facts / "entities" / "folder.yaml").mkdir()
    (project.facts / "entities" / "dangling.yaml").symlink_to(project.root / "nowhere.yaml")
    created = run_cli("new", "source", "https://example.org/2026/01/02/x", cwd=project.root, check=True)
    assert created.stdout == "example-2026-01-02-x\n"
    added = run_cli("new", "fact", "kosovo", "--id", "kosovo-new-fact", cwd=project.root, check=True)
    assert added.stdout == "kosovo-new-fact\n"
    unknown = run_cli("new", "fact", "folder", cwd=project.root)
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr and "internal error" not in unknown.stderr
