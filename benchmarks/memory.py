"""Peak memory of a stage's process and the worker processes it starts, sampled from outside.

A forked worker shares most of its memory with its parent until either writes to it, so
adding the processes' resident sizes would count shared memory twice or more. The
proportional set size (PSS) counts each shared page once, split among the processes
that share it: summed over the process tree it is the memory the tree really uses. The
kernel keeps no peak PSS, so the benchmark samples it from its own process while the
stage runs (a thread inside the stage would make the pipeline read files in one process;
see ``generator.filecheck``). The stage's own peak resident size, which the kernel does
keep, is a floor for the result, in case the samples miss a short peak.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

INTERVAL = 0.05
"""Seconds between samples."""


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # the process ended while being read
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_pss_mib(pid: int) -> float:
    """The summed PSS of a process and all its descendants now, in MiB."""
    return sum(_pss_kib(p) for p in _descendants(pid)) / 1024


def wait_sampling(process: subprocess.Popen[str]) -> tuple[str, str, float]:
    """Wait for a process, sampling its tree's memory; return its stdout, stderr and peak PSS in MiB."""
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_pss_mib(process.pid))
        try:
            stdout, stderr = process.communicate(timeout=INTERVAL)
        except subprocess.TimeoutExpired:
            continue
        return stdout, stderr, peak
    stdout, stderr = process.communicate()
    return stdout, stderr, peak
