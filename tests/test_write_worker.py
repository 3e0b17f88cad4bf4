"""The writer process stages exactly what the in-process writer stages, and never fails quietly."""

from __future__ import annotations

import multiprocessing
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import build, write_worker, writer
from generator.build import Project, generate
from generator.problems import Problem
from generator.write_worker import WriteWorker
from generator.writer import Page, WriteResult

METHODS = [m for m in ("fork", "forkserver", "spawn") if m in multiprocessing.get_all_start_methods()]


def generated(text: str) -> str:
    """A Markdown page as the generator writes one: its front matter says where it is edited."""
    return f'---\nedit_path: ""\n---\n{text}'


def pages() -> list[tuple[str, Page]]:
    """Text, bytes and a page in pieces (the open data's way), in folders and at the top."""
    return [
        ("a/one.md", generated("one “quoted”\n")),
        ("a/two.md", generated("two\n").encode()),
        ("facts.json", iter(["first, ", "“second”, ", "third\n"])),
        ("top.md", generated("top\n")),
    ]


def write(content: Path, items: list[tuple[str, Page]], worker: WriteWorker | None) -> WriteResult | list[Problem]:
    """One whole write, staged in-process or by the worker: its result, or its problems."""
    staged = writer.begin(content)
    try:
        if worker is None:
            writer.stage(staged, items)
        else:
            worker.stage(staged, items)
    except BaseException:
        writer.discard(staged)
        raise
    if staged.problems:
        writer.discard(staged)
        return staged.problems
    return writer.commit(staged)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def with_worker(method: str, content: Path, items: list[tuple[str, Page]]) -> WriteResult | list[Problem]:
    worker = WriteWorker(method)
    try:
        return write(content, items, worker)
    finally:
        worker.close()


@pytest.mark.parametrize("method", METHODS)
def test_the_worker_writes_what_the_writer_writes(tmp_path: Path, method: str) -> None:
    by_worker = with_worker(method, tmp_path / "worker", pages())
    in_process = write(tmp_path / "here", pages(), None)
    assert isinstance(by_worker, WriteResult)
    assert by_worker == in_process
    assert sorted(by_worker.written) == [".gitignore", "a/one.md", "a/two.md", "facts.json", "top.md"]
    assert files(tmp_path / "worker") == files(tmp_path / "here")
    assert (tmp_path / "worker" / "facts.json").read_text(encoding="utf-8") == "first, “second”, third\n"
    again = with_worker(method, tmp_path / "worker", pages())
    assert again == WriteResult(written=[], unchanged=4)  # compared in the worker, nothing rewritten
    changed = with_worker(method, tmp_path / "worker", [*pages()[:3], ("top.md", generated("new top\n"))])
    assert isinstance(changed, WriteResult) and changed.written == ["top.md"]


def test_hand_written_files_are_problems_and_the_pages_after_them_still_arrive(tmp_path: Path) -> None:
    contents = {name: tmp_path / name for name in ("worker", "here")}
    for content in contents.values():
        content.mkdir(parents=True)
        (content / "facts.json").write_text("hand-written\n")  # where a page in pieces must go
        (content / "top.md").write_text("hand-written top\n")
    by_worker = with_worker(METHODS[0], contents["worker"], pages())
    in_process = write(contents["here"], pages(), None)
    assert isinstance(by_worker, list) and isinstance(in_process, list)
    shown = [
        [(Path(p.file).relative_to(content).as_posix(), p.message, p.hint) for p in problems]
        for content, problems in ((contents["worker"], by_worker), (contents["here"], in_process))
    ]
    assert shown[0] == shown[1]
    assert sorted(file for file, _, _ in shown[0]) == ["facts.json", "top.md"]
    for content in contents.values():
        assert files(content) == {"facts.json": b"hand-written\n", "top.md": b"hand-written top\n"}
    # The unread pieces of the skipped page were drained: the page after it was staged, not taken for a piece.
    staged = writer.begin(contents["worker"])
    worker = WriteWorker(METHODS[0])
    try:
        worker.stage(staged, pages())
    finally:
        worker.close()
        writer.discard(staged)
    assert staged.names == {"a/one.md", "a/two.md"}


