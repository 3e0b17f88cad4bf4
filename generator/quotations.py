"""Where a stored text quotes someone: the stretches between its quotation marks.

A fact of ``kind: quote`` presents its words as someone's own. Being somewhere in the article is
not enough for that: the article's own narration, a headline or a subheading is in the article too,
and none of them is anyone's words. So the words of a quotation must lie between one pair of
quotation marks of a stored text.

A quoted stretch opens at a mark that opens quotations in the languages the sources are written in
and ends at the first mark that closes it. It also ends at a blank line: a quotation that runs on
into another paragraph opens again there, as typesetters do, and an opening mark that is never
closed quotes nothing. A right single quotation mark followed by a letter is an apostrophe
("Kosovo’s"), not a closing mark.
"""

from __future__ import annotations

import re
from functools import cache

from generator.loader import DataPath, Document
from generator.problems import Problem
from generator.verify import Verifier, fold_text, has_words

CLOSING = {
    "\u201c": "\u201d",  # “English”
    "\u201e": "\u201c\u201d",  # „Serbian, Albanian, German“ and „Polish”
    "\u00ab": "\u00bb",  # «Russian, Albanian, French»
    "\u2039": "\u203a",  # ‹single guillemets›
    "\u2018": "\u2019",  # ‘single, English’
    "\u201a": "\u2018\u2019",  # ‚single, German‘
    '"': '"',  # "straight"
}
"""For each opening quotation mark, the marks that close it."""

_OPENING = re.compile("[" + re.escape("".join(CLOSING)) + "]")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
APOSTROPHE = "\u2019"
NO_TEXT_HINT = "add a snapshot to one of the cited sources, or make the fact a claim"
PASSAGE_HINT = "cite the passage that holds these words and says who spoke them, such as: “…,” the minister said"
UNQUOTED_HINT = (
    "quote only words the source prints between quotation marks, leaving the marks out (the site adds its "
    "own); or make the fact a claim or a report"
)


def _closed_at(text: str, start: int, closing: str) -> int:
    """Index of the mark that closes a quotation opened just before ``start``, or -1."""
    end = _PARAGRAPH_BREAK.search(text, start)
    stop = end.start() if end else len(text)
    for index in range(start, stop):
        char = text[index]
        if char in closing and not (char == APOSTROPHE and text[index + 1 : index + 2].isalpha()):
            return index
    return -1


def quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) of the words inside each pair of quotation marks, marks excluded, in order.

    A quotation inside another one is part of the outer one's span, and is not listed on its own.
    """
    spans: list[tuple[int, int]] = []
    at = 0
    while (opening := _OPENING.search(text, at)) is not None:
        start = opening.end()
        close = _closed_at(text, start, CLOSING[opening.group()])
        if close < 0:
            at = start  # never closed: it quotes nothing; look for the next opening mark
            continue
        spans.append((start, close))
        at = close + 1
    return tuple(spans)


def within(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    """True if the stretch [start, end) lies inside one of the spans."""
    return any(low <= start and end <= high for low, high in spans)


@cache
def _spans_of(text: str) -> tuple[tuple[int, int], ...]:
    return quoted_spans(text)  # one stored text is asked about for every quotation that cites it


def check_quote(
    verifier: Verifier, doc: Document, base: DataPath, quote: str, citations: list[dict[str, str]]
) -> list[Problem]:
    """Check that a quotation's words are someone's words in a stored text it cites, and in its passage."""
    texts = verifier.texts
    cited = [verifier.sources[c["source"]] for c in citations if c["source"] in verifier.sources]
    stored = [s for s in cited if s.id in texts]
    if not stored:
        if len(cited) < len(citations) or any(s.snapshot for s in cited):
            return []  # an unknown source or a missing snapshot file is already an error
        message = "a quotation must cite a source whose text is stored, so its words can be checked"
        return [doc.problem((*base, "text"), message, hint=NO_TEXT_HINT)]
    folded = fold_text(quote)
    found = [(s, at) for s in stored for at in texts[s.id].occurrences(folded)]
    if not found:
        first = stored[0]
        message = "quotation not found word for word in the stored text of " + ", ".join(f"'{s.id}'" for s in stored)
        return [doc.problem((*base, "text"), message, hint=verifier.hint(first, texts[first.id], quote))]
    if not any(within(_spans_of(texts[s.id].original), *at) for s, at in found):
        source, (start, _) = found[0]
        message = (
            f"these words are in the stored text of '{source.id}' (line {texts[source.id].line_of(start)}), "
            "but not between quotation marks: the source does not give them as anyone's words"
        )
        return [doc.problem((*base, "text"), message, hint=UNQUOTED_HINT)]
    # The passages that are in their source: one that is not has an error of its own.
    verified = verifier.verified
    passages = [verified[key] for c in citations if (key := (c["source"], c.get("passage", ""))) in verified]
    if passages and not any(has_words(passage, folded) for passage in passages):
        return [doc.problem((*base, "text"), "the quotation is not in the passage it cites", hint=PASSAGE_HINT)]
    return []
