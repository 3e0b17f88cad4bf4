"""Checks that dates agree with each other and with today, and that no article is recorded twice.

A source reports a state of affairs as of a date, or an event on the day it happened, and it can
do neither before that date. So nothing can be dated after today, no source can have been read
before it was published, and no fact or role can be dated after every source it cites was
published. Dates are compared by the periods they cover ("2026-01" covers all of January), so a
coarse date is never wrong for being coarse. A source whose publication date is only estimated
bounds no fact or role, though the estimate can be no later than the day the source was read or
corrected. Every comparison allows one day, because the two dates are written in different time
zones: an outlet's, a contributor's, the place of an event's, and "today", which is ``--today``,
else the current date in UTC.
"""

from __future__ import annotations

import calendar
import datetime as dt
import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import SplitResult, unquote, unquote_plus, urlsplit

from generator.characters import HOST_LOOKALIKE, scripts_of
from generator.loader import DataPath, Document
from generator.model import Citation, Corpus, DateSpec, Source, facts_by_file
from generator.problems import Problem

LATE_HINT = (
    "a fact or role is dated as of when its source reported it: use the source's date, or cite the later "
    "source that reports it"
)
EVENT_LATE_HINT = (
    "an event is dated on the day it happened, which no source can report in advance: check the date, or cite "
    "the later source that reports it"
)
FUTURE_HINT = "check the year and the month; nothing is recorded before it has happened or been said"
SLACK = dt.timedelta(days=1)
"""How far two dates written in different time zones can disagree."""


@lru_cache(maxsize=1 << 14)
def first_day(date: DateSpec) -> dt.date:
    """The first day a date can mean. (Cached, as ``last_day``: a corpus repeats a few thousand dates.)"""
    return date.start


@lru_cache(maxsize=1 << 14)
def last_day(date: DateSpec) -> dt.date:
    """The last day a date can mean: the end of its year or month, or the day itself."""
    start = date.start
    if date.precision == "year":
        return dt.date(start.year, 12, 31)
    if date.precision == "month":
        return dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return start


TRACKING = re.compile(r"utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga", re.IGNORECASE)
"""Query parameters that say who clicked a link, or from which campaign: never which article it is."""


def _field_name(field: str) -> str:
    """The name of one ``name=value`` field of a query, decoded."""
    return unquote_plus(field.split("=", 1)[0])


def _split(url: str) -> SplitResult | None:
    """The parts of an address, or None for one that no browser could open (``misleading_host`` says why)."""
    try:
        return urlsplit(url)
    except ValueError:  # an unclosed "[" of an IPv6 host, a host that Unicode normalisation changes
        return None


def _unopenable(url: str) -> str:
    """Why ``_split`` found no parts, in the project's words rather than Python's."""
    host = url.partition("//")[2].partition("/")[0]
    if ("[" in host) != ("]" in host):
        return "its host has a '[' or ']' without its pair"
    return "its host has a character that Unicode normalisation turns into '/', '?', '#', '@' or ':'"


def tracking_parameters(url: str) -> list[str]:
    """The names of the address's tracking parameters (``TRACKING``), in order."""
    parts = _split(url)
    query = parts.query if parts else ""
    names = [_field_name(field) for field in query.split("&")] if query else []
    return [name for name in names if TRACKING.fullmatch(name)]


def without_tracking(url: str) -> str:
    """The address without its tracking parameters (``TRACKING``): every other part stays as it was written."""
    parts = _split(url)
    fields = parts.query.split("&") if parts and parts.query else []
    kept = [field for field in fields if not TRACKING.fullmatch(_field_name(field))]
    return url if parts is None or len(kept) == len(fields) else parts._replace(query="&".join(kept)).geturl()


