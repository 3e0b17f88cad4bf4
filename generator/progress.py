"""Progress of long stages on stderr: a live counter on a terminal, a few lines otherwise.

Stages call ``tick`` as they go; it does nothing until the command line turns
progress on, so library use and tests stay silent. Nothing is shown for a stage
until it has run for ``DELAY`` seconds, so small projects print no progress at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

DELAY = 2.0
"""Seconds a stage runs before any progress is shown."""
TTY_INTERVAL = 0.2
"""Seconds between redraws of the counter on a terminal."""
LOG_INTERVAL = 10.0
"""Seconds between progress lines when stderr is not a terminal (a CI log)."""
clock: Callable[[], float] = time.monotonic
"""Where stages' times come from (tests set a clock of their own)."""


@dataclass
class _Stage:
    label: str
    started: float
    shown: float = float("-inf")  # never shown yet
    drawn: bool = False


Say = Callable[[str], None]
"""What prints a stage's line, such as "validate: 18 entities, 43 facts, 4 sources in 0.06s"."""

_stream: TextIO | None = None
_tty = False
"""Whether the stream is a terminal: asked once, since a stage ticks for every item and asking is a system call."""
_stage: _Stage | None = None


def enable(stream: TextIO | None) -> None:
    """Show progress on a stream from now on; None turns it off."""
    global _stream, _stage, _tty
    _stream, _stage = stream, None
    _tty = stream is not None and stream.isatty()


def enabled() -> bool:
    """Whether progress is shown: a stage may do extra work only to follow its progress when it is."""
    return _stream is not None


def tick(label: str, done: int, total: int) -> None:
    """Report that ``done`` of ``total`` items of a stage are finished."""
    global _stage
    if _stream is None:
        return
    now = clock()
    if _stage is None or _stage.label != label:
        finish()
        _stage = _Stage(label, now)
        return
    if now - _stage.started < DELAY:
        return
    if now - _stage.shown < (TTY_INTERVAL if _tty else LOG_INTERVAL) and done < total:
        return
    _stage.shown = now
    text = f"{label}: {done}/{total} ({100 * done // max(total, 1)}%) after {now - _stage.started:.0f}s"
    if _tty:
        _stream.write(f"\r\x1b[K{text}")
        _stage.drawn = True
    else:
        _stream.write(text + "\n")
    _stream.flush()


def finish() -> None:
    """End the current stage's counter, clearing it from a terminal."""
    global _stage
    if _stream is not None and _stage is not None and _stage.drawn:
        _stream.write("\r\x1b[K")
        _stream.flush()
    _stage = None
