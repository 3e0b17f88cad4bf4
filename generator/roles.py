"""Roles named in fact texts must be the roles the people's profiles give for the fact's date."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.characters import ACCENT, UNACCENTED, unaccented
from generator.loader import Document
from generator.model import Corpus, DateSpec, Entity, Fact, Role, facts_of
from generator.people import Names, words_of
from generator.problems import Problem
from generator.verify import fold_text

OFFICE_WORDS = frozenset(
    {
        "Ambassador",
        "Chairman",
        "Chairwoman",
        "Chancellor",
        "Commissioner",
        "Director",
        "Emperor",
        "Envoy",
        "General",
        "Governor",
        "King",
        "Leader",
        "Mayor",
        "Minister",
        "Premier",
        "President",
        "Prince",
        "Queen",
        "Representative",
        "Secretary",
        "Senator",
        "Speaker",
        "Spokesman",
        "Spokesperson",
        "Spokeswoman",
        "Chief",
        "Commander",
        "Chair",
        "Deputy",
        "Vice",
    }
)
"""Words that, written just before a person's name, give that person a role."""

_TITLE_WORD = re.compile(r"[A-Z][\w.'’-]*$")


def role_in_force(person: Entity, date: DateSpec) -> Role | None:
    """The latest role stated on or before the first day of the date, if it is not past its review."""
    stated = [r for r in person.roles if r.as_of.start <= date.start]
    if not stated:
        return None
    latest = max(stated, key=lambda r: r.as_of.start)
    if latest.review is not None and date.start > latest.review:
        return None
    return latest


WRITTEN_OUT = {"PM": "Prime Minister", "FM": "Foreign Minister"}
"""Office words written short, and their words in full: "PM Kurti" is Prime Minister Kurti."""
ABBREVIATED = frozenset(WRITTEN_OUT)


SHORT_TITLES = frozenset("Gen Lt Col Maj Sen Rep Gov Amb Adm Capt Cmdr Sgt Dr Mr Mrs Ms Prof Hon Rev St Jr Sr".split())
"""Titles written short with a stop ("Gen. Smith"), which end no sentence."""


def _ends_sentence(word: str) -> bool:
    """Whether a word closes a sentence: it ends with a stop that no short form explains ("U.S.", "Gen.", or an
    initial, "F.")."""
    if not word.endswith((".", "!", "?")):
        return False
    bare = word.rstrip(".!?")
    short = "." in bare or bare in SHORT_TITLES or bare in ABBREVIATED or (len(bare) == 1 and bare.isupper())
    return word[-1] != "." or not short


def _title_run(words: list[str]) -> str:
    """The run of capitalised words (with 'of' and 'the' inside it) at the end of ``words``, within one sentence:
    in "…he told Deputy Prime Minister Besnik Bislimi. Putin said", no title stands before Putin."""
    run = list[str]()
    while words:
        word = words[-1]
        if _TITLE_WORD.match(word) and not word.endswith((",", ":", ";")) and not _ends_sentence(word):
            run.insert(0, words.pop())
        elif word in ("of", "the") and run:
            run.insert(0, words.pop())
        else:
            break
    while run and run[0] in ("of", "the"):
        run.pop(0)
    return " ".join(run)


def _is_office(word: str) -> bool:
    """An office word, whole or in a hyphenated word ("Prime-Minister"), or written short ("PM")."""
    return any(
        part.strip(".'").capitalize() in OFFICE_WORDS or part.strip(".'") in ABBREVIATED for part in word.split("-")
    )


def _ends_in_office(run: str) -> bool:
    """Whether a run ends with an office, or with an office "of" places of a word or two each ("Prime Minister of
    the Republic of Kosovo", "Minister of Foreign Affairs of Serbia"): a title, and not a title and a name
    ("President Osmani", "President of Kosovo Vjosa Osmani")."""
    words = run.split()
    last = max((at for at, word in enumerate(words) if _is_office(word)), default=-1)
    rest = [word for word in words[last + 1 :] if word != "the"]
    if last < 0 or rest[:1] not in ([], ["of"]):
        return False
    places: list[list[str]] = []
    for word in rest:
        if word == "of":
            places.append([])
        else:
            places[-1].append(word)
    return all(1 <= len(place) <= 2 for place in places)


