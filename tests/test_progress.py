"""Progress on stderr: silent unless turned on, silent for short stages, one line per step in a log."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import build, progress
from generator.build import Project
from tests.conftest import CliRunner


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    stream = io.StringIO()  # not a terminal: plain lines, as in a CI log
    progress.enable(stream)
    yield stream
    progress.enable(None)


def test_nothing_is_shown_unless_turned_on() -> None:
    progress.enable(None)
    progress.tick("load", 1, 2)  # would raise if it tried to write anywhere


def test_short_stages_print_nothing(log: io.StringIO) -> None:
    for done in range(1, 101):
        progress.tick("render", done, 100)
    progress.finish()
    assert log.getvalue() == ""


def test_long_stages_print_lines_in_a_log(log: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "LOG_INTERVAL", 3600.0)
    for done in range(1, 5):
        progress.tick("write", done, 4)
    # The first tick starts the stage, the second is the first line, then only the last one.
    assert log.getvalue().splitlines() == ["write: 2/4 (50%) after 0s", "write: 4/4 (100%) after 0s"]


def test_generate_on_the_real_corpus_prints_only_its_stage_lines(project: Project, run_cli: CliRunner) -> None:
    result = run_cli("generate", "--root", str(project.root), cwd=Path(project.root))
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["validate", "render", "write"]
    assert lines[0].startswith("validate: 18 entities, 43 facts, 4 sources in ")


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
