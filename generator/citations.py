"""Run the checks that make citations trustworthy, over a corpus that has been built."""

from __future__ import annotations

import dataclasses
import datetime as dt

from generator.lifecycle import resolve_today, retraction_problems, staleness_problems
from generator.loader import Document
from generator.model import Corpus
from generator.people import Names
from generator.problems import Problem
from generator.quotations import check_quote, check_quoted_words
from generator.roles import role_problems
from generator.speakers import speaker_problems
from generator.verify import TooManyPlaces, Verifier


def check_sourcing(
    corpus: Corpus,
    docs: list[Document],
    snapshots: dict[str, bytes],
    today: dt.date | None = None,
    flawed: frozenset[str] = frozenset(),
    shown_sources: str = "facts/sources",
) -> tuple[Corpus, list[Problem]]:
    """Verify passages and quotes, retractions, roles, speakers and staleness; return the corpus dated for today.

    ``flawed`` holds the ids of files that failed their own checks, which a reference to is no error here;
    ``shown_sources`` is the folder of the stored texts as problems name it."""
    day, problems = resolve_today(today)
    corpus = dataclasses.replace(corpus, today=day)
    verifier = Verifier(corpus, snapshots, shown_sources)
    names = Names(corpus.entities)
    try:
        verify_documents(docs, verifier, problems)
        problems += speaker_problems(docs, corpus, names, verifier)
    except TooManyPlaces as exc:  # a stored text made to hold passages' words millions of times
        message = "the checks of passages and quotations stopped in this stored text: their words stand at too many "
        message += "places in the stored texts to check them all"
        hint = "store each article's text as published; a real one holds a passage's words a few times at most"
        problems.append(Problem(exc.shown, 0, 0, message, hint=hint))
    problems += retraction_problems(docs, corpus)
    problems += role_problems(docs, corpus, names, flawed)
    problems += staleness_problems(docs, corpus)
    return corpus, problems


def verify_documents(docs: list[Document], verifier: Verifier, problems: list[Problem]) -> None:
    """Check every passage and every quotation in the entity documents, adding what is wrong to ``problems`` as
    it is found (so that a check stopped midway keeps what it found)."""
    for doc in docs:
        for i, role in enumerate(doc.data.get("roles", [])):
            problems += verifier.check_citations(doc, ("roles", i), role["citations"])
        for i, fact in enumerate(doc.data.get("facts", [])):
            problems += verifier.check_citations(doc, ("facts", i), fact["citations"], fact["kind"])
            if fact["kind"] == "quote":
                problems += check_quote(verifier, doc, ("facts", i), fact["text"], fact["citations"])
            else:
                problems += check_quoted_words(
                    verifier, doc, ("facts", i), fact["kind"], fact["text"], fact["citations"]
                )
