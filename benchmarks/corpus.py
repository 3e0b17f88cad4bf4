"""A deterministic synthetic fact tree, written as real YAML files in the format of ``facts/``."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

SEED = 20260120
FACTS_PER_ENTITY = 20
SOURCES_PER_FACT = 0.10
SNAPSHOT_SHARE = 0.2
"""Share of sources that store their text, so that citations to them carry passages."""

TOPICS = (
    ("diplomacy", "Diplomacy"),
    ("security", "Security and defence"),
    ("regional-stability", "Regional stability"),
    ("eu-integration", "EU integration"),
    ("economy", "Economy"),
    ("energy", "Energy"),
    ("elections", "Elections"),
    ("borders", "Borders"),
)
FIRST = ("Arben", "Besa", "Dragan", "Elira", "Goran", "Jelena", "Luan", "Mira", "Nikola", "Vesna", "Zoran", "Ana")
LAST = ("Krasniqi", "Petrovic", "Hoxha", "Jovanovic", "Berisha", "Markovic", "Gashi", "Ilic", "Shala", "Kovac")
ORG = ("Council", "Agency", "Institute", "Ministry", "Party", "Assembly", "Office", "Union", "Forum", "Bank")
PLACE = ("Prizren", "Nis", "Tirana", "Mostar", "Ohrid", "Kotor", "Peja", "Tuzla", "Shkoder", "Bitola")
WORDS = (
    "the government announced new measures on regional cooperation and border crossings after talks with "
    "neighbouring states while officials described the agreement as a step towards closer ties and further "
    "negotiations on trade energy security and the rights of communities were scheduled for the coming months"
).split()
PUBLISHERS = ("Balkan Wire", "Adriatic Daily", "Morava Post", "Drina Herald", "Vardar News", "Sava Review")
TYPES = ("country", "territory", "region") + ("organisation",) * 5 + ("person",) * 12


@dataclass(frozen=True)
class Summary:
    """What was written, so the benchmark can report and check it."""

    entities: int
    facts: int
    sources: int
    snapshots: int
    files: int
    edited_fact: str
    """Id of the fact the incremental run edits."""
    edited_file: str
    """Path of that fact's file, relative to the project root."""


def _sentence(rng: random.Random, low: int, high: int) -> str:
    """Random words: real fact texts are all different, so no cache may profit from repeats."""
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


SAID = ",\u201d an official said."
"""How a stored sentence ends: its words before it are what the official said, in quotation marks."""


def _stored_sentence(rng: random.Random) -> str:
    """A sentence of a stored text: someone's words between quotation marks, as articles print them."""
    return "\u201c" + _sentence(rng, 8, 16).removesuffix(".") + SAID


def _quotation(rng: random.Random, sentences: list[str]) -> tuple[str, str]:
    """Some consecutive words said in one stored sentence, so that the quotation is verbatim in the
    source and between its quotation marks, and that sentence, the passage a quotation cites."""
    sentence = rng.choice(sentences)
    words = sentence.removeprefix("\u201c").removesuffix(SAID).split()
    length = rng.randint(min(6, len(words)), len(words))
    start = rng.randint(0, len(words) - length)
    return " ".join(words[start : start + length]), sentence


def _date(rng: random.Random, last_year: int = 2026) -> str:
    year = rng.randint(2000, last_year)
    precision = rng.random()
    if precision < 0.1:
        return f"{year}"
    if precision < 0.25:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _first(value: str) -> str:
    """The first day a written date can mean, as YYYY-MM-DD."""
    return (value + "-01-01")[:10]


def _last(value: str) -> str:
    """A day no earlier than the last one a written date can mean, as YYYY-MM-DD (months end on the 31st)."""
    return value + "-12-31"[len(value) - 4 :]


def _no_later_than(date: str, published: list[str]) -> str:
    """A fact or role is dated no later than the last of its sources: else it takes that source's date."""
    latest = max(published, key=_last)
    return latest if _first(date) > _last(latest) else date


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _name(rng: random.Random, kind: str, number: int) -> str:
    if kind == "person":
        return f"{rng.choice(FIRST)} {rng.choice(LAST)} {number}"
    if kind == "organisation":
        return f"{rng.choice(PLACE)} {rng.choice(ORG)} {number}"
    return f"{rng.choice(PLACE)} {kind.capitalize()} {number}"


