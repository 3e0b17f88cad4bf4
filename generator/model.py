"""The validated corpus as small immutable values. Only the validator builds them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from generator.loader import Document

FactKind = Literal["report", "claim", "quote"]
Timing = Literal["as-of", "event"]
SourceState = Literal["corrected", "retracted", "dead"]
EntityType = Literal["country", "territory", "region", "organisation", "person"]
Precision = Literal["year", "month", "day"]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


WRITTEN_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
"""The shape of a written date, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, whether or not the calendar has it."""


def first_day_written(value: str) -> dt.date:
    """The first day of a date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ValueError if there is none."""
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def calendar_problem(value: str) -> str:
    """Why a date of the shape ``WRITTEN_DATE`` names no year, month or day of the calendar; "" if it names one.

    Every command that reads a date says so in these words: the validator, ``new`` and ``--today``.
    """
    parts = value.split("-")
    year, month, day = (int(part) for part in (*parts, "0", "0")[:3])
    if year < dt.MINYEAR:
        reason = f"years are numbered from {dt.MINYEAR:04d}"
    elif len(parts) > 1 and not 1 <= month <= 12:
        reason = "months are numbered 01 to 12"
    elif len(parts) == 3 and not 1 <= day <= (last := calendar.monthrange(year, month)[1]):
        reason = f"{MONTHS[month - 1]} {year} has {last} days" if 1 <= day <= 31 else f"no month has a day {day:02d}"
    else:
        return ""
    return f"'{value}' is not a calendar date: {reason}"


PART_STARTS = {"early": ("01", "01"), "mid": ("05", "11"), "late": ("09", "21")}
"""Where the parts of a year (a month) and of a month (a day) start, as the sort order places them."""


@dataclass(frozen=True, slots=True)
class DateSpec:
    """A date exactly as precise as its source allows."""

    value: str
    """ISO form as written: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    precision: Precision
    """Derived from the written form."""
    qualifier: str = ""
    """``early``, ``mid`` or ``late`` for a part of the period, else empty."""
    certainty: str = "exact"
    """``exact`` or ``estimated``."""
    note: str = ""
    """Why the date is what it is, when that is not obvious."""

    @property
    def sort_key(self) -> str:
        """A string that sorts chronologically. A part of a period sorts from where that part starts ("late
        2022" with September 2022, after March 2022); otherwise a vaguer date sorts first in its period."""
        if not self.qualifier:
            return self.value
        month, day = PART_STARTS[self.qualifier]
        return f"{self.value}-{month if self.precision == 'year' else day}"

    @property
    def start(self) -> dt.date:
        """The first day the date could denote."""
        return first_day_written(self.value)

    def human(self) -> str:
        """Render for readers, e.g. ``20 January 2026``, ``late 2022``, ``c. 20 January 2026``."""
        return _human(self.value, self.precision, self.qualifier, self.certainty)


@lru_cache(maxsize=1 << 14)
def _human(value: str, precision: Precision, qualifier: str, certainty: str) -> str:
    # Pages show the same few thousand dates hundreds of thousands of times.
    parts = value.split("-")
    if precision == "day":
        text = f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    elif precision == "month":
        text = f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    else:
        text = parts[0]
    if qualifier:
        text = f"{qualifier} {text}"
    if certainty == "estimated":
        text = f"c. {text}"
    return text


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer from a fact (or role) to the source that supports it."""

    source: str
    """Id of the cited source."""
    passage: str = ""
    """Verbatim passage of the source's stored text; empty when no text is stored."""
    via: tuple[str, ...] = ()
    """Outlets, among the source's ``relays``, whose reporting the source passes on in this passage."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The archived text of a source, stored beside its YAML."""

    file: str
    """File name of the text, relative to ``facts/sources/``."""
    sha256: str
    """Recorded hash of the file's bytes."""


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """What happened to a source after publication: corrected, retracted, or gone offline."""

    state: SourceState
    """``corrected``, ``retracted`` or ``dead``."""
    date: DateSpec
    """When the outlet corrected or retracted it, or when it was found gone."""
    note: str = ""
    """What changed, in a line."""
    archive_url: str = ""
    """Address of an archived copy, if any."""


SITE_LANGUAGE = "en"
"""The language the site is written in (``theme.language`` in ``mkdocs.yml``)."""


def described(title: str) -> str:
    """The description of an article that has no headline, written in square brackets; else ""."""
    inner = title[1:-1]
    bracketed = title.startswith("[") and title.endswith("]") and "[" not in inner and "]" not in inner
    return inner.strip() if bracketed else ""


@dataclass(frozen=True, slots=True)
class Source:
    """A published article that facts cite."""

    id: str
    """File name stem; stable."""
    title: str
    """Title as published."""
    publisher: str
    """Outlet that published it."""
    url: str
    """Address of the original (http or https)."""
    language: str
    """BCP 47 language code."""
    published: DateSpec
    """Date of publication with its precision and certainty."""
    accessed: DateSpec
    """When the project read it, or recorded it without reading it (its note says so)."""
    byline: str = ""
    """Author line as shown, if any."""
    relays: tuple[str, ...] = ()
    """Outlets whose reporting it relays."""
    carried_by: str = ""
    """Outlet that carries an agency's text, if not the publisher."""
    snapshot: Snapshot | None = None
    """Stored text, when the project holds it."""
    note: str = ""
    """Anything a reader should know about the record."""
    file: str = ""
    """YAML file the source came from."""
    status: SourceStatus | None = None
    """Correction, retraction or dead link, if any."""

    @property
    def title_language(self) -> str:
        """The language of the title, for readers' software, when it is not the site's: a title in brackets
        is the project's own description, written in the site's language."""
        primary = self.language.split("-")[0]
        return "" if primary == SITE_LANGUAGE or described(self.title) else self.language

    @property
    def retracted(self) -> bool:
        """True once its outlet has retracted it: it corroborates nothing, and no fact may rest on it alone."""
        return self.status is not None and self.status.state == "retracted"


