"""Per-page helpers for templates: the Jinja environment, links relative to a page, footnotes, flags."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import escape
from generator.lifecycle import is_stale, troubled_sources
from generator.model import Citation, DateSpec, Fact, Role, Source
from generator.pages import CorpusIndex, entity_page, fact_anchor, relative, source_page

TEMPLATE_DIR = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja environment: every ``{{ value }}`` is Markdown-escaped unless it is Markup."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        finalize=escape.markdown_text,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        auto_reload=False,  # templates do not change during a run; skip a stat per get_template
    )
    env.filters["front_matter"] = escape.front_matter_string
    return env


@dataclass
class PageContext:
    """Per-page helpers for templates: links relative to this page, and its footnotes."""

    path: str
    index: CorpusIndex
    _notes: dict[Citation, int] = field(default_factory=dict)
    folder: str = field(init=False)
    """The folder of this page; links from it are the same for every page in it."""

    def __post_init__(self) -> None:
        self.folder = posixpath.dirname(self.path)

    def link_to(self, target: str) -> str:
        """Relative Markdown link target from this page."""
        return relative(self.path, target)

    def entity_name(self, entity_id: str) -> str:
        """Display name of an entity."""
        return self.index.entities[entity_id].name

    def entity_link(self, entity_id: str) -> Markup:
        """Link to an entity's profile."""
        key = ("entity_link", self.folder, entity_id)
        found: Markup | None = self.index.memo.get(key)
        if found is None:
            entity = self.index.entities[entity_id]
            found = self.index.memo[key] = escape.link(entity.name, self.link_to(entity_page(entity)))
        return found

    def source_link(self, source_id: str) -> Markup:
        """Link to a source's page, titled with the source's title."""
        key = ("source_link", self.folder, source_id)
        found: Markup | None = self.index.memo.get(key)
        if found is None:
            found = escape.link(self.index.sources[source_id].title, self.link_to(source_page(source_id)))
            self.index.memo[key] = found
        return found

    def fact_link(self, fact: Fact) -> Markup:
        """Link to a fact on its home page, labelled with its date."""
        target = f"{self.link_to(self.index.home_page(fact))}#{fact_anchor(fact)}"
        return escape.link(fact.date.human(), target)

    def _source_note(self, source_id: str) -> tuple[str, str]:
        """The parts of a footnote before and after its passage; the same on every page of a folder."""
        key = ("source_note", self.folder, source_id)
        found: tuple[str, str] | None = self.index.memo.get(key)
        if found is None:
            source = self.index.sources[source_id]
            head = f"{self.source_link(source.id)}, {escape.markdown_text(source.publisher)}"
            head += f", {escape.markdown_text(source.published.human())}."
            tail = f" {escape.link('Original article', escape.url(source.url))}"
            if source.status:
                tail += f" {self.status_note(source)}"
            found = self.index.memo[key] = (head, tail)
        return found

    def anchor(self, fact: Fact) -> Markup:
        """The id attribute value for a fact on this page (ids are validated)."""
        return Markup(fact_anchor(fact))

    def cite(self, citations: Iterable[Citation]) -> Markup:
        """Footnote references for citations, numbering each distinct citation once per page."""
        refs = []
        for citation in citations:
            number = self._notes.setdefault(citation, len(self._notes) + 1)
            refs.append(f"[^{number}]")
        return Markup("".join(refs))

    def stale(self, item: Fact | Role) -> bool:
        """True when the fact or role is past its review date on the day of the build."""
        return is_stale(item.review, self.index.corpus.today)

    def flags(self, fact: Fact) -> list[Flag]:
        """Warnings a reader must see beside a fact: out of date, or resting on a corrected or retracted source."""
        out = []
        if self.stale(fact) and fact.review:
            out.append(Flag("May be out of date", Markup(f"it was due for review on {_human(fact.review)}.")))
        for source in troubled_sources(fact, self.index.sources):
            assert source.status is not None
            label = "Source corrected" if source.status.state == "corrected" else "Source retracted"
            text = f"{self.source_link(source.id)} was {source.status.state} on "
            text += f"{escape.markdown_text(source.status.date.human())}."
            out.append(Flag(label, Markup(text)))
        return out

    def status_note(self, source: Source) -> Markup:
        """A sentence on a source's correction, retraction or dead link, with its archived copy."""
        status = source.status
        if status is None:
            return Markup("")
        what = {"corrected": "Corrected", "retracted": "Retracted", "dead": "Link found dead"}[status.state]
        text = f"{what} on {escape.markdown_text(status.date.human())}."
        if status.note:
            text += f" {escape.markdown_text(status.note)}"
        if status.archive_url:
            text += f" {escape.link('Archived copy', escape.url(status.archive_url))}."
        return Markup(text)

    def footnotes(self) -> Markup:
        """Footnote definitions for every citation this page referenced."""
        lines = []
        for citation, number in self._notes.items():
            head, tail = self._source_note(citation.source)
            text = f"[^{number}]: {head}"
            if citation.passage:
                text += f" “{escape.markdown_text(citation.passage)}”"
            source = self.index.sources[citation.source]
            if source.snapshot is None:
                text += " (not archived; unverified)"
            elif not citation.passage:
                text += " (no passage quoted; unverified)"
            lines.append(text + tail)
        return Markup("\n".join(lines) + ("\n" if lines else ""))


def _human(day: dt.date) -> str:
    return DateSpec(day.isoformat(), "day").human()


@dataclass(frozen=True)
class Flag:
    """A visible warning beside a fact."""

    label: str
    text: Markup