_CLOSED = re.compile(r"[,.;:]|\s*$")
"""What follows a name that a title set off by commas stands beside: a comma, a stop, or the text's end."""


def _title_after(after: str) -> str:
    """The run of capitalised words set after a name by a comma and closed by punctuation or the text's end:
    "Vjosa Osmani, President of Kosovo, said". One not closed so ("Putin, President Trump said") is not read."""
    if not after.startswith(","):
        return ""
    run = list[str]()
    for word in after[1:].split():
        bare = word.rstrip(",.;:")
        if _TITLE_WORD.match(bare) or (bare in ("of", "the") and run):
            run.append(bare)
            if bare != word:
                break
        else:
            return ""
    while run and run[-1] in ("of", "the"):
        run.pop()
    return " ".join(run)


def _titles_beside(before: str, after: str) -> Iterator[str]:
    """The titles beside one mention of a name: the capitalised words just before it ("Prime Minister Kurti"),
    or set off by commas before or after it and ending with an office ("Kosovo’s Prime Minister, Kurti, said",
    "Kurti, Prime Minister of Kosovo, said"). A comma that ends a clause ("To the Prime Minister, Kurti said")
    or parts a list ("President Putin, Kurti and Lavrov") sets off no title."""
    words = before.split()
    if not words or not words[-1].endswith(","):
        yield _title_run(words)
    elif _CLOSED.match(after):
        words[-1] = words[-1][:-1]
        run = _title_run(words)
        if _ends_in_office(run):
            yield run
    run = _title_after(after)
    if _ends_in_office(run):
        yield run


def titles_before_names(folded: str, person: Entity) -> list[str]:
    """The titles written beside each mention of a person in a folded text, if they name an office.

    A name is found whatever its case and accents ("Vucic" is Vučić, and so is "Vuc\u030cic\u0301", its accents
    written as marks of their own), and an office word written with a capital in any case: "PRIME MINISTER KURTI"
    gives Kurti a role too, as do "Kosovo’s Prime Minister, Kurti,", "Kurti, Prime Minister of Kosovo," and "PM
    Kurti". "the foreign minister Kurti", all in small letters, is not read as a title.
    """
    taken: list[tuple[int, int]] = []
    found: list[str] = []
    plain = folded if folded.isascii() else folded.translate(UNACCENTED)  # one letter for one: the same places
    # accents written as marks of their own, which no letter of UNACCENTED stands for, are left where they are
    marks = "" if plain.isascii() or not ACCENT.search(plain) else f"{ACCENT.pattern}*"
    for name in sorted({person.name, *person.aliases}, key=len, reverse=True):
        written = "".join(re.escape(c) + marks for c in unaccented(fold_text(name)))
        for match in re.finditer(rf"(?<![\w-]){written}(?![\w-])", plain, re.IGNORECASE):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue  # "Putin" inside "Vladimir Putin" is the same mention
            taken.append(match.span())
            for run in _titles_beside(folded[: match.start()], folded[match.end() :]):
                if run not in found and any(map(_is_office, run.split())):
                    found.append(run)
    return found


def _dated(date: DateSpec) -> str:
    """A fact's date after a verb: 'on 2026-01-20', 'in 2025-06', 'in late 2022'."""
    return f"{'on' if date.precision == 'day' else 'in'} {date.qualifier} {date.value}".replace("  ", " ")


def _describe(role: Role | None, person: Entity, fact: Fact) -> str:
    if role is None:
        return f"{person.name}'s profile gives no current role {_dated(fact.date)}"
    return f"{person.name}'s profile gives '{role.title}' as of {role.as_of.value}"


