"""Whose words the source says they are: the attribution printed beside a quotation must name the speaker.

A passage that names the speaker can still give the words to someone else. "“I do not believe it will happen,”
Kurti said, adding that Belgrade would not dare refuse instructions from Russian President Vladimir Putin" names
Putin, and the speaker check (``generator.speakers``) is content with that, but the words are Kurti's. So where a
quotation's words, or the words a claim's text puts in quotation marks, stand between the source's quotation marks
inside a passage the fact cites, the words the passage prints right beside that quotation are read for who spoke:
after the closing mark ("…,” Kurti said", "…,” said Kurti", "…», rekao je Vučić") or before the opening one
("Kurti said: “…", "Kurti said that “…", "According to Kurti, “…"). They are read up to the nearest punctuation,
and only if a verb of saying is among them; the people they name are found as ``generator.people`` finds names.
If they name people of the corpus and not the speaker, the passage gives the words to someone else: an error at
the passage. Words that name no one the corpus knows ("…,” the minister said", "he said"), a possessive ("Kurti’s
spokesman said"), or no attribution beside the quotation leave the speaker check to judge. Only a few words on
either side of a quotation are read, so the check costs no more than finding the words in their passages.
"""

from __future__ import annotations

import itertools
import re

from generator.loader import Document
from generator.model import Entity, Fact
from generator.people import Names, words_of
from generator.problems import Problem
from generator.quotations import holding, quoted_words, spellings
from generator.verify import PRINTED_LOOKED_AT, Folded, Verifier, fold_text

REACH = 120
"""Characters read on either side of a quotation for who spoke: room for a title, a name and a verb."""

_VERBS = (
    "said says say saying stated told tells added adds noted declared declares wrote writes asked asks replied "
    "replies answered insisted stressed emphasized emphasised warned warns explained claimed argued concluded "
    "remarked continued according "
    "tha deklaroi shtoi theksoi "  # Albanian
    "rekao rekla izjavio izjavila kazao kazala dodao dodala naveo navela istakao istakla "  # Serbian, Croatian, Bosnian
    "сказал сказала заявил заявила отметил отметила добавил добавила подчеркнул подчеркнула"  # Russian
)
SPEECH_VERBS = frozenset(word for verb in _VERBS.split() for word in words_of(verb))
"""The verbs that say who spoke, folded as ``people.words_of`` folds the words they are looked for in."""

_BOUNDARY = re.compile('[.!?;:,\n\u2026\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"\u2018\u201a]')
"""Where the words beside a quotation stop: punctuation, a line break, another quotation's mark. An apostrophe
("Kosovo’s") is no boundary, and neither is a dash, which sets off words inside a clause."""
_SKIPPED = ",;:\u2013\u2014-"
"""What stands between a quotation mark and its attribution ("…”, Kurti said", "…», — сказал он", "said: “…")."""

HINT = (
    "if the words are {who}'s, make the fact {who}'s (speaker: {id}, in {file}); if {speaker} said them too, cite "
    "a passage in which the source gives them to {speaker}"
)


def attribution_problems(
    doc: Document, i: int, fact: Fact, speaker: Entity, names: Names, verifier: Verifier
) -> list[Problem]:
    """An error at each passage a claim or quotation cites that gives its quoted words to others than its speaker."""
    if fact.kind == "quote":
        groups = [("these words", [fold_text(fact.text)])]
    else:  # a claim: the words its text puts in quotation marks, which must be the speaker's
        groups = [(f"the words “{words}”", spellings(words)) for words in quoted_words(fact.text)]
    problems: list[Problem] = []
    for j, citation in enumerate(fact.citations if groups else ()):
        passage = verifier.found(citation.source, citation.passage)
        if passage is None:
            continue  # no passage, or one not in its stored text, which is an error of its own
        text = verifier.texts[citation.source]
        for words, variants in groups:
            others = _given_to_others(text, passage, variants, speaker, names)
            if others:
                who = " and ".join(person.name for person in others)
                what = "quotation" if fact.kind == "quote" else "claim"
                message = f"the passage gives {words} to {who}, not to this {what}'s speaker, {speaker.name}"
                first = others[0]
                hint = HINT.format(who=first.name, id=first.id, file=first.file, speaker=speaker.name)
                problems.append(doc.problem(("facts", i, "citations", j, "passage"), message, hint=hint))
                break
    return problems


