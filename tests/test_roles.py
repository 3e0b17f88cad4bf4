"""A role a fact's text gives a person must be the role the person's profile gives for that date."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.loader import Document
from generator.model import Citation, Corpus, DateSpec, Entity, Fact, RoleMention
from generator.people import Names
from generator.roles import names_another_office, role_in_force, role_problems
from tests.test_verify import KURTI, REPO, edit, errors_of, line_of, tree  # noqa: F401

OSMANI = "facts/entities/vjosa-osmani.yaml"
PUTIN_ROLE = "      - person: vladimir-putin\n        title: President of Russia\n        words: Russian President\n"


def undeclare_putins_role(root: Path) -> None:
    """Remove the role declaration of the fact that calls Putin 'Russian President'."""
    edit(root, KURTI, PUTIN_ROLE, "")
    edit(root, KURTI, "    roles:\n    citations:", "    citations:")


def call_putin(root: Path, office: str) -> None:
    """Make that fact's text call Putin 'Russian <office>'."""
    said = 'text: "Belgrade would not dare refuse instructions from Russian {} Vladimir Putin'
    edit(root, KURTI, said.format("President"), said.format(office))


def test_declared_role_that_contradicts_the_profile_fails(tree: Path) -> None:  # noqa: F811
    edit(tree, KURTI, "title: President of Russia", "title: Prime Minister of Russia")
    [problem] = errors_of(tree)
    assert problem.location() == f"{KURTI}:{line_of(tree, KURTI, 'Prime Minister of Russia')}:16"
    assert problem.key_path == "facts[5].roles[0].title"
    assert problem.message == (
        "the fact declares the title 'Prime Minister of Russia' for Vladimir Putin, whom the text calls "
        "'Russian President' on 2026-01-20, but Vladimir Putin's profile gives 'President of Russia' as of 2026-01-20"
    )
    assert problem.hint == "use title 'President of Russia'"


def test_a_declared_title_that_is_not_the_profiles_is_told_apart_from_the_texts_words(tree: Path) -> None:  # noqa: F811
    """The text says "President Vladimir Putin" and the fact declares 'Russian President': the message quotes each
    as what it is, the text's word and the declared title."""
    said = 'text: "Belgrade would not dare refuse instructions from {}Vladimir Putin'
    edit(tree, KURTI, said.format("Russian President "), said.format("President "))
    edit(
        tree,
        KURTI,
        "title: President of Russia\n        words: Russian President",
        "title: Russian President\n        words: President",
    )
    [problem] = errors_of(tree)
    assert (problem.key_path, problem.hint) == ("facts[5].roles[0].title", "use title 'President of Russia'")
    assert problem.message == (
        "the fact declares the title 'Russian President' for Vladimir Putin, whom the text calls 'President' on "
        "2026-01-20, but Vladimir Putin's profile gives 'President of Russia' as of 2026-01-20"
    )
    edit(tree, KURTI, "words: President", "words: Head of State")  # words the text does not have: not quoted
    assert [p.message for p in errors_of(tree)] == [
        "the fact declares the title 'Russian President' for Vladimir Putin on 2026-01-20, but Vladimir Putin's "
        "profile gives 'President of Russia' as of 2026-01-20",
        "the words 'Head of State' are not in the fact's text",
    ]


def test_profile_that_changes_the_role_makes_the_fact_fail(tree: Path) -> None:  # noqa: F811
    edit(tree, OSMANI, "  - title: President of Kosovo\n", "  - title: Former President of Kosovo\n")
    errors = errors_of(tree)
    assert [(p.file, p.key_path) for p in errors] == [(OSMANI, "facts[0].roles[0].title")]
    assert errors[0].message == (
        "the fact declares the title 'President of Kosovo' for Vjosa Osmani, whom the text calls 'President' on "
        "2026-01-20, but Vjosa Osmani's profile gives 'Former President of Kosovo' as of 2026-01-20"
    )


