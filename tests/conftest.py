"""Shared fixtures: the real repository, throwaway project copies, and the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import Project
from generator.model import Corpus
from generator.validate import load_corpus

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HAND_WRITTEN = ("index.md", "about.md", "tags.md")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository checkout the tests run in."""
    return REPO


@pytest.fixture(scope="session")
def real_corpus() -> Corpus:
    """The real facts/ tree, loaded once with the one strict loader."""
    corpus, problems = load_corpus(REPO / "facts", REPO)
    assert corpus is not None, "\n".join(p.location() + " " + p.message for p in problems)
    return corpus


def copy_project(destination: Path, facts: Path | None = None) -> Project:
    """Lay out a self-contained project (facts, hand-written pages, mkdocs.yml) in a folder."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(facts or REPO / "facts", destination / "facts")
    (destination / "content").mkdir()
    for name in HAND_WRITTEN:
        shutil.copy2(REPO / "content" / name, destination / "content" / name)
    shutil.copy2(REPO / "mkdocs.yml", destination / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", destination / "overrides")
    return Project(destination)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A writable copy of the real project in a temporary folder."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def mini_project(tmp_path: Path) -> Project:
    """A writable copy of the small fixture corpus, with the real hand-written pages."""
    return copy_project(tmp_path / "mini", FIXTURES / "mini" / "facts")


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli() -> CliRunner:
    """Run ``python -m generator`` for real, as a contributor would."""

    def run(*args: str, cwd: Path, check: bool = False) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=cwd, capture_output=True, text=True, env=env, check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    return run
