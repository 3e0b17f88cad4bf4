"""Where each generated page lives, and which facts each page shows."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from generator.model import Corpus, Entity, Fact, Policy, Source

SECTION_OF_TYPE = {
    "country": "countries",
    "territory": "countries",
    "region": "countries",
    "organisation": "organisations",
    "person": "people",
}
SECTIONS = {
    "countries": "Countries and territories",
    "organisations": "Organisations",
    "people": "People",
    "policy": "Policy",
    "sources": "Sources",
}
FACTS_PER_PAGE = 30
"""Facts on one page of a profile, policy or timeline; more go on continuation pages, so pages stay small."""
TIMELINE_FOLDER = "timeline"
TIMELINE_PAGE = f"{TIMELINE_FOLDER}/index.md"


def entity_page(entity: Entity) -> str:
    """Path of an entity's profile, relative to ``content/``."""
    return f"{SECTION_OF_TYPE[entity.type]}/{entity.id}.md"


def source_page(source_id: str) -> str:
    """Path of a source's page, relative to ``content/``."""
    return f"sources/{source_id}.md"


def policy_page(policy: Policy) -> str:
    """Path of a policy page, relative to ``content/``."""
    return f"policy/{policy.id}.md"


def relative(from_page: str, to_page: str) -> str:
    """Relative link from one page to another, as MkDocs resolves Markdown links."""
    return _relative_from(posixpath.dirname(from_page) or ".", to_page)


@lru_cache(maxsize=1 << 17)
def _relative_from(folder: str, to_page: str) -> str:
    # relpath costs microseconds (abspath, getcwd); pages ask for the same few links again and again.
    return posixpath.relpath(to_page, folder)


Group = tuple[str, list[Fact]]
"""A titled run of facts on a page: a topic of a profile, a part of a policy page."""


def split_groups(groups: list[Group], limit: int = FACTS_PER_PAGE) -> list[list[Group]]:
    """Split titled groups of facts into pages of at most ``limit`` facts, in order; a group may span pages."""
    parts: list[list[Group]] = [[]]
    count = 0
    for title, facts in groups:
        if not facts:
            parts[-1].append((title, []))
        start = 0
        while start < len(facts):
            if count == limit:
                parts.append([])
                count = 0
            taken = facts[start : start + limit - count]
            parts[-1].append((title, taken))
            count += len(taken)
            start += len(taken)
    return parts


def part_page(path: str, number: int) -> str:
    """Path of page ``number`` (from 1) of a split page; ids never contain ``_``, so no profile is hit."""
    return path if number == 1 else f"{path[:-3]}_{number}.md"


def fact_anchor(fact: Fact) -> str:
    """HTML id of a fact on any page that shows it."""
    return f"fact-{fact.id}"


@dataclass(frozen=True)
class CorpusIndex:
    """Lookups over a corpus that several pages share; built once per run."""

    corpus: Corpus

    @cached_property
    def entities(self) -> dict[str, Entity]:
        """Entities by id."""
        return {e.id: e for e in self.corpus.entities}

    @cached_property
    def sources(self) -> dict[str, Source]:
        """Sources by id."""
        return {s.id: s for s in self.corpus.sources}

    @cached_property
    def facts_by_entity(self) -> dict[str, list[Fact]]:
        """Facts shown on each entity's page: those concerning it and those it speaks."""
        table: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.corpus.facts:
            shown = list(fact.entities)
            if fact.speaker and fact.speaker not in shown:
                shown.append(fact.speaker)
            for entity_id in shown:
                table[entity_id].append(fact)
        for facts in table.values():
            facts.sort(key=fact_order)
        return table

    @cached_property
    def facts_by_source(self) -> dict[str, list[Fact]]:
        """Facts citing each source."""
        table: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.corpus.facts:
            for source_id in dict.fromkeys(c.source for c in fact.citations):
                table[source_id].append(fact)
        for facts in table.values():
            facts.sort(key=fact_order)
        return table

    @cached_property
    def roles_by_source(self) -> dict[str, list[Entity]]:
        """People whose roles cite each source."""
        table: dict[str, list[Entity]] = defaultdict(list)
        for entity in self.corpus.entities:
            cited = {c.source for r in entity.roles for c in r.citations}
            for source_id in sorted(cited):
                table[source_id].append(entity)
        return table

    @cached_property
    def profile_parts(self) -> dict[str, list[list[Group]]]:
        """Each entity's facts by topic, split into the pages of its profile.

        A fact stands under the first topic it lists: its contributor's choice, so that a fact stays beside
        the facts it answers ("I do not believe it will happen" under the threat it answers, in Security).
        """
        parts: dict[str, list[list[Group]]] = {}
        for entity in self.corpus.entities:
            by_topic: dict[str, list[Fact]] = {}
            for fact in self.facts_by_entity.get(entity.id, []):
                by_topic.setdefault(fact.topics[0], []).append(fact)
            groups = [(t.title, by_topic[t.id]) for t in self.corpus.topics if t.id in by_topic]
            parts[entity.id] = split_groups(groups)
        return parts

    @cached_property
    def continued_home(self) -> dict[str, str]:
        """Facts whose home is a continuation page of their entity's profile, with that page."""
        homes: dict[str, str] = {}
        for entity in self.corpus.entities:
            for number, part in enumerate(self.profile_parts[entity.id][1:], start=2):
                for _, facts in part:
                    homes.update((f.id, part_page(entity_page(entity), number)) for f in facts if f.entity == entity.id)
        return homes

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """Scratch space for renderers to reuse a fragment across pages of one run."""
        return {}

    def home_page(self, fact: Fact) -> str:
        """The page where a fact lives: its own entity's profile (or a continuation page of it)."""
        return self.continued_home.get(fact.id) or entity_page(self.entities[fact.entity])

    def policy_facts(self, policy: Policy) -> tuple[list[Fact], list[Fact], list[Fact], list[Fact]]:
        """Split facts for a policy page: what the actors do and say, other reports that name them, others' claims.

        Only a report on an actor's own profile says what that actor did. A report on another
        profile that names an actor (Lavrov's press conference, about the United States) is not
        the actor's doing, so it is shown apart from theirs.
        """
        actors = set(policy.actors)
        does: list[Fact] = []
        says: list[Fact] = []
        reported: list[Fact] = []
        others: list[Fact] = []
        for fact in self.corpus.facts:
            if fact.speaker in actors:
                says.append(fact)
            elif fact.kind == "report" and fact.entity in actors:
                does.append(fact)
            elif fact.entity in actors or not actors.isdisjoint(fact.about):  # fact.entities, without a tuple per fact
                (reported if fact.kind == "report" else others).append(fact)
        return (
            sorted(does, key=fact_order),
            sorted(says, key=fact_order),
            sorted(reported, key=fact_order),
            sorted(others, key=fact_order),
        )


def fact_order(fact: Fact) -> tuple[str, bool, str, int, str]:
    """Chronological. Within one date, what happened or was said that day comes before what held as of
    it; each in the order their files list them, which follows their source, so that one speech is not
    split. The id settles the rest (facts made in code, without a file), so the output is deterministic.
    """
    return (fact.date.sort_key, fact.timing != "event", fact.file, fact.line, fact.id)
