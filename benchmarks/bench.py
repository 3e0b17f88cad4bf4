"""`make bench`: time and measure every stage of the pipeline on synthetic corpora of growing size.

Writes ``BENCHMARKS.md`` and ends with one summary line::

    bench: parse_ratio=X scaling=Y noop_writes=Z peak_mb=W incremental_writes=V
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.corpus import Summary, write_corpus
from benchmarks.memory import wait_sampling
from benchmarks.report import write_report
from generator import stamp

REPO = Path(__file__).resolve().parent.parent
HAND_WRITTEN = (
    "index.md", "about.md", "data.md", "tags.md",
    "stylesheets/accessibility.css", "stylesheets/print.css",
    "assets/javascripts/accessibility.js", "assets/javascripts/permalinks.js",
    "assets/licenses/mkdocs-material.txt", "assets/licenses/iframe-worker.txt",
)  # fmt: skip
"""The files under content/ that are not generated, which every copy of the project needs to build (the tests use
this list too, and check it against the files git tracks there)."""
FULL_SCALES = (100, 1000, 10000)
QUICK_SCALES = (5, 20)
FULL_MKDOCS = (100, 1000)
QUICK_MKDOCS = (5,)
FULL_REPEATS = 3
QUICK_REPEATS = 2
"""Runs of each stage in the summary line (strict parse, cold generate); the median run is reported.
Quick mode runs them twice, so the tests cover the reset between cold runs."""
REPEATED = ("parse", "generate")
"""The stages of the summary line. They run in rounds that visit every scale in turn, after the
other stages have run at every scale, so that each ratio compares runs spread over the same
stretch of time."""
LIBRARIES = ("PyYAML", "jsonschema", "fastjsonschema", "Jinja2", "MarkupSafe", "Markdown", "mkdocs", "mkdocs-material")


@dataclass
class ScaleResult:
    """Everything measured at one corpus size."""

    corpus: Summary
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    noop: dict[str, Any] = field(default_factory=dict)
    incremental: dict[str, Any] = field(default_factory=dict)
    showing_edited_fact: list[str] = field(default_factory=list)
    mkdocs: dict[str, dict[str, Any]] = field(default_factory=dict)


def say(message: str) -> None:
    """Progress on stderr, so stdout keeps the report lines."""
    print(message, file=sys.stderr, flush=True)


def machine() -> dict[str, str]:
    """Describe the machine and the library versions the numbers were taken with."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        total_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
        memory = f"{total_kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown"
    import yaml

    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "Memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "libyaml": "yes" if getattr(yaml, "__with_libyaml__", False) else "no",
        "Libraries": ", ".join(versions),
    }


