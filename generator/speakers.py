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
from generator.verify import fold_text

_WORD = re.compile(r"\w+")
HINT = (
    "extend the passage to the words that name who spoke; if the source names the speaker otherwise, add that "
    "name to the speaker's aliases; if the words are another person's, correct the speaker"
)


def _loose(text: str) -> str:
    """Text folded for finding names: as ``fold_text``, and without case or accents ("VUCIC" finds "Vučić")."""
    decomposed = unicodedata.normalize("NFKD", fold_text(text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _pattern(entity: Entity) -> re.Pattern[str]:
    """One pattern for every name an entity goes by, as whole words (a dash or hyphen next to it is no letter)."""
    names = sorted({_loose(n) for n in (entity.name, *entity.aliases) if n.strip()}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")


def speaker_problems(docs: list[Document], corpus: Corpus) -> list[Problem]:
    """Warn about each claim or quotation whose cited passages name people but not its speaker."""
    entities = {e.id: e for e in corpus.entities}
    patterns: dict[str, re.Pattern[str]] = {}  # made for the speakers and the people a passage may name
    by_word: dict[str, list[Entity]] = {}  # a name can be in a text only if its first word is
    for person in (e for e in corpus.entities if e.type == "person"):
        for name in {person.name, *person.aliases}:
            if first := _WORD.search(_loose(name)):
                by_word.setdefault(first.group(), []).append(person)
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
            folded = " … ".join(_loose(p) for p in passages)
            if _matches(patterns, speaker, folded):
                continue
            words = set(_WORD.findall(folded))
            candidates = {p.id: p for w in words for p in by_word.get(w, ()) if p.id != speaker.id}
            ordered = sorted(candidates.values(), key=lambda p: p.id)
            others = [p.name for p in ordered if _matches(patterns, p, folded)]
            if others:
                what = "quotation" if fact.kind == "quote" else "claim"
                message = (
                    f"the passages this {what} cites name {', '.join(others)}, but not its speaker, {speaker.name}: "
                    "nothing cited says the words are the speaker's"
                )
                problems.append(doc.problem(("facts", i, "speaker"), message, severity="warning", hint=HINT))
    return problems


def _matches(patterns: dict[str, re.Pattern[str]], entity: Entity, folded: str) -> bool:
    """Whether the loosely folded text names the entity; its pattern is made once a run."""
    pattern = patterns.get(entity.id)
    if pattern is None:
        pattern = patterns[entity.id] = _pattern(entity)
    return pattern.search(folded) is not None
