"""Finding the corpus's people named in a text, for the checks that read names in fact texts and passages.

Names and texts are folded alike: as a reader tells names apart (``characters.as_read``: case, width,
spacing, look-alike letters of another alphabet) and without accents, so that "VUCIC" is Vučić and
"Kurtі", written with a Cyrillic "і", is Kurti. A name is found as a run of whole words, so "Kurti"
is not found in "Kurtis", and a dash or a quotation mark next to a name does not hide it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from generator.characters import ACCENT, COMBINING, UNACCENTED, as_read
from generator.model import Entity

Name = tuple[str, ...]
"""The folded words of one name: "Sergei Lavrov" is ("sergei", "lavrov")."""

_WORD = re.compile(r"\w+")
_SEPARATOR = re.compile(f"[^\\w\\s{COMBINING}]|\u02bc")
"""A character that ends a word: no letter, digit or combining mark, or the modifier letter "ʼ", which
``verify.fold_text`` reads as an apostrophe. Made a space before the compatibility forms are taken,
which could join it to the word ("Kurti№5" would read "kurtino5")."""


def words_of(text: str) -> list[str]:
    """The words of a text, folded for finding names in it.

    Every word that ``verify.fold_text`` makes of a text gives one or more of these, so that the role
    check, which matches names in a folded text, finds no one these words leave out.
    """
    if text.isascii():  # nothing to normalise, no look-alike letters, no accents: the common case, made fast
        return _WORD.findall(text.lower())
    read = as_read(_SEPARATOR.sub(" ", unicodedata.normalize("NFC", text)))
    if not read.isascii():
        read = ACCENT.sub("", unicodedata.normalize("NFKD", read.translate(UNACCENTED)))
    return _WORD.findall(read)


class Names:
    """The names of every entity, and the people by the first word of their names.

    A name can only be in a text whose words include its first word, so each text is searched for a
    few people instead of all of them (all of them is quadratic in the size of the corpus).
    """

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.of: dict[str, list[Name]] = {}
        """Each entity's names (its name and aliases), by entity id."""
        self._people: dict[str, list[Entity]] = {}
        for entity in entities:
            names = sorted({tuple(words_of(n)) for n in (entity.name, *entity.aliases)} - {()})
            self.of[entity.id] = names
            for name in names if entity.type == "person" else ():
                self._people.setdefault(name[0], []).append(entity)

    def people_starting(self, words: Iterable[str]) -> list[Entity]:
        """The people one of whose names begins with one of the words, by id: the only people those words can name."""
        found = {person.id: person for word in words for person in self._people.get(word, ())}
        return [found[key] for key in sorted(found)]

    def named(self, entity: Entity, words: list[str], present: set[str]) -> bool:
        """Whether one of the entity's names stands among the words, of which ``present`` is the set."""
        for name in self.of.get(entity.id, ()):
            if name[0] in present and present.issuperset(name):
                size = len(name)
                if any(tuple(words[at : at + size]) == name for at, word in enumerate(words) if word == name[0]):
                    return True
        return False

    def people_in(self, words: list[str]) -> list[tuple[int, Entity]]:
        """Each person named in the words, with where the name ends, in the order the names start; a few
        look-ups a word, whatever the size of the corpus."""
        found = []
        for at, word in enumerate(words):
            for person in self._people.get(word, ()):
                ends = [at + len(n) for n in self.of[person.id] if n[0] == word and tuple(words[at : at + len(n)]) == n]
                if ends:
                    found.append((max(ends), person))
        return found
