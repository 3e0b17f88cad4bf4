"""Checks that dates agree with each other and with today, and that no article is recorded twice.

A date only says "as of": a fact or a role is what a source reported when it was published. So
nothing can be dated after today, no source can have been read before it was published, and no
fact or role can be dated after every source it cites was published. Dates are compared by the
periods they cover ("2026-01" covers all of January), so a coarse date is never wrong for being
coarse. A source whose publication date is only estimated bounds nothing. "Today" is ``--today``, else
the current date in UTC, and a date may be one day past it: a contributor east of Greenwich writes
tomorrow's date in UTC's today.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from generator.loader import DataPath, Document
from generator.model import Citation, Corpus, DateSpec, Source
from generator.problems import Problem

LATE_HINT = (
    "a fact or role is dated as of when its source reported it: use the source's date, or cite the later "
    "source that reports it"
)


def first_day(date: DateSpec) -> dt.date:
    """The first day a date can mean."""
    return date.start


def last_day(date: DateSpec) -> dt.date:
    """The last day a date can mean: the end of its year or month, or the day itself."""
    start = date.start
    if date.precision == "year":
        return dt.date(start.year, 12, 31)
    if date.precision == "month":
        return dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


def address_key(url: str) -> str:
    """An article's address as two records of it would both write it: no fragment, case or final slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def _limit(today: dt.date | None) -> dt.date | None:
    return None if today is None else today + dt.timedelta(days=1)


def source_problems(docs: list[Document], sources: Iterable[Source], today: dt.date | None) -> list[Problem]:
    """A source read before it was published, dated after today, or recording an address already recorded."""
    limit = _limit(today)
    by_file = {s.file: s for s in sources}
    problems: list[Problem] = []
    recorded: dict[str, Source] = {}
    for doc in sorted(docs, key=lambda d: d.path):
        source = by_file.get(doc.path)
        if source is None:
            continue
        key = address_key(source.url)
        first = recorded.setdefault(key, source)
        if first is not source:
            problems.append(
                doc.problem(
                    ("url",),
                    f"this article is already recorded as source '{first.id}' ({first.file})",
                    hint=f"cite '{first.id}' instead: one article is one source, however many facts cite it",
                )
            )
        for key_name, date in (("published", source.published), ("accessed", source.accessed)):
            if limit is not None and first_day(date) > limit:
                problems.append(_dated(doc, key_name, date, f"is after today, {limit - dt.timedelta(days=1)}"))
        if last_day(source.accessed) < first_day(source.published):
            problems.append(
                _dated(
                    doc,
                    "accessed",
                    source.accessed,
                    f"is before the source was published ({source.published.value})",
                    hint="the accessed date is the day someone read the source",
                )
            )
    return problems


def dating_problems(docs: list[Document], corpus: Corpus, today: dt.date | None) -> list[Problem]:
    """A fact or role dated after today, or after every source it cites was published."""
    late = _Lateness(corpus, today)
    flawed = {f.file for f in corpus.facts if late(f.date, f.citations)}
    flawed |= {e.file for e in corpus.entities for r in e.roles if late(r.as_of, r.citations)}
    if not flawed:
        return []
    entities = {e.file: e for e in corpus.entities}
    facts_by_file: dict[str, list[tuple[DateSpec, tuple[Citation, ...]]]] = {}
    for fact in corpus.facts:
        if fact.file in flawed:
            facts_by_file.setdefault(fact.file, []).append((fact.date, fact.citations))
    problems: list[Problem] = []
    for doc in docs:
        entity = entities.get(doc.path)
        if entity is None or doc.path not in flawed:
            continue
        items = [(("roles", i, "as_of"), r.as_of, r.citations) for i, r in enumerate(entity.roles)]
        items += [(("facts", i, "date"), d, c) for i, (d, c) in enumerate(facts_by_file.get(doc.path, []))]
        for path, date, citations in items:
            what = late(date, citations)
            if what:
                problems.append(_at(doc, path, date, what))
    return problems


class _Lateness:
    """Why a date of a fact or role is too late, or "": one pass over every fact, so kept cheap."""

    def __init__(self, corpus: Corpus, today: dt.date | None) -> None:
        self.today, self.limit = today, _limit(today)
        self.published: dict[str, dt.date | None] = {
            s.id: None if s.published.certainty == "estimated" else last_day(s.published) for s in corpus.sources
        }
        self.starts: dict[DateSpec, dt.date] = {}

    def __call__(self, date: DateSpec, citations: tuple[Citation, ...]) -> str:
        start = self.starts.get(date)
        if start is None:
            start = self.starts[date] = first_day(date)
        if self.limit is not None and start > self.limit:
            return f"is after today, {self.today}"
        latest: dt.date | None = None
        for citation in citations:
            bound = self.published.get(citation.source)
            if bound is None:  # estimated, or an unknown source that the cross-file check reports
                return ""
            if latest is None or bound > latest:
                latest = bound
        if latest is not None and start > latest:
            return f"is after every source it cites was published (the last on {latest})"
        return ""


def _dated(doc: Document, key: str, date: DateSpec, what: str, hint: str = "") -> Problem:
    return _at(doc, (key,), date, what, hint)


def _at(doc: Document, path: DataPath, date: DateSpec, what: str, hint: str = LATE_HINT) -> Problem:
    where = (*path, "value") if isinstance(_node(doc, path), dict) else path
    return doc.problem(where, f"the date {date.value} {what}", hint=hint)


def _node(doc: Document, path: DataPath) -> object:
    node: object = doc.data
    for step in path:
        node = node[step]  # type: ignore[index]
    return node
