"""Whose words: a claim or quotation whose passages name other people, and never its speaker, is warned about.

A passage proves that the words are in the source, not who said them. "“We will not let Moscow
decide,” Kurti said", cited for a quotation of Lavrov's, passes every word-for-word check and would
be published as Lavrov's. No rule can tell reliably who speaks in a text ("he said" names no one),
so this is a warning, and only for the telling case: the passages name people of the corpus, and
the speaker is not among them. The cure is to cite the words that say who spoke, or to correct the
speaker.
"""

from __future__ import annotations

import re

from generator.loader import Document
from generator.model import Corpus, Entity, Fact
from generator.problems import Problem
from generator.verify import fold_text

_WORD = re.compile(r"\w+")
HINT = "extend the passage to the words that name who spoke; if the words are another person's, correct the speaker"


def _names(entity: Entity) -> list[str]:
    """The folded names an entity goes by, longest first."""
    return sorted({fold_text(n) for n in (entity.name, *entity.aliases) if n.strip()}, key=len, reverse=True)


def _named(names: list[str], folded: str) -> bool:
    """Whether any of the folded names stands in the folded text as whole words."""
    return any(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", folded) for name in names)


def speaker_problems(docs: list[Document], corpus: Corpus) -> list[Problem]:
    """Warn about each claim or quotation whose cited passages name people but not its speaker."""
    entities = {e.id: e for e in corpus.entities}
    people = [e for e in corpus.entities if e.type == "person"]
    names = {e.id: _names(e) for e in corpus.entities}
    by_word: dict[str, list[Entity]] = {}  # a name can be in a text only if its first word is
    for person in people:
        for name in names[person.id]:
            if first := _WORD.search(name):
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
            folded = " … ".join(fold_text(p) for p in passages)
            if _named(names[speaker.id], folded):
                continue
            words = set(_WORD.findall(folded))
            candidates = {p.id: p for w in words for p in by_word.get(w, ()) if p.id != speaker.id}
            others = [p.name for p in sorted(candidates.values(), key=lambda p: p.id) if _named(names[p.id], folded)]
            if others:
                what = "quotation" if fact.kind == "quote" else "claim"
                message = (
                    f"the passages this {what} cites name {', '.join(others)}, but not its speaker, {speaker.name}: "
                    "nothing cited says the words are the speaker's"
                )
                problems.append(doc.problem(("facts", i, "speaker"), message, severity="warning", hint=HINT))
    return problems
