"""Whose words: a claim or quotation whose passages name other people, and never its speaker, is warned about."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.loader import Document
from generator.model import Citation, Corpus, DateSpec, Entity, Fact
from generator.people import Names, words_of
from generator.speakers import HINT, speaker_problems
from tests.test_verify import KURTI, edit, line_of, problems_of, tree  # noqa: F401

LAVROV = "facts/entities/sergei-lavrov.yaml"


def test_the_real_corpus_names_the_speaker_of_every_claim_that_names_anyone(tree: Path) -> None:  # noqa: F811
    assert problems_of(tree) == []


def test_a_quotation_given_to_someone_the_passage_does_not_name_is_warned_about(tree: Path) -> None:  # noqa: F811
    # Kurti's words, with the passage that says so ("…,” Kurti stated), given to Lavrov.
    old = "  - id: kurti-quote-think-twice\n    kind: quote\n    speaker: albin-kurti\n"
    edit(tree, KURTI, old, old.replace("albin-kurti", "sergei-lavrov"))
    [problem] = problems_of(tree)
    assert (problem.severity, problem.file, problem.key_path) == ("warning", KURTI, "facts[8].speaker")
    assert problem.line == line_of(tree, KURTI, "speaker: sergei-lavrov")
    assert problem.message == (
        "the passages this quotation cites name Albin Kurti, but not its speaker, Sergei Lavrov: "
        "nothing cited says the words are the speaker's"
    )
    assert problem.hint == HINT


@pytest.mark.parametrize(
    ("passage", "warned"),
    [
        ("Kurti said the situation in Bosnia and Herzegovina has become more complicated", True),  # Kurti alone
        ("Lavrov said Russia has more opportunities to communicate", False),  # the speaker, by his alias
        ("Moscow is communicating with the United States regarding the Balkans", False),  # no one: not told
    ],
)
def test_a_claim_is_warned_about_only_when_its_passages_name_others_and_not_the_speaker(
    tree: Path,  # noqa: F811
    passage: str,
    warned: bool,
) -> None:
    old = (
        'passage: "Moscow is communicating with the United States regarding the Balkans and remains open to further '
        'engagement on the region"'
    )
    edit(tree, LAVROV, old, f'passage: "{passage}"')
    problems = [p for p in problems_of(tree) if p.key_path.endswith(".speaker")]
    assert len(problems) == int(warned)
    if warned:
        assert problems[0].message.startswith("the passages this claim cites name Albin Kurti, but not its speaker")


@pytest.mark.parametrize(
    ("passages", "warned"),
    [
        (["Kurti said the situation in Bosnia and Herzegovina has become more complicated"], True),
        # several passages: one that names the speaker is enough
        (["Kurti said the situation", "Lavrov said Russia has more opportunities to communicate"], False),
        # a dash without spaces next to a name hides neither name
        (["Sergei Lavrov—speaking in Moscow—said Kurti was wrong"], False),
        (["Moscow—Kurti said it"], True),
        # a name written without its accents, or in capitals, is still the name
        (["“…,” SERGEI LAVROV SAID of Kurti"], False),
        # nor one written with a letter of another alphabet that prints alike (a Cyrillic "і")
        (["“…,” Kurt\u0456 said"], True),
    ],
)
def test_the_speaker_is_found_in_any_passage_whatever_the_dashes_or_the_capitals(
    passages: list[str], warned: bool
) -> None:
    kurti = Entity(id="albin-kurti", name="Albin Kurti", type="person", aliases=("Kurti",), file="k.yaml")
    lavrov = Entity(id="sergei-lavrov", name="Sergei Lavrov", type="person", aliases=("Lavrov",), file="l.yaml")
    vucic = Entity(id="aleksandar-vucic", name="Aleksandar Vučić", type="person", aliases=("Vučić",), file="v.yaml")
    citations = tuple(Citation(source="s", passage=p) for p in passages)
    fact = Fact(
        id="f", kind="claim", text="x.", date=DateSpec("2026-01-20", "day"), speaker="sergei-lavrov", topics=("t",),
        citations=citations, entity="sergei-lavrov", about=(), file="l.yaml",
    )  # fmt: skip
    corpus = Corpus(sources=(), entities=(kurti, lavrov, vucic), facts=(fact,), topics=(), policies=())
    doc = Document(path="l.yaml", data={})
    assert len(speaker_problems([doc], corpus, Names(corpus.entities))) == int(warned)
    # Vučić, written VUCIC: found
    plain = dataclasses.replace(
        fact, speaker="aleksandar-vucic", citations=(Citation("s", "“…,” VUCIC said of Kurti"),)
    )
    assert speaker_problems([doc], dataclasses.replace(corpus, facts=(plain,)), Names(corpus.entities)) == []


@pytest.mark.parametrize(
    ("passage", "found"),
    [
        ("“…,” Kurti said", True),
        ("“…,” KURTI said", True),
        ("“…,” Kurt\u0456 said", True),  # a Cyrillic "і" that prints as the Latin one
        ("“…,” \uff2b\uff55\uff52\uff54\uff49 said", True),  # full-width letters
        ("“…,” Kurtis said", False),  # another word that begins with the name
        ("“…,” Albin said", False),  # a part of a name is not the name
        ("“…,” Kurti\u0161 said", False),  # nor is a longer word that folds to begin with it
    ],
)
def test_a_name_is_found_whatever_its_case_width_or_look_alike_letters_but_only_as_whole_words(
    passage: str, found: bool
) -> None:
    kurti = Entity(id="albin-kurti", name="Albin Kurti", type="person", aliases=("Kurti",), file="k.yaml")
    names = Names([kurti])
    words = words_of(passage)
    assert names.named(kurti, words, set(words)) is found
    if found:  # the first word of a name that is found is among the words, so the name's owner is looked at
        assert names.people_starting(set(words)) == [kurti]


OSMANI = "facts/entities/vjosa-osmani.yaml"
GROUP = "    among: senior officials in Kosovo\n"
OSMANI_PASSAGE = (
    '        passage: "senior officials in Kosovo, including President Vjosa Osmani, who have repeatedly '
    "cautioned about the risk of Russian influence in the Western Balkans, often describing Serbia as Russia’s "
    'extended arm in the region."\n'
)


@pytest.mark.parametrize(
    ("group", "language", "message"),
    [
        ('","', "en", "the group has no words"),
        (
            "' '",
            "en",
            "expected a plain name: not blank, on one line, and without "
            "< > { } [ ] | * _ # ` \\ \" & ! $ ^ ~ = + : ; @ % ?; found ' '",
        ),  # the schema's
        ("Senior Officials in KOSOVO", "en", None),  # whatever the capitals
        ("officials in Kosov", "en", "no passage this claim cites names the group 'officials in Kosov'"),
        ("ministers in Kosovo", "en", "no passage this claim cites names the group 'ministers in Kosovo'"),
        # A passage in another language cannot hold the group's English words: it is translated, as the text is.
        ("ministers in Kosovo", "sq", None),
        # A source whose file fails its checks has its own error: its passages are not judged.
        ("ministers in Kosovo", "EN", None),
    ],
)
def test_a_group_is_in_the_words_of_a_passage_in_the_site_s_language(
    tree: Path,  # noqa: F811
    group: str,
    language: str,
    message: str | None,
) -> None:
    edit(tree, OSMANI, GROUP, f"    among: {group}\n")
    edit(tree, "facts/sources/rksnews-2026-01-20-lavrov-balkans.yaml", "\nlanguage: en\n", f"\nlanguage: {language}\n")
    found = [(p.line, p.message) for p in problems_of(tree) if p.key_path.endswith(".among")]
    assert found == ([] if message is None else [(line_of(tree, OSMANI, "among:"), message)])


def test_a_group_needs_a_passage_that_gives_the_claim_to_it(tree: Path) -> None:  # noqa: F811
    """A claim that cites stored text must quote the passage that gives it to someone: here, to the group."""
    edit(tree, OSMANI, OSMANI_PASSAGE, "")
    [problem] = [p for p in problems_of(tree) if p.severity == "error"]
    assert problem.key_path.endswith(".citations[0]")
    assert problem.message == (
        "source 'rksnews-2026-01-20-lavrov-balkans' has stored text; quote the passage that gives this to its speaker"
    )


def test_a_group_may_carry_a_comment_as_a_name_may(tree: Path) -> None:  # noqa: F811
    """A group is a name, which holds no '#': a trailing comment cannot be part of it, as it could of prose."""
    edit(tree, OSMANI, GROUP, "    among: senior officials in Kosovo  # as the article names them\n")
    assert [p for p in problems_of(tree) if p.severity == "error"] == []
