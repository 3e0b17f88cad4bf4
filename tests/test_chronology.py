"""Dates agree with each other and with today, and no article is recorded as two sources."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from tiny_corpus import FILES, make_project

from generator.chronology import (
    EVENT_LATE_HINT,
    FUTURE_HINT,
    LATE_HINT,
    address_key,
    last_day,
    without_tracking,
)
from generator.model import DateSpec
from generator.problems import Problem
from generator.validate import load_corpus

SOURCE = "sources/src-one.yaml"
ALPHA = "entities/alpha-person.yaml"
BETA = "entities/beta-land.yaml"
TODAY = dt.date(2026, 11, 28)


def changed_problems(
    tmp_path: Path, changes: dict[str, tuple[str, str]], extra: dict[str, str] | None = None
) -> list[Problem]:
    """Every problem after replacing text (once) in tiny-corpus files and adding ``extra`` files."""
    files: dict[str, str | bytes] = dict(FILES)
    for name, (old, new) in changes.items():
        text = FILES[name]
        assert isinstance(text, str) and old in text, (name, old)
        files[name] = text.replace(old, new, 1)
    files.update(extra or {})
    root = make_project(tmp_path, files)
    return load_corpus(root / "facts", root, TODAY)[1]


def problems_of(tmp_path: Path, changes: dict[str, tuple[str, str]], extra: dict[str, str] | None = None) -> list[str]:
    """``file:line:col: message [path]`` for every problem after replacing text in tiny-corpus files."""
    return [f"{p.location()}: {p.message} [{p.key_path}]" for p in changed_problems(tmp_path, changes, extra)]


def test_the_tiny_corpus_has_no_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path, {}) == []


def test_a_period_ends_on_its_last_day() -> None:
    assert last_day(DateSpec("2024-02", "month")) == dt.date(2024, 2, 29)
    assert last_day(DateSpec("2026", "year")) == dt.date(2026, 12, 31)
    assert last_day(DateSpec("2026-01-20", "day")) == dt.date(2026, 1, 20)


def test_two_records_of_one_article_are_refused(tmp_path: Path) -> None:
    second = FILES[SOURCE]
    assert isinstance(second, str)
    second = second.replace("url: https://example.org/report", "url: https://WWW.example.org/report/#top")
    second = re.sub(r"\nsnapshot:\n(?:  .*\n)+", "\n", second)  # a second record of the text is its own error
    found = problems_of(tmp_path, {}, {"sources/src-two.yaml": second})
    assert found == [
        "facts/sources/src-one.yaml:3:6: this article is also recorded as source 'src-two' "
        "(facts/sources/src-two.yaml) [url]",
        "facts/sources/src-two.yaml:3:6: this article is also recorded as source 'src-one' "
        "(facts/sources/src-one.yaml) [url]",
    ]


def test_an_address_that_tracks_its_readers_is_refused_and_still_one_article(tmp_path: Path) -> None:
    tracked = "url: https://example.org/report?utm_source=newsletter&fbclid=AbC"
    [problem] = changed_problems(tmp_path, {SOURCE: ("url: https://example.org/report", tracked)})
    assert (problem.location(), problem.severity, problem.key_path) == (  # an error: the site would publish it
        "facts/sources/src-one.yaml:3:6",
        "error",
        "url",
    )
    assert problem.hint == "record it without them: https://example.org/report"
    second = FILES[SOURCE]
    assert isinstance(second, str)
    found = problems_of(
        tmp_path / "two", {SOURCE: ("url: https://example.org/report", tracked)}, {"sources/src-two.yaml": second}
    )
    assert "facts/sources/src-two.yaml:3:6: this article is also recorded as source 'src-one' " in " ".join(found)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://www.reuters.com@evil.example/world/a",
            "the address names 'www.reuters.com' before its host: a browser would open evil.example",
        ),
        (
            "https://www.reut\u0435rs.com/world/a",  # a Cyrillic "е"
            "the host's part 'reut\u0435rs' mixes Cyrillic and Latin letters, "
            "as an address made to look like another does",
        ),
        (
            "https://www.xn--reutrs-6of.com/world/a",  # the same host as a browser sends it
            "the host's part 'reut\u0435rs' mixes Cyrillic and Latin letters, "
            "as an address made to look like another does",
        ),
        (
            "https://www.xn--80ak6aa92e.com/a",  # "apple" in Cyrillic letters, beside a Latin part
            "the host's part '\u0430\u0440\u0440\u04cf\u0435' is written in Cyrillic letters that print like the "
            "Latin 'apple', as an address made to look like another does",
        ),
        (
            "https://www.reuters.\u0441\u043e\u043c/world/a",  # "com" in Cyrillic letters
            "the host's part '\u0441\u043e\u043c' is written in Cyrillic letters that print like the Latin 'com', "
            "as an address made to look like another does",
        ),
        (
            "https://reuters.com\u3002evil.example/a",  # an ideographic full stop: a browser opens evil.example
            "the host 'reuters.com\u3002evil.example' has a U+3002 full stop, which a browser reads as a dot "
            "between its parts",
        ),
        (
            "http://localhost:8000/a",
            "the address is on 'localhost', which is this computer or a private network, not a published page",
        ),
        (
            "https://[::1]/a",
            "the address is on '::1', which is this computer or a private network, not a published page",
        ),
        (
            "https://192.168.1.20/a",
            "the address is on '192.168.1.20', which is this computer or a private network, not a published page",
        ),
        (
            "http://localhost./a",  # the final dot of a fully qualified name
            "the address is on 'localhost', which is this computer or a private network, not a published page",
        ),
        *(
            (
                f"http://{host}/a",
                f"the host '{host}' is a computer's number written in another form: a browser opens 127.0.0.1",
            )
            for host in ("127.1", "2130706433", "0x7f000001", "0177.0.0.1")
        ),
        (
            "https://evil.example\\\\www.reuters.com/a",  # two backslashes in YAML's double quotes are one
            "the address has a '\\', which a browser reads as '/': it would open evil.example",
        ),
        (
            "https://[::1/world/a",
            "the address cannot be opened: its host has a '[' or ']' without its pair",
        ),  # no internal error
        (
            "https://example\uff03.org/a",  # a full-width "#", which Unicode normalisation makes a real one
            "the address cannot be opened: its host has a character that Unicode normalisation turns into "
            "'/', '?', '#', '@' or ':'",
        ),
    ],
)
def test_an_address_whose_host_is_not_what_it_looks_like_is_refused(tmp_path: Path, url: str, message: str) -> None:
    [problem] = changed_problems(tmp_path, {SOURCE: ("url: https://example.org/report", f'url: "{url}"')})
    assert (problem.location(), problem.severity, problem.key_path, problem.message) == (
        "facts/sources/src-one.yaml:3:6",
        "error",
        "url",
        message,
    )


@pytest.mark.parametrize("www", ["", "www."])
def test_a_host_in_one_alphabet_is_fine_whichever_it_is(tmp_path: Path, www: str) -> None:
    # rts.srb in Serbian Cyrillic: its letters look Latin, but no part of the host is Latin ("www" aside)
    cyrillic = f"https://{www}\u0440\u0442\u0441.\u0441\u0440\u0431/vesti/a"
    assert changed_problems(tmp_path, {SOURCE: ("url: https://example.org/report", f'url: "{cyrillic}"')}) == []


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://example.org/a?id=3&utm_medium=email&UTM_Campaign=x", "https://example.org/a?id=3"),
        ("https://example.org/a?gclid=1#part", "https://example.org/a#part"),
        ("https://example.org/a?q=a%20b&ref=home", "https://example.org/a?q=a%20b&ref=home"),  # untouched, to the byte
        # Only the tracking fields go: the others stay as written, in any encoding, with or without a value.
        ("https://example.org/a?amp&q=%E9t%E9+x&utm_source=y&p=a/b", "https://example.org/a?amp&q=%E9t%E9+x&p=a/b"),
        ("https://example.org/a?utm%5Fsource=y&id=1", "https://example.org/a?id=1"),
        ("https://example.org/utm_source/a", "https://example.org/utm_source/a"),
    ],
)
def test_tracking_parameters_are_dropped_and_nothing_else(url: str, clean: str) -> None:
    assert without_tracking(url) == clean


def test_tracking_parameters_never_tell_two_records_of_one_article_apart() -> None:
    assert address_key("https://example.org/a?q=a%20b&utm_source=x") == address_key("https://example.org/a?q=a%20b")


def test_addresses_differ_by_path_and_query() -> None:
    assert address_key("https://example.org/a?id=1") != address_key("https://example.org/a?id=2")
    assert address_key("https://example.org/a") != address_key("https://example.org/b")
    assert address_key("http://www.Example.org/a/") == address_key("https://example.org/a#x")
    assert address_key("https://example.org/#!/a/1") != address_key("https://example.org/#!/a/2")
    assert address_key("https://example.org/#/a/1") != address_key("https://example.org/#/a/2")
    assert address_key("https://example.org/A") != address_key("https://example.org/a")  # a path keeps its case
    assert address_key("https://wire.xn--bcher-kva.example/a") == address_key("https://wire.BÜCHER.example/a")


@pytest.mark.parametrize(
    "same", ["https://example.org:443/a", "http://example.org:80/a", "https://example.org./a", "HTTPS://example.org/a"]
)
def test_a_default_port_or_a_final_dot_is_the_same_address(same: str) -> None:
    assert address_key(same) == address_key("https://example.org/a")
    assert address_key("https://example.org:8443/a") != address_key("https://example.org/a")  # another port
    assert address_key("ftp://a-/b") == "a-/b"  # no default port to drop, and no internal error


ACCESSED = 'published: "2026-01-20"\naccessed: "2026-01-21"'
CASES: list[tuple[str, dict[str, tuple[str, str]], list[str]]] = [
    (
        "source read before it was published",
        {SOURCE: ('accessed: "2026-01-21"', 'accessed: "2026-01-18"')},
        [
            "facts/sources/src-one.yaml:6:11: the date 2026-01-18 is before the source was published (2026-01-20) "
            "[accessed]"
        ],
    ),
    (
        "read the day before, in another time zone",
        {SOURCE: ('accessed: "2026-01-21"', 'accessed: "2026-01-19"')},
        [],
    ),
    (  # an estimate bounds no fact, but a source is read after it exists: the estimate is too late
        "read before an estimated publication date",
        {SOURCE: (ACCESSED, 'published:\n  value: "2026-01-20"\n  certainty: estimated\naccessed: "2026-01-10"')},
        [
            "facts/sources/src-one.yaml:8:11: the date 2026-01-10 is before the source's estimated publication date "
            "(2026-01-20) [accessed]"
        ],
    ),
    (
        "corrected before an estimated publication date",
        {
            SOURCE: (
                ACCESSED,
                'published:\n  value: "2026-01-20"\n  certainty: estimated\naccessed: "2026-01-21"\n'
                'status:\n  state: corrected\n  date: "2025"',
            )
        },
        [
            "facts/sources/src-one.yaml:11:9: the date 2025 is before the source's estimated publication date "
            "(2026-01-20) [status.date]"
        ],
    ),
    (
        "read the day before an estimated publication date, in another time zone",
        {SOURCE: (ACCESSED, 'published:\n  value: "2026-01-20"\n  certainty: estimated\naccessed: "2026-01-19"')},
        [],
    ),
    (
        "a fact a day after its source, in another time zone",
        {BETA: ('date: "2026-01"', 'date: "2026-01-21"')},
        [],
    ),
    (
        "corrected before it was published",
        {SOURCE: ('accessed: "2026-01-21"', 'accessed: "2026-01-21"\nstatus:\n  state: corrected\n  date: "2025"')},
        ["facts/sources/src-one.yaml:9:9: the date 2025 is before the source was published (2026-01-20) [status.date]"],
    ),
    (
        "corrected after today",
        {SOURCE: ('accessed: "2026-01-21"', 'accessed: "2026-01-21"\nstatus:\n  state: corrected\n  date: "2027-03"')},
        ["facts/sources/src-one.yaml:9:9: the date 2027-03 is after today, 2026-11-28 [status.date]"],
    ),
    (
        "a coarse date is never wrong for being coarse",
        {SOURCE: (ACCESSED, 'published: "2026-01-20"\naccessed: "2026-01"'), BETA: ('date: "2026-01"', 'date: "2026"')},
        [],
    ),
    (
        "one day past today is allowed, for time zones",
        {SOURCE: (ACCESSED, 'published: "2026-01-20"\naccessed: "2026-11-29"')},
        [],
    ),
    (
        "two days past today is not",
        {SOURCE: (ACCESSED, 'published: "2026-01-20"\naccessed: "2026-11-30"')},
        ["facts/sources/src-one.yaml:6:11: the date 2026-11-30 is after today, 2026-11-28 [accessed]"],
    ),
    (
        "fact dated after every source it cites",
        {BETA: ('date: "2026-01"', 'date: "2026-02"')},
        [
            "facts/entities/beta-land.yaml:7:11: the date 2026-02 is after every source it cites was published "
            "(the last on 2026-01-20) [facts[0].date]"
        ],
    ),
    (
        "an estimated publication date bounds nothing",
        {
            SOURCE: ('published: "2026-01-20"', 'published:\n  value: "2026-01-20"\n  certainty: estimated'),
            BETA: ('date: "2026-01"', 'date: "2026-02"'),
        },
        [],
    ),
    (
        "role dated in the future",
        {ALPHA: ('as_of: "2026"', 'as_of: "2027"')},
        ["facts/entities/alpha-person.yaml:6:12: the date 2027 is after today, 2026-11-28 [roles[0].as_of]"],
    ),
    (
        "a date written as a mapping is pointed at its value",
        {BETA: ('date: "2026-01"', 'date:\n      value: "2026-03"\n      note: A guess.')},
        [
            "facts/entities/beta-land.yaml:8:14: the date 2026-03 is after every source it cites was published "
            "(the last on 2026-01-20) [facts[0].date.value]"
        ],
    ),
    (
        "a qualifier needs a month or a year",
        {BETA: ('date: "2026-01"', 'date:\n      value: "2026-01-05"\n      qualifier: late')},
        [
            "facts/entities/beta-land.yaml:9:18: 'late' needs a date given as a year or a month; this one is a day "
            "[facts[0].date.qualifier]"
        ],
    ),
]


@pytest.mark.parametrize(("changes", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_dates_that_disagree_are_reported_where_they_are_written(
    tmp_path: Path, changes: dict[str, tuple[str, str]], expected: list[str]
) -> None:
    assert problems_of(tmp_path, changes) == expected


def test_each_mistake_gets_its_own_hint(tmp_path: Path) -> None:
    changes = {ALPHA: ('as_of: "2026"', 'as_of: "2027"'), BETA: ('date: "2026-01"', 'date: "2026-02"')}
    problems = changed_problems(tmp_path, changes)
    hints = {p.key_path: p.hint for p in problems}
    assert hints == {"roles[0].as_of": FUTURE_HINT, "facts[0].date": LATE_HINT}


def test_a_date_before_an_estimated_publication_is_told_to_correct_the_estimate(tmp_path: Path) -> None:
    estimated = 'published:\n  value: "2026-01-20"\n  certainty: estimated\naccessed: "2026-01-10"\n'
    changes = {SOURCE: (ACCESSED, estimated + 'status:\n  state: corrected\n  date: "2025"')}
    hints = {p.key_path: p.hint for p in changed_problems(tmp_path, changes)}
    assert hints == {
        "accessed": "an estimated publication date is no later than the day someone read the source: "
        "correct the estimate",
        "status.date": "a correction, retraction or dead link comes after it: correct the estimate",
    }


@pytest.mark.parametrize(
    ("name", "date", "timing", "hint"),
    [
        (ALPHA, '    date: "2026-01-20"\n', "", EVENT_LATE_HINT),
        (ALPHA, '    date: "2026-01-20"\n', "    timing: as-of\n", LATE_HINT),
        (BETA, '    date: "2026-01"\n', "", LATE_HINT),
        (BETA, '    date: "2026-01"\n', "    timing: event\n", EVENT_LATE_HINT),
    ],
    ids=["a claim, an event by default", "a claim held as of its date", "a report", "a report of an event"],
)
def test_an_event_dated_after_its_sources_is_told_how_events_are_dated(
    tmp_path: Path, name: str, date: str, timing: str, hint: str
) -> None:
    problems = changed_problems(tmp_path, {name: (date, f'    date: "2026-03-01"\n{timing}')})
    assert [(p.key_path, p.hint) for p in problems] == [("facts[0].date", hint)]


def test_the_last_day_of_the_calendar_is_compared_without_overflow(tmp_path: Path) -> None:
    """A source read in year 9999, judged on its last day: nothing is after it, and no sum of dates overflows."""
    files: dict[str, str | bytes] = dict(FILES)
    text = FILES[SOURCE]
    assert isinstance(text, str)
    files[SOURCE] = text.replace('accessed: "2026-01-21"', 'accessed: "9999"')
    root = make_project(tmp_path, files)
    assert load_corpus(root / "facts", root, dt.date.max)[1] == []
    assert [p.message for p in load_corpus(root / "facts", root, TODAY)[1]] == [
        f"the date 9999 is after today, {TODAY}"
    ]


def test_a_path_with_escapes_is_the_same_address_as_the_path_it_stands_for() -> None:
    shown = "https://www.rts.rs/vesti/\u0441\u0432\u0435\u0442/a"  # as the address bar shows it
    assert address_key("https://rts.rs/vesti/%D1%81%D0%B2%D0%B5%D1%82/a") == address_key(shown)
    assert address_key("https://rts.rs/vesti/%d1%81%d0%b2%d0%b5%d1%82/a") == address_key(shown)
    assert address_key("https://rts.rs/vesti/sve\u0301t/a") == address_key("https://rts.rs/vesti/sv\u00e9t/a")  # NFC
    assert address_key("https://example.org/a%2Fb") != address_key("https://example.org/a/b")  # not a "/"
    assert address_key("https://example.org/a%2fb") == address_key("https://example.org/a%2Fb")
    assert address_key("https://example.org/a%20b") != address_key("https://example.org/a b")
    assert address_key("https://example.org/%FF") == address_key("https://example.org/%ff")  # not UTF-8: kept
    assert address_key("https://example.org/a%2Bb") != address_key("https://example.org/a+b")  # a server may differ
    assert address_key("https://example.org/%61%7E") == address_key("https://example.org/a~")  # unreserved: alike
    assert address_key("https://rts.rs/%D1%81%2F") == address_key("https://rts.rs/\u0441%2f")
