"""Keep Python's cyclic garbage collector from rescanning the corpus over and over.

A run builds hundreds of thousands of small objects that live until it ends. By
default the collector runs after every 700 new objects, and from time to time walks
every object there is: at 10,000 entities those walks took a quarter of the run's
time, while finding almost nothing to free (the model holds no reference cycles).
During a run, collections happen after 100,000 new objects instead, and the corpus is
frozen once built, so the collector never walks it again. Memory is unaffected: objects
are still freed by reference counting the moment they are no longer used.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 100_000
"""New objects between two collections of the youngest generation, during a run."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cycles rarely while the block runs; restore the previous thresholds after."""
    before = gc.get_threshold()
    gc.set_threshold(YOUNG, before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def frozen() -> Iterator[None]:
    """Exempt every object alive now from collection while the block runs (the built corpus)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