def test_role_in_text_that_the_fact_does_not_declare_fails(tree: Path) -> None:  # noqa: F811
    undeclare_putins_role(tree)
    [problem] = errors_of(tree)
    assert problem.key_path == "facts[5].text"
    assert problem.message == (
        "the text gives Vladimir Putin a role ('Russian President') that the fact does not declare"
    )
    assert problem.hint == (
        "add roles: [{person: vladimir-putin, title: President of Russia, words: Russian President}] "
        "so the role is checked against Vladimir Putin's profile"
    )


def test_a_role_in_the_text_that_names_another_office_is_not_offered_as_words(tree: Path) -> None:  # noqa: F811
    undeclare_putins_role(tree)
    call_putin(tree, "Prime Minister")
    [problem] = errors_of(tree)
    assert problem.message == (
        "the text gives Vladimir Putin a role ('Russian Prime Minister') that the fact does not declare"
    )
    assert problem.hint == (
        "Vladimir Putin's profile gives 'President of Russia' as of 2026-01-20, another office: correct the text, "
        "or add the role it names to facts/entities/vladimir-putin.yaml with the source that states it"
    )


def test_declared_words_must_name_the_office_of_the_title(tree: Path) -> None:  # noqa: F811
    call_putin(tree, "Prime Minister")
    edit(tree, KURTI, "words: Russian President", "words: Russian Prime Minister")
    [problem] = errors_of(tree)
    assert (problem.key_path, problem.message) == (
        "facts[5].roles[0].words",
        "the words 'Russian Prime Minister' name another office than the title 'President of Russia'",
    )
    assert problem.hint.endswith("if the text names another office, correct the text")


@pytest.mark.parametrize(
    ("words", "title", "another"),
    [
        ("Russian President", "President of Russia", False),
        ("Acting Prime Minister", "Acting Prime Minister of Kosovo", False),
        ("Foreign Minister", "Minister of Foreign Affairs", False),
        ("Premier", "Prime Minister of Serbia", False),
        ("Chairwoman", "Chair of the Presidency", False),
        ("head of state", "President of Russia", False),  # no office word: nothing to compare
        ("President", "Prime Minister of Montenegro", True),
        ("Deputy Prime Minister", "Prime Minister of Kosovo", True),
        ("Vice President", "President of the United States", True),
        ("PRESIDENT", "Acting Prime Minister of Kosovo", True),  # in capitals, as the role check finds it
        ("RUSSIAN PRESIDENT", "President of Russia", False),
        ("Prime Minister", "Prime Minister of Kosovo and leader of Vetëvendosje", False),  # "leader": no office
        ("Chief of Staff", "Chief of Staff to the president", False),
        # Short forms and hyphenated words, read as the role check reads them in a text.
        ("PM", "President of Kosovo", True),
        ("Russian PM", "Prime Minister of Russia", False),
        ("FM", "Minister of Foreign Affairs", False),
        ("FM", "President of Serbia", True),
        ("Vice-President", "President of the United States", True),
        ("Prime-Minister", "Prime Minister of Kosovo", False),
    ],
)
def test_which_words_name_another_office(words: str, title: str, another: bool) -> None:
    assert names_another_office(words, title) is another


@pytest.mark.parametrize(("office", "words"), [("Vice President", "President"), ("PM", "PM")])
def test_declared_words_cannot_stand_for_a_title_of_another_office_in_the_text(
    tree: Path,  # noqa: F811
    office: str,
    words: str,
) -> None:
    """The text calls Putin 'Russian Vice President', and the fact declares 'President of Russia' with the words
    'President', which the text holds: the title the text gives him is read too. 'PM' names a minister."""
    call_putin(tree, office)
    edit(tree, KURTI, "words: Russian President", f"words: {words}")
    [problem] = errors_of(tree)
    if words == "PM":
        assert (problem.key_path, problem.message) == (
            "facts[5].roles[0].words",
            "the words 'PM' name another office than the title 'President of Russia'",
        )
        return
    assert (problem.key_path, problem.message) == (
        "facts[5].text",
        "the text gives Vladimir Putin the role 'Russian Vice President', another office than the declared title "
        "'President of Russia'",
    )
    assert problem.line == line_of(tree, KURTI, "Russian Vice President Vladimir Putin")