@dataclass(frozen=True, slots=True)
class Role:
    """An office a person holds, as of a date."""

    title: str
    """The role as the source words it."""
    as_of: DateSpec
    """Date the role is stated for."""
    citations: tuple[Citation, ...]
    """Sources stating the role."""
    of: str = ""
    """Entity id the role belongs to, if any."""
    valid_for: str = ""
    """ISO 8601 duration the role stays current for, e.g. ``P1Y``; empty for no limit."""
    review: dt.date | None = None
    """``as_of`` plus ``valid_for``: the day the role is due for review."""


@dataclass(frozen=True)
class RoleMention:
    """A role a fact's text gives a person, checked against the person's profile."""

    person: str
    """Entity id of the person."""
    title: str
    """The role title as the person's profile words it."""
    words: str
    """The words of the fact's text that name the role."""


@dataclass(frozen=True, slots=True)
class Fact:
    """One cited statement: a report, a claim or a quotation."""

    id: str
    """Unique across the corpus and stable."""
    kind: FactKind
    """What the source does with it: reports it, or relays someone's claim or words."""
    text: str
    """The statement; for quotes, the verbatim words."""
    date: DateSpec
    """When it happened or was said, or the day as of which its source reports that it holds; never later
    than the sources that report it."""
    topics: tuple[str, ...]
    """Topic ids."""
    entity: str
    """Id of the entity whose file holds the fact."""
    about: tuple[str, ...]
    """Other entities it concerns."""
    citations: tuple[Citation, ...]
    """One or more citations."""
    speaker: str = ""
    """Entity id of who claims or says it (claims and quotes only)."""
    among: str = ""
    """For a claim its source gives to a group the speaker is one of: the group, as a cited passage names it (or
    in translation, when every cited passage is in another language)."""
    key: str = ""
    """Label for the key-facts box, if the fact belongs there."""
    file: str = ""
    """YAML file the fact came from."""
    line: int = 0
    """Line where the fact starts in that file."""
    valid_for: str = ""
    """ISO 8601 duration the fact stays current for (its own or its entity's); empty for no limit and for events."""
    review: dt.date | None = None
    """``date`` plus ``valid_for``: the day the fact is due for review."""
    roles: tuple[RoleMention, ...] = ()
    """Roles the text gives people, checked against their profiles."""
    timing: Timing = "as-of"
    """``as-of``: a state of affairs that held as of its date, due for review after ``valid_for`` (a report's
    default); ``event``: something that happened or was said on its date, which no later day makes untrue
    (a claim's and a quote's default)."""

    @property
    def entities(self) -> tuple[str, ...]:
        """Every entity the fact concerns: its own, then ``about``."""
        return (self.entity, *(e for e in self.about if e != self.entity))


@dataclass(frozen=True, slots=True)
class Entity:
    """A country, territory, region, organisation or person."""

    id: str
    """File name stem; stable."""
    name: str
    """Name as the sources write it."""
    type: EntityType
    """What kind of entity it is."""
    article: str = ""
    """``the`` when running text names it with the definite article ("According to the European Union")."""
    aliases: tuple[str, ...] = ()
    """Other names readers may search for."""
    roles: tuple[Role, ...] = ()
    """Offices held (people only)."""
    file: str = ""
    """YAML file the entity came from."""
    valid_for: str = ""
    """Default ISO 8601 duration for the entity's roles and its facts that are not events."""


@dataclass(frozen=True, slots=True)
class Topic:
    """An entry of the controlled topic vocabulary."""

    id: str
    """Key in ``facts/topics.yaml``."""
    title: str
    """Heading used on pages."""
    description: str = ""
    """One line on what belongs here."""


@dataclass(frozen=True, slots=True)
class Policy:
    """A policy page: what some actors do and say in the region."""

    id: str
    """File name stem."""
    title: str
    """Page title."""
    summary: str
    """One line shown under the title."""
    actors: tuple[str, ...]
    """Entity ids whose actions and words the page collects."""
    file: str = ""
    """YAML file the policy came from."""


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything validated, ready to render."""

    sources: tuple[Source, ...]
    """All sources, sorted by id."""
    entities: tuple[Entity, ...]
    """All entities, sorted by id."""
    facts: tuple[Fact, ...]
    """All facts, in file order."""
    topics: tuple[Topic, ...]
    """The topic vocabulary, in file order."""
    policies: tuple[Policy, ...]
    """Policy pages, sorted by id."""
    today: dt.date | None = None
    """The day staleness was judged against; None means nothing is judged stale."""


def facts_by_file(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    """Each file's facts, in the order of its ``facts`` list: a fact's place there is its index in the file's data."""
    by_file: dict[str, list[Fact]] = {}
    for fact in facts:
        by_file.setdefault(fact.file, []).append(fact)
    return by_file


def facts_of(docs: Iterable[Document], facts: Iterable[Fact]) -> Iterator[tuple[Document, int, Fact]]:
    """Each document's facts with their index in its ``facts`` list, document by document."""
    by_file = facts_by_file(facts)
    for doc in docs:
        for i, fact in enumerate(by_file.get(doc.path, [])):
            yield doc, i, fact
