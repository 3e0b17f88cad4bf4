"""Characters that show nothing, or that reorder the text around them.

A reader cannot see them, so they can make two equal-looking strings differ (a passage that fails
to match for no visible reason), carry hidden text (tag characters), or make a line on a terminal
read differently from what it holds (bidirectional controls). The loader refuses them in YAML,
``generator.verify`` folds them away from stored texts, and ``generator.problems`` prints them as
``?``. Zero-width joiner and non-joiner (U+200C, U+200D) stay allowed: some scripts and emoji
need them.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from typing import NamedTuple

INVISIBLE = frozenset(
    {
        *range(0x202A, 0x202F),  # bidirectional embeddings and overrides
        *range(0x2066, 0x206A),  # bidirectional isolates
        0x200E,  # left-to-right and right-to-left marks, Arabic letter mark
        0x200F,
        0x061C,
        0xFEFF,  # byte order mark, zero-width no-break space
        0x2028,  # line and paragraph separators: YAML 1.1 reads them as line breaks
        0x2029,
        0x00AD,  # soft hyphen
        0x034F,  # combining grapheme joiner
        0x180E,  # Mongolian vowel separator
        *range(0x180B, 0x180E),  # Mongolian free variation selectors
        0x180F,
        0x200B,  # zero-width space
        *range(0x2060, 0x2065),  # word joiner, invisible operators
        *range(0x206A, 0x2070),  # deprecated format characters (symmetric swapping, digit shapes)
        0x115F,  # Hangul fillers, which render as nothing
        0x1160,
        0x3164,
        0xFFA0,
        0x17B4,  # Khmer inherent vowels, invisible
        0x17B5,
        0x2800,  # braille pattern blank, which passes for a space
        *range(0xFE00, 0xFE10),  # variation selectors
        *range(0xFFF9, 0xFFFC),  # interlinear annotation
        *range(0x1BCA0, 0x1BCA4),  # shorthand format controls
        *range(0x1D173, 0x1D17B),  # musical formatting controls
        0xE0001,  # language tag
        *range(0xE0020, 0xE0080),  # tag characters, which can spell out hidden text
        *range(0xE0100, 0xE01F0),  # variation selectors supplement
    }
)
"""Code points that show nothing or reorder text: refused in YAML, folded from stored texts, printed as ``?``."""

CONTROLS = "\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
"""Tab and the C0 and C1 control characters but line ends, as a regular-expression character class body."""


def _ranges(codes: list[int]) -> str:
    """A character class body that lists the code points as ranges."""
    out, start = [], 0
    for at, code in enumerate(codes):
        if at + 1 == len(codes) or codes[at + 1] != code + 1:
            first = codes[start]
            out.append(f"\\U{first:08x}" if first == code else f"\\U{first:08x}-\\U{code:08x}")
            start = at + 1
    return "".join(out)


_BMP = sorted(code for code in INVISIBLE if code <= 0xFFFF)
_ASTRAL = sorted(code for code in INVISIBLE if code > 0xFFFF)
# Beyond the first 65,536 code points the regular-expression engine tests a character class range by
# range, so the astral ones are one range here, from the first to the last, and each match in it is
# checked against INVISIBLE. A class of every code point one by one made the loader five times slower.
_CANDIDATES = f"{_ranges(_BMP)}\\U{_ASTRAL[0]:08x}-\\U{_ASTRAL[-1]:08x}"
_FORBIDDEN = re.compile(f"[{CONTROLS}{_CANDIDATES}]")
_UNPRINTABLE = re.compile(f"[\r\n{CONTROLS}{_CANDIDATES}]")


def _first(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = pattern.search(text)
    while found is not None and found.group() > "\uffff" and ord(found.group()) not in INVISIBLE:
        found = pattern.search(text, found.end())  # a visible character among the astral candidates
    return found


def forbidden(text: str) -> re.Match[str] | None:
    """The first character that no YAML value here may hold (a tab, a control character, an invisible one)."""
    return _first(_FORBIDDEN, text)


def printable(text: str) -> str:
    """Text safe to print on a terminal or in a log: a tab becomes a space, and any other control character
    (C0 or C1, line ends included) or invisible or bidirectional one a ``?``."""
    if _first(_UNPRINTABLE, text) is None:
        return text

    def shown(found: re.Match[str]) -> str:
        char = found.group()
        if char == "\t":
            return " "
        return char if char > "\uffff" and ord(char) not in INVISIBLE else "?"

    return _UNPRINTABLE.sub(shown, text)


SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN")
"""Alphabets with letters that look alike, which a lookalike word or host mixes."""

LOOKALIKE = str.maketrans(
    "АВЕКМНОРСТУХІЈЅаекорсухіјѕԁӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρυχ",
    "ABEKMHOPCTYXIJSaekopcyxijsdlABEZHIKMNOPTYXoikvpux",
)
"""Cyrillic and Greek letters that print like a Latin one, capitals and small letters each as they print:
"Kurtі" with a Cyrillic "і" reads as "Kurti", and Greek "ΝΑΤΟ" as "NATO". Applied before case folding, which
would turn a capital into a small letter that looks like another one (Greek "Ν", "N", folds to "ν", like "v")."""

_LOOKALIKE_LETTER = re.compile(f"[{''.join(map(chr, LOOKALIKE))}]")

HOST_LOOKALIKE = str.maketrans(
    "авекмнорстухіјѕԁӏαοικνρτυχ",
    "abekmhopctyxijsdlaoikvptux",
)
"""The same for a host, which browsers and ``urlsplit`` show in small letters: a capital that looked Latin
("СОМ") is shown as its small letter ("сом"), which a reader takes for the Latin word it stood for."""


def as_read(name: str) -> str:
    """A name as a reader tells names apart: not by case, width, spacing, or letters of another alphabet
    that print alike (a Cyrillic "і" in "Kurtі"). Two names that print alike in different alphabets,
    such as Cyrillic "СРС" and Latin "CPC", are one to a reader too."""
    name = unicodedata.normalize("NFKC", name)
    if _LOOKALIKE_LETTER.search(name):  # translating every character is slow; most names have none to translate
        name = name.translate(LOOKALIKE)
    return " ".join(name.casefold().split())


_ALIKE_IN_LATIN = str.maketrans({"ı": "l", "i": "l", "1": "l", "|": "l", "0": "o"})


UNACCENTED = {
    code: base[0]
    for start, stop in ((0xC0, 0x250), (0x370, 0x500), (0x1E00, 0x2000))
    for code in range(start, stop)
    if len(base := unicodedata.normalize("NFD", chr(code))) > 1 and all(map(unicodedata.combining, base[1:]))
} | {ord(letter): plain for letter, plain in zip("đĐłŁøØħĦ", "dDlLoOhH", strict=True)}
"""Letters with accents, each to its letter without them ("č" to "c", "ễ" to "e", "й" to "и"), and the Latin
letters with a stroke that have no accent to take off ("đ" to "d"). One letter for one, so that places in a text
stay where they were. Every check that compares names without their accents uses this one table."""


COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
"""The blocks of combining marks, as the body of a character class: a letter's decomposition puts its accents, from
these, after it ("č" is "c" and a caron), and a text may write them so too."""
ACCENT = re.compile(f"[{COMBINING}]")
"""One accent written as a mark of its own, after its letter."""


def unaccented(text: str) -> str:
    """A text without its accents: ``UNACCENTED``, and any accent left over (one written as a mark of its own)."""
    if text.isascii():
        return text
    text = text.translate(UNACCENTED)
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def look_alike(name: str) -> str:
    """``as_read``, and letters a reader cannot tell apart within one alphabet too: a capital "I" and a small
    "l" ("AIbin Kurti"), a dotless "ı" ("Kurtı"), the digits one and nought, and a letter with or without its
    accents ("Albín", "Vučić" and "Vucic"). For telling two names apart, not for showing: "Ali" and "All" are one
    here, a price worth paying for names that could pass for another's."""
    return unaccented(as_read(name)).translate(_ALIKE_IN_LATIN)


