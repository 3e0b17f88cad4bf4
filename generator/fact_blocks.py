"""Fact blocks and footnotes, rendered once per run and shared by every page that shows them.

Every page that shows facts or footnotes is one folder deep (profiles, policy, sources, timeline), so a
link written ``../section/page.md`` resolves the same from all of them, and a fact's block is the same
text on every page. Footnote labels come from the citation itself, not from the page: Python-Markdown
numbers footnotes 1, 2, 3 in the order of their definitions, and each page defines the citations it
uses in the order of first use, so readers still see 1, 2, 3.

The Markdown of a block is written here, not in a Jinja macro: a macro call per fact was most of
the cost of rendering. Every YAML value still goes through ``generator.escape``.
"""

from __future__ import annotations

import hashlib
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from markupsafe import Markup

from generator import escape
from generator.lifecycle import is_stale, troubled_sources
from generator.model import Citation, Corpus, DateSpec, Fact, Source
from generator.pages import CorpusIndex, entity_page, fact_anchor, source_page

LABEL_LENGTH = 12
"""Hex digits of a footnote label; a label shared by two citations falls back to the whole digest."""
MEMO_KEY = "fact_blocks"

# One format per kind of fact, filled with escaped values. ``after`` is what follows the fact: its footnote
# references, the warnings a reader must see (``flags``) and the date's note. The date is the fact's permalink: a
# link to it on the profile where it lives, which is the page itself on that profile. A quotation's words and its
# attribution are one paragraph, parted by a line break (two spaces at the end of a line): the theme's search
# preview shows only the paragraphs that hold the words searched for, and the words must not show without who said them.
BLOCK_FORMATS = {
    "quote": "> “{text}”  \n> — {speaker}, {date}{after}\n> {{ #{anchor} .fact .fact-quote }}\n\n",
    "claim": "**As of {date}.** According to {the}{speaker}, {text}{after}\n{{ #{anchor} .fact .fact-claim }}\n\n",
    "report": "**As of {date}.** {text}{after}\n{{ #{anchor} .fact .fact-report }}\n\n",
}
EVENT_FORMATS = {
    kind: text.replace("**As of {date}.**", "**{date}.**") for kind, text in BLOCK_FORMATS.items() if kind != "quote"
}
"""The same for an event: what happened on a date starts with that date, not "as of" it (a quote ends with it)."""
DATE_NOTE = " *About the date:* {}"
"""How a fact's block ends when its date has a note: why the date is what it is, in the contributor's words."""
NOTE_ABOVE = "see [the note above](#fact-{})."
"""The note of a date whose note the page already showed in full, after the fact with this id."""
# How a source page lists a fact that cites it: a link to the fact, then what it says. The link is its date, after
# "As of" for a state of affairs, as in the fact's block (``LISTING_AS_OF``).
LISTING_AS_OF = "As of {}"
LISTING_FORMATS = {
    "quote": "- {link}: {speaker}: “{text}”\n",
    "claim": "- {link}: according to {the}{speaker}, {text}\n",
    "report": "- {link}: {text}\n",
}


def _label_key(citation: Citation) -> str:
    """What a footnote label is a hash of; a citation without ``via`` keeps the label it had before ``via`` existed."""
    key = f"{citation.source}\n{citation.passage}"
    return f"{key}\n" + "\n".join(citation.via) if citation.via else key


def shared_link(target: str) -> str:
    """Link target to a page, as written on any page one folder deep."""
    return f"../{target}"


def citation_labels(corpus: Corpus) -> dict[Citation, str]:
    """A footnote label for every distinct citation: a short hash of its source, passage and the outlets it relays."""
    cited = {c for f in corpus.facts for c in f.citations}
    cited.update(c for e in corpus.entities for r in e.roles for c in r.citations)
    digests = {c: hashlib.blake2b(_label_key(c).encode(), digest_size=16).hexdigest() for c in cited}
    # A hash of the citation alone keeps labels stable when other citations are added or edited.
    uses = Counter(d[:LABEL_LENGTH] for d in digests.values())
    return {c: d[:LABEL_LENGTH] if uses[d[:LABEL_LENGTH]] == 1 else d for c, d in digests.items()}


def sentence_start(date: str) -> str:
    """A date as readers see it, written to start a sentence: "Late 2022", "Circa 20 January 2026"."""
    if date.startswith("c. "):
        return f"Circa {date[3:]}"
    return date[:1].upper() + date[1:]


