"""The pipeline: validate, generate Markdown, build the site with MkDocs, swap it in."""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from generator import collector, mkdocs_run, ownership, project_lock, site_files, stamp, write_worker, writer
from generator.bundle import build_bundle
from generator.export import iter_data
from generator.lifecycle import resolve_today
from generator.model import Corpus
from generator.postcheck import check_site, failed_check
from generator.problems import Problem, sort_problems
from generator.progress import Say
from generator.render import iter_site
from generator.validate import load_corpus
from generator.writer import Page, WriteResult

_Item = TypeVar("_Item")


@dataclass(frozen=True)
class Project:
    """Where a project's inputs and outputs live."""

    root: Path
    """The folder holding ``facts/``, ``content/`` and ``mkdocs.yml``."""
    today: dt.date | None = None
    """The day to judge staleness by; None means SOURCE_DATE_EPOCH, else the current date."""
    strict: bool = False
    """Warnings stop a run as errors do (``--strict``): nothing is written once one is found."""

    @property
    def facts(self) -> Path:
        """The YAML data."""
        return self.root / "facts"

    @property
    def content(self) -> Path:
        """MkDocs' docs_dir: hand-written and generated Markdown."""
        return self.root / "content"

    @property
    def config(self) -> Path:
        """The MkDocs configuration."""
        return self.root / "mkdocs.yml"

    @property
    def site(self) -> Path:
        """The built site."""
        return self.root / "site"


@dataclass
class Outcome:
    """Result of a pipeline run: problems found, and what was done."""

    problems: list[Problem] = field(default_factory=list)
    corpus: Corpus | None = None
    written: WriteResult | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no error was found."""
        return not any(p.severity == "error" for p in self.problems)

    def halts(self, project: Project) -> bool:
        """Whether the run must stop here, writing nothing more: an error, or any problem when strict."""
        return not self.ok or (project.strict and bool(self.problems))


def _quiet(_: str) -> None:
    return None


def validate(project: Project, say: Say = _quiet) -> Outcome:
    """Load and check every fact file."""
    start = time.perf_counter()
    corpus, problems = load_corpus(project.facts, project.root, project.today)
    outcome = Outcome(problems=problems, corpus=corpus)
    outcome.timings["validate"] = time.perf_counter() - start
    if corpus is not None:
        say(
            f"validate: {len(corpus.entities)} entities, {len(corpus.facts)} facts, "
            f"{len(corpus.sources)} sources in {outcome.timings['validate']:.2f}s"
        )
    return outcome


def iter_outputs(corpus: Corpus) -> Iterator[tuple[str, Page]]:
    """Every generated file, path under content/ and text: the Markdown pages, then the open data.

    The open-data files come in pieces, as the writer can take them: the facts in JSON and in CSV are the
    largest files it writes.
    """
    yield from iter_site(corpus)
    yield from iter_data(corpus)


def render_outputs(corpus: Corpus) -> dict[str, str]:
    """Every generated file as text, by path under content/."""
    return {name: _text(page) for name, page in iter_outputs(corpus)}


def _text(page: Page) -> str:
    if isinstance(page, str):
        return page
    pieces = [page] if isinstance(page, bytes) else page
    return b"".join(map(writer.utf8, pieces)).decode("utf-8")


class _Timed:
    """Pages from a renderer, counting them and the time spent producing them (the render time).

    A page that comes in pieces (the open data) is made as the writer reads it, so the time spent
    making each piece counts too: otherwise it would show up as writing.
    """

    def __init__(self, pages: Iterator[tuple[str, Page]], clock: Callable[[], float] = time.perf_counter) -> None:
        self.pages, self.seconds, self.count = pages, 0.0, 0
        self._clock = clock

    def __iter__(self) -> Iterator[tuple[str, Page]]:
        while True:
            page = self._next(self.pages)
            if page is None:
                return
            self.count += 1
            name, text = page
            yield (name, text) if isinstance(text, str | bytes) else (name, self._pieces(text))

    def _pieces(self, pieces: Iterator[str | bytes]) -> Iterator[str | bytes]:
        while (piece := self._next(pieces)) is not None:
            yield piece

    def _next(self, items: Iterator[_Item]) -> _Item | None:
        start = self._clock()
        item = next(items, None)
        self.seconds += self._clock() - start
        return item


def _locked(run: Callable[[], Outcome], project: Project, say: Say) -> Outcome:
    """Run with the project's lock held (``generator/project_lock.py``): one writing run at a time."""
    if not project.facts.is_dir():  # no project here: say so, and leave no lock file in a folder that is none
        return validate(project, say)
    try:
        with project_lock.exclusive(project.root, say):
            return run()
    except project_lock.LockError as exc:
        hint = f"remove {project_lock.LOCK_NAME}; the generator makes it again"
        return Outcome(problems=[Problem(project_lock.LOCK_NAME, 0, 0, str(exc), hint=hint)])


