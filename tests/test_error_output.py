"""Errors a contributor can act on: compiler-style lines, the offending line with a caret, hints,
every problem in one run, and GitHub Actions annotations."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from generator import cli, progress
from generator.build import Project
from generator.problems import Problem, format_github, format_text
from tests.conftest import CliRunner as RunCli
from tests.test_docs import BLOCK, GUIDE


def _break_two_files(project: Project) -> None:
    """A citation to a mistyped source id, and a misspelt kind in another file."""
    kurti = project.facts / "entities" / "albin-kurti.yaml"
    text = kurti.read_text(encoding="utf-8")
    kurti.write_text(
        text.replace("source: rksnews-2026-01-20-lavrov-balkans", "source: rksnews-2026-01-21", 1), encoding="utf-8"
    )
    osmani = project.facts / "entities" / "vjosa-osmani.yaml"
    text = osmani.read_text(encoding="utf-8")
    assert "    kind: report\n" in text
    osmani.write_text(text.replace("    kind: report\n", "    kind: reprot\n", 1), encoding="utf-8")


def test_text_output_shows_every_problem_with_its_line_caret_and_hint(project: Project, run_cli: RunCli) -> None:
    _break_two_files(project)
    result = run_cli("validate", cwd=project.root)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "facts/entities/albin-kurti.yaml:11:17: error: unknown source 'rksnews-2026-01-21'"
        " [roles[0].citations[0].source]\n"
        "        - source: rksnews-2026-01-21\n"
        "                  ^\n"
        "  hint: did you mean 'rksnews-2026-01-20-lavrov-balkans'?\n"
        "facts/entities/vjosa-osmani.yaml:18:11: error: expected one of report, claim, quote; found 'reprot'"
        " [facts[0].kind]\n"
        "      kind: reprot\n"
        "            ^\n"
        "  hint: did you mean 'report'?\n"
        "2 errors, 0 warnings\n"
    )


def test_github_format_prints_one_annotation_per_problem(project: Project, run_cli: RunCli) -> None:
    _break_two_files(project)
    result = run_cli("validate", "--format", "github", cwd=project.root)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=facts/entities/albin-kurti.yaml,line=11,col=17::unknown source 'rksnews-2026-01-21';"
        " did you mean 'rksnews-2026-01-20-lavrov-balkans'?",
        "::error file=facts/entities/vjosa-osmani.yaml,line=18,col=11::expected one of report, claim, quote;"
        " found 'reprot'; did you mean 'report'?",
    ]
    # The human-readable report still goes to the log.
    assert "  hint: did you mean 'report'?" in result.stderr


def test_valid_corpus_prints_no_annotation(project: Project, run_cli: RunCli) -> None:
    result = run_cli("validate", "--format", "github", cwd=project.root)
    assert (result.returncode, result.stdout) == (0, "")


def test_github_annotation_escapes_what_would_end_a_property_or_the_line() -> None:
    problem = Problem("facts/a,b:c.yaml", 3, 4, "100% wrong\nsecond line", hint="try: this")
    assert format_github(problem) == (
        "::error file=facts/a%2Cb%3Ac.yaml,line=3,col=4::100%25 wrong%0Asecond line; try: this"
    )


def test_a_file_name_that_holds_a_workflow_command_is_made_inert_in_an_annotation_too() -> None:
    """SECURITY.md: no line of the check's log may hold "##[", which the runner obeys anywhere in a line."""
    line = format_github(Problem("facts/entities/##[add-mask]x.yaml", 0, 0, "m"))
    assert "##[" not in line
    assert line == "::error file=facts/entities/#\\#[add-mask]x.yaml,line=1,col=1::m"


def test_warning_annotation_and_whole_file_problem_point_at_line_one() -> None:
    problem = Problem("facts/topics.yaml", 0, 0, "missing topic vocabulary file", severity="warning")
    assert format_github(problem) == "::warning file=facts/topics.yaml,line=1,col=1::missing topic vocabulary file"


