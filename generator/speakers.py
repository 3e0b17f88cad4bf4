"""Whose words: a claim or quotation whose passages name other people, and never its speaker, is warned about.

A passage proves that the words are in the source, not who said them. "“We will not let Moscow
decide,” Kurti said", cited for a quotation of Lavrov's, passes every word-for-word check and would
be published as Lavrov's. No rule can tell reliably who speaks in a text ("he said" names no one),
so this is a warning, and only for the telling case: the passages name people of the corpus, and
the speaker is not among them. Names are found as ``generator.people`` finds them: without regard
to case, accents or look-alike letters ("VUCIC" is Vučić), and a dash next to a name does not hide
it. Only people are looked for: an organisation or a country is named in a passage far more often
as what is spoken of than as who speaks. The cure is to cite the words that say who spoke, to add
the name the source uses to the speaker's aliases, or to correct the speaker. Where a passage prints
who spoke right beside the quoted words ("“…,” Kurti said"), ``generator.attribution`` reads that,
and its error, which says whose the words are, takes the place of this warning.
"""

from __future__ import annotations

from generator.attribution import attribution_problems, report_problems
from generator.loader import Document
from generator.model import Corpus, facts_of
from generator.people import Names, words_of
from generator.problems import Problem
from generator.verify import Verifier

HINT = (
    "extend the passage to the words that name who spoke; if the source names the speaker otherwise, add that "
    "name to the speaker's aliases; if the words are another person's, correct the speaker"
)


def speaker_problems(
    docs: list[Document], corpus: Corpus, names: Names, verifier: Verifier | None = None
) -> list[Problem]:
    """Warn about each claim or quotation whose cited passages name people but not its speaker. With the run's
    ``verifier``, first refuse one whose passages give its quoted words to someone else (``generator.attribution``):
    that error says more than the warning would, which is then left out."""
    entities = {e.id: e for e in corpus.entities}
    problems: list[Problem] = []
    for doc, i, fact in facts_of(docs, corpus.facts):
        speaker = entities.get(fact.speaker or "")
        passages = [c.passage for c in fact.citations if c.passage]
        if fact.kind == "report" and verifier and passages:
            problems += report_problems(doc, i, fact, names, verifier)
            continue
        if fact.kind not in ("claim", "quote") or speaker is None or not passages:
            continue
        if verifier and (wrong := attribution_problems(doc, i, fact, speaker, names, verifier)):
            problems += wrong
            continue
        words = words_of(" … ".join(passages))
        present = set(words)
        if names.named(speaker, words, present):
            continue
        others = [p.name for p in names.people_starting(present) if names.named(p, words, present)]
        if others:
            what = "quotation" if fact.kind == "quote" else "claim"
            message = (
                f"the passages this {what} cites name {', '.join(others)}, but not its speaker, {speaker.name}: "
                "nothing cited says the words are the speaker's"
            )
            problems.append(doc.problem(("facts", i, "speaker"), message, severity="warning", hint=HINT))
    return problems
