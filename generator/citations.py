"""Run the checks that make citations trustworthy, over a corpus that has been built."""

from __future__ import annotations

import dataclasses
import datetime as dt

from generator.lifecycle import resolve_today, retraction_problems, staleness_problems
from generator.loader import Document
from generator.model import Corpus
from generator.problems import Problem
from generator.roles import role_problems
from generator.verify import verify_documents


def check_sourcing(
    corpus: Corpus, docs: list[Document], snapshots: dict[str, bytes], today: dt.date | None = None
) -> tuple[Corpus, list[Problem]]:
    """Verify passages and quotes, retractions, roles and staleness; return the corpus dated for today."""
    day, problems = resolve_today(today)
    corpus = dataclasses.replace(corpus, today=day)
    problems += verify_documents(docs, corpus, snapshots)
    problems += retraction_problems(docs, corpus)
    problems += role_problems(docs, corpus)
    problems += staleness_problems(docs, corpus)
    return corpus, problems
