"""Whose words: a claim or quotation whose passages name other people, and never its speaker, is warned about."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.loader import Document
from generator.model import Citation, Corpus, DateSpec, Entity, Fact
from generator.people import Names, words_of
from generator.speakers import HINT, speaker_problems
from tests.test_quotations import _add_source
from tests.test_verify import KURTI, edit, errors_of, line_of, problems_of, tree  # noqa: F401

LAVROV = "facts/entities/sergei-lavrov.yaml"


def test_the_real_corpus_names_the_speaker_of_every_claim_that_names_anyone(tree: Path) -> None:  # noqa: F811
    assert problems_of(tree) == []


THINK_TWICE = (
    "“They should think twice before doing anything against us. When you think twice, you do not act easily,” Kurti "
    "stated"
)


@pytest.mark.parametrize(
    "written",
    [
        "",  # as the real corpus writes it, in one quoted line
        "        passage: >\n          {}\n          When {}\n".format(*THINK_TWICE.split(" When ")),  # ends in "\n"
        f'        passage: "{THINK_TWICE.replace(" ", "  ", 1)}"\n',  # a doubled space
    ],
)
def test_a_quotation_its_passage_gives_to_someone_else_is_an_error_there_and_no_warning(
    tree: Path,  # noqa: F811
    written: str,
) -> None:
    """However the passage's spaces and lines are written: they are squeezed before the passage is found."""
    # Kurti's words, with the passage that says so ("…,” Kurti stated), given to Lavrov.
    old = "  - id: kurti-quote-think-twice\n    kind: quote\n    speaker: albin-kurti\n"
    edit(tree, KURTI, old, old.replace("albin-kurti", "sergei-lavrov"))
    if written:
        edit(tree, KURTI, f'        passage: "{THINK_TWICE}"\n', written)
    [problem] = problems_of(tree)  # the error says more than the warning would: "…, but not its speaker, …"
    assert (problem.severity, problem.file, problem.key_path) == ("error", KURTI, "facts[8].citations[0].passage")
    folded = 2 if "passage: >" in written else 0  # the block scalar starts two lines above its last words
    assert problem.line == line_of(tree, KURTI, "you do not act easily,” Kurti stated") - folded
    assert problem.message == (
        "the passage gives these words to Albin Kurti, not to this quotation's speaker, Sergei Lavrov"
    )
    assert problem.hint == (
        "if the words are Albin Kurti's, make the fact Albin Kurti's (speaker: albin-kurti, in "
        "facts/entities/albin-kurti.yaml); if Sergei Lavrov said them too, cite a passage in which the source gives "
        "them to Sergei Lavrov"
    )


@pytest.mark.parametrize("unquoted", [0, 150])
def test_a_quotation_given_to_someone_else_is_refused_however_often_its_passage_stands_unquoted(
    tree: Path,  # noqa: F811
    unquoted: int,
) -> None:
    """The places where the passage stands without the quotation marks around the words give them to no one, and
    count for nothing towards the places read (at most PRINTED_LOOKED_AT): Putin's words stay Putin's."""
    line = "We go now,” Putin said to Kurti.\n\n"
    _add_source(tree, "Headline\n\n" + line * unquoted + "“" + line)
    fact = (
        '  - id: kurti-quote-go-now\n    kind: quote\n    speaker: albin-kurti\n    text: "go now"\n'
        '    date: "2026-01-20"\n    topics: [security]\n    citations:\n      - source: wire-2026-01-20-x\n'
        '        passage: "go now,” Putin said to Kurti"\n'
    )
    entity = tree / KURTI
    entity.write_text(entity.read_text(encoding="utf-8") + fact, encoding="utf-8")
    messages = [p.message for p in errors_of(tree)]
    assert "the passage gives these words to Vladimir Putin, not to this quotation's speaker, Albin Kurti" in messages


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


RKSNEWS_SOURCE = "rksnews-2026-01-20-lavrov-balkans"
SPEAKERS = {"albin-kurti": "Albin Kurti", "vladimir-putin": "Vladimir Putin"}
WIRE = "wire-2026-01-20-x"
WIRE_TEXT = (
    "Kurti said: “Serbia will not attack Kosovo this year.”\n\n"
    "Asked about the talks, Putin said that “the talks will go on”.\n\n"
    "“Nothing has been decided,” the minister said of Putin and Kurti.\n\n"
    "“We are ready,” said Vladimir Putin.\n\n"
    "“The border stays open,” Kurti’s spokesman said, after Putin spoke.\n\n"
    "“We will not wait,” he said after meeting Kurti.\n\n"
    "“Valdoria must yield,” Kurti was told by Putin.\n\n"
    "“The road is closed,” a spokesman for Kurti said.\n\n"
    "Putin said Kurti’s warning of “a new embassy” was premature.\n\n"
    "Kurti told reporters: “The talks are over.”\n"
)
PUTIN_PASSAGE = (
    "“I do not believe it will happen. The chances are very small — unless the Kremlin orders something,” Kurti "
    "said, adding that Belgrade would not dare refuse instructions from Russian President Vladimir Putin"
)


