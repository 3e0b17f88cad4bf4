"""The benchmark's --quick mode: correctness of what it measures, never its times."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from benchmarks.corpus import write_corpus
from benchmarks.memory import wait_sampling
from generator.validate import load_corpus

REPO = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(
    r"^bench: parse_ratio=(?P<parse_ratio>\d+\.\d\d) scaling=(?P<scaling>\d+\.\d\d) "
    r"noop_writes=(?P<noop_writes>\d+) peak_mb=(?P<peak_mb>\d+) incremental_writes=(?P<incremental_writes>\d+)$"
)


def test_synthetic_corpus_validates_without_problems(tmp_path: Path) -> None:
    summary = write_corpus(tmp_path, 12)
    corpus, problems = load_corpus(tmp_path / "facts", tmp_path)
    assert problems == []
    assert corpus is not None
    assert len(corpus.entities) == 12
    assert len(corpus.facts) == summary.facts == 240
    assert len(corpus.sources) == summary.sources == 24
    assert any(c.passage for f in corpus.facts for c in f.citations)


def test_synthetic_corpus_is_deterministic(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", 6)
    write_corpus(tmp_path / "b", 6)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)


def test_quick_bench_prints_the_summary_and_writes_the_report(tmp_path: Path) -> None:
    report = tmp_path / "BENCHMARKS.md"
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench", "--quick", "--output", str(report), "--workdir", str(tmp_path),
         "--json", str(tmp_path / "bench.json")],
        cwd=REPO, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    match = SUMMARY.match(lines[-1])
    assert match, lines[-1]
    values = {key: float(value) for key, value in match.groupdict().items()}
    assert values["parse_ratio"] > 0 and values["scaling"] > 0 and values["peak_mb"] > 0
    assert values["noop_writes"] == 0
    text = report.read_text(encoding="utf-8")
    # The incremental run rewrites exactly the pages that show the edited fact, and nothing else.
    row = next(line for line in text.splitlines() if line.startswith("| 20 | 0 | "))
    written, showing = row.split(" | ")[2:4]
    assert written == showing.rstrip(" |")
    assert written.startswith(f"{int(values['incremental_writes'])}: ")
    assert values["incremental_writes"] >= 2
    assert lines[-1] in text
    assert "## Machine" in text and "| Cores |" in text
    assert "| 20 | 400 | 40 |" in text
    assert "| 5 | on |" in text and "| 5 | off |" in text
    # Strict parse and the cold generate run twice in quick mode; every generate run starts cold.
    saved = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    for scale in saved["results"].values():
        assert [len(scale["stages"][stage]["runs"]) for stage in ("parse", "validate", "generate")] == [2, 1, 2]
        generate = scale["stages"]["generate"]
        # every file the render stage made (the pages and the open data) and content/.gitignore:
        # nothing was left from the run before
        assert generate["written_count"] == scale["stages"]["render"]["pages"] + 1
        assert generate["seconds"] == min(generate["runs"])
    # The runs of the summary stages come in rounds over every scale, after the other stages ran at every scale.
    steps = re.findall(r"^bench: (?:(\d+) entities, \d+ facts|round (\d+), (\d+) entities:)", result.stderr, re.M)
    assert steps == [("5", "", ""), ("20", "", ""), ("", "1", "5"), ("", "1", "20"), ("", "2", "5"), ("", "2", "20")]
    generate_rows = [line for line in text.splitlines() if "| generate (validate + render + write) |" in line]
    assert len(generate_rows) == 2 and all(re.search(r"\| \d+\.\d\d, \d+\.\d\d \|$", row) for row in generate_rows)


def test_the_memory_sampler_counts_a_worker_process(tmp_path: Path) -> None:
    # A parent that starts a child; the child holds 200 MiB of its own. The sampled peak of the
    # tree must include it, although the parent's own peak stays small.
    script = (
        "import subprocess, sys\n"
        "child = 'import time; block = bytearray(200 * 1024 * 1024); time.sleep(1.5)'\n"
        "subprocess.run([sys.executable, '-c', child], check=True)\n"
        "print('done')\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stdout, _, peak = wait_sampling(process)
    assert stdout == "done\n"
    assert 200 <= peak < 400


def test_the_list_of_hand_written_files_is_every_file_git_tracks_in_content() -> None:
    """The benchmark and the tests copy these into each project; one missing breaks a link the build checks."""
    from benchmarks.bench import HAND_WRITTEN, REPO

    tracked = subprocess.run(
        ["git", "ls-files", "content"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(f"content/{name}" for name in HAND_WRITTEN) == sorted(tracked)