def generate(project: Project, say: Say = _quiet) -> Outcome:
    """Validate, render and write the generated Markdown; write nothing if anything is wrong."""
    return _locked(lambda: _generate(project, say), project, say)


def _generate(project: Project, say: Say) -> Outcome:
    start = time.perf_counter()
    day, _ = resolve_today(project.today)
    inputs, files = stamp.input_hash(project.facts, day.isoformat())
    previous = stamp.unchanged(project.root, project.content, inputs)
    if previous is not None:
        return _skipped(previous, files, time.perf_counter() - start, say)
    helper = write_worker.WriteWorker() if write_worker.wanted(files) else None  # before the corpus is loaded
    with ExitStack() as stack:
        if helper is not None:
            stack.callback(helper.close)
        stack.enter_context(collector.paused())  # the run makes almost no reference cycles: generator/collector.py
        outcome = validate(project, say)
        corpus = outcome.corpus
        if corpus is None or outcome.halts(project):
            return outcome
        _write(project, outcome, corpus, helper, say)
        if outcome.written is not None and not outcome.problems:
            counts = f"{len(corpus.entities)} entities, {len(corpus.facts)} facts, {len(corpus.sources)} sources"
            stamp.record(project.root, project.content, inputs, counts, outcome.written.stats)
    return outcome


def _write(
    project: Project, outcome: Outcome, corpus: Corpus, helper: write_worker.WriteWorker | None, say: Say
) -> None:
    """Render every page and stage it (in the helper process if there is one), then move them all in."""
    start = time.perf_counter()
    linked = ownership.linked_folder(project.content)
    if linked is not None:
        outcome.problems.append(linked)
        return
    staged = writer.begin(project.content)
    rendered = _Timed(iter_outputs(corpus))
    try:
        if helper is None:
            writer.stage(staged, rendered)
        else:
            helper.stage(staged, rendered)
    except BaseException:  # an interrupted render leaves content/ as it was
        if helper is not None:
            helper.close()  # no file is staged after this
        writer.discard(staged)
        raise
    if staged.problems:
        writer.discard(staged)
        outcome.problems.extend(sort_problems(staged.problems))
        return
    outcome.written = writer.commit(staged)
    outcome.problems += [ownership.kept(name) for name in outcome.written.kept]
    outcome.timings["render"] = rendered.seconds
    outcome.timings["write"] = time.perf_counter() - start - rendered.seconds
    say(f"render: {rendered.count} pages in {outcome.timings['render']:.2f}s")
    say(
        f"write: {len(outcome.written.written)} written, {outcome.written.unchanged} unchanged, "
        f"{len(outcome.written.removed)} removed in {outcome.timings['write']:.2f}s"
    )


def _skipped(previous: stamp.Stamp, files: int, seconds: float, say: Say) -> Outcome:
    """The outcome of a generate whose inputs and outputs are as the last clean run left them."""
    pages = len(previous.outputs) - 2  # the manifest and content/.gitignore are not pages
    outcome = Outcome(written=WriteResult(unchanged=pages), timings={"unchanged": seconds})
    say(f"validate: skipped, nothing changed since the last clean run ({previous.summary})")
    say(f"render: skipped; {files} fact files hashed in {seconds:.2f}s")
    say(f"write: 0 written, {pages} unchanged, 0 removed in 0.00s")
    return outcome


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name or not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return int(result) == 0


def swap_in(built: Path, target: Path) -> None:
    """Put ``built`` in ``target``'s place, so that ``target`` is always a complete site. The old ``target`` is left
    in ``built``'s place, or beside it where the system cannot swap the two in one step: in the staging folder that
    holds ``built``, which the caller removes."""
    if target.exists() and _exchange(built, target):
        return
    if target.exists():
        os.rename(target, built.with_name(f"{target.name}.old"))
    os.rename(built, target)


def mkdocs_build(
    project: Project, destination: Path, *, config: Path | None = None, label: str = "mkdocs"
) -> subprocess.CompletedProcess[str]:
    """Run the real ``mkdocs build --strict`` into a destination folder (progress shown as ``label``)."""
    arguments = [
        "build",
        "--strict",  # no --quiet: it hides warnings from the counter that makes --strict fail the build
        "-f",
        str(config or project.config),
        "-d",
        str(destination),
    ]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return mkdocs_run.run(arguments, cwd=project.root, env=env, docs=project.content, label=label)


