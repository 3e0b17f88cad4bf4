"""Where a stored text quotes someone: the stretches between its quotation marks.

A fact of ``kind: quote`` presents its words as someone's own. Being somewhere in the article is
not enough for that: the article's own narration, a headline or a subheading is in the article too,
and none of them is anyone's words. So the words of a quotation must lie between one pair of
quotation marks of a stored text, and inside the passage it cites there.

The marks are those of the sources' languages: “…” and ‘…’ (English), „…“ and „…” and „…" (Serbian,
Bosnian, Albanian), «…» (Russian, Albanian), »…« (Croatian, Bosnian), ”…” (Albanian sites), ‚…‘, ‹…›
and "…". A mark that both opens and closes (", ”, », ’) opens only at the start of a word and closes
only at the end of one, so an apostrophe ("Kosovo’s", "officials’ statements") closes nothing and an
inch mark (55") opens nothing; an inch mark after a quotation left open whose closing mark is a
straight one (opened with " or „) would close it, as no reading of the marks alone can tell. A
quotation opened inside another with the same mark («…«…»…») is part of it. A quotation that runs on
into the next paragraph ends at the blank line when the next paragraph opens again with the same
mark, as typesetters do; an opening mark that is otherwise never closed quotes nothing. The text is
read once, mark by mark, whatever its length.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator.loader import DataPath, Document
from generator.model import Source
from generator.problems import Problem
from generator.verify import PRINTED_LOOKED_AT, Folded, Verifier, as_printed, fold_text

CLOSING = {
    "\u201c": "\u201d",  # “English”
    "\u201e": '\u201c\u201d"',  # „Serbian, Albanian“, „Polish” and „as often typed"
    "\u00ab": "\u00bb",  # «Russian, Albanian, French»
    "\u00bb": "\u00ab",  # »Croatian, Bosnian, German«
    "\u201d": "\u201d",  # ”Albanian and Swedish sites”
    "\u2039": "\u203a",  # ‹single guillemets›
    "\u2018": "\u2019",  # ‘single, English’
    "\u201a": "\u2018\u2019",  # ‚single, German‘
    '"': '"',  # "straight"
}
"""For each opening quotation mark, the marks that close it."""

AMBIGUOUS = {'"', "\u201d", "\u00bb", "\u00ab", "\u2019"}
"""Marks that open in one language and close in another, or are apostrophes too: these open only
where a word starts and close only where one ends."""

_MARK = re.compile("[" + re.escape("".join(CLOSING) + "".join(CLOSING.values())) + "]|\n[^\\S\n]*\n")
NO_TEXT_HINT = "add a snapshot to one of the cited sources, or make the fact a claim"
PASSAGE_HINT = "cite the passage that holds these words and says who spoke them, such as: “…,” the minister said"
UNQUOTED_HINT = (
    "quote only words the source prints between quotation marks, leaving the marks out (the site adds its "
    "own); or make the fact a claim or a report"
)

EDGE_HINT = (
    "record the spoken words alone: leave out the source's quotation marks (the site adds its own) and the comma "
    "or full stop its sentence adds after them"
)
_MARKS = frozenset(CLOSING) | frozenset("".join(CLOSING.values()))
_APOSTROPHES = frozenset("\u2019'")
_ELIDED = re.compile(r"\d|(?:[Tt]was|[Tt]is|em|til|cause)\b")
"""What a single opening mark stands before when it is an apostrophe: a decade, or a word that lost its start."""


def edge_problem(quote: str) -> str:
    """What is wrong with the ends of a quotation's text, or "": the marks and punctuation of the source's sentence."""
    text = quote.strip()
    if not text:
        return ""
    if text[-1] in ",;:":
        name = {",": "comma", ";": "semicolon", ":": "colon"}[text[-1]]
        return f"the quotation ends with a {name}, which the source's sentence adds after the spoken words"
    first, last = text[0], text[-1]
    # "’90s" starts with an apostrophe, and so do "‘90s" and "‘Twas" as some typesetters print them.
    opening = first in _MARKS - _APOSTROPHES and not (first == "\u2018" and _ELIDED.match(text, 1))
    if opening and (first not in CLOSING or not any(mark in text[1:] for mark in CLOSING[first])):
        return "the quotation starts with a quotation mark that nothing in it closes"
    closing = last in _MARKS and not (last in _APOSTROPHES and text[-2:-1].isalnum())  # "the officials’"
    if closing and not any(last in CLOSING.get(mark, "") for mark in text[:-1]):
        return "the quotation ends with a quotation mark that nothing in it opens"
    if first in CLOSING and last in CLOSING[first] and not _MARK.search(text[1:-1]):
        return "the quotation is wrapped in quotation marks"
    return ""


def _starts_word(text: str, at: int) -> bool:
    """Whether a mark at ``at`` stands where a word starts: after a space or bracket, before a non-space."""
    before = text[at - 1] if at else " "
    after = text[at + 1 : at + 2]
    return (before.isspace() or before in "([{:—–-/") and bool(after) and not after.isspace()


def _ends_word(text: str, at: int) -> bool:
    """Whether a mark at ``at`` stands where a word ends: after a non-space, before no letter or digit.

    A right single mark after a letter and before a space is an apostrophe ("officials’ statements"),
    unless punctuation comes first ("‘Yes,’ he said") or the paragraph ends."""
    before = text[at - 1] if at else " "
    after = text[at + 1 : at + 2]
    if before.isspace() or after.isalnum():
        return False
    if text[at] == "\u2019" and before.isalpha():
        return after in ("", "\n") or not after.isspace()
    return True


def quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) of the words inside each pair of quotation marks, marks excluded, in order.

    A quotation inside another one is part of the outer one's span, and is not listed on its own.
    """
    spans: list[tuple[int, int]] = []
    opener, start, depth = "", 0, 0
    for found in _MARK.finditer(text):
        mark, at = found.group(), found.start()
        if mark[0] == "\n":  # a blank line
            if opener:
                following = text[found.end() : found.end() + 1]
                if following == opener:  # the quotation runs on: this paragraph of it ends here
                    spans.append((start, at))
                opener = ""
            continue
        if not opener:
            if mark in CLOSING and (mark not in AMBIGUOUS or _starts_word(text, at)):
                opener, start, depth = mark, at + 1, 1
            continue
        closes = mark in CLOSING[opener] and (mark not in AMBIGUOUS or _ends_word(text, at))
        if closes and depth == 1:
            spans.append((start, at))
            opener = ""
        elif closes:
            depth -= 1
        elif mark == opener and (mark not in AMBIGUOUS or _starts_word(text, at)):
            depth += 1  # «…«…»…»: the same mark, opened again inside
    return tuple(spans)


