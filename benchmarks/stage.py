"""Run one pipeline stage in this (fresh) process and print its time and peak memory as JSON.

Usage: ``python -m benchmarks.stage STAGE PROJECT_ROOT``. Each stage runs in its own
process so that one stage's memory never counts towards another's.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from generator import build as pipeline
from generator.loader import load_file
from generator.render import render_site
from generator.validate import load_corpus
from generator.writer import write_pages

STAGES = ("parse", "validate", "render", "write", "generate")


def _rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(stage: str, root: Path) -> dict[str, Any]:
    """Run one stage on a project and return its measurements."""
    project = pipeline.Project(root)
    facts = project.facts
    result: dict[str, Any] = {"stage": stage, "rss_before_mb": _rss_mb()}
    if stage == "parse":
        files = sorted(p for p in facts.rglob("*.yaml") if p.is_file())
        start = time.perf_counter()
        for path in files:
            load_file(path)
        result["seconds"] = time.perf_counter() - start
        result["files"] = len(files)
    elif stage == "validate":
        start = time.perf_counter()
        corpus, problems = load_corpus(facts, root)
        result["seconds"] = time.perf_counter() - start
        result["problems"] = len(problems)
        result["facts"] = len(corpus.facts) if corpus else 0
    elif stage in ("render", "write"):
        corpus, problems = load_corpus(facts, root)
        if corpus is None:
            raise SystemExit(f"synthetic corpus is invalid: {problems[:3]}")
        result["rss_before_mb"] = _rss_mb()
        start = time.perf_counter()
        pages = render_site(corpus)
        result["seconds"] = time.perf_counter() - start
        result["pages"] = len(pages)
        if stage == "write":
            result["rss_before_mb"] = _rss_mb()
            start = time.perf_counter()
            written = write_pages(root / "content-write-stage", pages)
            result["seconds"] = time.perf_counter() - start
            result["written"] = len(written.written)
    elif stage == "generate":
        start = time.perf_counter()
        outcome = pipeline.generate(project)
        result["seconds"] = time.perf_counter() - start
        result["problems"] = [p.message for p in outcome.problems[:5]]
        result["written"] = sorted(outcome.written.written) if outcome.written else []
        result["timings"] = outcome.timings
    else:
        raise SystemExit(f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")
    result["peak_mb"] = _rss_mb()
    return result


def main() -> None:
    """Entry point: ``python -m benchmarks.stage STAGE ROOT``."""
    stage, root = sys.argv[1], Path(sys.argv[2])
    print(json.dumps(run(stage, root)))


if __name__ == "__main__":
    main()