REPORT_HINT = (
    "if the source gives them as {who}'s words, make the fact {who}'s claim (kind: claim, speaker: {id}); or say in "
    'the text who said them, as the source does ("{who} said the chances were “very small”")'
)


def report_problems(doc: Document, i: int, fact: Fact, names: Names, verifier: Verifier) -> list[Problem]:
    """An error for a report that quotes words its passage gives to a person, without saying whose they are: the site
    prints a report as what the source says happened, so "The chances are “very small”" would state as fact what
    Kurti said. A report that names the person ("Kurti called the chances “very small”") reports the saying."""
    groups = [(words, spellings(words)) for words in quoted_words(fact.text)]
    told = {person.id for _, person in names.people_in(words_of(fact.text))} if groups else set()
    for citation in fact.citations if groups else ():
        passage = verifier.found(citation.source, citation.passage)
        if passage is None:
            continue
        text = verifier.texts[citation.source]
        for words, variants in groups:
            given = _given_to_others(text, passage, variants, None, names)
            if given and not told.intersection(person.id for person in given):
                who = " and ".join(person.name for person in given)
                message = f"the passage gives the words “{words}” to {who}, and this report does not say so"
                hint = REPORT_HINT.format(who=given[0].name, id=given[0].id)
                return [doc.problem(("facts", i, "text"), message, hint=hint)]
    return []


def _given_to_others(
    text: Folded, passage: str, variants: list[str], speaker: Entity | None, names: Names
) -> list[Entity]:
    """The people the passage gives the words to, if it gives them to people of the corpus and never to the
    speaker (with no speaker, to anyone); else none. Words the passage quotes twice are the speaker's if either
    attribution says so."""
    given: dict[str, Entity] = {}
    for variant in variants:
        quoted = (  # the places where the words stand inside quotation marks: elsewhere they are no one's words
            ((low, high), span)
            for (low, high), at in text.occurrences_inside(passage, variant)
            if (span := holding(text.quoted, *at)) is not None
        )
        for (low, high), span in itertools.islice(quoted, PRINTED_LOOKED_AT):  # unquoted places count for nothing
            who = _who(_after(text.original, span[1], high), names, before=False)
            who += _who(_before(text.original, span[0], low), names, before=True)
            if not who or (speaker is not None and any(person.id == speaker.id for person in who)):
                return []
            given.update((person.id, person) for person in who)
    return list(given.values())


def _after(text: str, end: int, limit: int) -> str:
    """The words after a quotation that ends at ``end`` (its closing mark), up to ``limit`` and the next punctuation."""
    if text[end : end + 1] == "\n":
        return ""  # a quotation that runs on into the next paragraph: nothing stands beside its end
    window = text[end + 1 : min(limit, end + 1 + REACH)]
    start = 0
    while start < len(window) and (window[start] in _SKIPPED or window[start].isspace() and window[start] != "\n"):
        start += 1
    return _BOUNDARY.split(window[start:], maxsplit=1)[0]


def _before(text: str, start: int, limit: int) -> str:
    """The words before a quotation that starts at ``start`` (after its opening mark), from ``limit`` and the
    punctuation before them."""
    window = text[max(limit, start - 1 - REACH) : max(limit, start - 1)]
    end = len(window)
    while end and (window[end - 1] in _SKIPPED or window[end - 1].isspace() and window[end - 1] != "\n"):
        end -= 1
    return _BOUNDARY.split(window[:end])[-1]


PASSIVE = frozenset({"was", "were", "is", "are", "been", "being", "be"})
"""Before a verb of saying, these make its subject the one spoken to: "Kurti was told by Putin"."""
NOT_THE_SUBJECT = frozenset({"for", "of", "to", "with", "by", "from", "about", "on", "at", "in", "after", "before"})
"""A name after one of these is not who spoke: "a spokesman for Kurti said", "the minister of Kurti's party"."""
ADDRESSING = frozenset({"told", "tells", "asked", "asks"})
"""Verbs whose object is who was spoken to: a name after them ("Putin told Kurti: “…") is not who spoke."""
BESIDE_THE_VERB = frozenset(
    "also later then again further previously earlier recently reportedly once never repeatedly often publicly "
    "has have had will would himself herself themselves".split()
)
"""Words that may stand between a name and its verb: "Putin also said", "Kurti later told reporters"."""


