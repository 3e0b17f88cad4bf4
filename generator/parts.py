"""Shares of the rendering work, so that a later step can render the site in parallel processes."""

from __future__ import annotations

Part = tuple[int, int]
"""(k, n): the k-th of n shares of the work, counting from 0."""


def in_part(count: int, part: Part | None) -> range:
    """The numbers of the units of work, out of ``count``, that part (k, n) does: every n-th from the k-th.

    The parts k = 0 … n-1 together do every unit exactly once; ``None`` means all of them.
    """
    if part is None:
        return range(count)
    k, n = part
    if not 0 <= k < n:
        raise ValueError(f"part must be (k, n) with 0 <= k < n, not {part!r}")
    return range(k, count, n)