def _add_fact(root: Path, speaker: str, kind: str, text: str, source: str, passage: str) -> tuple[str, str]:
    """Add a claim or quotation to its speaker's file; return the file's name and the new fact's key path."""
    name = f"facts/entities/{speaker}.yaml"
    path = root / name
    before = path.read_text(encoding="utf-8")
    facts = "" if "\nfacts:\n" in before else "facts:\n"
    path.write_text(
        f"{before}{facts}  - id: {speaker}-attributed\n    kind: {kind}\n    speaker: {speaker}\n"
        f'    text: "{text}"\n    date: "2026-01-20"\n    topics: [security]\n    citations:\n'
        f'      - source: {source}\n        passage: "{passage}"\n',
        encoding="utf-8",
    )
    return name, f"facts[{before.count(chr(10) + '  - id: ')}].citations[0].passage"


@pytest.mark.parametrize(
    ("kind", "text", "source", "passage", "whose"),
    [
        # The review's case: Putin is named in the passage, but the words are Kurti's.
        ("quote", "I do not believe it will happen", RKSNEWS_SOURCE, PUTIN_PASSAGE, "Albin Kurti"),
        # A claim's words in quotation marks are read as a quotation's are.
        ("claim", "the chances are “very small”.", RKSNEWS_SOURCE, PUTIN_PASSAGE, "Albin Kurti"),
        # The attribution before the quotation, with a colon or with "that".
        ("quote", "Serbia will not attack Kosovo this year", WIRE, WIRE_TEXT.split("\n")[0], "Albin Kurti"),
        ("quote", "the talks will go on", WIRE, "Putin said that “the talks will go on”", "Vladimir Putin"),
        # After the quotation, the verb first, the speaker by his full name; "Putin" alone is his alias.
        ("quote", "We are ready", WIRE, "“We are ready,” said Vladimir Putin.", "Vladimir Putin"),
        # Words that name no one the corpus knows, or someone's spokesman, or no one as who spoke, leave
        # the speaker check to judge (a warning where the passage names others and not the speaker).
        ("quote", "Nothing has been decided", WIRE, "“Nothing has been decided,” the minister said of Putin", None),
        ("quote", "The border stays open", WIRE, "“The border stays open,” Kurti’s spokesman said", None),
        ("quote", "We will not wait", WIRE, "“We will not wait,” he said after meeting Kurti.", None),
        # A passive verb gives the words to who comes after "by"; "a spokesman for" someone is not that person.
        ("quote", "Valdoria must yield", WIRE, "“Valdoria must yield,” Kurti was told by Putin.", "Vladimir Putin"),
        ("quote", "The road is closed", WIRE, "“The road is closed,” a spokesman for Kurti said.", None),
        # Before a quotation, the verb must lead to it: here Putin speaks of Kurti's words, and says none of them.
        ("quote", "a new embassy", WIRE, "Putin said Kurti’s warning of “a new embassy” was premature.", None),
        ("quote", "The talks are over", WIRE, "Kurti told reporters: “The talks are over.”", "Albin Kurti"),
    ],
)
def test_a_passage_that_gives_the_quoted_words_to_another_person_is_an_error_at_the_passage(
    tree: Path,  # noqa: F811
    kind: str,
    text: str,
    source: str,
    passage: str,
    whose: str | None,
) -> None:
    """Kurti and Putin each cite the passage for the words: an error for the one it does not give them to."""
    _add_source(tree, WIRE_TEXT)
    words = "these words" if kind == "quote" else "the words “very small”"
    expected = []
    for speaker, speaker_name in SPEAKERS.items():
        name, key_path = _add_fact(tree, speaker, kind, text, source, passage)
        if whose not in (None, speaker_name):
            line = len((tree / name).read_text(encoding="utf-8").splitlines())  # the passage is the last line
            message = f"the passage gives {words} to {whose}, not to this {kind}'s speaker, {speaker_name}"
            expected.append((f"{name}:{line}:18", key_path, message.replace("quote's", "quotation's")))
    assert sorted((p.location(), p.key_path, p.message) for p in errors_of(tree)) == expected


def test_a_quotation_whose_passage_names_others_but_not_as_who_spoke_is_warned_about(tree: Path) -> None:  # noqa: F811
    """No attribution beside the words names anyone known ("he said"), so the speaker check judges: the passage
    names Kurti, and not Putin."""
    _add_source(tree, WIRE_TEXT)
    passage = "“We will not wait,” he said after meeting Kurti."
    name, _ = _add_fact(tree, "vladimir-putin", "quote", "We will not wait", WIRE, passage)
    [problem] = problems_of(tree)
    assert (problem.severity, problem.file, problem.key_path) == ("warning", name, "facts[0].speaker")
    assert problem.line == line_of(tree, name, "speaker: vladimir-putin")
    assert problem.message == (
        "the passages this quotation cites name Albin Kurti, but not its speaker, Vladimir Putin: "
        "nothing cited says the words are the speaker's"
    )
    assert problem.hint == HINT