def _who(words_beside: str, names: Names, *, before: bool) -> list[Entity]:
    """The people of the corpus that words beside a quotation name as who spoke: the name right before a verb of
    saying ("Kurti said", "Russian President Vladimir Putin also said", "Putin and Kurti said"), the first name
    after it when the verb comes first ("said Russian President Vladimir Putin", "according to Kurti"), or after
    "by" when the verb is passive ("was told by Putin"). After a quotation the first verb counts; before one the
    last, the nearest to it, and only if no one is named between it and the quotation but to whom or of whom it
    was said ("Kurti told reporters: “…" and "Putin told Kurti: “…" are attributions, "Putin said Đorđević’s
    warning of “…”" is none). A verb that opens the words before a quotation says to whom, not who ("told Putin:
    “…"). A name after "for", "of" and the like ("a spokesman for Kurti said"), or followed by a possessive
    ("Kurti’s spokesman said"), is not who spoke; neither is a name with other words between it and the verb
    ("Kurti said Putin told him: “…" gives the words to Putin)."""
    words = words_of(words_beside)
    verbs = [at for at, word in enumerate(words) if word in SPEECH_VERBS]
    if not verbs:
        return []
    verb = verbs[-1] if before else verbs[0]
    if words[verb] == "according":  # "according to Kurti"
        return _named_after(words, verb + 2, names) if words[verb + 1 : verb + 2] == ["to"] else []
    if verb and words[verb - 1] in PASSIVE:  # "was told by Putin"
        return _named_after(words, verb + 2, names) if words[verb + 1 : verb + 2] == ["by"] else []
    spoken_to = words[verb] in ADDRESSING or bool(NOT_THE_SUBJECT.intersection(words[verb + 1 : verb + 2]))
    if before and not spoken_to and names.people_in(words[verb + 1 :]):
        return []  # "Putin said Đorđević’s warning of “…": whose words these are is not said here
    if verb:
        return _named_before(words, verb, names)
    if before:
        return []  # "told Putin: “…": to whom, not who
    return _named_after(words, 1, names)  # "“…,” said Kurti"


def _spans(words: list[str], names: Names) -> list[tuple[int, int, Entity]]:
    """Every name of a person in the words, as (first word, end, person), in order, the longest at a place first."""
    found = []
    for at, word in enumerate(words):
        for person in names.people_starting((word,)):
            lengths = [len(n) for n in names.of[person.id] if tuple(words[at : at + len(n)]) == n]
            if lengths:
                found.append((at, at + max(lengths), person))
    return sorted(found, key=lambda span: (span[0], -span[1]))


def _named_after(words: list[str], start: int, names: Names) -> list[Entity]:
    """The people named first after ``start`` (past titles, not past "of" or "for"), with any joined to them by
    "and", unless a possessive follows."""
    spans = [s for s in _spans(words[start:], names) if not NOT_THE_SUBJECT.intersection(words[start : start + s[0]])]
    if not spans:
        return []
    first, found = spans[0], {}
    while True:
        begin, end, person = first
        if words[start + end : start + end + 1] != ["s"]:
            found[person.id] = person
        nxt = [s for s in spans if s[0] == end + 1 and words[start + end : start + end + 1] == ["and"]]
        if not nxt:
            return list(found.values())
        first = nxt[0]


def _named_before(words: list[str], verb: int, names: Names) -> list[Entity]:
    """The people named right before the verb (or before "also", "later" and the like), with any joined to them by
    "and", unless a word such as "for" comes before the first of them."""
    at = verb
    while at and words[at - 1] in BESIDE_THE_VERB:
        at -= 1
    spans = _spans(words[:at], names)
    found: dict[str, Entity] = {}
    end = at
    while True:
        ending = [s for s in spans if s[1] == end]
        if not ending:
            break
        begin = min(s[0] for s in ending)
        found.update((person.id, person) for _, _, person in ending)
        if words[begin - 1 : begin] != ["and"]:
            break
        end = begin - 1
    if not found or (begin > 0 and words[begin - 1] in NOT_THE_SUBJECT):
        return []
    return list(found.values())