def write_corpus(root: Path, entities: int, *, seed: int = SEED) -> Summary:
    """Write ``root/facts`` with the given number of entities; the same arguments give the same bytes."""
    rng = random.Random(seed)
    facts_dir = root / "facts"
    for folder in ("entities", "sources", "policies"):
        (facts_dir / folder).mkdir(parents=True, exist_ok=True)
    topics = "".join(f"{tid}:\n  title: {title}\n  description: Synthetic topic {title}.\n" for tid, title in TOPICS)
    (facts_dir / "topics.yaml").write_text(topics, encoding="utf-8")
    files = 1

    total_facts = entities * FACTS_PER_ENTITY
    source_count = max(1, round(total_facts * SOURCES_PER_FACT))
    passages: dict[str, list[str]] = {}
    snapshots = 0
    published: list[str] = []
    for number in range(source_count):
        sid = f"source-{number:06d}"
        published.append(_date(rng, last_year=2025))  # before the sources were accessed
        lines = [
            f"title: {_q(_sentence(rng, 5, 10))}",
            f"publisher: {rng.choice(PUBLISHERS)}",
            f"url: https://news.example.org/{rng.randint(2000, 2026)}/{sid}",
            "language: en",
            f'published: "{published[number]}"',
            'accessed: "2026-11-28"',
        ]
        if number == 0 or rng.random() < SNAPSHOT_SHARE:  # at least one, so that quotes can cite it
            sentences = [_stored_sentence(rng) for _ in range(6)]
            text = ("\n\n".join(sentences) + "\n").encode("utf-8")
            (facts_dir / "sources" / f"{sid}.txt").write_bytes(text)
            lines += ["snapshot:", f"  file: {sid}.txt", f"  sha256: {hashlib.sha256(text).hexdigest()}"]
            passages[sid] = sentences
            snapshots += 1
            files += 1
        (facts_dir / "sources" / f"{sid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        files += 1

    kinds = [TYPES[i % len(TYPES)] for i in range(entities)]
    ids = [f"{kind}-{i:05d}" for i, kind in enumerate(kinds)]
    speakers = [eid for eid, kind in zip(ids, kinds, strict=True) if kind in ("person", "organisation")]
    stored_ids = sorted(passages)
    edited = ("", "")
    for i, (eid, kind) in enumerate(zip(ids, kinds, strict=True)):
        lines = [f"name: {_name(rng, kind, i)}", f"type: {kind}"]
        if kind == "person":
            source = f"source-{rng.randrange(source_count):06d}"
            lines += [
                "roles:",
                f"  - title: Minister of {rng.choice(TOPICS)[1].split()[0]}",
                f'    as_of: "{_no_later_than(_date(rng), [published[int(source[7:])]])}"',
                "    citations:",
                f"      - source: {source}",
            ]
            if source in passages:
                lines.append(f"        passage: {_q(rng.choice(passages[source]))}")
        lines.append("facts:")
        for j in range(FACTS_PER_ENTITY):
            fid = f"{eid}-fact-{j:02d}"
            fact_kind = rng.choice(("report", "report", "claim", "quote"))
            if not edited[0] and fact_kind == "report":  # editing a quotation's words would make it invalid
                edited = (fid, f"facts/entities/{eid}.yaml")
            topic_ids = sorted({rng.choice(TOPICS)[0] for _ in range(rng.randint(1, 2))})
            about = sorted({rng.choice(ids) for _ in range(rng.randint(0, 2))} - {eid})
            lines += [
                f"  - id: {fid}",
                f"    kind: {fact_kind}",
            ]
            if fact_kind != "report":
                lines.append(f"    speaker: {eid if kind in ('person', 'organisation') else rng.choice(speakers)}")
            stored = rng.choice(stored_ids)
            said = ""  # for a quotation, the stored sentence its words come from
            if fact_kind == "quote":
                fact_text, said = _quotation(rng, passages[stored])
            else:
                fact_text = _sentence(rng, 10, 24)
            date = _date(rng)
            topics_line = f"    topics: [{', '.join(topic_ids)}]"
            about_lines = [f"    about: [{', '.join(about)}]"] if about else []
            cited = [f"source-{rng.randrange(source_count):06d}" for _ in range(rng.randint(1, 2))]
            if fact_kind == "quote":  # a quotation's words must be in a cited source's stored text
                cited = [stored, *(c for c in cited[1:] if c != stored)]
            date = _no_later_than(date, [published[int(c[7:])] for c in cited])
            lines += [f"    text: {_q(fact_text)}", f'    date: "{date}"', topics_line, *about_lines, "    citations:"]
            for source in cited:
                lines.append(f"      - source: {source}")
                if source in passages:
                    passage = said if source == stored and said else rng.choice(passages[source])
                    lines.append(f"        passage: {_q(passage)}")
        (facts_dir / "entities" / f"{eid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        files += 1

    organisations = [eid for eid, kind in zip(ids, kinds, strict=True) if kind == "organisation"]
    for number in range(2):
        actors = sorted(set(rng.sample(organisations, min(2, len(organisations)))))
        policy = [
            f"title: Policy {number}",
            "summary: What these synthetic actors do and say.",
            f"actors: [{', '.join(actors)}]",
        ]
        (facts_dir / "policies" / f"policy-{number}.yaml").write_text("\n".join(policy) + "\n", encoding="utf-8")
        files += 1
    return Summary(entities, total_facts, source_count, snapshots, files, edited[0], edited[1])
