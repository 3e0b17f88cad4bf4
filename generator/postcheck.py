"""Post-build check: every page of a built site, its search index and its other files.

Escaping is the first defence; this is the second. Each HTML page of a staged build is read by
``generator.html_check``, and so is each entry of the search index, whose text the theme inserts as
HTML; ``generator.site_files`` checks the files that are no page (stylesheets, scripts, other
documents). A large site is shared among worker processes.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator import filecheck, progress, site_files
from generator.html_check import check_html
from generator.ownership import read_manifest
from generator.problems import Problem
from generator.site_files import hand_written_source


def _search_index_docs(path: Path) -> list[Any]:
    """The entries of a built site's search index; none if it is missing or not the theme's format."""
    try:
        docs = json.loads(path.read_text(encoding="utf-8")).get("docs", [])
    except (OSError, ValueError, AttributeError, RecursionError):
        return []
    return docs if isinstance(docs, list) else []


def _search_index_findings(docs: list[Any]) -> Iterator[tuple[str, str]]:
    """The theme renders search results' titles and text as HTML: check them as fragments."""
    for doc in docs:
        for key in ("title", "text"):
            fragment = doc.get(key, "") if isinstance(doc, dict) else ""
            for _, _, message in check_html(str(fragment), "search/index.html"):
                yield f"{message} (search entry '{doc.get('location', '')}', {key})", fragment


Finding = tuple[str, int, int, str]
"""A problem as a worker reports it: the file under the site folder, line, column and message."""
SEARCH_INDEX = "search/search_index.json"
BATCH = 50
"""Pages, or hundreds of search entries, a worker checks per task."""
PARALLEL_FROM = 500
"""Fewer pages than this are checked in this process: starting workers would cost more than it saves."""


def _check_pages(site: Path, names: list[str]) -> list[Finding]:
    findings = []
    for name in names:
        text = (site / name).read_text(encoding="utf-8", errors="replace")
        findings += [(name, line, column, message) for line, column, message in check_html(text, name)]
    return findings


def _check_entries(docs: list[Any]) -> list[Finding]:
    return [(SEARCH_INDEX, 1, 1, message) for message, _ in _search_index_findings(docs)]


def _run(task: tuple[Path, list[str]] | list[Any]) -> tuple[int, list[Finding]]:
    """Check one task: a batch of pages, or a slice of the search index. Returns how many pages it held."""
    if isinstance(task, tuple):
        return len(task[1]), _check_pages(*task)
    return 0, _check_entries(task)


def _results(tasks: list[Any], pages: int, jobs: int) -> Iterator[tuple[int, list[Finding]]]:
    """Each task's result, in order: on ``jobs`` worker processes when there are enough pages to share."""
    if jobs < 2 or pages < PARALLEL_FROM:
        yield from map(_run, tasks)
        return
    pool = multiprocessing.get_context(filecheck.start_method()).Pool(jobs)
    finished = False
    try:
        yield from pool.imap(_run, tasks)
        finished = True
    finally:
        if finished:
            pool.close()  # let the workers exit on their own, as generator/filecheck.py does
        else:
            pool.terminate()
        pool.join()


def check_site(
    site: Path,
    shown_as: str = "site",
    jobs: int | None = None,
    content: Path | None = None,
    scripts: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Check every HTML page of a built site, its search index and its other files (``generator.site_files``, with
    ``scripts`` the ones the configuration names); return one Problem per finding.

    A large site is shared among ``jobs`` worker processes (by default, one per core). With
    ``content``, a finding in a file that comes from a hand-written one names that file.
    """
    files = list(site_files.files(site))  # one walk of the site, for the pages and the other files
    names = sorted(name for name in files if name.endswith(".html"))
    docs = _search_index_docs(site / SEARCH_INDEX)
    tasks: list[Any] = [(site, names[start : start + BATCH]) for start in range(0, len(names), BATCH)]
    entries = [docs[start : start + 100 * BATCH] for start in range(0, len(docs), 100 * BATCH)]
    page_findings: list[Finding] = []
    index_findings: list[Finding] = []
    done = 0
    # The search index goes first, so the pages' counter runs to the end of the check.
    for pages, findings in _results(entries + tasks, len(names), filecheck.workers() if jobs is None else jobs):
        if not pages:
            index_findings += findings
            continue
        page_findings += findings
        done += pages
        progress.tick("post-build check", done, len(names))
    page_findings += site_files.check_files(site, files, scripts)
    generated = read_manifest(content) if content else set()
    sources = {name: hand_written_source(name, content, generated) if content else "" for name, *_ in page_findings}
    problems = [
        Problem(f"{shown_as}/{name}", line, column, text, hint=f"{_HOW[name.endswith('.html')]} {sources[name]}")
        if sources.get(name)
        else Problem(f"{shown_as}/{name}", line, column, text)
        for name, line, column, text in page_findings + index_findings
    ]
    return problems


_HOW = {True: "the page is built from", False: "the file is a copy of"}


def failed_check(problems: list[Problem], kept: str) -> str:
    """The line that closes a failed check's findings: how many files, and what was left as it was."""
    files = len({problem.file for problem in problems})
    return (
        f"post-build check: {files} file{'s' if files != 1 else ''} failed; {kept}. Remove the markup from the "
        "hand-written file; if it came from a fact value, report an escaping bug."
    )