STAGING_PATTERNS = (".site-build-*",)
"""Folders ``build`` makes beside ``site/``; one left by a killed build is removed by the next, if it holds the
mark (``ownership.STAGING_MARK``)."""


def remove_leftovers(root: Path) -> list[str]:
    """Remove staging folders, and the stamp's temporary file, that an interrupted build left in the project root."""
    removed = []
    for pattern in STAGING_PATTERNS:
        for folder in sorted(root.glob(pattern)):
            if ownership.is_staging(folder):  # not a folder that only has the name
                ownership.remove_staging_folder(folder)
                removed.append(folder.name)
    for temp in sorted(root.glob(f".{stamp.STAMP}.*.tmp")):  # writer.atomic_write's
        if temp.is_file() and not temp.is_symlink():
            temp.unlink()
            removed.append(temp.name)
    return removed


def mkdocs_problems(project: Project, result: subprocess.CompletedProcess[str]) -> list[Problem]:
    """One problem per warning or error MkDocs logged (one line each, so output stays file:line:col)."""
    lines = result.stderr.strip().splitlines()
    logged = [" ".join(line.split()) for line in lines if line.startswith(("WARNING", "ERROR"))]
    if not logged:  # a crash rather than a finding: show its last lines
        logged = [" | ".join(line.strip() for line in lines[-5:]) or f"exit code {result.returncode}"]
    return [_located(project, f"mkdocs build failed: {line}") for line in logged]


_DOC_LINK = re.compile(r"Doc file '([^']+)' contains (?:a|an unrecognized relative) link '([^']+)'")


def _located(project: Project, message: str) -> Problem:
    """A problem at the link a hand-written page holds, when MkDocs names both; else at mkdocs.yml."""
    found = _DOC_LINK.search(message)
    page = (project.content / found.group(1)).resolve() if found else None
    if found and page is not None and page.is_relative_to(project.content.resolve()) and page.is_file():
        link = re.compile(rf"\]\({re.escape(found.group(2))}[)\s]")
        for number, line in enumerate(page.read_text(encoding="utf-8", errors="replace").split("\n"), start=1):
            if at := link.search(line):
                return Problem(f"content/{found.group(1)}", number, at.start() + 3, message)
    return Problem(project.config.name, 0, 0, message)


def build(project: Project, say: Say = _quiet, *, bundle: bool = False) -> Outcome:
    """Validate, generate and build ``site/``, and with ``bundle`` the offline zip in ``dist/``."""
    return _locked(lambda: _build(project, say, bundle), project, say)


def _build(project: Project, say: Say, bundle: bool) -> Outcome:
    outcome = generate(project, say)
    if outcome.halts(project):
        return outcome
    linked = map(ownership.linked_folder, (project.site, project.root / "dist"))  # where it writes besides content/
    outcome.problems += [problem for problem in linked if problem is not None]
    strays = ownership.strays(project.content) + ownership.links(project.root / "overrides", "overrides")
    shown = {problem.file for problem in strays}  # a kept page's warning is this error's now
    outcome.problems = [p for p in outcome.problems if p.severity == "error" or p.file not in shown] + strays
    if outcome.halts(project):
        return outcome
    start = time.perf_counter()
    project.root.mkdir(parents=True, exist_ok=True)
    remove_leftovers(project.root)
    staging = ownership.make_staging(project.root, ".site-build-")
    built = staging / "site"  # apart from the mark, which stays behind when it becomes site/
    built.mkdir()
    os.chmod(built, 0o755)  # a web server running as another user must read site/
    try:
        result = mkdocs_build(project, built)
        if result.returncode != 0:
            outcome.problems.extend(mkdocs_problems(project, result))
            return outcome
        checked = time.perf_counter()
        unsafe = check_site(built, content=project.content, scripts=site_files.scripts_of(project.config))
        outcome.problems.extend(unsafe)
        outcome.timings["postcheck"] = time.perf_counter() - checked
        if unsafe:
            say(failed_check(unsafe, "site/ was left as it was"))
        if outcome.halts(project):
            return outcome
        swap_in(built, project.site)
    finally:
        if staging.exists():
            ownership.remove_staging_folder(staging, ignore_errors=True)
    outcome.timings["mkdocs"] = time.perf_counter() - start
    say(
        f"mkdocs: built site/ in {outcome.timings['mkdocs']:.2f}s "
        f"(post-build check {outcome.timings['postcheck']:.2f}s)"
    )
    if bundle:
        start = time.perf_counter()
        outcome.problems.extend(build_bundle(project, mkdocs_build, say))
        outcome.timings["bundle"] = time.perf_counter() - start
    return outcome
