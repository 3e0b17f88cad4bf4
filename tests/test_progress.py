"""Progress on stderr: silent unless turned on, silent for short stages, one line per step in a log."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import build, mkdocs_run, postcheck, progress
from generator.build import Project
from tests.conftest import CliRunner, corpus_summary


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    stream = io.StringIO()  # not a terminal: plain lines, as in a CI log
    progress.enable(stream)
    yield stream
    progress.enable(None)


def clock(monkeypatch: pytest.MonkeyPatch, step: float) -> None:
    """Let progress read a clock that moves ``step`` seconds each time it is read, from 0."""
    ticks = itertools.count()
    monkeypatch.setattr(progress, "clock", lambda: step * next(ticks))


class Terminal(io.StringIO):
    """A stream that says it is a terminal, and counts how often it is asked."""

    asked = 0

    def isatty(self) -> bool:
        self.asked += 1
        return True


def test_a_terminal_gets_one_counter_redrawn_in_place_and_is_asked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    progress.enable(terminal)
    try:
        clock(monkeypatch, 0.1)  # past the delay after 20 ticks, then a redraw every other tick
        for done in range(1, 101):
            progress.tick("render", done, 100)
        progress.finish()
    finally:
        progress.enable(None)
    drawn = terminal.getvalue()
    assert drawn.startswith("\r\x1b[Krender: ") and drawn.endswith("render: 100/100 (100%) after 10s\r\x1b[K")
    assert "\n" not in drawn
    assert terminal.asked == 1  # a system call on a real terminal: not one per item


def test_nothing_is_shown_unless_turned_on(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    progress.enable(stream)
    progress.enable(None)
    clock(monkeypatch, 60.0)  # long past the delay: a stage that is shown would print every tick
    for done in range(1, 5):
        progress.tick("load", done, 4)
    progress.finish()
    assert stream.getvalue() == ""
    assert capsys.readouterr() == ("", "")


def test_short_stages_print_nothing(log: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
    clock(monkeypatch, 0.01)  # 100 ticks in one second, under the two-second delay
    for done in range(1, 101):
        progress.tick("render", done, 100)
    progress.finish()
    assert log.getvalue() == ""


def test_long_stages_print_lines_in_a_log(log: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
    clock(monkeypatch, 1.0)
    monkeypatch.setattr(progress, "LOG_INTERVAL", 3600.0)
    for done in range(1, 6):
        progress.tick("write", done, 5)
    # The first tick starts the stage at 0 s, the third is the first past the delay, then only the last one.
    assert log.getvalue().splitlines() == ["write: 3/5 (60%) after 2s", "write: 5/5 (100%) after 4s"]


def test_generate_on_the_real_corpus_prints_only_its_stage_lines(project: Project, run_cli: CliRunner) -> None:
    result = run_cli("generate", "--root", str(project.root), cwd=Path(project.root))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["validate", "render", "write"]
    assert lines[0].startswith(f"validate: {corpus_summary(project.facts)} in ")


def test_render_time_counts_the_pieces_of_a_streamed_page() -> None:
    """The open data is made piece by piece as the writer reads it; that time is rendering, not writing."""
    ticks = itertools.count()  # a clock that moves one second each time it is read
    pages = iter([("a.md", "A"), ("data.csv", iter(["x", "", "y"]))])
    timed = build._Timed(pages, clock=lambda: float(next(ticks)))
    seen = [(name, text if isinstance(text, str) else list(text)) for name, text in timed]
    assert seen == [("a.md", "A"), ("data.csv", ["x", "", "y"])]
    assert timed.count == 2
    # one second per item asked for: 3 pages (the last is the end) and 4 pieces (the last is the end)
    assert timed.seconds == 7.0


def test_the_mkdocs_build_counts_every_page_it_reads_and_builds(
    mini_project: Project, log: io.StringIO, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """MkDocs alone is silent for minutes on a large site: its own log of each page drives two counters."""
    assert build.generate(mini_project).ok
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "LOG_INTERVAL", 3600.0)
    result = build.mkdocs_build(mini_project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert result.args[1:3] == ["-m", "generator.mkdocs_run"]
    pages = mkdocs_run.page_count(mini_project.content)
    assert pages == len(list(mini_project.content.rglob("*.md"))) > 10
    # The first page of each phase starts its counter, every later one is a line; the last says 100%.
    lines = [re.sub(r"after \d+s$", "after Ns", line) for line in log.getvalue().splitlines()]
    assert lines == [
        f"mkdocs {phase} pages: {done}/{pages} ({100 * done // pages}%) after Ns"
        for phase in ("reading", "building")
        for done in (2, pages)
    ]
    # What is kept is what MkDocs printed: its INFO lines, and none of the page lines.
    assert "Documentation built in" in result.stderr
    assert mkdocs_run.MARK not in result.stderr and "DEBUG" not in result.stderr


def test_without_progress_mkdocs_runs_as_it_is(mini_project: Project, tmp_path: Path) -> None:
    progress.enable(None)
    assert build.generate(mini_project).ok
    result = build.mkdocs_build(mini_project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert result.args[1:4] == ["-m", "mkdocs", "build"]
    assert "Documentation built in" in result.stderr


@pytest.mark.parametrize(
    ("line", "phase"),
    [
        (f"{mkdocs_run.MARK}Reading: people/ana.md\n", "reading"),
        (f"{mkdocs_run.MARK}Building page people/ana.md\n", "building"),
        ("DEBUG   -  Reading: people/ana.md\n", None),
        ("INFO    -  Documentation built in 1.00 seconds\n", None),
        ("WARNING -  Doc file 'about.md' contains a link 'Reading: x'\n", None),
    ],
)
def test_lines_of_the_mkdocs_output(line: str, phase: str | None) -> None:
    assert mkdocs_run.phase_of(line) == phase


def test_the_post_build_check_counts_pages(
    mini_project: Project, log: io.StringIO, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    for number in range(7):
        (site / f"p{number}").mkdir(parents=True)
        (site / f"p{number}" / "index.html").write_text("<p>text</p>")
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "LOG_INTERVAL", 3600.0)
    monkeypatch.setattr(progress, "clock", lambda: 0.0)
    monkeypatch.setattr(postcheck, "BATCH", 3)
    assert postcheck.check_site(site, jobs=1) == []
    assert log.getvalue().splitlines() == [
        "post-build check: 6/7 (85%) after 0s",
        "post-build check: 7/7 (100%) after 0s",
    ]