def role_problems(
    docs: list[Document], corpus: Corpus, names: Names, flawed: frozenset[str] = frozenset()
) -> list[Problem]:
    """Check each fact's declared roles against the profiles, and that roles in the text are declared.

    A claim's group (``among``) is read with its text: a role it gives someone is declared and checked as one in
    the text is, and it must not name the speaker, whom pages name after it.
    """
    entities = {e.id: e for e in corpus.entities}
    problems: list[Problem] = []
    for doc, i, fact in facts_of(docs, corpus.facts):
        declared = {m.person for m in fact.roles}
        checked: dict[str, list[str]] = {}  # the titles of the declarations that passed their own checks
        read = [("text", fold_text(fact.text), words_of(fact.text))]
        if fact.among and fact.kind == "claim":  # on another kind, 'among' is refused already
            read.append(("among", fold_text(fact.among), words_of(fact.among)))
            problems += _naming_the_speaker(doc, i, fact, read[-1][2], entities, names)
        for j, mention in enumerate(fact.roles):
            where, before = ("facts", i, "roles", j), len(problems)
            person = entities.get(mention.person)
            if person is None and mention.person in flawed:
                continue  # the person's own file failed its checks, and has that error
            if person is None or person.type != "person":
                close = "" if person is None else f"'{mention.person}' is a {person.type}, not a person"
                problems.append(
                    doc.problem((*where, "person"), f"unknown person '{mention.person}'" if person is None else close)
                )
                continue
            role = role_in_force(person, fact.date)
            said = next((field for field, folded, _ in read if fold_text(mention.words) in folded), None)
            if role is None or role.title != mention.title:
                called = f", whom the {'group' if said == 'among' else 'text'} calls '{mention.words}'" if said else ""
                problems.append(
                    doc.problem(
                        (*where, "title"),
                        f"the fact declares the title '{mention.title}' for {person.name}{called} {_dated(fact.date)}, "
                        f"but {_describe(role, person, fact)}",
                        hint=f"use title '{role.title}'"
                        if role
                        else f"add a role to {person.file} stated as of {fact.date.value} or earlier",
                    )
                )
            if said is None:
                where_read = "text or its group" if len(read) > 1 else "text"
                problems.append(
                    doc.problem((*where, "words"), f"the words '{mention.words}' are not in the fact's {where_read}")
                )
            elif role and role.title == mention.title and names_another_office(mention.words, role.title):
                problems.append(
                    doc.problem(
                        (*where, "words"),
                        f"the words '{mention.words}' name another office than the title '{mention.title}'",
                        hint="the words are those of the text that name the title's office; if the text names "
                        "another office, correct the text",
                    )
                )
            if len(problems) == before:
                checked.setdefault(person.id, []).append(mention.title)
        for field, folded, words in read:
            for person in names.people_starting(set(words)):
                if field == "among" and person.id == fact.speaker:
                    continue  # a group that names the speaker is refused as such
                if person.id in declared:
                    if person.id in checked:  # a declaration with a problem of its own has it told already
                        problems += _other_offices(
                            doc, (i, field), person, titles_before_names(folded, person), checked
                        )
                    continue
                for title in titles_before_names(folded, person):
                    problems.append(
                        doc.problem(
                            ("facts", i, field),
                            f"the {'group' if field == 'among' else 'text'} gives {person.name} a role ('{title}') "
                            "that the fact does not declare",
                            hint=_undeclared_hint(person, role_in_force(person, fact.date), title),
                        )
                    )
    return problems


def _other_offices(
    doc: Document, at: tuple[int, str], person: Entity, titles: list[str], checked: dict[str, list[str]]
) -> list[Problem]:
    """An error for each title the text gives a person whose role the fact declares, if it names another office than
    the declared title: declared words must not stand for "Deputy Prime Minister" where the text says it in full."""
    field = "group" if at[1] == "among" else "text"
    return [
        doc.problem(
            ("facts", *at),
            f"the {field} gives {person.name} the role '{title}', another office than the declared title "
            f"'{checked[person.id][0]}'",
            hint="declare the role the text names, with the words that name it, or correct the text",
        )
        for title in titles
        if all(names_another_office(title, declared) for declared in checked[person.id])
    ]


