"""Keep Python's cyclic garbage collector from rescanning the corpus over and over.

A run builds hundreds of thousands of small objects that live until it ends. By
default the collector runs after every 700 new objects, and from time to time walks
every object there is: at 10,000 entities those walks took a quarter of the run's
time, while finding almost nothing to free (the model holds no reference cycles).

``generate`` pauses the collector for the whole run. Rendering and writing make no
reference cycles at all (``tests/test_fact_blocks.py`` renders the real corpus with the
collector off and finds nothing left for it); loading makes a few small ones (the
compiled schemas define a recursive helper for each ``uniqueItems`` check, and a file
that fails its schema leaves some of jsonschema's objects), which the next full
collection after the run frees. Other commands load the corpus with collections after
100,000 new objects instead of 700. Memory is unaffected: objects are still freed by
reference counting the moment they are no longer used.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 100_000
"""New objects between two collections of the youngest generation, while the corpus loads."""


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
def paused() -> Iterator[None]:
    """No automatic collection while the block runs (work that makes no reference cycles); as before after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Everything made meanwhile is still in the youngest generation, and the first collection after
        # would walk all of it (the whole corpus). Moved to the oldest generation instead, it waits for
        # the next full collection, which still frees any cycle among it.
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
