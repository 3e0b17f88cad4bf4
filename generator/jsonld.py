"""schema.org JSON-LD for profile pages: the entity, the claims and quotations on its page, their sources.

``profile_jsonld`` returns plain data; ``profile_jsonld_html`` is the same graph as
``escape.json_for_html`` writes it, joined from pieces serialised once per fact.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

from markupsafe import Markup

from generator.escape import json_for_html, script_safe_json
from generator.fact_blocks import UseCountedCache
from generator.model import Citation, DateSpec, Entity, Fact, Source, described
from generator.pages import CorpusIndex

SCHEMA_TYPES = {
    "person": "Person",
    "organisation": "Organization",
    "country": "Country",
    "territory": "AdministrativeArea",
    "region": "Place",
}
# Claims: schema.org's Claim, whose author is the one who makes it.
# Quotations: Quotation, whose spokenByCharacter is the one who said the words.
FACT_TYPES = {"claim": "Claim", "quote": "Quotation"}


def entity_node(entity: Entity) -> dict[str, Any]:
    """A short schema.org node naming an entity."""
    return {"@type": SCHEMA_TYPES[entity.type], "name": entity.name, "identifier": entity.id}


def iso_date(date: DateSpec) -> str | None:
    """A date as schema.org may state it: as precise as the source allows, and only if the source gives it.

    An estimated date has no place here: schema.org cannot say "about", and a page's data must not state
    as given what the page itself marks "c.".
    """
    return None if date.certainty == "estimated" else date.value


def news_article(source: Source, citation: Citation) -> dict[str, Any]:
    """A source as a NewsArticle; its date keeps the source's precision, its headline is only a real one."""
    description = described(source.title)
    node: dict[str, Any] = {
        "@type": "NewsArticle",
        **({"description": description} if description else {"headline": source.title}),
        "url": source.url,
        "inLanguage": source.language,
        "publisher": {"@type": "Organization", "name": source.publisher},
    }
    published = iso_date(source.published)
    if published:
        node["datePublished"] = published
    if source.byline:
        # A byline that names the outlet itself ("RksNews") credits no person.
        kind = "Organization" if source.byline == source.publisher else "Person"
        node["author"] = {"@type": kind, "name": source.byline}
    if citation.passage:
        node["citation"] = citation.passage
    if citation.via:  # the outlets whose reporting this article passes on for the statement
        node["isBasedOn"] = [
            {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": outlet}} for outlet in citation.via
        ]
    return node


def _sources(citations: tuple[Citation, ...], index: CorpusIndex) -> list[dict[str, Any]]:
    return [news_article(index.sources[c.source], c) for c in citations]


def credit_text(fact: Fact, index: CorpusIndex) -> str:
    """Whose claim it is, when its source gives it to a group: "senior officials in Kosovo, among them Vjosa Osmani"."""
    speaker = index.entities[fact.speaker]
    the = f"{speaker.article} " if speaker.article else ""  # as the page writes it (fact_blocks)
    return f"{fact.among}, among them {the}{speaker.name}"


def subjects(fact: Fact) -> list[str]:
    """What a claim or quotation concerns: the entities of its fact, less its speaker, who says it."""
    return [e for e in fact.entities if e != fact.speaker]


def fact_node(fact: Fact, index: CorpusIndex) -> dict[str, Any]:
    """A claim or quotation with its speaker, what it concerns, and where it appeared.

    A claim its source gives to a group ("senior officials in Kosovo, including President Vjosa Osmani")
    has no author, since no entity of the site is the group: the speaker is a contributor, and
    ``creditText`` names the group.
    """
    speaker = entity_node(index.entities[fact.speaker])
    node: dict[str, Any] = {"@type": FACT_TYPES[fact.kind], "identifier": fact.id, "text": fact.text}
    if fact.kind == "quote":
        node["spokenByCharacter"] = speaker
    elif fact.among:
        node["contributor"] = speaker
        node["creditText"] = credit_text(fact, index)
    else:
        node["author"] = speaker
    created = iso_date(fact.date)
    if created:
        node["dateCreated"] = created
    about = subjects(fact)
    if about:
        node["about"] = [entity_node(index.entities[e]) for e in about]
    node["appearance" if fact.kind == "claim" else "citation"] = _sources(fact.citations, index)
    return node


def profile_jsonld(entity: Entity, index: CorpusIndex, facts: list[Fact] | None = None) -> dict[str, Any]:
    """JSON-LD for one page of a profile: the entity, then every claim and quotation the page shows."""
    node = entity_node(entity)
    if entity.aliases:
        node["alternateName"] = list(entity.aliases)
    if facts is None:
        facts = index.facts_by_entity.get(entity.id, [])
    graph = [node, *(fact_node(f, index) for f in facts if f.kind in FACT_TYPES)]
    return {"@context": "https://schema.org", "@graph": graph}


def profile_jsonld_html(entity: Entity, index: CorpusIndex, facts: list[Fact]) -> Markup:
    """``escape.json_for_html(profile_jsonld(entity, index, facts))``, joined from pieces made once per run."""
    pieces = index.memo.get(MEMO_KEY)
    if pieces is None:
        pieces = index.memo[MEMO_KEY] = _Pieces(index)
    graph: list[str] = [json_for_html(profile_jsonld(entity, index, [])["@graph"][0])]
    graph += [pieces.fact(f) for f in facts if f.kind in FACT_TYPES]
    # json.dumps with sort_keys writes "@context" before "@graph"; the escaping is per character, so per piece.
    return Markup('{"@context":"https://schema.org","@graph":[' + ",".join(graph) + "]}")


MEMO_KEY = "jsonld_pieces"
AFTER_CITATION = ("datePublished", "description", "headline", "inLanguage", "publisher", "url")
"""The keys of a NewsArticle that sort after "citation"."""


class _Pieces:
    """The JSON text of fact nodes, as ``json_for_html(fact_node(...))`` writes them, each made once."""

    def __init__(self, index: CorpusIndex) -> None:
        self.index = index
        self.entities: dict[str, str] = {}
        self.articles: dict[str, tuple[str, int]] = {}
        """Each source's NewsArticle without a passage, and where a passage's "citation" key goes in it."""
        self.facts = UseCountedCache()
        """Claims and quotations by id; a profile page shows the ones about or by its entity."""

    def entity(self, entity_id: str) -> str:
        found = self.entities.get(entity_id)
        if found is None:
            found = self.entities[entity_id] = _compact(entity_node(self.index.entities[entity_id]))
        return found

    def article(self, citation: Citation) -> str:
        if citation.via:  # rare: made in full rather than spliced
            return _compact(news_article(self.index.sources[citation.source], citation))
        found = self.articles.get(citation.source)
        if found is None:
            source = self.index.sources[citation.source]
            text = _compact(news_article(source, Citation(source.id)))
            # Sorted keys put "citation" just before the first of these that the article has ("url" it
            # always has). A quote inside a string is written \", so the first ',"key":' is the key.
            at = min(i for key in AFTER_CITATION if (i := text.find(f',"{key}":')) >= 0)
            found = self.articles[citation.source] = (text, at)
        text, at = found
        if not citation.passage:
            return text
        return f'{text[:at]},"citation":{encode_basestring(citation.passage)}{text[at:]}'

    def fact(self, fact: Fact) -> str:
        """The node of a claim or quotation, kept until the last profile page that shows it."""
        return self.facts.get(fact.id, lambda: self._fact(fact), lambda: len({*fact.entities, fact.speaker}))

    def _fact(self, fact: Fact) -> str:
        speaker = self.entity(fact.speaker)
        sources = "[" + ",".join([self.article(c) for c in fact.citations]) + "]"
        about = ",".join([self.entity(e) for e in subjects(fact)])
        # fact_node's keys in sorted order, as json.dumps(sort_keys=True) writes them.
        if fact.kind == "quote":
            said, spoken = f',"citation":{sources}', f',"spokenByCharacter":{speaker}'
        elif fact.among:
            credit = encode_basestring(credit_text(fact, self.index))
            said, spoken = f',"appearance":{sources},"contributor":{speaker},"creditText":{credit}', ""
        else:
            said, spoken = f',"appearance":{sources},"author":{speaker}', ""
        text = f'{{"@type":"{FACT_TYPES[fact.kind]}"' + (f',"about":[{about}]' if about else "") + said
        created = iso_date(fact.date)
        if created:
            text += f',"dateCreated":{encode_basestring(created)}'
        text += f',"identifier":{encode_basestring(fact.id)}'
        text += f'{spoken},"text":{encode_basestring(fact.text)}}}'
        return script_safe_json(text)


def _compact(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