def _naming_the_speaker(
    doc: Document, i: int, fact: Fact, words: list[str], entities: dict[str, Entity], names: Names
) -> list[Problem]:
    """A claim's group, of which ``words`` are the words, must not name its speaker, person or body: pages name the
    speaker after the group. A body's name must stand whole, since "officials in Kosovo" does not name the Kosovo
    Security Force; a person is named by a surname alone too, or by a first name after a title (``_a_name_word``)."""
    speaker = entities.get(fact.speaker)
    if speaker is None:
        return []
    present = set(words)
    if not names.named(speaker, words, present) and not (
        speaker.type == "person" and _a_name_word(speaker, words, present, names)
    ):
        return []
    message = f"the group names the claim's speaker, {speaker.name}; pages name the speaker after the group"
    return [
        doc.problem(("facts", i, "among"), message, hint="write the group alone, as in 'senior officials in Kosovo'")
    ]


_OFFICE_KEYS = frozenset(word.lower() for word in OFFICE_WORDS | ABBREVIATED)


def _a_name_word(person: Entity, words: list[str], present: set[str], names: Names) -> bool:
    """Whether the words name a person by part of a name: its last word ("officials around Osmani"), or its first
    after an office word ("including President Vjosa"). A first name alone is often a place's or a party's word
    too: "officials in Israel" does not name Israel Katz, nor "the Christian Social Union" Christian Schmidt.
    ``present`` is the set of the words."""
    for name in names.of.get(person.id, ()):
        if name[-1] in present:
            return True
        if name[0] in present and any(
            word == name[0] and at and words[at - 1] in _OFFICE_KEYS for at, word in enumerate(words)
        ):
            return True
    return False


SAME_OFFICE = {
    "Premier": "Minister",
    "Chairman": "Chair",
    "Chairwoman": "Chair",
    "Spokesman": "Spokesperson",
    "Spokeswoman": "Spokesperson",
}
"""Office words that name the same office as another, for comparing two wordings of one role."""


def offices(title: str) -> frozenset[str]:
    """The office words of a title: 'Russian President' and 'President of Russia' both give {President}.

    'Deputy Prime Minister' gives {Deputy, Minister}, so it is not the office of 'Prime Minister of Kosovo'. A word
    is read as ``_is_office`` reads it: 'Vice-President' gives {Vice, President}, and 'PM' gives {Minister}.
    """
    parts = (part.strip(".'") for word in fold_text(title).split() for part in word.strip(".'").split("-"))
    words = " ".join(WRITTEN_OUT.get(part, part) for part in parts).split()
    found = {word.capitalize() if word.isupper() else word for word in words} & OFFICE_WORDS  # "PRESIDENT"
    return frozenset(SAME_OFFICE.get(word, word) for word in found)


def names_another_office(words: str, title: str) -> bool:
    """True when words name an office, and not the title's: 'President' for 'Prime Minister of Montenegro'."""
    named = offices(words)
    return bool(named) and named != offices(title)


def _undeclared_hint(person: Entity, role: Role | None, title: str) -> str:
    """How to declare a role the text names; never words that name another office than the profile's."""
    if role and names_another_office(title, role.title):
        return (
            f"{person.name}'s profile gives '{role.title}' as of {role.as_of.value}, another office: "
            f"correct the text, or add the role it names to {person.file} with the source that states it"
        )
    suggestion = f"title: {role.title}" if role else "title: ..."
    return (
        f"add roles: [{{person: {person.id}, {suggestion}, words: {title}}}] "
        f"so the role is checked against {person.name}'s profile"
    )
