"""Shared fixtures: the real repository, throwaway project copies, and the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from hypothesis import settings
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import Browser, sync_playwright

from generator.build import Project, build
from generator.model import Corpus
from generator.validate import load_corpus
from tests.browser import launch, serve
from tests.goldens import TEST_EPOCH
from tests.tiny_corpus import HAND_WRITTEN, copy_site_files  # noqa: F401  (HAND_WRITTEN is re-exported)

# Review dates are judged against one fixed day, so that no test depends on when it runs.
os.environ["SOURCE_DATE_EPOCH"] = TEST_EPOCH

# Under CI, the property tests draw the same examples every run, so that whether a change lands never depends on
# the draw; run locally, they draw new ones each time, and a failure prints the seed that repeats it.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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


def corpus_summary(facts: Path) -> str:
    """What validate prints of a facts/ folder ('18 entities, 43 facts, 4 sources'), counted here with
    a plain YAML reader: tests of a stage's report then hold for any corpus a pull request brings."""
    entities = sorted((facts / "entities").glob("*.yaml"))
    count = sum(len(yaml.safe_load(path.read_text(encoding="utf-8")).get("facts") or []) for path in entities)
    sources = [path for path in (facts / "sources").glob("*.yaml") if path.name != "index.yaml"]
    return f"{len(entities)} entities, {count} facts, {len(sources)} sources"


def copy_project(destination: Path, facts: Path | None = None) -> Project:
    """Lay out a self-contained project (facts, hand-written pages, mkdocs.yml) in a folder."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copytree(facts or REPO / "facts", destination / "facts")
    (destination / "content").mkdir()
    copy_site_files(destination)
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
            cwd=cwd,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    return run


@dataclass(frozen=True)
class BuiltSite:
    """The real project built once: the web site, the offline zip, and the zip unpacked."""

    project: Project
    site: Path
    bundle: Path
    offline: Path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """Build the real corpus, with its offline bundle, once for every reader-facing test."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    outcome = build(project, bundle=True)
    assert outcome.ok, "\n".join(p.location() + " " + p.message for p in outcome.problems)
    (bundle,) = (project.root / "dist").glob("*-offline.zip")
    unpacked = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(unpacked)
    (offline,) = unpacked.iterdir()
    return BuiltSite(project, project.site, bundle, offline)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, once per test session."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def web_url(built_site: BuiltSite) -> Iterator[str]:
    """The web build served over HTTP on 127.0.0.1, under site_url's path as it is published."""
    with (built_site.project.config).open("rb") as config:
        prefix = urlsplit(str(yaml_load(config)["site_url"])).path or "/"
    with serve(built_site.site, prefix) as url:
        yield url