@pytest.mark.parametrize(
    ("text", "source", "passage", "whose"),
    [
        # The review's case: Kurti's words stated as fact, in a report that does not say they are his.
        (
            "The chances of an attack by Serbia on Kosovo are “very small”.",
            RKSNEWS_SOURCE,
            PUTIN_PASSAGE,
            "Albin Kurti",
        ),
        (  # the same, its passage written with a doubled space, which the passage check allows
            "The chances of an attack by Serbia on Kosovo are “very small”.",
            RKSNEWS_SOURCE,
            PUTIN_PASSAGE.replace(" ", "  ", 1),
            "Albin Kurti",
        ),
        # A report of the saying names who said it, by name or alias.
        ("Putin has said “the talks will go on”.", WIRE, "Putin said that “the talks will go on”", None),
        ("Albin Kurti said the chances were “very small”.", RKSNEWS_SOURCE, PUTIN_PASSAGE, None),
        ("Kurti called the chances of an attack “very small”.", RKSNEWS_SOURCE, PUTIN_PASSAGE, None),
        # Words the passage gives to no one the corpus knows are the speaker check's to judge, not this one's.
        ("Nothing “has been decided”.", WIRE, "“Nothing has been decided,” the minister said of Putin", None),
    ],
)
def test_a_report_that_quotes_a_persons_words_must_say_whose_they_are(
    tree: Path,  # noqa: F811
    text: str,
    source: str,
    passage: str,
    whose: str | None,
) -> None:
    """A report is printed as what happened: words in quotation marks that the source gives to a person would read as
    established fact, unless the report says that person said them."""
    _add_source(tree, WIRE_TEXT)
    name = "facts/entities/serbia.yaml"
    edit(
        tree,
        name,
        "facts:\n",
        f'facts:\n  - id: serbia-report-quoting\n    kind: report\n    text: "{text}"\n    date: "2026-01-20"\n'
        f'    topics: [security]\n    citations:\n      - source: {source}\n        passage: "{passage}"\n',
    )
    found = [(p.location(), p.message) for p in errors_of(tree)]
    if whose is None:
        assert found == []
        return
    words = text[text.index("“") + 1 : text.index("”")]
    assert found == [
        (
            f"{name}:{line_of(tree, name, 'text: ' + chr(34) + text)}:11",
            f"the passage gives the words “{words}” to {whose}, and this report does not say so",
        )
    ]


PEOPLE = Names(
    (
        Entity(id="albin-kurti", name="Albin Kurti", type="person", aliases=("Kurti",), file="k.yaml"),
        Entity(id="vladimir-putin", name="Vladimir Putin", type="person", aliases=("Putin",), file="p.yaml"),
    )
)


@pytest.mark.parametrize(
    ("words", "before", "who"),
    [
        # After a quotation.
        (" Kurti said", False, ["albin-kurti"]),
        (" Putin and Kurti said", False, ["albin-kurti", "vladimir-putin"]),  # a joint statement is both's
        (" said Russian President Vladimir Putin", False, ["vladimir-putin"]),  # past a title
        (" Putin also said", False, ["vladimir-putin"]),
        (" Kurti later told reporters", False, ["albin-kurti"]),
        (" according to Kurti and Putin", False, ["albin-kurti", "vladimir-putin"]),
        (" Kurti was told by Putin", False, ["vladimir-putin"]),
        (" Kurti was told by Kurti and Putin", False, ["albin-kurti", "vladimir-putin"]),
        (" a spokesman for Kurti said", False, []),
        (" Kurti’s spokesman said", False, []),
        (" said of Putin", False, []),  # whom it was said of, not who said it
        # Before a quotation.
        ("According to Putin", True, ["vladimir-putin"]),
        ("Kurti and Putin said in a joint statement", True, ["albin-kurti", "vladimir-putin"]),
        ("Putin told Kurti", True, ["vladimir-putin"]),  # to whom it was said
        ("Kurti said of Putin", True, ["albin-kurti"]),
        ("Kurti said Putin told him", True, ["vladimir-putin"]),
        ("Putin said Kurti’s warning of ", True, []),  # not an attribution of the words that follow
        ("told Putin", True, []),
    ],
)
def test_who_spoke_is_read_from_the_words_beside_a_quotation(words: str, before: bool, who: list[str]) -> None:
    from generator.attribution import _who

    assert sorted(person.id for person in _who(words, PEOPLE, before=before)) == who