def test_a_problem_in_no_file_text_has_a_position_only_when_it_names_a_file(tmp_path: Path) -> None:
    """A whole file gets ``:1:1`` for editors to open it; a folder, an option or a variable gets none."""
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "whole.yaml").write_text("name: x\n", encoding="utf-8")
    (tmp_path / "facts" / "link.yaml").symlink_to(tmp_path / "facts" / "whole.yaml")
    shown = {
        name: format_text(Problem(name, 0, 0, "m"), tmp_path)
        for name in ("facts/whole.yaml", "facts/link.yaml", "facts", "SOURCE_DATE_EPOCH", "--date")
    }
    assert shown == {
        "facts/whole.yaml": "facts/whole.yaml:1:1: error: m",
        "facts/link.yaml": "facts/link.yaml: error: m",
        "facts": "facts: error: m",
        "SOURCE_DATE_EPOCH": "SOURCE_DATE_EPOCH: error: m",
        "--date": "--date: error: m",
    }
    assert format_text(Problem("facts", 2, 3, "m"), tmp_path) == "facts:2:3: error: m"


def test_caret_sits_under_the_column_even_after_wide_characters(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("text: “Kosovo’s” kind: x\n", encoding="utf-8")
    problem = Problem("x.yaml", 1, 19, "something", key_path="text")
    assert format_text(problem, tmp_path) == (
        "x.yaml:1:19: error: something [text]\n  text: “Kosovo’s” kind: x\n                    ^"
    )


def test_exit_status_tells_bad_facts_from_a_bad_command_line(project: Project, run_cli: RunCli) -> None:
    """As the README says: 1 for a problem in the facts, 2 for a mistake in the command itself."""
    assert run_cli("validate", cwd=project.root).returncode == 0
    usage = run_cli("validate", "--today", "2026-02-30", cwd=project.root)
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr and "--today" in usage.stderr
    assert "'2026-02-30' is not a calendar date: February 2026 has 28 days" in usage.stderr
    day_first = run_cli("validate", "--today", "30/11/2026", cwd=project.root)
    assert day_first.returncode == 2 and "%Y" not in day_first.stderr
    assert "expected a day written YYYY-MM-DD, such as 2026-01-20; found '30/11/2026'" in day_first.stderr
    unknown = run_cli("validate", "--no-such-option", cwd=project.root)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    # --verbose belongs to the program, but a reader may well write it after the command's name
    assert run_cli("validate", "--verbose", cwd=project.root).returncode == 0
    (project.root / "facts" / "topics.yaml").write_text("a: [1\n", encoding="utf-8")
    bad = run_cli("validate", cwd=project.root)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr + bad.stdout


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        found += _commands(command, (*prefix, name)) if isinstance(command, click.Group) else [(*prefix, name)]
    return found


def _in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line enables progress on the test's captured stderr, which closes with the test: put it back."""
    monkeypatch.setattr(progress, "_stream", progress._stream)
    monkeypatch.setattr(progress, "_stage", progress._stage)


def test_every_commands_help_lists_verbose(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README says --verbose goes before or after a command's name; each --help says so too."""
    _in_process(monkeypatch)
    commands = _commands(cli.cli)
    assert ("validate",) in commands and ("new", "fact") in commands and ("page-changes",) in commands
    for command in commands:
        shown = CliRunner().invoke(cli.cli, [*command, "--help"])
        assert shown.exit_code == 0 and cli.VERBOSE_HELP in " ".join(shown.output.split()), command


@pytest.mark.parametrize("args", [["validate"], ["validate", "--verbose"], ["--verbose", "validate"]])
def test_an_internal_error_shows_a_traceback_only_with_verbose(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """A bug in the generator cannot be had on demand, so one is put in the place of validate."""

    def broken(*_: object) -> None:
        raise RuntimeError("a bug")

    _in_process(monkeypatch)
    monkeypatch.setattr(cli.pipeline, "validate", broken)
    with pytest.raises(SystemExit) as exited:
        cli.main([*args, "--root", str(project.root)])
    assert exited.value.code == 2
    stderr = capsys.readouterr().err
    if "--verbose" in args:
        assert stderr.startswith("Traceback") and stderr.endswith("RuntimeError: a bug\n")
    else:
        assert stderr == "internal error: RuntimeError: a bug (run with --verbose for a traceback)\n"


def test_ctrl_c_in_a_command_says_interrupted_and_exits_with_130(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl+C cannot be pressed on cue, so validate raises what it raises."""

    def pressed(*_: object) -> None:
        raise KeyboardInterrupt

    _in_process(monkeypatch)
    monkeypatch.setattr(cli.pipeline, "validate", pressed)
    with pytest.raises(SystemExit) as exited:
        cli.main(["validate", "--root", str(project.root)])
    assert exited.value.code == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_c1_controls_and_invisible_characters_in_a_name_are_printed_as_question_marks(
    project: Project, run_cli: RunCli
) -> None:
    """U+009B is a terminal's one-byte escape (CSI); tag characters and bidirectional marks show nothing."""
    name = "x\u009b31mred\U000e0049\u200e.yaml"
    (project.facts / "entities" / name).write_text("name: X\ntype: country\n", encoding="utf-8")
    result = run_cli("validate", cwd=project.root)
    assert result.returncode == 1
    assert "facts/entities/x?31mred??.yaml" in result.stderr
    assert not {"\u009b", "\U000e0049", "\u200e"} & set(result.stderr)


def test_a_file_name_cannot_write_to_the_terminal_or_the_workflow_log(project: Project, run_cli: RunCli) -> None:
    """A name is the contributor's: an escape sequence in it would reach the terminal, and a line break
    followed by ``::notice`` would be read by GitHub Actions as a command in a plain-text log."""
    name = "x\x1b[31mred\x1b]0;title\x07\n::notice title=Maintainer::Reviewed - safe to merge\n.yaml"
    (project.facts / "entities" / name).write_text("name: X\ntype: country\n", encoding="utf-8")
    for options in ((), ("--format", "github")):
        result = run_cli("validate", *options, cwd=project.root)
        assert result.returncode == 1
        output = result.stdout + result.stderr
        assert "\x1b" not in output and "\x07" not in output
        assert not [line for line in output.splitlines() if line.startswith("::notice")]
        assert "x?[31mred?]0;title??::notice title=Maintainer::Reviewed - safe to merge?.yaml" in output.replace(
            "%3A", ":"
        ).replace("%2C", ",")


def test_a_very_long_line_is_shown_cut_around_the_column_with_the_caret_under_it(tmp_path: Path) -> None:
    """A 200,000-character value is named, not echoed: the line under the message stays short."""
    prose = "word " * 40_000
    (tmp_path / "long.yaml").write_text(f'text: "{prose}"\nnote: "{prose[:300]}wrong{prose[:300]}"\n', encoding="utf-8")
    at_start = format_text(Problem("long.yaml", 1, 7, "too long"), tmp_path).splitlines()
    assert at_start[1] == "  " + f'text: "{prose}'[:158] + "…"
    assert at_start[2] == "        ^"
    inside = format_text(Problem("long.yaml", 2, 308, "here"), tmp_path).splitlines()
    assert max(len(line) for line in inside) <= 162
    shown, caret = inside[1][2:], inside[2].index("^") - 2
    assert shown.startswith("…") and shown.endswith("…") and shown[caret : caret + 5] == "wrong"
    short = format_text(Problem("long.yaml", 2, 1, "whole"), tmp_path / "elsewhere")
    assert short == "long.yaml:2:1: error: whole"  # no file there: no line is shown


def test_no_line_of_the_text_output_is_a_workflow_command(project: Project, run_cli: RunCli) -> None:
    """A GitHub Actions runner obeys a log line that begins, after spaces, with "::": a fact file's line
    shown under its problem, or a hint quoting it, must not be one, or fact files could hide or fake the
    check's output."""
    osmani = project.facts / "entities" / "vjosa-osmani.yaml"
    text = osmani.read_text(encoding="utf-8")
    assert "    kind: report\n" in text
    added = "    ::add-mask::Kosovo: x\n    b##[add-mask]Serbia: y\n"  # the runner reads "##[" anywhere in a line
    osmani.write_text(text.replace("    kind: report\n", "    kind: report\n" + added, 1), "utf-8")
    result = run_cli("validate", "--format", "github", cwd=project.root)
    assert result.returncode == 1
    shown = result.stderr.splitlines()
    assert shown[1:3] == ["      \\::add-mask::Kosovo: x", "       ^"]  # the caret still under the key's first ":"
    assert shown[5:7] == ["      b#\\#[add-mask]Serbia: y", "      ^"]
    assert "##[" not in result.stdout + result.stderr
    assert [line for line in result.stdout.splitlines() + shown if line.lstrip().startswith("::")] == [
        line for line in result.stdout.splitlines() if line.startswith("::error file=facts/")
    ]


def test_a_message_or_hint_line_that_would_be_a_workflow_command_is_made_inert() -> None:
    problem = Problem("facts/a.yaml", 0, 0, "unknown source 'a##[add-mask]b'", hint="closest:\n::add-mask::x")
    assert format_text(problem, Path("."), context=False).splitlines() == [
        "facts/a.yaml: error: unknown source 'a#\\#[add-mask]b'",
        "  hint: closest:",
        "        \\::add-mask::x",
    ]


def test_a_key_of_the_file_cannot_add_lines_to_the_output(project: Project, run_cli: RunCli) -> None:
    """An unknown key is named twice: in the message, and in the path after it. Neither may break the line, or a
    pull request could print "0 errors, 0 warnings" in the log of a check that failed."""
    reuters = project.facts / "entities" / "reuters.yaml"
    reuters.write_text(
        reuters.read_text(encoding="utf-8") + '"a\\n\\n0 errors, 0 warnings\\r\\nvalidate: all good": 1\n',
        encoding="utf-8",
    )
    result = run_cli("validate", cwd=project.root)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "0 errors, 0 warnings" not in lines and "validate: all good" not in lines
    assert "\r" not in result.stderr
    [problem] = [line for line in lines if ": error: " in line]
    assert problem.endswith("[a??0 errors, 0 warnings??validate: all good]"), problem


@pytest.mark.parametrize(
    ("added", "problem"),
    [
        (  # a new fact typed at the indentation of the keys above it, without '- ', sets the last fact's id again
            "    id: kosovo-second-fact\n    kind: report\n",
            "facts/entities/kosovo.yaml:43:5: error: duplicate key 'id'; it is already set at line 30\n"
            "      id: kosovo-second-fact\n"
            "      ^\n"
            "  hint: if this line starts a new item of the list, write '- ' before 'id:', with the '-' in column 3 "
            "as on line 30; else delete one of the two, keeping the value you mean\n",
        ),
        (  # a fact pasted with a 'facts:' line of its own
            "facts:\n  - id: kosovo-second-fact\n",
            "facts/entities/kosovo.yaml:43:1: error: duplicate key 'facts'; it is already set at line 4\n"
            "  facts:\n"
            "  ^\n"
            "  hint: add the new items to the list under 'facts:' at line 4, after its last item, "
            "and delete this second 'facts:' line\n",
        ),
    ],
)
def test_a_fact_added_without_its_dash_or_in_a_second_list_is_told_how_to_join_the_list(
    project: Project, run_cli: RunCli, added: str, problem: str
) -> None:
    kosovo = project.facts / "entities" / "kosovo.yaml"
    lines = kosovo.read_text(encoding="utf-8").splitlines(keepends=True)
    assert (len(lines), lines[3], lines[29]) == (42, "facts:\n", "  - id: kosovo-applied-for-eu-membership\n")
    kosovo.write_text("".join(lines) + added, encoding="utf-8")
    result = run_cli("validate", cwd=project.root)
    assert (result.returncode, result.stderr) == (1, problem + "1 error, 0 warnings\n")


def test_the_guides_example_fact_pasted_as_it_is_shown_is_told_its_indentation(
    project: Project, run_cli: RunCli
) -> None:
    """The guide shows its example fact without the two spaces that the items of 'facts:' have."""
    [example] = [body for path, append, body in BLOCK.findall(GUIDE.read_text("utf-8")) if append]
    assert example.startswith("- id: kosovo-applied-for-eu-membership\n")
    kosovo = project.facts / "entities" / "kosovo.yaml"
    lines = kosovo.read_text(encoding="utf-8").splitlines(keepends=True)
    assert (len(lines), lines[29]) == (42, "  - id: kosovo-applied-for-eu-membership\n")
    kosovo.write_text("".join(lines) + example, encoding="utf-8")
    result = run_cli("validate", cwd=project.root)
    assert (result.returncode, result.stderr) == (
        1,
        "facts/entities/kosovo.yaml:43:1: error: YAML syntax: expected a new 'key: value' line here, not a list "
        "item\n"
        "  - id: kosovo-applied-for-eu-membership\n"
        "  ^\n"
        "  hint: indent every line of this item 2 more spaces, to put its '-' in column 3 like the other items of "
        "the list (line 30)\n"
        "1 error, 0 warnings\n",
    )
