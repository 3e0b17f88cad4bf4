"""No orphans: a process the generator starts dies with the process that started it."""

from __future__ import annotations

import ctypes
import os
import runpy
import signal
import sys
from collections.abc import Mapping
from pathlib import Path

PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None
"""The C library, found when this module is imported, in the parent: looking it up in a child, between its fork and
its request, took long enough for a parent killed then to leave the child running."""


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to kill this process when its parent dies, even by SIGKILL; elsewhere do nothing.

    Called in a child: MkDocs (before it starts) or the writer process. A child left running
    could write into a folder that the next run is cleaning up. ``parent`` is the process that
    started it, if known: one that died before the request was made leaves nothing to wait for, so
    the child exits at once.
    """
    if _LIBC is None:
        return
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def importable(env: Mapping[str, str]) -> dict[str, str]:
    """A child's environment, with the generator package importable from wherever this process found it."""
    root = os.fspath(Path(__file__).resolve().parent.parent)
    return {**env, "PYTHONPATH": os.pathsep.join(filter(None, (root, env.get("PYTHONPATH", ""))))}


def main(arguments: list[str]) -> None:
    """``python -m generator.orphans PARENT MODULE ARGUMENTS``: ``python -m MODULE ARGUMENTS``, in a process that
    dies with PARENT. For a child started while other threads run, where asking in ``preexec_fn`` is not safe."""
    die_with_parent(int(arguments[0]))
    sys.argv = arguments[1:]
    runpy.run_module(arguments[1], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