def run_stage(stage: str, root: Path) -> dict[str, Any]:
    """Run one stage in a fresh interpreter and return its JSON measurements."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    os.sync()  # the previous stage's (or the corpus's) writes are not this stage's cost
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.stage", stage, str(root)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    stdout, stderr, tree_mb = wait_sampling(process)
    if process.returncode != 0:
        raise RuntimeError(f"stage {stage} failed:\n{stderr[-3000:]}")
    data: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    data["tree_pss_mb"] = tree_mb
    # The peak of the process and its workers together; never below the process's own peak.
    data["peak_mb"] = max(tree_mb, data["own_peak_mb"])
    return data


def make_project(root: Path, entities: int) -> Summary:
    """Lay out a synthetic project: facts, the real hand-written pages and mkdocs.yml."""
    summary = write_corpus(root, entities)
    copy_site_files(root)
    return summary


def copy_site_files(root: Path) -> None:
    """Copy what MkDocs needs besides the generated pages: hand-written pages, assets, overrides, mkdocs.yml."""
    for name in HAND_WRITTEN:
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "content" / name, root / "content" / name)
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")


def edit_fact(root: Path, summary: Summary) -> str:
    """Change the text of one fact in place; return the new text."""
    path = root / summary.edited_file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"  - id: {summary.edited_fact}\n")
    new_text = "This fact was edited by the benchmark to measure an incremental run."
    for number in range(start + 1, len(lines)):
        if lines[number].startswith("    text: "):
            lines[number] = f"    text: {json.dumps(new_text)}\n"
            break
    path.write_text("".join(lines), encoding="utf-8")
    return new_text


def pages_showing(content: Path, fact_id: str) -> list[str]:
    """Generated files that show a fact: its anchor or a link to it (pages), or its id (the data exports).

    The hidden links by which a split profile's pages forward an address of a fact on another of its
    pages (``.fact-moved``) name the fact without showing it, and do not count.
    """
    anchor = re.compile(rf"^(?!.*\.fact-moved).*#fact-{re.escape(fact_id)}(?![a-z0-9-])", re.MULTILINE)
    exported = re.compile(rf"(?<![a-z0-9-]){re.escape(fact_id)}(?![a-z0-9-])")
    found = []
    for path in sorted(p for p in content.rglob("*") if p.suffix in (".md", ".csv", ".json")):
        pattern = anchor if path.suffix == ".md" else exported
        if pattern.search(path.read_text(encoding="utf-8")):
            found.append(path.relative_to(content).as_posix())
    return found


def mkdocs_sizes(root: Path, *, prune: bool) -> dict[str, Any]:
    """Run the real MkDocs build, with or without navigation.prune, and measure the HTML per page."""
    from generator.build import Project, mkdocs_build

    config = root / "mkdocs.yml"
    if not prune:
        config = root / "mkdocs-no-prune.yml"
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        config.write_text(text.replace("    - navigation.prune\n", ""), encoding="utf-8")
    destination = root / ("site-prune" if prune else "site-no-prune")
    start = time.perf_counter()
    result = mkdocs_build(Project(root), destination, config=config)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stderr[-3000:]}")
    sizes = {
        path.relative_to(destination).as_posix(): path.stat().st_size
        for path in destination.rglob("*.html")
        if path.name != "404.html"
    }
    largest = max(sizes, key=lambda name: sizes[name])
    over = sorted(name for name, size in sizes.items() if size > 80 * 1024)
    shutil.rmtree(destination)
    return {
        "seconds": seconds,
        "pages": len(sizes),
        "mean_kb": sum(sizes.values()) / len(sizes) / 1024,
        "max_kb": sizes[largest] / 1024,
        "largest": largest,
        "over_80kb": over,
    }


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median time, with every run's seconds and the highest peak memory of them all."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["runs"] = [run["seconds"] for run in runs]
    chosen["peak_mb"] = max(run["peak_mb"] for run in runs)
    return chosen


def cold(root: Path, pristine: Path, number: int) -> None:
    """Put back the project's hand-written ``content/`` and drop the stamp: the next ``generate`` starts cold.

    The generated ``content/`` is moved aside, not deleted: deleting 47,000 files (and the disk's
    discards that follow) would still be going on while the next run writes its own.
    """
    (root / "content").rename(root.parent / f"{root.name}-run-{number}")
    shutil.copytree(pristine, root / "content", symlinks=True)
    (root / stamp.STAMP).unlink(missing_ok=True)


@dataclass
class Scale:
    """One synthetic project while it is measured: where it is, and every run of the repeated stages."""

    root: Path
    pristine: Path
    """A copy of its hand-written ``content/``, put back before each cold ``generate``."""
    result: ScaleResult
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def first_pass(workdir: Path, entities: int) -> Scale:
    """Lay out a project of one size and run the stages that are not repeated on it, once each."""
    root = workdir / f"corpus-{entities}"
    summary = make_project(root, entities)
    pristine = workdir / f"content-{entities}"
    shutil.copytree(root / "content", pristine, symlinks=True)
    say(f"bench: {entities} entities, {summary.facts} facts, {summary.sources} sources, {summary.files} files")
    scale = Scale(root, pristine, ScaleResult(summary), {stage: [] for stage in REPEATED})
    for stage in ("validate", "render", "write"):  # write stages into a folder of its own, not content/
        run = run_stage(stage, root)
        scale.result.stages[stage] = median_run([run])
        say(f"bench:   {stage}: {run['seconds']:.2f}s, peak {run['peak_mb']:.0f} MiB")
    if scale.result.stages["validate"]["problems"]:
        raise RuntimeError(f"the synthetic corpus has {scale.result.stages['validate']['problems']} problems")
    return scale


def repeat_rounds(scales: dict[int, Scale], repeats: int) -> None:
    """Run strict parse and a cold ``generate`` at every size in turn, ``repeats`` times over.

    The machine's speed drifts by up to a fifth within a run of the benchmark. Measuring one size
    after another let that drift into the ratio between two sizes; rounds over all sizes spread each
    size's runs over the same stretch of time, and the median run of each is reported.
    """
    for number in range(repeats):
        for entities, scale in scales.items():
            scale.runs["parse"].append(run_stage("parse", scale.root))
            if number:
                cold(scale.root, scale.pristine, number)  # the previous generate's pages go aside
            scale.runs["generate"].append(run_stage("generate", scale.root))
            shown = ", ".join(f"{stage} {scale.runs[stage][-1]['seconds']:.2f}s" for stage in REPEATED)
            peak = max(scale.runs[stage][-1]["peak_mb"] for stage in REPEATED)
            say(f"bench: round {number + 1}, {entities} entities: {shown}, peak {peak:.0f} MiB")
    for scale in scales.values():
        for stage in REPEATED:
            scale.result.stages[stage] = median_run(scale.runs[stage])


def last_pass(scale: Scale, *, mkdocs: bool) -> ScaleResult:
    """After the last cold ``generate`` of a size: the no-op and incremental runs, then MkDocs."""
    root, result = scale.root, scale.result
    say(f"bench: {result.corpus.entities} entities, after the rounds")
    result.noop = run_stage("generate", root)
    say(f"bench:   no-op generate: {result.noop['seconds']:.2f}s, {result.noop['written_count']} written")
    edit_fact(root, result.corpus)
    result.incremental = run_stage("generate", root)
    result.showing_edited_fact = pages_showing(root / "content", result.corpus.edited_fact)
    say(
        f"bench:   incremental generate: {result.incremental['seconds']:.2f}s, "
        f"{result.incremental['written_count']} written; {len(result.showing_edited_fact)} pages show the fact"
    )
    if mkdocs:
        for prune in (True, False):
            label = "prune" if prune else "no-prune"
            result.mkdocs[label] = mkdocs_sizes(root, prune=prune)
            say(f"bench:   mkdocs ({label}): {result.mkdocs[label]['seconds']:.1f}s")
    return result


STAGE_TIME = re.compile(r"^(validate|render|write): .* in (\d+\.\d+)s$", re.M)
"""The lines ``build`` prints for its in-process generation stages, with their seconds."""


def real_corpus(workdir: Path) -> dict[str, float]:
    """Time `generate` and the whole `build` (what `make site` runs after set-up) on copies of the real project.

    ``generation`` is the sum of the validate, render and write times that ``build`` itself prints;
    ``share`` is that sum over the wall time of the whole ``build`` command.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    seconds: dict[str, float] = {}
    for command in ("generate", "build"):
        root = workdir / f"real-{command}"
        shutil.copytree(REPO / "facts", root / "facts")
        copy_site_files(root)
        shutil.copy2(REPO / "mkdocs.offline.yml", root / "mkdocs.offline.yml")  # `make site` builds the bundle too
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "generator", command, "--root", str(root)],
            cwd=REPO, capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        seconds[command] = time.perf_counter() - start
        if result.returncode != 0:
            raise RuntimeError(f"{command} of the real corpus failed:\n{result.stderr[-3000:]}")
        if command == "build":
            seconds["generation"] = sum(float(m.group(2)) for m in STAGE_TIME.finditer(result.stderr))
    say(
        f"bench: real corpus: generate {seconds['generate']:.2f}s, build {seconds['build']:.2f}s, "
        f"of which generation {seconds['generation']:.2f}s"
    )
    return {**seconds, "share": seconds["generation"] / seconds["build"]}