def scripts_of(word: str) -> set[str]:
    """The look-alike alphabets (``SCRIPTS``) whose letters a word holds, by name: {"LATIN", "CYRILLIC"}."""
    return {name.split(" ")[0] for name in map(_char_name, word) if name.startswith(SCRIPTS)}


_WORD_BREAK = re.compile(r"[ \t\n\r\u00a0/\-\u2010-\u2015\u2019'.\u00b7\u0589\u058a]+")
"""What parts words for the alphabet check: a space (not a thin or hair one, which prints as none), a slash, a dash,
an apostrophe or a full stop, Armenian's among them. Russian writes "Twitter’е" and "Яндекс.Go", Serbian
"Beograd—Београд"."""
_BEYOND_LATIN = re.compile(r"[^\x00-\u036f\u2000-\u206f]")
"""A character past the Latin letters, their accents and general punctuation: a word that mixes alphabets holds one."""


@functools.cache
def _alphabets() -> tuple[re.Pattern[str], ...]:
    """For each look-alike alphabet (``SCRIPTS``), a pattern of its letters, to find at a glance the few words that
    hold two. Made on first use, from the same names the letter-by-letter look reads, over the blocks where these
    alphabets have letters (a few hundredths of a second);
    Greek "μ", the micro prefix of units ("80 μg/m³"), is left out."""
    letters: dict[str, list[str]] = {script: [] for script in SCRIPTS}
    for code in itertools.chain(range(0x10000), range(0x10780, 0x107C0), range(0x1DF00, 0x1E090)):  # where they are
        char = chr(code)
        if unicodedata.category(char)[0] == "L" and char != "\u03bc":
            script = _char_name(char).split(" ")[0]
            if script in letters:
                letters[script].append(char)
    return tuple(re.compile(f"[{re.escape(''.join(chars))}]") for chars in letters.values())


class Mixed(NamedTuple):
    """A word that mixes look-alike alphabets (``mixed_word``)."""

    word: str
    alphabets: str
    """Their names, as 'Cyrillic and Latin'."""
    odd: str
    """The first letter of the alphabet the word has fewest letters of, with its Unicode name."""

    def describe(self) -> str:
        """'the word 'Оsmani' mixes Cyrillic and Latin letters ('О' is CYRILLIC CAPITAL LETTER O)'."""
        return f"the word '{self.word}' mixes {self.alphabets} letters ('{self.odd}' is {_char_name(self.odd)})"


def mixed_word(text: str) -> Mixed | None:
    """The first word of a text that mixes look-alike alphabets, or None.

    A word that mixes them is made, or mistyped, to pass for another: "Оsmani" with a Cyrillic "О". Words
    joined by a slash, a dash, an apostrophe or a full stop are words of their own (``_WORD_BREAK``):
    "Beograd/Београд" writes a name in both alphabets.
    """
    if not _BEYOND_LATIN.search(text):  # most texts: no letter of another alphabet at all
        return None
    for word in _WORD_BREAK.split(text):
        if word.isascii():
            continue
        found = {
            script: letters
            for script, alphabet in zip(SCRIPTS, _alphabets(), strict=True)
            if (letters := alphabet.findall(word))
        }
        if len(found) > 1:
            fewest = min(found, key=lambda script: (len(found[script]), script))
            return Mixed(word, " and ".join(sorted(s.title() for s in found)), found[fewest][0])
    return None


def _char_name(char: str) -> str:
    return unicodedata.name(char, "")
