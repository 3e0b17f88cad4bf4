"""Whose words: a claim or quotation whose passages name other people, and never its speaker, is warned about.

A passage proves that the words are in the source, not who said them. "“We will not let Moscow
decide,” Kurti said", cited for a quotation of Lavrov's, passes every word-for-word check and would
be published as Lavrov's. No rule can tell reliably who speaks in a text ("he said" names no one),
so this is a warning, and only for the telling case: the passages name people of the corpus, and
the speaker is not among them. Names are found without regard to case or accents ("VUCIC" is
Vučić), and a dash next to a name does not hide it. Only people are looked for: an organisation
or a country is named in a passage far more often as what is spoken of than as who speaks. The
cure is to cite the words that say who spoke, to add the name the source uses to the speaker's
aliases, or to correct the speaker.
"""

from __future__ import annotations

import re
import unicodedata

from generator.loader import Document
from generator.model import Corpus, Entity, Fact
from generator.problems import Problem

_WORD = re.compile(r"\w+")
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""The blocks of combining marks, which a letter's decomposition puts after it: "č" is "c" and a caron."""
HINT = (
    "extend the passage to the words that name who spoke; if the source names the speaker otherwise, add that "
    "name to the speaker's aliases; if the words are another person's, correct the speaker"
)


def _loose(text: str) -> str:
    """Text folded for finding names: single spaces, no case, no accents ("VUCIC" finds "Vučić").

    Quotation marks and dashes need no folding here: they are no letters, so they end a name either way;
    the loader has already refused the invisible characters that could hide one.
    """
    folded = " ".join(text.casefold().split())
    return folded if folded.isascii() else _ACCENTS.sub("", unicodedata.normalize("NFKD", folded))


Name = tuple[str, ...]


def _names(entity: Entity) -> list[Name]:
    """The words of each name an entity goes by, folded loosely: "Sergei Lavrov" is ("sergei", "lavrov")."""
    found = {tuple(_WORD.findall(_loose(n))) for n in (entity.name, *entity.aliases)}
    return sorted(name for name in found if name)


def _named(name: Name, words: list[str], present: set[str]) -> bool:
    """Whether the name's words stand one after another among the words (of which ``present`` is the set)."""
    if name[0] not in present or not present.issuperset(name):
        return False
    size = len(name)
    return any(words[at : at + size] == list(name) for at, word in enumerate(words) if word == name[0])


def speaker_problems(docs: list[Document], corpus: Corpus) -> list[Problem]:
    """Warn about each claim or quotation whose cited passages name people but not its speaker."""
    entities = {e.id: e for e in corpus.entities}
    names = {e.id: _names(e) for e in corpus.entities}
    by_word: dict[str, list[Entity]] = {}  # a name can be in a text only if its first word is
    for person in (e for e in corpus.entities if e.type == "person"):
        for name in names[person.id]:
            by_word.setdefault(name[0], []).append(person)
    facts_by_file: dict[str, list[Fact]] = {}
    for fact in corpus.facts:
        facts_by_file.setdefault(fact.file, []).append(fact)
    problems: list[Problem] = []
    for doc in docs:
        for i, fact in enumerate(facts_by_file.get(doc.path, [])):
            speaker = entities.get(fact.speaker or "")
            passages = [c.passage for c in fact.citations if c.passage]
            if fact.kind not in ("claim", "quote") or speaker is None or not passages:
                continue
            words = _WORD.findall(" … ".join(_loose(p) for p in passages))
            present = set(words)
            if any(_named(name, words, present) for name in names[speaker.id]):
                continue
            candidates = {p.id: p for w in present for p in by_word.get(w, ()) if p.id != speaker.id}
            ordered = sorted(candidates.values(), key=lambda p: p.id)
            others = [p.name for p in ordered if any(_named(n, words, present) for n in names[p.id])]
            if others:
                what = "quotation" if fact.kind == "quote" else "claim"
                message = (
                    f"the passages this {what} cites name {', '.join(others)}, but not its speaker, {speaker.name}: "
                    "nothing cited says the words are the speaker's"
                )
                problems.append(doc.problem(("facts", i, "speaker"), message, severity="warning", hint=HINT))
    return problems
