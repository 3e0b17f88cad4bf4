"""The stretch of a stored text nearest to a passage that is not in it, shown as a hint with the differences marked."""

from __future__ import annotations

import difflib
import heapq
from dataclasses import dataclass

from generator.model import Source
from generator.verify import Folded, fold, word_key

NOT_IN_SOURCE = "(not in the source)"
ALIKE = 0.5
"""A stretch of the stored text that has fewer of a passage's words than this share is not shown as its near miss."""
LEFT_OUT = "(left out)"
_SLACK = 4
"""Words either side of the best window that the alignment may take in."""
WINDOWS_COMPARED = 64
"""Windows of the stored text compared word by word with a passage, at most: the most promising."""


@dataclass(frozen=True)
class Closest:
    """The stretch of a stored text that best matches a passage, and how the two differ."""

    line: int
    """Line of the stored text where the stretch starts."""
    source_side: str
    """The stretch as stored, with differing words in «»."""
    passage_side: str
    """The passage as written, with differing words in «»."""
    alike: float = 1.0
    """Share of the passage's words that the stretch has, in order: below ``ALIKE`` it is no near miss."""


def _mark(words: list[str], spans: list[tuple[int, int]], filler: str) -> str:
    out: list[str] = []
    starts = {a: b for a, b in spans}
    i = 0
    while i <= len(words):
        if i in starts:
            end = starts[i]
            out.append("«" + (" ".join(words[i:end]) or filler) + "»")
            if end > i:
                i = end
                continue
        if i < len(words):
            out.append(words[i])
        i += 1
    return " ".join(out)


def _best_window(wanted: list[str], have: list[str]) -> int:
    """Start of the window of the stored words most like the passage's words.

    Comparing every window word by word would cost (stored words) x (passage words): minutes for
    a long wrong passage in a long text. A window cannot be more alike than the share of words it
    has in common with the passage, in any order (``SequenceMatcher.quick_ratio``), and that share
    is kept up to date in one pass as the window slides. Windows are then compared in order of it,
    best first, until none left can beat the best found, or ``WINDOWS_COMPARED`` were compared. The
    earliest of equally good windows wins.
    """
    size = len(wanted)
    needed: dict[str, int] = {}
    for word in wanted:
        needed[word] = needed.get(word, 0) + 1
    held: dict[str, int] = {}
    common = 0
    shared: list[int] = []  # words in common with the passage, by window start
    for index, word in enumerate(have):
        count = held.get(word, 0)
        if count < needed.get(word, 0):
            common += 1
        held[word] = count + 1
        if index >= size:  # the word that leaves the window
            gone = have[index - size]
            held[gone] -= 1
            if held[gone] < needed.get(gone, 0):
                common -= 1
        if index >= size - 1:
            shared.append(common)
    shared = shared or [common]  # a text shorter than the passage is one window
    best, best_start = -1.0, 0
    order = heapq.nsmallest(WINDOWS_COMPARED, range(len(shared)), key=lambda start: (-shared[start], start))
    for start in order:
        window = have[start : start + size]
        bound = 2.0 * shared[start] / (size + len(window)) if size + len(window) else 0.0
        if bound < best or (bound == best and start > best_start):
            break
        ratio = difflib.SequenceMatcher(None, wanted, window, autojunk=False).ratio()
        if ratio > best or (ratio == best and start < best_start):
            best, best_start = ratio, start
    return best_start


def _span(wanted: list[str], have: list[str], start: int) -> tuple[int, int]:
    """Grow or shrink a window so that it covers exactly what the passage lines up with."""
    low = max(0, start - _SLACK)
    region = have[low : start + len(wanted) + _SLACK]
    blocks = [b for b in difflib.SequenceMatcher(None, wanted, region, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return start, min(len(have), start + len(wanted))
    first, last = blocks[0], blocks[-1]
    begin = max(0, low + first.b - first.a)
    end = min(len(have), low + last.b + last.size + len(wanted) - last.a - last.size)
    return begin, end


def closest_passage(snapshot: Folded, passage: str) -> Closest | None:
    """Find the stretch of the stored text most like the passage and mark where they differ."""
    wanted = [w for w, _, _ in fold(passage).words]
    have = snapshot.words
    if not wanted or not have:
        return None
    keys, wanted_keys = snapshot.keys, [word_key(w) for w in wanted]
    begin, end = _span(wanted_keys, keys, _best_window(wanted_keys, keys))
    stretch = have[begin:end]
    theirs = [w for w, _, _ in stretch]
    # A passage may start or end inside a word group such as "said," or "cross-border" - that is not a
    # difference; one that starts or ends inside a word ("bor" for "border,") is, as for ``find``.
    if theirs and theirs[0].endswith(wanted[0]) and not theirs[0][: -len(wanted[0])][-1:].isalnum():
        theirs[0] = wanted[0]
    if theirs and theirs[-1].startswith(wanted[-1]) and not theirs[-1][len(wanted[-1]) : len(wanted[-1]) + 1].isalnum():
        theirs[-1] = wanted[-1]
    mine_spans: list[tuple[int, int]] = []
    their_spans: list[tuple[int, int]] = []
    same = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wanted, theirs, autojunk=False).get_opcodes():
        if tag == "equal":
            same += i2 - i1
        else:
            mine_spans.append((i1, i2))
            their_spans.append((j1, j2))
    # As stored, but without invisible characters: a contributor copies this line into a passage.
    stored = [snapshot.printed(a, b) for _, a, b in stretch]
    written = passage.split()
    line = snapshot.line_of(stretch[0][1])
    marked = _mark(stored, their_spans, NOT_IN_SOURCE), _mark(written, mine_spans, LEFT_OUT)
    return Closest(line, *marked, alike=same / len(wanted))


def mismatch_hint(source: Source, snapshot: Folded, passage: str) -> str:
    """A hint that shows the closest stored passage above the written one, differences in «»."""
    closest = closest_passage(snapshot, passage)
    if closest is None or source.snapshot is None:
        return ""
    if closest.alike < ALIKE:  # a few common words in common: showing them would only mislead
        if "…" in passage or "..." in passage:
            return (
                f"no stretch of {source.snapshot.file} is close to these words: they must be one unbroken stretch "
                "of it, and an ellipsis cannot leave words out; record each part on its own"
            )
        return f"no stretch of {source.snapshot.file} is close to these words; copy them from it as written"
    return (
        f"closest passage in {source.snapshot.file}, line {closest.line}; the differences are marked «»:\n"
        f"source: {closest.source_side}\n"
        f"yours:  {closest.passage_side}"
    )