def address_key(url: str) -> str:
    """An article's address as two records of it would both write it: no scheme, "www.", case of the host or its
    ASCII form ("xn--"), final slash, fragment or tracking parameters. A fragment that is a route ("#/a/1",
    "#!/a/1") names a page, so it is kept."""
    parts = _split(without_tracking(url.strip()))
    if parts is None:
        return url.strip()
    netloc = parts.netloc.lower()
    if (port := DEFAULT_PORT.get(parts.scheme.lower())) and netloc.endswith(port):  # example.org:443 is example.org
        netloc = netloc.removesuffix(port)
    # bücher.de, xn--bcher-kva.de; "example.org." with the final dot of a fully qualified name
    host = ".".join(map(_unicode, netloc.split("."))).removeprefix("www.").removesuffix(".")
    query = f"?{parts.query}" if parts.query else ""
    route = f"#{parts.fragment}" if parts.fragment.startswith(("/", "!")) else ""
    return f"{host}{_path_as_read(parts.path).rstrip('/')}{query}{route}"


_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _path_as_read(path: str) -> str:
    """A path as a browser shows it: "/vesti/%D0%B0" as "/vesti/а", in one Unicode form, so that an address copied
    from the address bar and one copied from a link are one. Only escapes of letters beyond ASCII and of the
    characters that never mean anything in an address (letters, digits, "-", ".", "_", "~") are read; any other,
    such as "%2F" for a "/" that is not one, is kept, in capitals, since a server may read it otherwise."""

    def shown(escapes: re.Match[str]) -> str:
        try:
            text = unquote(escapes.group(), errors="strict")
        except UnicodeDecodeError:
            return escapes.group().upper()
        return "".join(c if not c.isascii() or c in _UNRESERVED else f"%{ord(c):02X}" for c in text)

    return unicodedata.normalize("NFC", _ESCAPES.sub(shown, path)) if "%" in path or not path.isascii() else path


_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
"""What an address may hold escaped or not alike (RFC 3986, 2.3)."""


DEFAULT_PORT = {"https": ":443", "http": ":80"}
"""The port each scheme uses when an address names none: written or not, it is the same address."""


def _limit(today: dt.date | None) -> dt.date | None:
    return None if today is None else min(today, dt.date.max - SLACK) + SLACK  # no overflow on 9999-12-31


def source_problems(docs: list[Document], sources: Iterable[Source], today: dt.date | None) -> list[Problem]:
    """A source read before it was published, dated after today, or recording an address already recorded."""
    limit = _limit(today)
    by_file = {s.file: s for s in sources}
    keys = {file: address_key(s.url) for file, s in by_file.items()}
    recorded: dict[str, list[Source]] = {}
    for file, each in by_file.items():
        recorded.setdefault(keys[file], []).append(each)
    problems: list[Problem] = []
    for doc in docs:
        source = by_file.get(doc.path)
        if source is None:
            continue
        # Each record of the article is told, so that a pull request sees it on the file it adds.
        for other in sorted((s for s in recorded[keys[doc.path]] if s is not source), key=lambda s: s.id):
            problems.append(
                doc.problem(
                    ("url",),
                    f"this article is also recorded as source '{other.id}' ({other.file})",
                    hint="one article is one source: keep one file for it, and cite that one",
                )
            )
        clean = without_tracking(source.url)
        if clean != source.url:
            problems.append(
                doc.problem(
                    ("url",),
                    "the address carries parameters that track who follows it; readers would carry them too",
                    hint=f"record it without them: {clean}",
                )
            )
        addresses: list[tuple[DataPath, str]] = [(("url",), source.url)]
        if source.status and source.status.archive_url:
            addresses.append((("status", "archive_url"), source.status.archive_url))
        for path, address in addresses:
            problems += [doc.problem(path, message, hint=hint) for message, hint in misleading_host(address)]
        problems += [_at(doc, *wrong) for wrong in _wrong_dates(source, today, limit)]
    return problems


