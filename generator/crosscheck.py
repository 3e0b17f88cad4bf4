"""Cross-file checks: what no single fact file can show on its own (ids, references, speakers)."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Set
from pathlib import Path

from generator.characters import look_alike, mixed_word
from generator.loader import DataPath, Document
from generator.model import SITE_LANGUAGE, Corpus, Fact
from generator.problems import Problem, with_article
from generator.verify import says_words

SPEAKER_TYPES = ("person", "organisation")
"""Who can claim or say something: a speaker is never a country or a region."""


NEW_ONE = {
    "topic": "topics are defined in facts/topics.yaml: add one there if none fits",
    "entity": "each entity has a file in facts/entities/; start one with: "
    'python -m generator new entity "NAME" --type TYPE',
    "speaker": "each speaker is an entity with a file in facts/entities/; start one with: "
    'python -m generator new entity "NAME" --type person',
    "source": "each source has a file in facts/sources/; start one with: python -m generator new source URL",
}
"""How to add what an unknown id names, when it is no near miss of a known one."""
DUPLICATE_ID_HINT = (
    "a fact's id is its address on the site: keep the published one, and give the new fact an id of its own"
)


def _unknown(doc: Document, path: DataPath, what: str, value: str, known: Iterable[str]) -> Problem:
    """An unknown id, with the closest known one; or, when it is no near miss of one, how to add one."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.8 if what == "topic" else 0.5)
    hint = f"did you mean '{close[0]}'?" if close else NEW_ONE[what]
    return doc.problem(path, f"unknown {what} '{value}'", hint=hint)


def _among_problems(
    doc: Document, where: DataPath, fact: Fact, languages: Mapping[str, str], stored: Set[str]
) -> list[Problem]:
    """A group given as a claim's source must be a claim's, and in the words of a passage the claim cites.

    Only passages of sources whose text is stored can show it (a claim that cites one must quote a passage: the
    verifier says so). A claim that cites no such source is unverified, its group with it, and reviewers check
    both by eye. A passage in another language than the site's cannot hold the group's English words: a claim
    that cites only such passages gives the group in translation, as its text is, and reviewers check it too.
    """
    if fact.kind != "claim":
        why = "a quotation is one speaker's own words" if fact.kind == "quote" else "a report has no speaker"
        message = f"'among' names the group a claim's speaker is one of; {why}"
        return [doc.problem(where, message, hint="remove 'among'")]
    if not any(char.isalnum() for char in fact.among):
        return [doc.problem(where, "the group has no words", hint="write the group as the passage names it")]
    if any(c.source not in languages for c in fact.citations):
        return []  # an unknown source, or one whose file failed its checks: its own error says so
    passages = [c for c in fact.citations if c.passage and c.source in stored]
    in_site_language = [c.passage for c in passages if languages[c.source] == SITE_LANGUAGE]
    if not in_site_language or any(says_words(passage, fact.among) for passage in in_site_language):
        return []
    message = f"no passage this claim cites names the group '{fact.among}'"
    hint = "write the group as the passage that gives the claim to it does, or cite that passage"
    return [doc.problem(where, message, hint=hint)]


_THE = re.compile(r"^the\s+", re.IGNORECASE)


def _as_group(name: str) -> str:
    """A name as a group would give it: read as ``look_alike`` does, without a leading "the" or closing
    punctuation, so that "the Kremlin." and an alias "The Kremlin" are both Russia's "Kremlin"."""
    return look_alike(_THE.sub("", name.strip().rstrip(".,;:!?").strip(), count=1))


def _group_problems(doc: Document, where: DataPath, fact: Fact, named: Mapping[str, str]) -> list[Problem]:
    """A group that is an entity of the site: "According to Serbia, among them Vjosa Osmani" gives the claim to
    Serbia, and so does "the Kremlin", an alias of Russia. ``named`` maps each name and alias, as ``look_alike``
    reads it (``_as_group``), to its entity. (A group that names the speaker is the role check's to refuse.)"""
    entity_id = named.get(_as_group(fact.among))
    if entity_id is None:
        return []
    message = f"the group '{fact.among}' is the entity '{entity_id}', not a group its speaker is one of"
    hint = "write the group as the passage names it; if the source gives the claim to that entity, it speaks"
    return [doc.problem(where, message, hint=hint)]