def in_quotation_marks(passage: str) -> str:
    """A passage, escaped, in double quotation marks; in single ones if it holds double ones of its own.

    A passage often holds a quotation: ‘“I do not believe it will happen,” Kurti said’ reads
    as one passage, where doubled marks (““I do not believe …”) would not.
    """
    text = escape.markdown_text(passage)
    return f"‘{text}’" if any(mark in passage for mark in '“”"') else f"“{text}”"


def status_note(source: Source) -> Markup:
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


class UseCountedCache:
    """Fragments by key, each dropped once it has been used as often as expected, to keep memory low.

    A fragment asked for again after that is made again, so a page rendered twice is still whole.
    """

    def __init__(self) -> None:
        self._entries: dict[str, list[Any]] = {}

    def get(self, key: str, make: Callable[[], str], uses: Callable[[], int]) -> str:
        """The fragment for a key: made by ``make`` on first use, kept for ``uses()`` uses in all."""
        entry = self._entries.get(key)
        if entry is None:
            value = make()
            remaining = uses() - 1
            if remaining > 0:
                self._entries[key] = [value, remaining]
            return value
        entry[1] -= 1
        if entry[1] <= 0:
            del self._entries[key]
        found: str = entry[0]
        return found


class _Made(dict[str, str]):
    """A cache of Markdown by key that makes each entry on first use, with a method of its owner.

    It holds the method weakly: a cache that kept its owner alive would form a reference cycle,
    and the run's fragments would wait for the cyclic garbage collector instead of being freed
    as soon as the run drops them.
    """

    def __init__(self, make: Callable[[str], str]) -> None:
        super().__init__()
        self._make = weakref.WeakMethod(make)

    def __missing__(self, key: str) -> str:
        make = self._make()
        if make is None:
            raise KeyError(key)  # the owner is gone: nothing can be made any more
        made = self[key] = make(key)
        return made