def misleading_host(url: str) -> list[tuple[str, str]]:
    """(message, hint) for an address whose host is not what a reader would take it for: one with
    a user name before the host (``https://www.reuters.com@evil.example/``), or one that mixes
    alphabets in a label (``reutеrs`` with a Cyrillic ``е``); or one that no browser could open (``_unopenable``)."""
    parts = _split(url)
    if parts is None:
        return [
            (f"the address cannot be opened: {_unopenable(url)}", "copy the article's address again from the browser")
        ]
    netloc = parts.netloc
    if "\\" in url.partition("?")[0].partition("#")[0]:
        shown = url.partition("//")[2].replace("\\", "/").partition("/")[0]
        return [
            (
                f"the address has a '\\', which a browser reads as '/': it would open {shown}",
                "copy the article's address again from the browser's address bar",
            )
        ]
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        return [
            (
                f"the address names '{user}' before its host: a browser would open {host}",
                "record the article's own address, with nothing before its host but https://",
            )
        ]
    host = (parts.hostname or "").lower().removesuffix(".")  # "localhost." is localhost
    if dot := next((char for char in OTHER_DOTS if char in host), ""):
        return [
            (
                f"the host '{host}' has a U+{ord(dot):04X} full stop, which a browser reads as a dot between its parts",
                "type the address again from the article's page, with plain full stops",
            )
        ]
    if (number := _ipv4_as_read(host)) is not None and str(number) != host:
        return [
            (
                f"the host '{host}' is a computer's number written in another form: a browser opens {number}",
                "record the address at which the article is published",
            )
        ]
    if host == "localhost" or host.endswith(".localhost") or _private(host):
        return [
            (
                f"the address is on '{host}', which is this computer or a private network, not a published page",
                "record the address at which the article is published",
            )
        ]
    labels = [_unicode(label) for label in host.split(".")]  # "xn--reutrs-6of" is how "reutеrs" travels
    latin = any(scripts_of(label) == {"LATIN"} for label in labels if label not in ("www", "m"))
    for label in labels:
        scripts = scripts_of(label)
        if len(scripts) > 1:
            return [
                (
                    f"the host's part '{label}' mixes {' and '.join(sorted(s.title() for s in scripts))} letters, "
                    "as an address made to look like another does",
                    "type the address again from the article's page; a host is written in one alphabet",
                )
            ]
        # "reuters.сом": a part in letters that only print like Latin ones, beside Latin parts. A host all in
        # Cyrillic ("ртс.срб") is a real one, even where its letters look Latin.
        if latin and scripts and scripts != {"LATIN"} and label.translate(HOST_LOOKALIKE).isascii():
            return [
                (
                    f"the host's part '{label}' is written in {scripts.pop().title()} letters that print like the "
                    f"Latin '{label.translate(HOST_LOOKALIKE)}', as an address made to look like another does",
                    "type the address again from the article's page",
                )
            ]
    return []


def _unicode(label: str) -> str:
    """A part of a host as a browser shows it: an ASCII-encoded ("xn--") part decoded; any other as it is."""
    if not label.startswith("xn--"):
        return label
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label


OTHER_DOTS = "\u3002\uff0e\uff61"
"""Full stops of other scripts that browsers read, in a host, as the dot between its parts."""


