"""Check citation passages and quotations word for word against the stored source texts."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from generator.characters import INVISIBLE
from generator.loader import DataPath, Document
from generator.model import Corpus, Source
from generator.problems import Problem

# Typographic variants that differ between an outlet's page and a contributor's keyboard.
_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"} | {c: '"' for c in "\u201c\u201d\u201e\u201f\u2033"}
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_GONE = "\x00"
"""What invisible characters fold to, then dropped: soft hyphens, zero-width spaces and word joiners
that a page's text can carry and a passage cannot (the loader refuses them in YAML)."""
_INVISIBLE = {chr(c): _GONE for c in INVISIBLE if chr(c) not in "\u2028\u2029"}  # those two are line breaks
_FOLD = str.maketrans(_QUOTES | _DASHES | _INVISIBLE)
_SHOWN = str.maketrans(dict.fromkeys(_INVISIBLE, None))
_NON_SPACE = re.compile(r"\S+")


class TooManyPlaces(Exception):
    """The searches of a run's stored texts looked at more places than a real corpus ever needs (``Places``)."""

    def __init__(self, shown: str = "") -> None:
        super().__init__(shown)
        self.shown = shown
        """The stored text being searched, as ``Folded.shown``."""


class Places:
    """How many more places in the stored texts a run may look at, where a search finds the words it looks for.

    Each place costs a step in Python, and a text can hold a passage's words millions of times, each inside other
    words ("xa" in "xaxaxa…"); a corpus of such texts and passages would take hours. A real one looks at about two
    places a citation.
    """

    def __init__(self, left: int) -> None:
        self.left = left

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise TooManyPlaces


@dataclass(frozen=True)
class Folded:
    """A text folded for matching, with the position in the original of every folded character."""

    original: str
    text: str
    origin: Sequence[int]
    places: Places | None = None
    """The run's allowance of places looked at, for a stored text; none for a text of the corpus's own."""
    shown: str = ""
    """Where the stored text is, as problems name it."""

    def find(self, needle: str) -> int:
        """Index in ``original`` where the folded needle starts as whole words, or -1.

        A passage or quote that starts or ends inside a word of the text is not in it: "8 bases" is not
        in "48 bases", nor "Serb" in "Serbia".
        """
        return next((start for start, _ in self.occurrences(fold_text(needle))), -1)

    def occurrences(self, folded: str) -> Iterator[tuple[int, int]]:
        """The (start, end) in ``original`` of each place a folded needle (``fold_text``) is, as whole words."""
        try:
            for at in _whole_words(self.text, folded, self.places):
                yield self.origin[at], self.origin[at + len(folded) - 1] + 1
        except TooManyPlaces:
            raise TooManyPlaces(self.shown) from None

    def occurrences_inside(self, outer: str, folded: str) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
        """For each place a folded passage (``outer``) is, each place a folded needle is inside it, both as whole
        words: ((passage start, end), (needle start, end)) in ``original``. The needle is searched in the passage
        alone, once: it stands at the same places in the passage wherever the passage stands, and where it is not
        in the passage the text is not searched for the passage at all."""
        try:
            inside = list(_whole_words(outer, folded, self.places))
            for at in _whole_words(self.text, outer, self.places) if inside else ():
                place = self.origin[at], self.origin[at + len(outer) - 1] + 1
                for inner in inside:
                    yield place, (self.origin[at + inner], self.origin[at + inner + len(folded) - 1] + 1)
        except TooManyPlaces:
            raise TooManyPlaces(self.shown) from None

    def printed(self, start: int, end: int) -> str:
        """The characters of the original from ``start`` to ``end`` as a reader sees them: single spaces."""
        return " ".join(self.original[start:end].translate(_SHOWN).split())

    def line_of(self, index: int) -> int:
        """1-based line of an index of the original text."""
        return self.original.count("\n", 0, index) + 1

    @cached_property
    def quoted(self) -> tuple[tuple[int, int], ...]:
        """The stretches of ``original`` between quotation marks (``quotations.quoted_spans``), read once a run."""
        from generator.quotations import quoted_spans  # that module builds on this one

        return quoted_spans(self.original)

    @cached_property
    def words(self) -> list[tuple[str, int, int]]:
        """Folded words with their start and end in the original."""
        out, start = [], None
        for i, char in enumerate(self.text + " "):
            if char != " " and start is None:
                start = i
            elif char == " " and start is not None:
                end = self.origin[i - 1] + 1
                out.append((self.text[start:i], self.origin[start], end))
                start = None
        return out

    @cached_property
    def keys(self) -> list[str]:
        """The words without the punctuation around them (``word_key``), which the closest-passage search compares."""
        return [word_key(word) for word, _, _ in self.words]