def test_an_undeclared_short_form_of_another_office_is_not_offered_as_words(tree: Path) -> None:  # noqa: F811
    undeclare_putins_role(tree)
    call_putin(tree, "PM")
    [problem] = errors_of(tree)
    assert problem.message == "the text gives Vladimir Putin a role ('Russian PM') that the fact does not declare"
    assert problem.hint.startswith("Vladimir Putin's profile gives 'President of Russia' as of 2026-01-20, another")


def test_declared_words_must_be_in_the_text(tree: Path) -> None:  # noqa: F811
    edit(tree, KURTI, "words: Russian President", "words: Russian Premier")
    [problem] = errors_of(tree)
    assert (problem.key_path, problem.message) == (
        "facts[5].roles[0].words",
        "the words 'Russian Premier' are not in the fact's text",
    )


def test_fact_dated_before_any_stated_role_fails(tree: Path) -> None:  # noqa: F811
    text = (tree / OSMANI).read_text()
    (tree / OSMANI).write_text(
        text.replace('date:\n      value: "2026-01-20"\n      certainty: estimated', 'date: "2025-06"', 1)
    )
    [problem] = errors_of(tree)
    assert problem.message == (
        "the fact declares the title 'President of Kosovo' for Vjosa Osmani, whom the text calls 'President' in "
        "2025-06, but Vjosa Osmani's profile gives no current role in 2025-06"
    )
    assert problem.hint == f"add a role to {OSMANI} stated as of 2025-06 or earlier"


def test_a_fact_dated_by_part_of_a_year_is_named_with_that_part(tree: Path) -> None:  # noqa: F811
    text = (tree / OSMANI).read_text()
    late = 'date:\n      value: "2022"\n      qualifier: late'
    (tree / OSMANI).write_text(text.replace('date:\n      value: "2026-01-20"\n      certainty: estimated', late, 1))
    [problem] = errors_of(tree)
    assert problem.message == (
        "the fact declares the title 'President of Kosovo' for Vjosa Osmani, whom the text calls 'President' in "
        "late 2022, but Vjosa Osmani's profile gives no current role in late 2022"
    )