class SharedBlocks:
    """The Markdown of each fact block, fact listing and footnote definition, made once per run."""

    def __init__(self, index: CorpusIndex) -> None:
        self.index = index
        self.labels = citation_labels(index.corpus)
        self.citations = {label: citation for citation, label in self.labels.items()}
        self._refs = {citation: f"[^{label}]" for citation, label in self.labels.items()}
        troubled = ("corrected", "retracted")  # as lifecycle.troubled_sources: a fact citing none has no flag
        self._troubled = {s.id for s in index.corpus.sources if s.status and s.status.state in troubled}
        self._dates: dict[DateSpec, str] = {}
        self.notes = _Made(self._note)
        """Footnote definitions by label; ``notes[label]`` makes one on first use."""
        self._blocks: dict[str, tuple[str, dict[str, None]]] = {}
        self._listings = UseCountedCache()
        """Each fact's listing until the last source page that lists it."""
        self._links: dict[str, Markup] = {}

    def refs(self, citations: Iterable[Citation]) -> str:
        """Footnote references for citations, by their page-independent labels."""
        refs = self._refs
        return "".join([refs[c] for c in citations])

    def entity_link(self, entity_id: str) -> Markup:
        """Link to an entity's profile from any page one folder deep."""
        found = self._links.get(entity_id)
        if found is None:
            entity = self.index.entities[entity_id]
            found = self._links[entity_id] = escape.link(entity.name, shared_link(entity_page(entity)))
        return found

    def source_link(self, source_id: str) -> Markup:
        """Link to a source's page from any page one folder deep, titled with the source's title."""
        key = f"sources/{source_id}"  # entity keys carry no slash, so the two kinds never meet
        found = self._links.get(key)
        if found is None:
            source = self.index.sources[source_id]
            target = shared_link(source_page(source_id))
            found = self._links[key] = escape.link(source.title, target, source.title_language)
        return found

    def flags(self, fact: Fact) -> str:
        """Warnings a reader must see beside a fact: out of date, or resting on a corrected or retracted source."""
        out = ""
        if fact.review and is_stale(fact.review, self.index.corpus.today):
            out += f" **May be out of date:** it was due for review on {_human_day(fact)}."
        if not (self._troubled and any(c.source in self._troubled for c in fact.citations)):
            return out
        for source in troubled_sources(fact, self.index.sources):
            assert source.status is not None
            label = "Source corrected" if source.status.state == "corrected" else "Source retracted"
            out += f" **{label}:** {self.source_link(source.id)} was {source.status.state} on "
            out += f"{escape.markdown_text(source.status.date.human())}."
        return out

    def _date(self, date: DateSpec) -> str:
        """A date as readers see it, escaped once per distinct date."""
        found = self._dates.get(date)
        if found is None:
            found = self._dates[date] = escape.markdown_text(date.human())
        return found

    def block(self, fact: Fact) -> tuple[str, dict[str, None]]:
        """A fact as every page shows it, and the labels of the footnotes it references, in order."""
        found = self._blocks.get(fact.id)
        if found is None:
            event = fact.timing == "event" and fact.kind != "quote"  # a quote ends with its date, never "as of" it
            date = escape.markdown_text(sentence_start(fact.date.human())) if event else self._date(fact.date)
            text = (EVENT_FORMATS if event else BLOCK_FORMATS)[fact.kind].format(
                text=escape.markdown_text(fact.text),
                speaker=self.entity_link(fact.speaker) if fact.speaker else "",
                the=self._before_speaker(fact),
                date=escape.link(date, self._permalink(fact)),
                after=self.refs(fact.citations) + self.flags(fact) + _date_note(fact),
                anchor=fact_anchor(fact),
            )
            labels = self.labels
            found = self._blocks[fact.id] = (text, dict.fromkeys([labels[c] for c in fact.citations]))
        return found

    def without_speaker_link(self, fact: Fact, text: str) -> str:
        """A fact's block with its speaker named but not linked, for the speaker's own profile."""
        assert fact.speaker
        name = escape.markdown_text(self.index.entities[fact.speaker].name)
        return text.replace(self.entity_link(fact.speaker), name, 1)

    def with_note_above(self, fact: Fact, text: str, first: str) -> str:
        """A fact's block whose date note the page already showed after fact ``first``: a link to it instead."""
        return text.replace(_date_note(fact), DATE_NOTE.format(NOTE_ABOVE.format(first)), 1)

    def listing(self, fact: Fact) -> str:
        """A fact as a source page lists it: a link to it on its home page, then what it says."""
        return self._listings.get(fact.id, lambda: self._listing(fact), lambda: len({c.source for c in fact.citations}))

    def _before_speaker(self, fact: Fact) -> str:
        """What comes before a speaker's name in running text: "the " for "According to the European Union", and
        the group a claim's source gives it to: "According to senior officials in Kosovo, among them Vjosa Osmani"."""
        article = self.index.entities[fact.speaker].article if fact.speaker else ""
        the = f"{article} " if article else ""
        return f"{escape.markdown_text(fact.among)}, among them {the}" if fact.among else the

    def _permalink(self, fact: Fact) -> str:
        """Where a fact lives, from any page one folder deep: its anchor on the profile page that shows it."""
        return f"{shared_link(self.index.home_page(fact))}#{fact_anchor(fact)}"

    def _listing(self, fact: Fact) -> str:
        link = escape.link(self._date(fact.date), self._permalink(fact))
        speaker = self.index.entities[fact.speaker].name if fact.speaker else ""
        return LISTING_FORMATS[fact.kind].format(
            link=LISTING_AS_OF.format(link) if _as_of(fact) else link,
            the=self._before_speaker(fact),
            speaker=escape.markdown_text(speaker),
            text=escape.markdown_text(fact.text),
        )

    def _note(self, label: str) -> str:
        """The footnote definition of a citation, the same on every page that cites it."""
        citation = self.citations[label]
        source = self.index.sources[citation.source]
        text = f"[^{label}]: {self.source_link(source.id)}"
        text += f", {escape.markdown_text(source.publisher)}, {escape.markdown_text(source.published.human())}"
        if citation.via:
            text += f", relaying {escape.markdown_text(_and(citation.via))}"
        text += "."
        if citation.passage:
            text += f" {in_quotation_marks(citation.passage)}"
        if source.snapshot is None:
            text += " (not archived; unverified)"
        elif not citation.passage:
            text += " (no passage quoted; unverified)"
        text += f" {escape.link('Original article', escape.url(source.url))}"
        if source.status:
            text += f" {status_note(source)}"
        return text


def shared_blocks(index: CorpusIndex) -> SharedBlocks:
    """The shared blocks of a run, made on first use and kept with the corpus index."""
    found: SharedBlocks | None = index.memo.get(MEMO_KEY)
    if found is None:
        found = index.memo[MEMO_KEY] = SharedBlocks(index)
    return found


def _and(names: tuple[str, ...]) -> str:
    """Names as a sentence lists them: "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _as_of(fact: Fact) -> bool:
    """True when a fact's date is given "as of": a state of affairs that held on it. A quote ends with its date,
    never "as of" it, whatever its timing."""
    return fact.timing == "as-of" and fact.kind != "quote"


def _date_note(fact: Fact) -> str:
    """How a fact's block ends when its date has a note, in full; nothing when it has none."""
    return DATE_NOTE.format(escape.markdown_text(fact.date.note)) if fact.date.note else ""


def _human_day(fact: Fact) -> str:
    assert fact.review is not None
    return DateSpec(fact.review.isoformat(), "day").human()