def cross_check(
    entity_docs: list[Document], policy_docs: list[Document], corpus: Corpus, flawed: frozenset[str] = frozenset()
) -> list[Problem]:
    """Check what no single file can: ids, references, speakers.

    ``flawed`` holds ids whose own file failed its checks: references to them are not
    reported again, since that file's problems already fail the run.
    """
    problems: list[Problem] = []
    sources = {s.id for s in corpus.sources} | flawed
    entities = {e.id: e for e in corpus.entities}
    topics = {t.id for t in corpus.topics}
    languages = {s.id: s.language.split("-")[0] for s in corpus.sources}
    stored = {s.id for s in corpus.sources if s.snapshot}
    named: dict[str, str] = {}  # made at the first group: most corpora have few
    docs = {d.path: d for d in entity_docs}
    seen: dict[str, tuple[Fact, DataPath]] = {}
    positions: dict[str, int] = {}
    for fact in corpus.facts:
        doc = docs[fact.file]
        index = positions[fact.file] = positions.get(fact.file, -1) + 1
        base: DataPath = ("facts", index)
        if fact.id in seen:
            first, first_base = seen[fact.id]
            problems.append(
                doc.problem(
                    (*base, "id"),
                    f"duplicate fact id '{fact.id}'; it is also used at {first.file}:{first.line}",
                    hint=DUPLICATE_ID_HINT,
                )
            )
            if first_base:  # and at the first use, once: the change that made them clash may be either one
                message = f"duplicate fact id '{fact.id}'; it is also used at {fact.file}:{fact.line}"
                problems.append(docs[first.file].problem((*first_base, "id"), message, hint=DUPLICATE_ID_HINT))
                seen[fact.id] = (first, ())
        else:
            seen[fact.id] = (fact, base)
        if fact.kind == "report" and fact.speaker:
            problems.append(
                doc.problem(
                    (*base, "speaker"), "a report has no speaker; use kind 'claim' or 'quote' for what someone says"
                )
            )
        if fact.kind != "report" and fact.key:
            problems.append(
                doc.problem(
                    (*base, "key"),
                    f"a {fact.kind} cannot be a key fact: the Key facts box states its facts plainly, "
                    "as what sources report",
                    key=True,
                    hint="remove 'key'; a key fact is a kind: report fact, what a source itself states",
                )
            )
        if fact.among:
            problems += _among_problems(doc, (*base, "among"), fact, languages, stored)
            if not named:
                named = {_as_group(n): e.id for e in reversed(corpus.entities) for n in (e.name, *e.aliases)}
            problems += _group_problems(doc, (*base, "among"), fact, named)
        if fact.speaker:
            speaker = entities.get(fact.speaker)
            if speaker is None:
                if fact.speaker not in flawed:
                    problems.append(_unknown(doc, (*base, "speaker"), "speaker", fact.speaker, entities))
            elif speaker.type not in SPEAKER_TYPES:
                problems.append(
                    doc.problem(
                        (*base, "speaker"),
                        f"speaker '{fact.speaker}' is a {speaker.type}; a speaker must be a person or organisation",
                        hint="name the person or body who said it",
                    )
                )
        for j, topic in enumerate(fact.topics):
            if corpus.topics and topic not in topics:  # no vocabulary: its file's error says so
                problems.append(_unknown(doc, (*base, "topics", j), "topic", topic, topics))
        for j, other in enumerate(doc.data["facts"][index].get("about", [])):
            if other == fact.entity:
                message = f"'{other}' is this file's own entity; 'about' lists the other entities the fact concerns"
                hint = "remove it: a fact in this file is on its profile already"
                problems.append(doc.problem((*base, "about", j), message, hint=hint))
            elif other not in entities and other not in flawed:
                problems.append(_unknown(doc, (*base, "about", j), "entity", other, entities))
        for j, citation in enumerate(fact.citations):
            if citation.source not in sources:
                problems.append(_unknown(doc, (*base, "citations", j, "source"), "source", citation.source, sources))
    for entity in corpus.entities:
        doc = docs[entity.file]
        if entity.roles and entity.type != "person":
            problems.append(
                doc.problem(
                    ("roles",),
                    f"only people have roles; this entity is {with_article(entity.type)}",
                    key=True,
                )
            )
        if entity.article and entity.type == "person":
            problems.append(
                doc.problem(
                    ("article",),
                    "a person's name takes no article",
                    hint="remove 'article'; it is for names such as 'the European Union'",
                    key=True,
                )
            )
        for i, role in enumerate(entity.roles):
            if role.of and role.of not in entities and role.of not in flawed:
                problems.append(_unknown(doc, ("roles", i, "of"), "entity", role.of, entities))
            for j, citation in enumerate(role.citations):
                if citation.source not in sources:
                    problems.append(
                        _unknown(doc, ("roles", i, "citations", j, "source"), "source", citation.source, sources)
                    )
    for policy_doc, policy in zip(sorted(policy_docs, key=lambda d: d.path), corpus.policies, strict=True):
        for j, actor in enumerate(policy.actors):
            if actor not in entities and actor not in flawed:
                problems.append(_unknown(policy_doc, ("actors", j), "entity", actor, entities))
    return problems