def _load_scale(data: dict[str, Any]) -> ScaleResult:
    return ScaleResult(**{**data, "corpus": Summary(**data["corpus"])})


def summary_line(results: dict[int, ScaleResult]) -> str:
    """The one closing line, computed from the two largest scales."""
    scales = sorted(results)
    largest, previous = results[scales[-1]], results[scales[-2]]
    generate = largest.stages["generate"]["seconds"]
    ratio = generate / largest.stages["parse"]["seconds"]
    scaling = generate / previous.stages["generate"]["seconds"]
    return (
        f"bench: parse_ratio={ratio:.2f} scaling={scaling:.2f} noop_writes={largest.noop['written_count']} "
        f"peak_mb={largest.stages['generate']['peak_mb']:.0f} incremental_writes={largest.incremental['written_count']}"
    )


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write the report."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny scales, for the tests: correctness, not speed")
    parser.add_argument("--output", type=Path, help="where to write the report (default BENCHMARKS.md; none if quick)")
    parser.add_argument("--workdir", type=Path, help="keep the synthetic projects here instead of a temp folder")
    parser.add_argument("--json", type=Path, help="also save the raw measurements here")
    parser.add_argument("--from-json", type=Path, help="only rewrite the report from saved measurements")
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        results = {int(n): _load_scale(data) for n, data in saved["results"].items()}
        line = summary_line(results)
        write_report(args.output or REPO / "BENCHMARKS.md", saved["machine"], results, line,
                     real=saved["real"], quick=saved["quick"])  # fmt: skip
        print(line)
        return
    scales = QUICK_SCALES if args.quick else FULL_SCALES
    with_mkdocs = QUICK_MKDOCS if args.quick else FULL_MKDOCS
    output = args.output or (None if args.quick else REPO / "BENCHMARKS.md")
    temp = None if args.workdir else tempfile.TemporaryDirectory(prefix="bench-")
    workdir = args.workdir or Path(temp.name if temp else ".")
    try:
        repeats = QUICK_REPEATS if args.quick else FULL_REPEATS
        measured = {n: first_pass(workdir, n) for n in scales}
        repeat_rounds(measured, repeats)
        results = {n: last_pass(measured[n], mkdocs=n in with_mkdocs) for n in scales}
        real = None if args.quick else real_corpus(workdir)
        line = summary_line(results)
        if args.json:
            saved = {"machine": machine(), "real": real, "quick": args.quick,
                     "results": {n: asdict(r) for n, r in results.items()}}  # fmt: skip
            args.json.write_text(json.dumps(saved, indent=1), encoding="utf-8")
        if output is not None:
            write_report(output, machine(), results, line, real=real, quick=args.quick)
            say(f"bench: wrote {output}")
    finally:
        if temp is not None:
            temp.cleanup()
    print(line)


if __name__ == "__main__":
    main()