def holding(spans: tuple[tuple[int, int], ...], start: int, end: int) -> tuple[int, int] | None:
    """The span (of spans sorted, and never overlapping) inside which the stretch [start, end) lies, or None."""
    index = bisect.bisect_right(spans, (start, 1 << 62)) - 1
    return spans[index] if index >= 0 and spans[index][0] <= start and end <= spans[index][1] else None


def within(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    """True if the stretch [start, end) lies inside one of the spans (sorted, and never overlapping)."""
    return holding(spans, start, end) is not None


class Inside:
    """Whether stretches of a stored text lie inside a place of some passages, asked in the order the stretches
    start: the passages' places (which, unlike ``within``'s spans, may overlap) are read once, in step with the
    stretches asked about, and no further than the last one. Each answer costs next to nothing, not a search of
    the text, so a text that holds the words thousands of times is read for the passages once."""

    def __init__(self, text: Folded, passages: Iterable[str]) -> None:
        self._places = heapq.merge(*(text.occurrences(passage) for passage in dict.fromkeys(passages)))
        self._next = next(self._places, None)
        self._end = -1
        """The furthest end of the places that start where the last stretch asked about starts, or before it."""

    def __call__(self, start: int, end: int) -> bool:
        """Whether [start, end) lies inside one of the places; ``start`` is never less than the last one asked."""
        while self._next is not None and self._next[0] <= start:
            self._end = max(self._end, self._next[1])
            self._next = next(self._places, None)
        return end <= self._end


def check_quote(
    verifier: Verifier, doc: Document, base: DataPath, quote: str, citations: list[dict[str, str]]
) -> list[Problem]:
    """Check that a quotation's words are someone's words in a stored text it cites, and in its passage."""
    if edges := edge_problem(quote):
        return [doc.problem((*base, "text"), edges, hint=EDGE_HINT)]
    texts = verifier.texts
    stored = _stored(verifier, citations)
    if not stored:
        if stored is None:
            return []  # an unknown source or a missing snapshot file is already an error
        message = "a quotation must cite a source whose text is stored, so its words can be checked"
        return [doc.problem((*base, "text"), message, hint=NO_TEXT_HINT)]
    passages = _passages(verifier, citations)
    seen = _seen(verifier, stored, quote, passages)
    if seen.first is None:
        first = stored[0]
        message = "quotation not found word for word in the stored text of " + ", ".join(f"'{s.id}'" for s in stored)
        return [doc.problem((*base, "text"), message, hint=verifier.hint(first, texts[first.id], quote))]
    if seen.quoted is None:
        source_id, (start, _) = seen.first
        message = (
            f"these words are in the stored text of '{source_id}' (line {texts[source_id].line_of(start)}), "
            "but not between quotation marks: the source does not give them as anyone's words"
        )
        return [doc.problem((*base, "text"), message, hint=UNQUOTED_HINT)]
    # The passages that are in their source (one that is not has an error of its own): the quoted words
    # must be inside one of them, where it stands in the text, not only somewhere else in the article.
    if seen.given is None:
        return [doc.problem((*base, "text"), "the quotation is not in the passage it cites", hint=PASSAGE_HINT)]
    # Found with quotation marks, dashes and apostrophes folded, as a keyboard types them: published, the
    # speaker's words keep the source's characters.
    if not seen.printed:
        source_id, at = seen.quoted
        message = "the quotation has the source's words, but not all of its characters"
        hint = f"write it as the source prints it: {texts[source_id].printed(*at)}"
        return [doc.problem((*base, "text"), message, hint=hint)]
    return []


@dataclass
class _Seen:
    """What the places of a quotation's words in the stored texts it cites show: (source, (start, end)) of the first
    place, of the first between quotation marks, and of the first of those inside a cited passage, which gives the
    words to the speaker (with no passage, of the first between marks); and whether the words are printed as given."""

    first: tuple[str, tuple[int, int]] | None = None
    quoted: tuple[str, tuple[int, int]] | None = None
    given: tuple[str, tuple[int, int]] | None = None
    printed: bool = False


def _seen(verifier: Verifier, stored: list[Source], quote: str, passages: list[tuple[str, str]]) -> _Seen:
    """The places of a quotation's words in the stored texts, read in order and no further than needed to know.

    The words are compared character for character at the first ``PRINTED_LOOKED_AT`` places between quotation
    marks, and at the first ``PRINTED_LOOKED_AT`` of those inside a cited passage: the places a contributor copies
    from. Whether one is inside a passage is asked of every place between marks, so the one that gives the words
    to the speaker is found however many others come before it."""
    seen, folded, quoted, given = _Seen(), fold_text(quote), 0, 0
    for source in stored:
        text = verifier.texts[source.id]
        inside = Inside(text, [passage for cited, passage in passages if cited == source.id])
        for at in text.occurrences(folded):
            seen.first = seen.first or (source.id, at)
            if not within(text.quoted, *at):
                continue
            seen.quoted, quoted = seen.quoted or (source.id, at), quoted + 1
            in_passage = not passages or inside(*at)
            if in_passage:
                seen.given, given = seen.given or (source.id, at), given + 1
            if not seen.printed and (quoted <= PRINTED_LOOKED_AT or in_passage and given <= PRINTED_LOOKED_AT):
                seen.printed = as_printed(text, quote, [at])
            if seen.given and (seen.printed or min(quoted, given) >= PRINTED_LOOKED_AT):
                return seen
    return seen


def _stored(verifier: Verifier, citations: list[dict[str, str]]) -> list[Source] | None:
    """The cited sources whose text is stored, each once (two citations of one source are one text to read); None
    when a cited source is unknown or its stored text missing, which is an error of its own."""
    cited = [verifier.sources[c["source"]] for c in citations if c["source"] in verifier.sources]
    stored = list({s.id: s for s in cited if s.id in verifier.texts}.values())
    if not stored and (len(cited) < len(citations) or any(s.snapshot for s in cited)):
        return None
    return stored


def _passages(verifier: Verifier, citations: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(source, folded passage) of each cited passage found in its source's stored text."""
    found = ((c["source"], verifier.found(c["source"], c.get("passage", ""))) for c in citations)
    return [(source, passage) for source, passage in found if passage is not None]


QUOTED_HINT = (
    "copy the words between the marks from the stored text exactly, or drop the marks and say it in your own words"
)
_STRAIGHT = re.compile(r"'")
_OTHER_MARKS = re.compile(
    "[\u201b\u201f\u2e42\u300c-\u300f\u301d-\u301f\ufe41-\ufe44\uff02\uff07\uff62\uff63"
    "\u275b-\u2760\u276e\u276f\u02ba\u02ee\u05f4\u3003\U0001f676-\U0001f678\u2036]|(?<![0-9])\u2033"
)
"""Marks that quote in other scripts, or look like quotation marks, but that no source of ours quotes with: in a fact's
text they would set off words as someone's while the quoted-words check, reading only the marks above, let them be.
A double prime (″) after a digit is no quotation mark: it writes seconds of arc and inches ("42°39′56″N", "55″")."""
OTHER_MARK_HINT = "write quotation marks as “…” (or ‘…’ inside them), so that the quoted words are checked"


def _single_quoted(text: str) -> list[str]:
    """Words between straight single marks, which the stored texts' rules read as apostrophes. In a fact's own
    text a mark that opens before a letter and one that closes after a word quote ("has 'the strongest army'");
    one inside a word, or before a decade or an elided word ("the '90s", "'tis"), does not, and neither do the
    marks around a single letter ("rock 'n' roll"). One pass over the marks, whatever the text's length."""
    spans, start = [], -1
    for found in _STRAIGHT.finditer(text):
        at = found.start()
        before, after = text[at - 1 : at] or " ", text[at + 1 : at + 2] or " "
        if start < 0:
            if not before.isalnum() and after.isalpha() and not _ELIDED.match(text, at + 1):
                start = at + 1
        elif (before.isalnum() or before in ".,;:!?") and not after.isalnum():
            if at - start > 1:
                spans.append(text[start:at])
            start = -1
    return spans


_INSIDE_CLOSING = ".,;:!?"
"""Punctuation that English news sets inside a closing mark (“very small.”): the sentence's, not the speaker's."""


def quoted_words(text: str) -> list[str]:
    """The words a fact's text puts between quotation marks, without the punctuation set inside the closing mark."""
    spans = [text[start:end] for start, end in quoted_spans(text)]
    spans += _single_quoted(text) if "'" in text else []
    words = (" ".join(span.split()).rstrip(_INSIDE_CLOSING).strip() for span in spans)
    return [w for w in words if fold_text(w)]


def spellings(words: str) -> list[str]:
    """Words a fact's text quotes, folded, with their first letter in either case: running text may start a
    quotation in small letters ("said “these contacts …”")."""
    return list(dict.fromkeys((fold_text(words), fold_text(words[:1].swapcase() + words[1:]))))


def check_quoted_words(
    verifier: Verifier, doc: Document, base: DataPath, kind: str, text: str, citations: list[dict[str, str]]
) -> list[Problem]:
    """Words that a claim or a report puts between quotation marks are given as exact words: they must be in the
    stored text of a source it cites, as the source prints them. A claim's must be the speaker's: between the
    source's quotation marks, inside a passage the claim cites. A report may quote the source's own words
    ("RksNews calls the United States “Kosovo’s most important strategic partner”")."""
    where = (*base, "text")
    if other := _OTHER_MARKS.search(text):
        message = f"“{other.group()}” looks like a quotation mark but is not one the site reads"
        return [doc.problem(where, message, hint=OTHER_MARK_HINT)]
    quoted = quoted_words(text)
    if not quoted:
        return []
    stored = _stored(verifier, citations)
    if not stored:
        if stored is None:
            return []
        message = "words in quotation marks must be checked against a stored text; no source this fact cites has one"
        return [doc.problem(where, message, hint=QUOTED_HINT)]
    texts = verifier.texts
    passages = _passages(verifier, citations) if kind == "claim" else []
    if kind == "claim" and not passages:
        return []  # a claim citing stored text without a passage, or with a wrong one, has that error already
    for words in dict.fromkeys(quoted):  # words quoted twice are checked once
        first = None
        for source_id, at in itertools.islice(
            _given(verifier, stored, spellings(words), passages, kind), PRINTED_LOOKED_AT
        ):
            first = first or (source_id, at)
            if as_printed(texts[source_id], words, [at], any_first_case=True):
                break
        else:
            if first is None:
                whose = "a quotation in a passage this claim cites" if kind == "claim" else "in the stored text of "
                names = "" if kind == "claim" else ", ".join(f"'{s.id}'" for s in stored)
                message = f"the words in quotation marks, “{words}”, are not {whose}{names}"
                return [doc.problem(where, message, hint=QUOTED_HINT)]
            source_id, at = first
            message = f"the words in quotation marks, “{words}”, have the source's words but not all of its characters"
            hint = f"write them as the source prints them: {texts[source_id].printed(*at)}"
            return [doc.problem(where, message, hint=hint)]
    return []


def _given(
    verifier: Verifier, stored: list[Source], variants: list[str], passages: list[tuple[str, str]], kind: str
) -> Iterator[tuple[str, tuple[int, int]]]:
    """(source, (start, end)) of each place of the words, in any of their spellings, in the stored texts, in order.
    A claim's are the speaker's words: only the places between the source's quotation marks, inside a passage the
    claim cites, which give them to the speaker."""
    for source in stored:
        text = verifier.texts[source.id]
        cited = [passage for cited, passage in passages if cited == source.id]
        for folded in variants:
            if kind != "claim":
                yield from ((source.id, at) for at in text.occurrences(folded))
            elif cited:
                inside = Inside(text, cited)
                yield from (
                    (source.id, at) for at in text.occurrences(folded) if within(text.quoted, *at) and inside(*at)
                )