def _mixed(doc: Document, path: DataPath, name: str) -> list[Problem]:
    """A word of a name that mixes alphabets, as a name made to pass for another does (``mixed_word``)."""
    if (mixed := mixed_word(name)) is None:
        return []
    message = f"{mixed.describe()}, as a name made to look like another does"
    return [doc.problem(path, message, hint="type the name again; each word is written in one alphabet")]


def _alike(named: Iterable[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    """For (name, key) pairs: each key whose name a reader could not tell from another's, with the others."""
    groups: dict[str, list[str]] = {}
    for name, key in named:
        groups.setdefault(look_alike(name), []).append(key)
    for keys in groups.values():
        for key in keys if len(keys) > 1 else ():
            yield key, [other for other in keys if other != key]


def same_names(entity_docs: list[Document], topics: Document | None, corpus: Corpus) -> list[Problem]:
    """Two entities, or two topics, that a reader could not tell apart by name.

    An entity's name heads its page and speaks its claims ("According to Serbia, ..."), and a topic's
    title heads a section of every page: a second file with the same name would pass for the first.
    """
    problems: list[Problem] = []
    docs = {d.path: d for d in entity_docs}
    for entity in corpus.entities:
        problems += _mixed(docs[entity.file], ("name",), entity.name)
        for k, alias in enumerate(entity.aliases):
            problems += _mixed(docs[entity.file], ("aliases", k), alias)
    for file, others in _alike((entity.name, entity.file) for entity in corpus.entities):
        message = f"another entity has the name '{docs[file].data['name']}': {', '.join(others)}"
        problems.append(docs[file].problem(("name",), message, hint="give each entity its own name"))
    problems += _shared_aliases(docs, corpus)
    if topics is None:  # the topic file did not load; its own problem is reported
        return problems
    for id_, others in _alike((topic.title, topic.id) for topic in corpus.topics):
        listed = ", ".join(f"'{other}'" for other in others)
        message = f"topic {listed} has the same title, '{topics.data[id_]['title']}'"
        problems.append(topics.problem((id_, "title"), message, hint="give each topic its own title"))
    return problems


def _shared_aliases(docs: Mapping[str, Document], corpus: Corpus) -> list[Problem]:
    """An alias that is also another entity's name or alias, reported at both ends (two names alike are
    ``same_names``'s): the speaker and role checks would take a passage that names the other for this one, and a
    page would call this entity by the other's name."""
    read = [
        (entity, look_alike(entity.name), [look_alike(alias) for alias in entity.aliases]) for entity in corpus.entities
    ]
    names: dict[str, set[str]] = {}
    aliases: dict[str, set[str]] = {}
    for entity, name, keys in read:
        names.setdefault(name, set()).add(entity.file)
        for key in keys:
            aliases.setdefault(key, set()).add(entity.file)
    problems = []
    for entity, name, keys in read:
        doc = docs[entity.file]
        if others := sorted(aliases.get(name, set()) - {entity.file}):
            message = f"the name '{entity.name}' is another entity's alias too: {', '.join(others)}"
            problems.append(doc.problem(("name",), message, hint="give each entity a name no other entity goes by"))
        for k, (alias, key) in enumerate(zip(entity.aliases, keys, strict=True)):
            if others := sorted((names.get(key, set()) | aliases[key]) - {entity.file}):
                message = f"the alias '{alias}' also names another entity: {', '.join(others)}"
                hint = "an alias names this entity alone: remove it, or write the name the source uses for this one"
                problems.append(doc.problem(("aliases", k), message, hint=hint))
    return problems


def unused_problems(
    docs: tuple[list[Document], list[Document]],
    corpus: Corpus,
    stored: Mapping[str, bytes],
    folder: str,
    *,
    uncited: bool = True,
) -> list[Problem]:
    """A source that nothing cites (unless it is retracted) or an entity with nothing sourced on its page
    (warnings, if ``uncited``), and a stored text that no source names (an error). ``docs`` are the source and
    entity documents.

    ``stored`` holds the bytes of each .txt file in the sources folder by name, shown as ``folder``/name; the
    caller leaves it empty while a source file fails to load. A run with errors leaves uncited sources
    out: a mistyped citation would make its source look unused.
    """
    problems: list[Problem] = []
    # A retracted source stays when nothing cites it any more: its page is where the retraction is told.
    unused = {s.id for s in corpus.sources if not s.retracted} if uncited else set()
    if unused:
        unused -= {c.source for f in corpus.facts for c in f.citations}
        unused -= {c.source for e in corpus.entities for r in e.roles for c in r.citations}
    if unused:  # the files are read only when there is something to report
        hint = "cite it (python -m generator new fact ENTITY --source {id}), or delete the file"
        problems += _warnings(docs[0], unused, "no fact or role cites this source", hint)
    # A page with only a name and a type would state them without a source. Nearly every entity has
    # facts of its own, so the facts that name others are read only for the few that have none.
    bare = {e.id for e in corpus.entities if not e.roles} - {f.entity for f in corpus.facts} if uncited else set()
    if bare:
        bare -= {a for f in corpus.facts for a in f.about}
        bare -= {f.speaker for f in corpus.facts}
        message = "nothing on this entity's page is sourced: it has no role, and no fact names it"
        hint = "add a fact from a source (python -m generator new fact {id} --source SOURCE), or delete the file"
        problems += _warnings(docs[1], bare, message, hint)
    named = {s.snapshot.file for s in corpus.sources if s.snapshot}
    problems += [
        Problem(
            f"{folder}/{name}",
            0,
            0,
            "stored text that no source names",
            hint=(
                "name it in its source's snapshot, or delete it:\n"
                f"snapshot:\n  file: {name}\n  sha256: {hashlib.sha256(stored[name]).hexdigest()}"
            ),
        )
        for name in sorted(set(stored) - named)
    ]
    return problems


def _warnings(docs: list[Document], ids: set[str], message: str, hint: str) -> list[Problem]:
    """A warning at the top of each file whose id is one of ``ids``; ``{id}`` in the hint is its id."""
    named = ((doc, Path(doc.path).stem) for doc in docs)
    return [doc.problem((), message, severity="warning", hint=hint.format(id=i)) for doc, i in named if i in ids]
