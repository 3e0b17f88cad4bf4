"""No orphans: a process the generator starts dies with the process that started it."""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies, even by SIGKILL; elsewhere do nothing.

    Called in a child: MkDocs (before it starts) or the writer process. A child left running
    could write into a folder that the next run is cleaning up.
    """
    libc_name = ctypes.util.find_library("c")
    if libc_name and sys.platform.startswith("linux"):
        ctypes.CDLL(libc_name).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