_PUNCTUATION = ".,;:!?\"'()[]"


def word_key(word: str) -> str:
    """A word without the punctuation around it, as the closest-passage search compares words."""
    return word.strip(_PUNCTUATION) or word


def _combining(char: str) -> bool:
    """Whether a character is a combining mark, which belongs to the letter before it."""
    return unicodedata.category(char)[0] == "M"


def _joined(text: str, at: int) -> bool:
    """Whether ``at`` falls inside a word of ``text``: between two letters or digits, or before a combining mark.

    A letter with no single-character form keeps its mark after NFC, and case folding makes one:
    Turkish "İ" folds to "i" and a combining dot. A word that ends in such a letter ends after the mark.
    """
    if not 0 < at < len(text):
        return False
    before, after = text[at - 1], text[at]
    if after.isascii() and before.isascii():  # the common case, without a look-up
        return before.isalnum() and after.isalnum()
    return _combining(after) or ((before.isalnum() or _combining(before)) and after.isalnum())


def _whole_words(text: str, needle: str, places: Places | None = None) -> Iterator[int]:
    """Each index of the folded ``text`` where the folded ``needle`` starts and ends with whole words; each place
    the needle is found at, as whole words or not, is spent from ``places``."""
    for at in _starts(text, needle) if needle else ():
        if places is not None:
            places.spend()
        if not (_joined(text, at) or _joined(text, at + len(needle))):
            yield at


def _starts(text: str, needle: str) -> Iterator[int]:
    """Each index where ``needle`` starts in ``text``, overlapping ones too, reading the text a bounded number of
    times however long the needle is.

    A search compares the whole needle at each place it finds, so a needle found at every other character ("a a a"
    in "a a a a …") would cost its length at each. A place that overlaps the one before means the needle repeats
    itself every ``period`` characters; then the next place is this one moved on by ``period`` exactly when the
    text goes on repeating for that many characters more, which is all that is compared. Where it stops repeating,
    the next place is searched for, as before: it is at least half the needle's length further on."""
    at, period, tail = text.find(needle), 0, ""
    while at >= 0:
        yield at
        if period and text.startswith(tail, at + len(needle)):
            at += period
            continue
        after = text.find(needle, at + 1)
        if not period and 0 < after - at < len(needle):
            period = _period(needle)
            tail = needle[len(needle) - period :]
        at = after


def _period(needle: str) -> int:
    """The needle's shortest period: the least ``p`` for which ``needle[p:] == needle[:-p]``, or its length.
    Its longest border (a start that is also an end) is found as Knuth, Morris and Pratt do, in one pass."""
    border, length = [0] * len(needle), 0
    for i in range(1, len(needle)):
        while length and needle[i] != needle[length]:
            length = border[length - 1]
        if needle[i] == needle[length]:
            length += 1
        border[i] = length
    return len(needle) - border[-1]


def says_words(text: str, words: str) -> bool:
    """Whether ``text`` holds ``words`` as whole words, folded as passages are and whatever their case."""
    return next(_whole_words(fold_text(text).casefold(), fold_text(words).casefold()), None) is not None


def fold_text(text: str) -> str:
    """The folded text alone, as ``fold(text).text``, without the positions (much cheaper)."""
    words = _NON_SPACE.findall(unicodedata.normalize("NFC", text).translate(_FOLD))
    return " ".join(w for w in (word.replace(_GONE, "") for word in words) if w)


