"""Ids made from names and addresses, as ``python -m generator new`` proposes them.

An id is lowercase ASCII words joined by hyphens; a name in the region's Cyrillic alphabets is
spelt as their Latin alphabets spell it, so that "Вучић" and "Vučić" both become ``vucic``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from slugify import slugify

DATE_IN_URL = re.compile(r"/(20\d\d|19\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?=/|$|[^0-9])")
SLUG_WORDS = 6
"""Keep ids readable: the first words of the article's address are enough to tell it apart."""


SERBIAN_LATIN = [
    [cyrillic, latin]
    for pair in (
        "đdj Đdj ђdj Ђdj ћc Ћc џdz Џdz љlj Љlj њnj Њnj јj Јj ѓgj Ѓgj ќkj Ќkj ѕdz Ѕdz чc Чc шs Шs жz Жz цc Цc"
    ).split()
    for cyrillic, latin in [(pair[0], pair[1:])]
]
"""Letters of the region's Cyrillic alphabets, spelt as their Latin alphabets do (Вучић: vucic)."""


def slug(text: str, max_words: int = SLUG_WORDS) -> str:
    """Lowercase ASCII words joined by hyphens; other scripts are transliterated."""
    return "-".join(slugify(text, replacements=SERBIAN_LATIN).split("-")[:max_words])


def url_slug(url: str) -> str:
    """The readable part of an article's address: its last path segment, without extension or date."""
    parts = [unquote(p) for p in urlsplit(url).path.split("/") if p]
    for part in reversed(parts):
        stem = re.sub(r"\.(s?html?|php|aspx?)$", "", part, flags=re.IGNORECASE)
        words = slug(stem)
        if words and not words.isdigit():
            return words
    return ""


def publisher_slug(url: str, publisher: str | None) -> str:
    """The publisher part of an id: from its name, or else from the address's host."""
    if publisher:
        return slug(publisher, max_words=3)
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return slug(host.split(".")[0])


def date_from_url(url: str) -> str | None:
    """A YYYY-MM-DD date written in the address, as many news sites do."""
    match = DATE_IN_URL.search(urlsplit(url).path)
    return "-".join(match.groups()) if match else None


def source_id(url: str, publisher: str | None, date: str | None) -> str:
    """Build a source id from publisher, date and the address's slug."""
    parts = [publisher_slug(url, publisher), date or "", url_slug(url)]
    return "-".join(p for p in parts if p) or "source"
