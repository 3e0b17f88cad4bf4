"""The garbage collector's settings during a run: paused while it works, as it was after, nothing leaked."""

from __future__ import annotations

import gc

import pytest

from generator import collector
from generator.build import Project, generate


class Cycle:
    """An object that refers to itself: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_paused_runs_no_collection_and_restores_the_collector() -> None:
    started: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(count)
    try:
        assert gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
            kept = [[n] for n in range(50_000)]  # far past the threshold of a collection
            assert not started
        assert gc.isenabled()
        assert gc.get_freeze_count() == 0
        # What was made meanwhile is not young any more: the next collections do not walk it.
        assert gc.get_count()[0] < 1_000 and len(kept) == 50_000
    finally:
        gc.callbacks.remove(count)


def test_paused_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_cycle_made_while_paused_is_still_freed_by_a_full_collection() -> None:
    with collector.paused():
        Cycle()
    assert gc.collect() >= 2  # the object and its __dict__


def test_paused_restores_the_collector_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("stop")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_generate_leaves_the_collector_as_it_found_it(project: Project) -> None:
    outcome = generate(project)
    assert outcome.ok, outcome.problems
    assert gc.isenabled() and gc.get_freeze_count() == 0
    (project.root / "facts" / "topics.yaml").write_text("not: [valid\n", encoding="utf-8")
    outcome = generate(project)
    assert not outcome.ok
    assert gc.isenabled() and gc.get_freeze_count() == 0