def test_a_file_system_error_in_the_worker_is_raised_here(tmp_path: Path) -> None:
    clash: list[tuple[str, Page]] = [("a.md", "page\n"), ("a.md/b.md", "a page inside a page\n")]
    with pytest.raises(OSError) as here:
        write(tmp_path / "here", clash, None)
    with pytest.raises(OSError) as there:
        with_worker(METHODS[0], tmp_path / "worker", clash + [(f"more/{n}.md", "x" * 5000) for n in range(500)])
    assert type(there.value) is type(here.value)
    assert files(tmp_path / "worker") == {}  # nothing moved into content/
    assert not list((tmp_path / "worker").glob(".generate-*"))


def test_an_interrupted_render_stops_the_worker_and_changes_nothing(tmp_path: Path) -> None:
    def failing() -> Iterator[tuple[str, Page]]:
        yield from pages()[:2]
        raise RuntimeError("the renderer failed")

    worker = WriteWorker(METHODS[0])
    staged = writer.begin(tmp_path / "content")
    with pytest.raises(RuntimeError, match="renderer failed"):
        worker.stage(staged, failing())
    worker.close()
    writer.discard(staged)
    assert not worker._process.is_alive() and worker._process.exitcode is not None
    assert files(tmp_path / "content") == {}


def test_a_worker_that_dies_is_an_error_not_an_empty_write(tmp_path: Path) -> None:
    worker = WriteWorker(METHODS[0])
    worker._process.kill()
    worker._process.join()
    staged = writer.begin(tmp_path / "content")
    with pytest.raises(OSError, match="writer process stopped"):
        worker.stage(staged, pages())
    worker.close()
    writer.discard(staged)


def test_generate_with_the_worker_writes_the_same_site(
    mini_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = Project(tmp_path / "alone")
    shutil.copytree(mini_project.root, alone.root)
    assert generate(alone).ok
    started: list[WriteWorker] = []

    class Counted(WriteWorker):
        def __init__(self) -> None:
            super().__init__()
            started.append(self)

    monkeypatch.setattr(write_worker, "wanted", lambda files: True)
    monkeypatch.setattr(write_worker, "WriteWorker", Counted)
    outcome = generate(mini_project)
    assert outcome.ok and outcome.written is not None and len(started) == 1
    assert files(mini_project.content) == files(alone.content)
    assert not started[0]._process.is_alive()
    for name, stat in outcome.written.stats.items():  # taken in the worker as it wrote each file
        info = (mini_project.content / name).lstat()
        assert stat == (info.st_size, info.st_mtime_ns), name
    assert "unchanged" in generate(mini_project).timings  # so the stamp holds and the next run is skipped


def test_an_interrupted_generate_with_the_worker_leaves_content_as_it_was(
    mini_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert generate(mini_project).ok
    before = files(mini_project.content)
    (mini_project.root / build.stamp.STAMP).unlink()  # so the next run does the work again
    real = build.iter_outputs

    def failing(corpus: object) -> Iterator[tuple[str, Page]]:
        for number, (name, page) in enumerate(real(corpus)):  # type: ignore[arg-type]
            if number == 5:
                raise KeyboardInterrupt
            yield name, b"changed " + (page if isinstance(page, bytes) else b"")

    monkeypatch.setattr(write_worker, "wanted", lambda files: True)
    monkeypatch.setattr(build, "iter_outputs", failing)
    with pytest.raises(KeyboardInterrupt):
        generate(mini_project)
    assert files(mini_project.content) == before
    assert not list(mini_project.content.glob(".generate-*"))


def test_small_projects_and_single_cores_write_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(write_worker.filecheck, "workers", lambda: 2)
    assert not write_worker.wanted(write_worker.filecheck.PARALLEL_FROM - 1)
    assert write_worker.wanted(write_worker.filecheck.PARALLEL_FROM)
    monkeypatch.setattr(write_worker.filecheck, "workers", lambda: 1)
    assert not write_worker.wanted(10**6)
