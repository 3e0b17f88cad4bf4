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
from generator.validate import load_corpus
from generator.writer import write_pages

STAGES = ("parse", "validate", "render", "write", "generate")


def _rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB).

    Worker processes are not included: the benchmark samples the memory of the whole process
    tree from outside (``benchmarks/memory.py``), since a sampling thread in here would make
    the pipeline do its work in one process.
    """
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _largest_worker_mb() -> float:
    """Peak resident memory of the largest finished worker process, in MiB (shared pages included)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Timer:
    """Wall-clock and CPU seconds of one timed region (CPU of every process that worked on it)."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, _cpu() - self.cpu


def run(stage: str, root: Path) -> dict[str, Any]:
    """Run one stage on a project and return its measurements."""
    project = pipeline.Project(root)
    facts = project.facts
    result: dict[str, Any] = {"stage": stage, "rss_before_mb": _rss_mb()}
    timer = Timer()
    if stage == "parse":
        files = sorted(p for p in facts.rglob("*.yaml") if p.is_file())
        with timer:
            for path in files:
                load_file(path)
        result["files"] = len(files)
    elif stage == "validate":
        with timer:
            corpus, problems = load_corpus(facts, root)
        result["problems"] = len(problems)
        result["facts"] = len(corpus.facts) if corpus else 0
    elif stage in ("render", "write"):
        corpus, problems = load_corpus(facts, root)
        if corpus is None:
            raise SystemExit(f"synthetic corpus is invalid: {problems[:3]}")
        result["rss_before_mb"] = _rss_mb()
        with timer:
            pages = pipeline.render_outputs(corpus)  # the pages and the open data
        result["pages"] = len(pages)
        if stage == "write":
            result["rss_before_mb"] = _rss_mb()
            with timer:
                written = write_pages(root / "content-write-stage", pages)
            result["written"] = len(written.written)
    elif stage == "generate":
        with timer:
            outcome = pipeline.generate(project)
        result["problems"] = [p.message for p in outcome.problems[:5]]
        names = sorted(outcome.written.written) if outcome.written else []
        result["written_count"] = len(names)
        result["written"] = names[:200]  # a cold run writes every page; only small lists are worth showing
        result["timings"] = outcome.timings
    else:
        raise SystemExit(f"unknown stage {stage!r}; expected one of {', '.join(STAGES)}")
    result["seconds"], result["cpu_seconds"] = timer.wall, timer.cpu
    result["own_peak_mb"] = result["peak_mb"] = _rss_mb()
    result["largest_worker_mb"] = _largest_worker_mb()
    return result


def main() -> None:
    """Entry point: ``python -m benchmarks.stage STAGE ROOT``."""
    stage, root = sys.argv[1], Path(sys.argv[2])
    print(json.dumps(run(stage, root)))


if __name__ == "__main__":
    main()
