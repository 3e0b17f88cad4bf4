"""Run the real ``mkdocs build``, following it page by page when progress is shown.

A quiet MkDocs build prints nothing until it ends: at 1,000 entities that is more than
a minute of silence. MkDocs' build logs a debug message as it reads each page's
Markdown and another as it builds each page's HTML. When progress is on (the command
line), MkDocs runs through ``python -m generator.mkdocs_run``, which passes those two
messages, and only those, to a handler of its own before it runs MkDocs' own command
line; they drive two counters. MkDocs itself is left exactly as it is: its log level
stays where it was (``--verbose`` would lower it, and then MkDocs skips its check of
links to anchors), and every line it prints is kept, for the messages of a failed build.
"""

from __future__ import annotations

import functools
import logging
import os
import subprocess
import sys
from pathlib import Path

from generator import progress
from generator.orphans import die_with_parent, importable

PHASES = {"Reading: ": "reading", "Building page ": "building"}
"""The start of the debug message MkDocs logs for each page in each phase, and the phase's name."""
BUILD_LOGGER = "mkdocs.commands.build"
"""The logger of MkDocs' build command, which logs those messages."""
MARK = "generator.mkdocs_run: "
"""The start of each line the handler prints, which no line of MkDocs' own starts with."""


def page_count(docs: Path) -> int:
    """The Markdown files MkDocs reads from its docs folder (it skips hidden files and folders)."""
    count = 0
    for _, folders, files in os.walk(docs):
        folders[:] = [name for name in folders if not name.startswith(".")]
        count += sum(1 for name in files if name.endswith(".md") and not name.startswith("."))
    return count


def phase_of(line: str) -> str | None:
    """The phase a line of output counts a page in, or None for a line of MkDocs' own."""
    if not line.startswith(MARK):
        return None
    message = line[len(MARK) :]
    return next((phase for start, phase in PHASES.items() if message.startswith(start)), None)


def run(
    arguments: list[str], *, cwd: Path, env: dict[str, str], docs: Path, label: str = "mkdocs"
) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs ARGUMENTS``; its output (both streams, without the page lines) is the result's stderr."""
    follow = progress.enabled()
    runner = "generator.mkdocs_run" if follow else "mkdocs"
    command = [sys.executable, "-m", runner, *arguments]
    pages = page_count(docs) if follow else 0
    counts = dict.fromkeys(PHASES.values(), 0)
    kept: list[str] = []
    if follow:  # the runner imports the generator package
        env = importable(env)
    with subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        preexec_fn=functools.partial(_before_mkdocs, os.getpid()),
    ) as process:
        assert process.stdout is not None
        try:
            for line in process.stdout:
                phase = phase_of(line)
                if phase is None:
                    kept.append(line)
                    continue
                counts[phase] += 1
                progress.tick(f"{label} {phase} pages", counts[phase], max(pages, counts[phase]))
        except BaseException:  # interrupted: stop MkDocs now rather than wait for it
            process.kill()
            raise
    progress.finish()
    return subprocess.CompletedProcess(command, process.returncode, stdout="", stderr="".join(kept))


def _before_mkdocs(parent: int) -> None:
    """In the child, before MkDocs starts: die with this process (``parent``), and make a site everyone may read."""
    die_with_parent(parent)
    mask = os.umask(0)  # a web server often runs as another user, whom a private umask would lock out:
    os.umask(mask & ~0o055)  # keep the caller's mask but for reading and entering, which everyone may


class _Relay(logging.Handler):
    """The build logger's one handler: each page's message as a line of its own, the rest passed on as before."""

    def __init__(self) -> None:
        super().__init__()
        self.pages = logging.StreamHandler(sys.stderr)
        self.pages.setFormatter(logging.Formatter(MARK + "%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.DEBUG and record.getMessage().startswith(tuple(PHASES)):
            self.pages.emit(record)
            return
        parent = logging.getLogger(BUILD_LOGGER.rpartition(".")[0] or "root")
        if record.levelno >= parent.getEffectiveLevel():  # what the logger let through before
            parent.handle(record)  # MkDocs' handlers: its console, and the counter behind --strict


def main(arguments: list[str]) -> None:
    """``python -m generator.mkdocs_run ARGUMENTS``: ``mkdocs ARGUMENTS``, printing a line for each page."""
    from mkdocs.__main__ import cli

    logger = logging.getLogger(BUILD_LOGGER)
    logger.setLevel(logging.DEBUG)  # this logger only: "mkdocs" keeps its level, and so do its other loggers
    logger.propagate = False  # its records reach MkDocs' handlers through the relay, exactly as they did
    logger.addHandler(_Relay())
    cli.main(args=arguments, prog_name="mkdocs")


if __name__ == "__main__":
    main(sys.argv[1:])