def test_role_in_force_is_the_latest_stated_and_not_past_review(real_corpus) -> None:  # type: ignore[no-untyped-def]
    trump = next(e for e in real_corpus.entities if e.id == "donald-trump")
    assert role_in_force(trump, DateSpec("2025-12-17", "day")) is None
    assert role_in_force(trump, DateSpec("2025-12-18", "day")) == trump.roles[0]
    assert role_in_force(trump, DateSpec("2026-12-18", "day")) == trump.roles[0]
    assert role_in_force(trump, DateSpec("2026-12-19", "day")) is None  # stated for P1Y only
    assert role_in_force(trump, DateSpec("2025", "year")) is None  # a year is judged by its first day


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Foreign Minister O\u02bcBrien spoke.", "Conor O'Brien"),  # a modifier-letter apostrophe
        ("Prime Minister Kurti\u2116 5 spoke.", "Albin Kurti"),  # "№", which reads "No" in compatibility form
        ("PRIME MINISTER KURTI spoke.", "Albin Kurti"),  # in capitals, as a headline may write it
        ("Prime Minister kurti spoke.", "Albin Kurti"),
        ("Kosovo’s Prime Minister, Kurti, spoke.", "Albin Kurti"),  # set apart by a comma
        ("Albin Kurti, Prime Minister of Kosovo, spoke.", "Albin Kurti"),  # after the name
        ("The speaker was Kurti, Prime Minister of Kosovo.", "Albin Kurti"),
        ("Prime-Minister Kurti spoke.", "Albin Kurti"),
        ("PM Kurti spoke.", "Albin Kurti"),
        ("Albin Kurti, Prime Minister of the Republic of Kosovo, said so.", "Albin Kurti"),  # places after "of"
        ("The Prime Minister of the Republic of Kosovo, Albin Kurti, said so.", "Albin Kurti"),
        ("Prime Minister Aleksandar Vucic said so.", "Aleksandar Vučić"),  # the name without its accents
        ("Prime Minister VUČIĆ said so.", "Aleksandar Vučić"),
        ("Prime Minister Albín Kurti said so.", "Albin Kurti"),  # accents the name does not have
        ("Foreign Minister Dordevic said so.", "Mira Đorđević"),  # a letter with a stroke, not an accent
        ("Minister Серге\u0301й Лавров said so.", "Сергей Лавров"),  # an accent written as a mark of its own
        ("President Nguyen Trong said so.", "Nguyễn Trọng"),  # letters with two accents each
        ("U.S. Envoy Kurti said so.", "Albin Kurti"),  # stops inside a short form end no sentence
        ("Lt. General Kurti said so.", "Albin Kurti"),
        ("Prime Minister Albin X. Kurti said so.", "Albin Kurti"),  # an initial: the alias after it is named
    ],
)
def test_an_undeclared_role_is_found_whatever_character_stands_in_or_beside_the_name(text: str, person: str) -> None:
    """The role check looks for a few people only, those the text's words could name: no one it would find
    may be left out of them."""
    people = (
        Entity(id="albin-kurti", name="Albin Kurti", type="person", aliases=("Kurti",), file="k.yaml"),
        Entity(id="conor-obrien", name="Conor O'Brien", type="person", aliases=("O'Brien",), file="o.yaml"),
        Entity(id="aleksandar-vucic", name="Aleksandar Vučić", type="person", aliases=("Vučić",), file="v.yaml"),
        Entity(id="mira-dordevic", name="Mira Đorđević", type="person", aliases=("Đorđević",), file="m.yaml"),
        Entity(id="sergey-lavrov", name="Сергей Лавров", type="person", aliases=(), file="s.yaml"),
        Entity(id="nguyen-trong", name="Nguyễn Trọng", type="person", aliases=(), file="n.yaml"),
    )
    fact = Fact(
        id="f", kind="report", text=text, date=DateSpec("2026-01-20", "day"), speaker=None, topics=("t",),
        citations=(Citation(source="s"),), entity="x", about=(), file="x.yaml",
    )  # fmt: skip
    corpus = Corpus(sources=(), entities=people, facts=(fact,), topics=(), policies=())
    [problem] = role_problems([Document(path="x.yaml", data={})], corpus, Names(corpus.entities))
    assert problem.message.startswith(f"the text gives {person} a role ('"), problem.message


@pytest.mark.parametrize(
    "text",
    [
        "Trump met Kurti, President Trump said.",  # the words after the comma run on: they are not Kurti's title
        "Kurti, Osmani and Lavrov met.",
        "the prime minister, Kurti, spoke.",  # small letters are not read as a title
        # A comma that ends a clause, or parts a list of people, sets off no title.
        "In a letter to the Prime Minister, Kurti said he would stay.",
        "After meeting the US Secretary of State, Kurti said so.",
        "Before the Speaker, Kurti spoke.",
        "Lavrov met Prime Minister Edi Rama, Albin Kurti and others.",
        "Russian President Vladimir Putin, Albin Kurti and Sergei Lavrov were named.",
        "President Putin, Kurti, and Lavrov met.",
        "Lavrov, President Osmani, and Kurti met.",
        "Kurti, President of Kosovo Vjosa Osmani, and Lavrov met.",
        "At 10 PM, Kurti announced it.",
        "Speaking to Top FM, Kurti said so.",
        # The words before a name in another sentence are not its title.
        "Lavrov met Deputy Prime Minister Besnik Bislimi. Kurti said so.",
        "He spoke to the President! Kurti said so.",
    ],
)
def test_words_beside_a_name_that_are_not_a_title_give_no_role(text: str) -> None:
    kurti = Entity(id="albin-kurti", name="Albin Kurti", type="person", aliases=("Kurti",), file="k.yaml")
    fact = Fact(
        id="f", kind="report", text=text, date=DateSpec("2026-01-20", "day"), speaker=None, topics=("t",),
        citations=(Citation(source="s"),), entity="x", about=(), file="x.yaml",
    )  # fmt: skip
    corpus = Corpus(sources=(), entities=(kurti,), facts=(fact,), topics=(), policies=())
    assert role_problems([Document(path="x.yaml", data={})], corpus, Names(corpus.entities)) == []