def _ipv4_as_read(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a browser reads in a host whose last part is a number, however it is written: "127.1",
    "2130706433", "0x7f000001" and "0177.0.0.1" all open 127.0.0.1. None for a host of names."""
    parts = host.split(".")
    numbers: list[int] = []
    for part in parts:
        try:
            numbers.append(int(part, 16) if part[:2] == "0x" else int(part, 8) if part[:1] == "0" else int(part))
        except ValueError:
            return None
    if not numbers or len(numbers) > 4 or any(n > 255 for n in numbers[:-1]):
        return None
    last = numbers[-1]
    if last >= 256 ** (5 - len(numbers)):
        return None
    value = sum(n << (8 * (3 - i)) for i, n in enumerate(numbers[:-1])) + last
    return ipaddress.IPv4Address(value)


def _private(host: str) -> bool:
    """Whether a host is an address of this computer or of a private network (127.0.0.1, [::1], 10.0.0.5)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified


def _wrong_dates(
    source: Source, today: dt.date | None, limit: dt.date | None
) -> list[tuple[DataPath, DateSpec, str, str]]:
    """(where, date, what is wrong, hint) for each date of a source that disagrees; usually none."""
    dated: list[tuple[DataPath, DateSpec]] = [(("published",), source.published), (("accessed",), source.accessed)]
    if source.status:
        dated.append((("status", "date"), source.status.date))
    wrong = [
        (path, date, f"is after today, {today}", FUTURE_HINT)
        for path, date in dated
        if limit and first_day(date) > limit
    ]
    published = first_day(source.published)
    before = f"is before the source was published ({source.published.value})"
    read = "the accessed date is the day someone read the source"
    after = "a correction, retraction or dead link comes after it"
    if source.published.certainty == "estimated":
        # An estimate bounds no fact, but no one reads a source before it exists: the estimate is too late.
        before = f"is before the source's estimated publication date ({source.published.value})"
        read = "an estimated publication date is no later than the day someone read the source: correct the estimate"
        after += ": correct the estimate"
    if published - last_day(source.accessed) > SLACK:  # a difference of dates cannot overflow, a sum can
        wrong.append((("accessed",), source.accessed, before, read))
    if source.status and published - last_day(source.status.date) > SLACK:
        wrong.append((("status", "date"), source.status.date, before, after))
    return wrong


def dating_problems(docs: list[Document], corpus: Corpus, today: dt.date | None) -> list[Problem]:
    """A fact or role dated after today, or after every source it cites was published."""
    late = _Lateness(corpus, today)
    flawed = {f.file for f in corpus.facts if late(f.date, f.citations, f.timing)[0]}
    flawed |= {e.file for e in corpus.entities for r in e.roles if late(r.as_of, r.citations)[0]}
    if not flawed:
        return []
    entities = {e.file: e for e in corpus.entities}
    by_file = facts_by_file(f for f in corpus.facts if f.file in flawed)
    problems: list[Problem] = []
    for doc in docs:
        entity = entities.get(doc.path)
        if entity is None or doc.path not in flawed:
            continue
        items = [(("roles", i, "as_of"), r.as_of, r.citations, "as-of") for i, r in enumerate(entity.roles)]
        items += [
            (("facts", i, "date"), f.date, f.citations, f.timing) for i, f in enumerate(by_file.get(doc.path, []))
        ]
        for path, date, citations, timing in items:
            what, hint = late(date, citations, timing)
            if what:
                problems.append(_at(doc, path, date, what, hint))
    return problems


class _Lateness:
    """Why a date of a fact or role is too late and a hint, or two empty strings: asked once per fact."""

    def __init__(self, corpus: Corpus, today: dt.date | None) -> None:
        self.today, self.limit = today, _limit(today)
        self.published: dict[str, dt.date | None] = {
            s.id: None if s.published.certainty == "estimated" else last_day(s.published) for s in corpus.sources
        }
        self.starts: dict[int, dt.date] = {}
        """First days by the date object's identity: a corpus shares its date objects, and hashing one
        is a call into Python for each of its fields."""

    def __call__(self, date: DateSpec, citations: tuple[Citation, ...], timing: str = "as-of") -> tuple[str, str]:
        start = self.starts.get(id(date))
        if start is None:
            start = self.starts[id(date)] = first_day(date)
        if self.limit is not None and start > self.limit:
            return f"is after today, {self.today}", FUTURE_HINT
        latest: dt.date | None = None
        for citation in citations:
            bound = self.published.get(citation.source)
            if bound is None:  # estimated, or an unknown source that the cross-file check reports
                return "", ""
            if latest is None or bound > latest:
                latest = bound
        if latest is not None and start - latest > SLACK:
            hint = EVENT_LATE_HINT if timing == "event" else LATE_HINT
            return f"is after every source it cites was published (the last on {latest})", hint
        return "", ""


def _at(doc: Document, path: DataPath, date: DateSpec, what: str, hint: str = LATE_HINT) -> Problem:
    where = (*path, "value") if isinstance(_node(doc, path), dict) else path
    return doc.problem(where, f"the date {date.value} {what}", hint=hint)


def _node(doc: Document, path: DataPath) -> object:
    node: object = doc.data
    for step in path:
        node = node[step]  # type: ignore[index]
    return node
