"""Per-page helpers for templates: the Jinja environment, links relative to a page, its footnotes."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import escape
from generator.fact_blocks import SharedBlocks, shared_blocks, status_note
from generator.languages import language_name
from generator.lifecycle import is_stale
from generator.model import Citation, Fact, Role, Source
from generator.pages import CorpusIndex, entity_page, relative, source_page

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
    env.filters["language_name"] = language_name
    env.filters["language"] = escape.language
    return env


REFERENCES = "\n## References\n\n///Footnotes Go Here///\n\n"
"""The heading over a page's footnotes; the footnotes extension puts its list where the marker line is."""


@dataclass
class PageContext:
    """Per-page helpers for templates: links relative to this page, and its footnotes."""

    path: str
    index: CorpusIndex
    subject: str = ""
    """The entity whose profile this page is, if it is one: its own name links nowhere here."""
    _notes: dict[str, None] = field(default_factory=dict)
    """The labels of the footnotes this page references, in order of first use."""
    _last_note: tuple[str, str] = ("", "")
    """The last date note this page showed in full, and the id of the fact it follows: a later fact with the same
    note, and no different note in between, points to it; a note that another one came after is shown again."""
    folder: str = field(init=False)
    """The folder of this page; links from it are the same for every page in it."""

    def __post_init__(self) -> None:
        self.folder = posixpath.dirname(self.path)

    @property
    def shared(self) -> SharedBlocks:
        """The blocks and footnotes this run renders once for every page."""
        return shared_blocks(self.index)

    def link_to(self, target: str) -> str:
        """Relative Markdown link target from this page."""
        return relative(self.path, target)

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
            source = self.index.sources[source_id]
            found = escape.link(source.title, self.link_to(source_page(source_id)), source.title_language)
            self.index.memo[key] = found
        return found

    def cite(self, citations: Iterable[Citation]) -> Markup:
        """Footnote references for citations; the page defines each one it cites, in order of first use."""
        citations = tuple(citations)
        labels = self.shared.labels
        self._notes.update((labels[c], None) for c in citations)
        return Markup(self.shared.refs(citations))

    def fact_blocks(self, facts: Iterable[Fact]) -> Markup:
        """The blocks of facts shown on this page, each rendered once per run and the same on every page."""
        shared = self.shared
        block = shared.block
        notes = self._notes
        subject = self.subject
        last_note, last_fact = self._last_note
        out = []
        for fact in facts:
            text, labels = block(fact)
            if subject and fact.speaker == subject:  # a page does not link to itself
                text = shared.without_speaker_link(fact, text)
            note = fact.date.note
            if note:
                if note == last_note:  # the nearest note above says it already: point to it
                    text = shared.with_note_above(fact, text, last_fact)
                else:  # a reader who does not follow the link must not take another note's reason for this one's
                    last_note, last_fact = note, fact.id
            out.append(text)
            notes.update(labels)
        self._last_note = (last_note, last_fact)
        return Markup("".join(out))

    def fact_listings(self, facts: Iterable[Fact]) -> Markup:
        """A source page's list of the facts that cite it, each line rendered once per run."""
        return Markup("".join(map(self.shared.listing, facts)))

    def stale(self, item: Fact | Role) -> bool:
        """True when the fact or role is past its review date on the day of the build."""
        return is_stale(item.review, self.index.corpus.today)

    def status_note(self, source: Source) -> Markup:
        """A sentence on a source's correction, retraction or dead link, with its archived copy."""
        return status_note(source)

    def footnotes(self) -> Markup:
        """Footnote definitions for every citation this page referenced, in order of first use, under a heading
        of their own: the theme's search then finds a citation in its own section, not in the page's last topic."""
        notes = self.shared.notes
        lines = [notes[label] for label in self._notes]
        return Markup(f"{REFERENCES}{chr(10).join(lines)}\n") if lines else Markup("")
