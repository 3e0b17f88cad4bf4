"""How long facts stay current, and what happens to facts when their sources are corrected or retracted."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from collections.abc import Mapping
from functools import lru_cache

from generator.loader import Document
from generator.model import Corpus, Fact, Role, Source, facts_by_file
from generator.problems import Problem

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def add_duration(start: dt.date, duration: str) -> dt.date:
    """Add an ISO 8601 duration of years, months, weeks and days to a date (month ends are clamped)."""
    match = _DURATION.match(duration)
    if not match or duration == "P":
        raise ValueError(f"not an ISO 8601 duration of years, months, weeks and days: {duration!r}")
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    month_index = start.month - 1 + months + 12 * years
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) + dt.timedelta(weeks=weeks, days=days)


@lru_cache(maxsize=1 << 14)  # facts share dates and durations
def review_date(start: dt.date, duration: str) -> dt.date | None:
    """The day something dated ``start`` and current for ``duration`` is due for review."""
    if not duration:
        return None
    try:
        return add_duration(start, duration)
    except (ValueError, OverflowError):
        return None  # the schema reports a malformed duration


def is_stale(review: dt.date | None, today: dt.date | None) -> bool:
    """True once today is past the review date."""
    return review is not None and today is not None and today > review


def calendar_today() -> dt.date:
    """Today by the calendar (UTC): what judges the future, whatever SOURCE_DATE_EPOCH pins."""
    return dt.datetime.now(dt.UTC).date()


def resolve_today(given: dt.date | None, environ: Mapping[str, str] = os.environ) -> tuple[dt.date, list[Problem]]:
    """The day to judge staleness by: the given date, else SOURCE_DATE_EPOCH, else today (UTC)."""
    if given is not None:
        return given, []
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date(), []
        except (ValueError, OverflowError, OSError):
            whole = re.fullmatch(
                r"[+-]?\d(?:_?\d)*", epoch
            )  # then it is a number, of seconds beyond the years a date can have
            message = (
                "seconds since 1970 that give a year from 1 to 9999"
                if whole
                else "a whole number of seconds since 1970"
            )
            problem = Problem("SOURCE_DATE_EPOCH", 0, 0, f"expected {message}; found '{epoch[:40]}'")
            return calendar_today(), [problem]
    return calendar_today(), []


def staleness_problems(docs: list[Document], corpus: Corpus) -> list[Problem]:
    """A warning for every fact and role that is past its review date."""
    today = corpus.today
    entities = {e.file: e for e in corpus.entities}
    by_file = facts_by_file(corpus.facts)
    problems: list[Problem] = []
    for doc in docs:
        entity = entities.get(doc.path)
        if today is None or entity is None:
            continue
        items: list[tuple[str, str, Fact | Role]] = [("roles", "as_of", r) for r in entity.roles]
        items += [("facts", "date", f) for f in by_file.get(doc.path, [])]
        counters = {"roles": 0, "facts": 0}
        for folder, date_key, item in items:
            index = counters[folder]
            counters[folder] += 1
            if item.review is None or not is_stale(item.review, today):
                continue
            dated = item.as_of if isinstance(item, Role) else item.date
            written = doc.data[folder][index][date_key]
            if (written.get("value") if isinstance(written, dict) else written) != dated.value:
                continue  # not a calendar date: its error says so, and the year kept for the checks is not its own
            what = f"role '{item.title}'" if isinstance(item, Role) else f"fact '{item.id}'"
            own = "valid_for" in doc.data[folder][index]
            problems.append(
                doc.problem(
                    (folder, index, "valid_for" if own else date_key),
                    f"{what} dated {dated.value} was current for {item.valid_for}; it was due for review on "
                    f"{item.review.isoformat()} and today is {today.isoformat()}",
                    severity="warning",
                    hint="check that it still holds: add a newer fact or role from a newer source, or extend valid_for",
                )
            )
    return problems


def _support_problem(
    doc: Document,
    path: tuple[str | int, ...],
    item: tuple[str, str],
    citations: list[dict[str, str]],
    sources: dict[str, Source],
) -> Problem | None:
    """An error for a fact or a role (``item``: ("fact", its id) or ("role", its title)) whose every source is
    retracted."""
    cited = {c["source"] for c in citations}
    if not cited or not cited <= sources.keys():
        return None  # unknown sources are reported by the cross-file check
    if all(sources[s].retracted for s in cited):
        names = ", ".join(f"'{s}'" for s in sorted(cited))
        return doc.problem(
            (*path, "citations"),
            f"{item[0]} '{item[1]}' rests only on retracted sources ({names})",
            hint=f"cite a source that still stands, or remove the {item[0]}",
            key=True,
        )
    return None


def retraction_problems(docs: list[Document], corpus: Corpus) -> list[Problem]:
    """An error for every fact or role whose only support has been retracted."""
    sources = {s.id: s for s in corpus.sources}
    problems: list[Problem] = []
    for doc in docs:
        for i, role in enumerate(doc.data.get("roles", [])):
            found = _support_problem(doc, ("roles", i), ("role", role["title"]), role["citations"], sources)
            problems += [found] if found else []
        for i, fact in enumerate(doc.data.get("facts", [])):
            found = _support_problem(doc, ("facts", i), ("fact", fact["id"]), fact["citations"], sources)
            problems += [found] if found else []
    return problems


def troubled_sources(item: Fact | Role, sources: Mapping[str, Source]) -> list[Source]:
    """The corrected or retracted sources a fact or role cites, each once, in citation order."""
    seen = dict.fromkeys(c.source for c in item.citations)
    out = []
    for source_id in seen:
        source = sources.get(source_id)
        if source and source.status and source.status.state in ("corrected", "retracted"):
            out.append(source)
    return out