def fold(text: str) -> Folded:
    """Fold a text: Unicode NFC, straight quotes, one kind of dash, single spaces."""
    original = unicodedata.normalize("NFC", text)
    translated = original.translate(_FOLD)  # one character for one, so indexes still match
    parts: list[str] = []
    origin = array("q")  # 8 bytes a character: a tuple of ints took about 40, 300 MB for the largest stored text
    for match in _NON_SPACE.finditer(translated):
        word = match.group()
        places: Sequence[int] = range(match.start(), match.end())
        if _GONE in word:
            kept = [(char, i) for char, i in zip(word, places, strict=True) if char != _GONE]
            if not kept:
                continue
            word, places = "".join(c for c, _ in kept), [i for _, i in kept]
        if parts:
            parts.append(" ")
            origin.append(places[0] - 1)
        parts.append(word)
        origin.extend(places)
    return Folded(original, "".join(parts), origin)


PLACES_PER_RUN = 1_000_000
PLACES_PER_CITATION = 100
"""A run may look at this many places in its stored texts, and this many more for each citation (``Places``): fifty
times what a real corpus needs, and seconds of work."""
SHORTEST_PASSAGE = 3
"""Fewer words than this prove only that the source uses them ("Serbia"), not that it says the fact."""
HINT_WORDS = 100
"""The longest passage, in words, whose closest stretch is looked for; no real passage comes near."""
HINTS_LOOKED_FOR = 50
"""Mismatched passages per run whose closest stretch is looked for: the search costs a few
milliseconds for a real passage, but a file can hold hundreds of mismatches built to be slow."""
HINT_WORDS_SEARCHED = 2_000_000
"""Stored words the closest-passage searches of one run may go through in all, about two seconds'
work: a long article has some 15,000 words, so every real mismatch gets its hint, while a pull
request of the largest stored texts (``MAX_SNAPSHOT_BYTES``) cannot hold a run up for minutes."""


def _relayed(doc: Document, where: DataPath, source: Source, via: Iterable[str]) -> list[Problem]:
    """An outlet named in a citation's ``via`` that its source does not list among the outlets it relays."""
    listed = ", ".join(source.relays)
    hint = f"name an outlet from its relays ({listed})" if listed else "add the outlet to the source's relays"
    return [
        doc.problem((*where, "via", k), f"source '{source.id}' does not say it relays '{outlet}'", hint=hint)
        for k, outlet in enumerate(via)
        if outlet not in source.relays
    ]


PRINTED_LOOKED_AT = 100
"""Places of a passage found in a stored text that are compared with it character for character, at most."""


def as_printed(text: Folded, words: str, places: Iterable[tuple[int, int]], *, any_first_case: bool = False) -> bool:
    """Whether the words, found folded at these places of the text, stand at one of them as the source prints them.

    Only the first ``PRINTED_LOOKED_AT`` places are compared: a text that holds the words more often than that
    repeats itself, and the first places are the ones a contributor copies from. With ``any_first_case``, the
    first letter's case may differ: running text may start a quotation in small letters ("said “these …”").
    """
    wanted = " ".join(unicodedata.normalize("NFC", words).split())
    for place in itertools.islice(places, PRINTED_LOOKED_AT):
        printed = text.printed(*place)
        if printed == wanted or (
            any_first_case and printed[1:] == wanted[1:] and printed[:1].lower() == wanted[:1].lower()
        ):
            return True
    return False


def passage_key(passage: str) -> str:
    """A passage as the model holds it (``Citation.passage``): line ends and doubled spaces squeezed."""
    return " ".join(passage.split())