KURTI_ROLE = RoleMention(person="albin-kurti", title="Acting Prime Minister of Kosovo", words="Acting Prime Minister")
UNDECLARED = "the group gives Albin Kurti a role ('Acting Prime Minister') that the fact does not declare"
NAMES_OSMANI = "the group names the claim's speaker, Vjosa Osmani; pages name the speaker after the group"


@pytest.mark.parametrize(
    ("group", "kind", "roles", "messages"),
    [
        ("senior officials in Kosovo", "claim", (), []),
        ("senior officials in Kosovo, including President Vjosa Osmani", "claim", (), [NAMES_OSMANI]),
        ("officials around Osmani", "claim", (), [NAMES_OSMANI]),
        ("senior officials in Kosovo, including President Vjosa", "claim", (), [NAMES_OSMANI]),  # her first name
        ("Osmani's allies", "claim", (), [NAMES_OSMANI]),  # her surname
        ("officials close to Vjosa", "claim", (), []),  # a first name alone may be a place's or a party's word
        # A role the group gives is declared and checked as one in the text is.
        ("officials close to Acting Prime Minister Albin Kurti", "claim", (), [UNDECLARED]),
        ("officials close to Acting Prime Minister Albin Kurti", "claim", (KURTI_ROLE,), []),
        ("officials close to Albin Kurti", "claim", (), []),  # someone else may be named
        # On a quote the group is refused as such (crosscheck), and not read for roles.
        ("officials close to Acting Prime Minister Albin Kurti", "quote", (), []),
    ],
)
def test_a_group_names_no_speaker_and_declares_the_roles_it_gives(
    real_corpus: Corpus, group: str, kind: str, roles: tuple[RoleMention, ...], messages: list[str]
) -> None:
    claim = next(f for f in real_corpus.facts if f.among)
    fact = dataclasses.replace(claim, among=group, kind=kind, roles=roles)
    corpus = dataclasses.replace(real_corpus, facts=(fact,))
    problems = role_problems([Document(path=claim.file, data={})], corpus, Names(corpus.entities))
    assert [p.message for p in problems] == messages


def test_a_group_that_names_a_body_that_is_the_speaker_is_refused(real_corpus: Corpus) -> None:
    claim = next(f for f in real_corpus.facts if f.among)
    fact = dataclasses.replace(claim, speaker="european-union", among="the European Union and its members")
    corpus = dataclasses.replace(real_corpus, facts=(fact,))
    [problem] = role_problems([Document(path=claim.file, data={})], corpus, Names(corpus.entities))
    assert problem.message.startswith("the group names the claim's speaker, European Union;")


def test_the_words_of_a_declared_role_may_be_in_the_group(real_corpus: Corpus) -> None:
    claim = next(f for f in real_corpus.facts if f.among)
    fact = dataclasses.replace(claim, among="officials close to Acting Prime Minister Albin Kurti", roles=(KURTI_ROLE,))
    corpus = dataclasses.replace(real_corpus, facts=(fact,))
    assert role_problems([Document(path=claim.file, data={})], corpus, Names(corpus.entities)) == []
    plain = dataclasses.replace(fact, among="officials close to Albin Kurti")
    corpus = dataclasses.replace(real_corpus, facts=(plain,))
    [problem] = role_problems([Document(path=claim.file, data={})], corpus, Names(corpus.entities))
    assert problem.message == "the words 'Acting Prime Minister' are not in the fact's text or its group"
