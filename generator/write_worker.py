"""Make the staged files in a second process, so that rendering never waits for the file system.

Creating a file costs a system call that can wait on the file system's journal: in a
cold run at 10,000 entities, opening the 47,100 new files took 7.5 s of the main
process's time. The worker process receives each rendered page through a pipe (cheap: one copy)
and stages it with ``writer.stage_page``, exactly as the in-process writer would:
same conflict checks, same comparisons, same files. Only ``commit`` and ``discard``,
which change ``content/`` or remove the staging folder, stay in the main process.

The worker is started before anything is loaded, while this process is small. A
process forked later would share the loaded corpus page by page, and every page
the renderer then touched would be copied: the memory of the corpus, twice.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from generator import filecheck, writer
from generator.orphans import die_with_parent
from generator.problems import Problem
from generator.writer import FileStat, Page, Staged

PAGE, STREAM, PIECE, STREAM_END, END = b"P", b"S", b"D", b"Z", b"E"
"""The first byte of each message: a whole page, the start, a piece and the end of a page in
pieces, the end of the pages. A page's path comes before a NUL byte, which no path holds."""
PIPE_BYTES = 1 << 20
"""The pipe's capacity, where Linux lets it be set: room for many pages, so neither side waits on the other."""


def wanted(files: int) -> bool:
    """Whether a project of this many fact files is worth a writer process (as for the readers)."""
    return filecheck.worth_processes(files, filecheck.workers())


class WriteWorker:
    """A process that stages pages for one write."""

    def __init__(self, method: str | None = None) -> None:
        context = multiprocessing.get_context(method or filecheck.start_method())
        receive_pages, self._pages = context.Pipe(duplex=False)
        self._results, send_results = context.Pipe(duplex=False)
        self._process = context.Process(  # type: ignore[attr-defined]  # every start method's context has it
            target=_serve, args=(receive_pages, send_results), name="generator-writer", daemon=True
        )
        self._process.start()
        receive_pages.close()
        send_results.close()
        _grow(self._pages)

    def stage(self, staged: Staged, pages: Iterable[tuple[str, Page]]) -> None:
        """Like ``writer.stage``: stage every changed page, and record names, changes and problems in ``staged``."""
        try:
            self._pages.send((os.fspath(staged.content_dir), os.fspath(staged.staging), staged.old))
            for name, page in pages:
                self._send(name, page)
            self._pages.send_bytes(END)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the worker stopped early: its answer says why
        names, changed, stats, problems = self._answer()
        staged.names.update(names)
        staged.changed.extend(changed)
        staged.stats.update(stats)
        staged.problems.extend(problems)

    def _send(self, name: str, page: Page) -> None:
        head = name.encode("utf-8") + b"\0"
        if isinstance(page, str | bytes):
            self._pages.send_bytes(PAGE + head + writer.utf8(page))
            return
        self._pages.send_bytes(STREAM + head)
        for piece in page:
            self._pages.send_bytes(PIECE + writer.utf8(piece))
        self._pages.send_bytes(STREAM_END)

    def _answer(self) -> tuple[set[str], list[str], dict[str, FileStat], list[Problem]]:
        try:
            answer = self._results.recv()
        except EOFError:
            raise OSError(f"the writer process stopped with exit code {self._stopped()}") from None
        if isinstance(answer, BaseException):
            raise answer
        names, changed, stats, problems = answer
        return names, changed, stats, problems

    def _stopped(self) -> int | None:
        self._process.join(5)
        code: int | None = self._process.exitcode
        return code

    def close(self) -> None:
        """Stop the worker (at once, if it is still staging) and wait for it: it makes no file after this."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._pages.close()
        self._results.close()


def _grow(connection: Connection) -> None:
    """Enlarge a pipe's buffer where the system allows it (Linux); elsewhere keep the default."""
    try:
        import fcntl  # POSIX only
    except ImportError:
        return
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None)
    if set_size is not None:
        try:
            fcntl.fcntl(connection.fileno(), set_size, PIPE_BYTES)
        except OSError:  # above the system's limit for unprivileged users: the default works too
            pass


def _serve(pages: Connection, results: Connection) -> None:
    """The worker: stage the pages of one write as they arrive, then answer with what was staged."""
    die_with_parent()  # never left staging pages for a run that was killed
    try:
        content_dir, staging, old = pages.recv()
    except EOFError:  # no write came: the run stopped before it
        return
    staged = Staged(Path(content_dir), Path(staging), old)
    try:
        writer.stage(staged, _received(pages))
    except EOFError:  # the main process stopped sending: it is gone or is abandoning the write
        return
    except BaseException as exc:  # an OSError from the file system, sent back to be raised there
        try:
            results.send(exc)
        except Exception:  # an exception that cannot be pickled: send its message
            results.send(OSError(f"the writer process failed: {exc!r}"))
        return
    results.send((staged.names, staged.changed, staged.stats, staged.problems))


def _received(pages: Connection) -> Iterator[tuple[str, Page]]:
    """The pages as they arrive: bytes, or bytes in pieces."""
    while True:
        message = pages.recv_bytes()
        kind = message[:1]
        if kind == END:
            return
        name, _, data = message[1:].partition(b"\0")
        if kind == PAGE:
            yield name.decode("utf-8"), data
            continue
        stream = _Stream(pages)
        yield name.decode("utf-8"), stream
        stream.drain()  # a page skipped as a conflict leaves its pieces unread


class _Stream:
    """The pieces of one page, read from the pipe until its end."""

    def __init__(self, pages: Connection) -> None:
        self._pages, self._done = pages, False

    def __iter__(self) -> _Stream:
        return self

    def __next__(self) -> bytes:
        if not self._done:
            message = self._pages.recv_bytes()
            if message[:1] != STREAM_END:
                return message[1:]
            self._done = True
        raise StopIteration

    def drain(self) -> None:
        """Read whatever pieces are left."""
        for _ in self:
            pass