class Verifier:
    """Checks passages and quotations of one corpus against its stored texts."""

    def __init__(self, corpus: Corpus, snapshots: dict[str, bytes], shown_sources: str = "facts/sources") -> None:
        self.sources = {s.id: s for s in corpus.sources}
        self.texts: dict[str, Folded] = {}
        self.hints_left = HINTS_LOOKED_FOR
        self.words_left = HINT_WORDS_SEARCHED
        citations = sum(len(f.citations) for f in corpus.facts) + sum(
            len(r.citations) for e in corpus.entities for r in e.roles
        )
        self.places = Places(PLACES_PER_RUN + PLACES_PER_CITATION * citations)
        self.verified: dict[tuple[str, str], str] = {}
        """(source, passage) of every citation whose passage is in its source's stored text: the passage folded. A
        passage is keyed as the model holds it, its spaces squeezed (``passage_key``); read it with ``found``."""
        for source in corpus.sources:
            if source.snapshot and source.snapshot.file in snapshots:
                raw = snapshots[source.snapshot.file].decode("utf-8", errors="replace")
                shown = f"{shown_sources}/{source.snapshot.file}"
                self.texts[source.id] = dataclasses.replace(fold(raw), places=self.places, shown=shown)

    def found(self, source: str, passage: str) -> str | None:
        """The folded passage, if this passage of this source was found in its stored text, however it was spaced."""
        return self.verified.get((source, passage_key(passage)))

    def hint(self, source: Source, text: Folded, passage: str) -> str:
        """``mismatch_hint`` for the first ``HINTS_LOOKED_FOR`` passages of up to ``HINT_WORDS`` words, while the
        stored texts searched come to no more than ``HINT_WORDS_SEARCHED`` words."""
        if len(passage.split()) > HINT_WORDS:
            return "words this many are not compared with the stored text one by one: copy them from it exactly"
        self.hints_left -= 1
        if self.hints_left < 0:
            return f"copy it from the stored text (no closer match is looked for after {HINTS_LOOKED_FOR} mismatches)"
        self.words_left -= len(text.words)
        if self.words_left < 0:
            return "copy it from the stored text (no closer match is looked for: this run's stored texts are too long)"
        from generator.near_miss import mismatch_hint  # that module builds on this one

        return mismatch_hint(source, text, passage)

    def check_citations(
        self, doc: Document, base: DataPath, citations: list[dict[str, str]], kind: str = "report"
    ) -> list[Problem]:
        """Check each cited passage of one fact or role (``kind`` "report" for a role).

        A claim or quotation that cites a source with stored text must quote the passage that gives it to its
        speaker: without one, nothing checks whose words they are. A passage of a source whose text is not
        stored is refused: footnotes print it in quotation marks as the source's words, and nothing checked them.
        """
        problems = []
        warn = functools.partial(doc.problem, severity="warning")
        for j, citation in enumerate(citations):
            source = self.sources.get(citation["source"])
            passage = citation.get("passage", "")
            where = (*base, "citations", j)
            if source is None:
                continue  # reported as an unknown source by the cross-file check
            problems += _relayed(doc, where, source, citation.get("via", ()))
            text = self.texts.get(source.id)
            if text is None:
                if passage and source.snapshot is None:
                    message = f"source '{source.id}' has no stored text, so this passage cannot be checked"
                    hint = "store the article's text as a snapshot, or drop the passage"
                    problems.append(doc.problem((*where, "passage"), message, hint=hint))
                continue
            if not passage and kind in ("claim", "quote"):
                message = f"source '{source.id}' has stored text; quote the passage that gives this to its speaker"
                hint = "copy the words that say who said it, such as: “…,” the minister said"
                problems.append(doc.problem(where, message, hint=hint))
            elif not passage:
                problems.append(
                    warn(where, f"source '{source.id}' has stored text; quote the passage that supports this")
                )
            elif (first := next(spans := text.occurrences(folded := fold_text(passage)), None)) is not None:
                self.verified[source.id, passage_key(passage)] = folded
                if not as_printed(text, passage, itertools.chain([first], spans)):
                    # Found as a keyboard types it; footnotes quote it, so it keeps the source's characters.
                    message = f"the passage has the words of '{source.id}', but not all of its characters"
                    hint = f"write it as the source prints it: {text.printed(*first)}"
                    problems.append(doc.problem((*where, "passage"), message, hint=hint))
                elif (words := folded.count(" ") + 1) < SHORTEST_PASSAGE:
                    message = f"a passage of {words} word(s) cannot show what the source says"
                    hint = "quote the words that state it, such as the whole clause"
                    problems.append(warn((*where, "passage"), message, hint=hint))
            else:
                problems.append(
                    doc.problem(
                        (*where, "passage"),
                        f"passage not found in the stored text of '{source.id}'",
                        hint=self.hint(source, text, passage),
                    )
                )
        return problems
