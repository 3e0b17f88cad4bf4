"""schema.org JSON-LD for profile pages: the entity, the claims and quotations on its page, their sources.

``profile_jsonld`` returns plain data; ``profile_jsonld_html`` is the same graph as
``escape.json_for_html`` writes it, joined from pieces serialised once per fact.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from generator.escape import json_for_html
from generator.model import Citation, Entity, Fact, Source
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


def news_article(source: Source, citation: Citation) -> dict[str, Any]:
    """A source as a NewsArticle; its date keeps the source's precision."""
    node: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": source.title,
        "url": source.url,
        "inLanguage": source.language,
        "datePublished": source.published.value,
        "publisher": {"@type": "Organization", "name": source.publisher},
    }
    if source.byline:
        node["author"] = {"@type": "Person", "name": source.byline}
    if citation.passage:
        node["citation"] = citation.passage
    return node


def _sources(citations: tuple[Citation, ...], index: CorpusIndex) -> list[dict[str, Any]]:
    return [news_article(index.sources[c.source], c) for c in citations]


def fact_node(fact: Fact, index: CorpusIndex) -> dict[str, Any]:
    """A claim or quotation with its speaker, what it concerns, and where it appeared."""
    speaker = entity_node(index.entities[fact.speaker])
    node: dict[str, Any] = {"@type": FACT_TYPES[fact.kind], "identifier": fact.id, "text": fact.text}
    node["spokenByCharacter" if fact.kind == "quote" else "author"] = speaker
    node["dateCreated"] = fact.date.value
    node["about"] = [entity_node(index.entities[e]) for e in fact.entities]
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
    """``escape.json_for_html(profile_jsonld(entity, index, facts))``, from a piece made once per fact per run."""
    pieces: dict[str, str] = index.memo.setdefault("jsonld_pieces", {})
    graph: list[str] = [json_for_html(profile_jsonld(entity, index, [])["@graph"][0])]
    for fact in facts:
        if fact.kind in FACT_TYPES:
            piece = pieces.get(fact.id)
            if piece is None:
                piece = pieces[fact.id] = json_for_html(fact_node(fact, index))
            graph.append(piece)
    # json.dumps with sort_keys writes "@context" before "@graph"; the escaping is per character, so per piece.
    return Markup('{"@context":"https://schema.org","@graph":[' + ",".join(graph) + "]}")
