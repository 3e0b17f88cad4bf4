"""The one strict loader: every scalar a string, no duplicates, no YAML tricks, exact positions."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from generator import characters, loader
from generator.characters import INVISIBLE
from generator.loader import MAX_DEPTH, TAB_HINT, LoadError, load_file, parse_text
from generator.yaml_syntax import DUPLICATE_KEY_HINT


def located(exc: pytest.ExceptionInfo[LoadError]) -> str:
    """The problem as a user sees it, minus the severity: ``file:line:col: message``."""
    return f"{exc.value.problem.location()}: {exc.value.problem.message}"


def parse_error(text: str) -> str:
    with pytest.raises(LoadError) as exc:
        parse_text(text, "f.yaml")
    return located(exc)


def load_error(tmp_path: Path, raw: bytes, **options: int) -> str:
    path = tmp_path / "f.yaml"
    path.write_bytes(raw)
    with pytest.raises(LoadError) as exc:
        load_file(path, "f.yaml", **options)
    return located(exc)


def test_parses_with_libyaml() -> None:
    assert yaml.__with_libyaml__
    assert loader._Parser is yaml.CSafeLoader


@pytest.mark.parametrize(
    "written",
    [
        "no",
        "yes",
        "on",
        "off",
        "No",
        "YES",
        "true",
        "False",
        "y",
        "n",
        "2026-01-20",
        "2026-01-20 10:00:00",
        "0755",
        "0o755",
        "0x1F",
        "1e3",
        "1_000",
        "12:30:00",
        "3.14",
        ".inf",
        "-.inf",
        ".nan",
        "=",
        "<<",
    ],
)
def test_every_plain_scalar_stays_the_string_written(written: str) -> None:
    doc = parse_text(f"field: {written}\nlist: [{written}]\n", "f.yaml")
    assert doc.data == {"field": written, "list": [written]}
    assert type(doc.data["field"]) is str


@pytest.mark.parametrize(
    ("key", "value"),
    [
        *((key, "2022") for key in ("date", "value", "as_of", "published", "accessed")),
        ("title", "1984"),
        ("key", "true"),
        ("text", "3.14"),
        ("name", "1e3"),
        ("aliases", "[Kurti, 1984]"),  # a list's items too
        ("relays", "[24]"),
        ("id", "12"),  # ids too: the schemas type every value as text
        ("speaker", "0x1f"),
        ("topics", "[economy, 2026]"),
        ("source", "2024"),
    ],
)
def test_text_without_quotes_that_yaml_editors_read_as_a_number_is_refused(key: str, value: str) -> None:
    """It is text to the loader, as every value is, but a number or a yes/no to an editor checking the schema: the
    two would disagree on whether the file is right."""
    with pytest.raises(LoadError) as caught:
        parse_text(f"other: x\n{key}: {value}\n", "f.yaml")
    number = value.strip("[]").split(", ")[-1]
    assert caught.value.problem.message == (
        f"{number} without quotes is a number or a yes/no to YAML editors, which then mark the file wrong; "
        f'write "{number}"'
    )
    assert (caught.value.problem.line, caught.value.problem.column) == (2, len(key) + 3 + value.find(number))
    quoted = value.replace(number, f'"{number}"')
    assert parse_text(f"{key}: {quoted}\n", "f.yaml").data == {key: parse_text(f"x: {quoted}", "f").data["x"]}
    assert parse_text(f"{key}: 2026-01-20\n", "f.yaml").data == {key: "2026-01-20"}  # text in YAML 1.2 too
    assert parse_text(f"{key}: 1984 in review\n", "f.yaml").data == {key: "1984 in review"}


def test_quoted_and_block_scalars_stay_strings() -> None:
    text = "a: '0755'\nb: \"no\"\nc: |\n  line one\n  line two\nd: >\n  folded\n  text\ne:\n"
    assert parse_text(text, "f.yaml").data == {
        "a": "0755",
        "b": "no",
        "c": "line one\nline two\n",
        "d": "folded text\n",
        "e": "",
    }


def test_keys_that_yaml_1_1_would_convert_stay_strings() -> None:
    doc = parse_text("no: 1\non: 2\n2026-01-20: 3\n0755: 4\n~: 5\n", "f.yaml")
    assert list(doc.data) == ["no", "on", "2026-01-20", "0755", "~"]


def test_duplicate_key_at_top_level() -> None:
    assert parse_error("a: 1\nb: 2\na: 3\n") == "f.yaml:3:1: duplicate key 'a'; it is already set at line 1"


def test_duplicate_key_deep_inside_a_list() -> None:
    text = "facts:\n  - id: x\n    citations:\n      - source: s\n        passage: p\n        source: t\n"
    assert parse_error(text) == "f.yaml:6:9: duplicate key 'source'; it is already set at line 4"


def test_duplicate_key_in_flow_mapping() -> None:
    assert parse_error("a: {b: 1, b: 2}\n") == "f.yaml:1:11: duplicate key 'b'; it is already set at line 1"


@pytest.mark.parametrize(("text", "hint"), [("a: 1\na: 2\n", DUPLICATE_KEY_HINT), ("a:\n\tb: 1\n", TAB_HINT)])
def test_a_duplicate_key_and_a_tab_say_how_to_mend_them(text: str, hint: str) -> None:
    with pytest.raises(LoadError) as exc:
        parse_text(text, "f.yaml")
    assert exc.value.problem.hint == hint


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        (  # a new item without its '- ': its first key is set again in the item above
            "facts:\n  - id: a\n    kind: report\n    id: b\n",
            "if this line starts a new item of the list, write '- ' before 'id:', with the '-' in column 3 as on "
            "line 2; else delete one of the two, keeping the value you mean",
        ),
        (  # another key of the item: more likely set twice, but it may start an item too
            "facts:\n  - id: a\n    kind: report\n    kind: claim\n",
            f"{DUPLICATE_KEY_HINT}; if this line starts a new item of the list, write '- ' before 'kind:', "
            "with the '-' in column 3 as on line 2",
        ),
        (  # a second list under the same key, as when a fact is pasted with its 'facts:' line
            "name: x\nfacts:\n  - id: a\nfacts:\n  - id: b\n",
            "add the new items to the list under 'facts:' at line 2, after its last item, "
            "and delete this second 'facts:' line",
        ),
        (  # `new entity` writes "facts: []": the items under a second 'facts:' replace it
            "name: x\nfacts: []\nfacts:\n  - id: b\n",
            "delete the first 'facts:' line, line 2: its list is empty, and this one holds the items",
        ),
        ("a: [{b: 1,\n     b: 2}]\n", DUPLICATE_KEY_HINT),  # a mapping in braces: no '- ' is missing
        ("- {a: 1, a: 2}\n", DUPLICATE_KEY_HINT),
    ],
)
def test_a_duplicate_key_in_a_list_item_or_a_second_list_is_told_the_likely_fix(text: str, hint: str) -> None:
    with pytest.raises(LoadError) as exc:
        parse_text(text, "f.yaml")
    assert exc.value.problem.hint == hint


def test_same_key_in_sibling_mappings_is_fine() -> None:
    doc = parse_text("- id: a\n- id: b\n", "f.yaml")
    assert doc.data == [{"id": "a"}, {"id": "b"}]


def test_keys_equal_after_nfc_normalisation_are_duplicates() -> None:
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert composed != decomposed and unicodedata.normalize("NFC", decomposed) == composed
    assert parse_error(f"{composed}: 1\n{decomposed}: 2\n") == (
        "f.yaml:2:1: duplicate key 'café' (equal after Unicode normalisation); it is already set at line 1"
    )


def test_values_are_normalised_to_nfc() -> None:
    doc = parse_text('name: "Đorđe\u0301"\n', "f.yaml")
    assert doc.data["name"] == unicodedata.normalize("NFC", "Đorđe\u0301")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x 1\nb: 2\n", "f.yaml:1:4: anchor '&x' is not allowed; write the value out in full"),
        ("a: 1\nb: *x\n", "f.yaml:2:4: alias '*x' is not allowed; write the value out in full"),
        ("base: &b {k: v}\nother:\n  <<: *b\n", "f.yaml:1:7: anchor '&b' is not allowed; write the value out in full"),
        ("a: !!str 1\n", "f.yaml:1:4: tag 'tag:yaml.org,2002:str' is not allowed; write a plain value"),
        ("a: !custom 1\n", "f.yaml:1:4: tag '!custom' is not allowed; write a plain value"),
        (
            "a: !!python/object:os.system x\n",
            "f.yaml:1:4: tag 'tag:yaml.org,2002:python/object:os.system' is not allowed; write a plain value",
        ),
        ("--- !map\na: 1\n", "f.yaml:1:5: tag '!map' is not allowed; write a plain value"),
    ],
)
def test_anchors_aliases_and_tags_are_rejected(text: str, message: str) -> None:
    assert parse_error(text) == message


def test_a_second_document_is_rejected() -> None:
    assert parse_error("a: 1\n---\nb: 2\n") == (
        "f.yaml:2:1: a second YAML document ('---') is not allowed; one file holds one document"
    )


def test_one_explicit_document_marker_is_fine() -> None:
    assert parse_text("---\na: 1\n...\n", "f.yaml").data == {"a": "1"}


def test_tab_indentation_is_rejected() -> None:
    assert parse_error("a:\n\tb: 1\n") == "f.yaml:2:1: tab character; YAML files here use spaces only, never tabs"


def test_tab_inside_a_value_is_rejected() -> None:
    assert parse_error('a: "x\ty"\n') == "f.yaml:1:6: tab character; YAML files here use spaces only, never tabs"


INVISIBLE_HINT = "delete it: most editors show nothing where it is"


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x00", ""),
        ("\x07", ""),
        ("\x1b", ""),
        ("\x7f", ""),
        ("\x85", ""),
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
        ("\u200f", "RIGHT-TO-LEFT MARK"),
        ("\u061c", "ARABIC LETTER MARK"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u00ad", "SOFT HYPHEN"),
        ("\u2060", "WORD JOINER"),
        ("\u206a", "INHIBIT SYMMETRIC SWAPPING"),
        ("\u034f", "COMBINING GRAPHEME JOINER"),
        ("\u3164", "HANGUL FILLER"),
        ("\u2800", "BRAILLE PATTERN BLANK"),  # passes for a space
        ("\ufe0f", "VARIATION SELECTOR-16"),
        ("\U0001d173", "MUSICAL SYMBOL BEGIN BEAM"),
        ("\U000e0049", "TAG LATIN CAPITAL LETTER I"),
        ("\U000e0101", "VARIATION SELECTOR-18"),
    ],
)
def test_control_and_invisible_characters_are_named_at_their_position_and_told_to_go(char: str, name: str) -> None:
    """A control character by its code point; an invisible or bidirectional one by its name too, since an editor
    shows nothing there."""
    code = f"U+{ord(char):04X}"
    described = f"invisible or bidirectional control character {code} ({name})" if name else f"control character {code}"
    with pytest.raises(LoadError) as exc:
        parse_text(f"a: ok\nb: x{char}y\n", "f.yaml")
    hint = INVISIBLE_HINT if name else "delete it"  # a control character: editors commonly show one
    assert (located(exc), exc.value.problem.hint) == (f"f.yaml:2:5: {described} is not allowed", hint)
    with pytest.raises(LoadError) as exc:
        parse_text(f'a: ok\nb: "x\\U{ord(char):08x}y"\n', "f.yaml")
    assert (located(exc), exc.value.problem.hint) == (
        f"f.yaml:2:4: {described} is not allowed, written here as an escape sequence",
        "delete the escape sequence, a backslash and the letter or code after it",
    )


def test_an_escaped_tab_between_words_is_told_to_be_a_space() -> None:
    with pytest.raises(LoadError) as exc:
        parse_text('text: "Kosovo\\tSerbia"\n', "f.yaml")
    assert (located(exc), exc.value.problem.hint) == (
        "f.yaml:1:7: tab is not allowed, written here as an escape sequence",
        "write a space in place of the escape sequence, a backslash and the letter or code after it",
    )


def test_every_format_character_that_shows_nothing_is_refused() -> None:
    """Unicode's format characters (category Cf) are refused, but for those a script needs to show right:
    the joiners, and the Arabic, Syriac, Kaithi and Egyptian signs that are drawn (Unicode 14, Python 3.11's)."""
    allowed = {0x200C, 0x200D, *range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD}
    allowed |= set(range(0x13430, 0x13439))
    format_characters = {code for code in range(0x110000) if unicodedata.category(chr(code)) == "Cf"}
    assert format_characters - INVISIBLE == allowed


def test_a_carriage_return_alone_is_refused_where_git_sees_it_and_crlf_is_read() -> None:
    """Old Mac line ends: YAML reads each as a line end, git and GitHub's annotations see one long line."""
    message = "line ends with a carriage return alone; save the file with LF (or CRLF) line ends"
    assert parse_error("a: ok\nb: x\rc: y\r") == f"f.yaml:2:5: {message}"
    assert parse_text("a: ok\r\nb: x\r\n", "f.yaml").data == {"a": "ok", "b": "x"}


@pytest.mark.parametrize("key", sorted(loader.ONE_ALPHABET))
def test_prose_that_mixes_alphabets_within_a_word_is_refused_at_its_value(key: str) -> None:
    """A Cyrillic "О" in "Оsmani" prints as the Latin one: the word reads as a name the check would not find."""
    message = (
        "the word '\u041esmani' mixes Cyrillic and Latin letters ('\u041e' is CYRILLIC CAPITAL LETTER O), "
        "so it reads as a word it is not"
    )
    at = len(f"{key}: President Vjosa ") + 1
    assert parse_error(f"a: ok\n{key}: President Vjosa \u041esmani said so\n") == f"f.yaml:2:{at}: {message}"


def test_a_word_that_mixes_alphabets_is_pointed_at_where_it_stands() -> None:
    message = "mixes Cyrillic and Latin letters ('\u0441' is CYRILLIC SMALL LETTER ES)"
    block = "a: ok\nnote: |\n  The first line.\n  The second line\n  says Kosovo and \u0441erbia.\n"
    assert parse_error(block).startswith(f"f.yaml:5:19: the word '\u0441erbia' {message}")  # no full stop
    escaped = 'note: "says \\u0441erbia"\n'  # written as an escape: the value is what can be pointed at
    assert parse_error(escaped).startswith(f"f.yaml:1:7: the word '\u0441erbia' {message}")


@pytest.mark.parametrize(
    ("text", "odd"),
    [
        ("\u041f\u0440\u0438\u1d0d\u0435\u0440", "\u1d0d"),  # a Latin small capital M in a Cyrillic word
        ("\u041a\u0251\u0440\u0430\u0433\u0430\u0447", "\u0251"),  # a Latin alpha
        ("Kurt\u0456", "\u0456"),
        ("\u0421\u0435\u0440\u0431i\u044f", "i"),
    ],
)
def test_a_look_alike_letter_of_any_latin_block_is_found(text: str, odd: str) -> None:
    found = characters.mixed_word(text)
    assert found is not None and found.odd == odd


def test_the_quick_look_knows_every_letter_of_the_look_alike_alphabets() -> None:
    letters = (chr(code) for code in range(0x110000) if unicodedata.category(chr(code))[0] == "L")
    alike = {char for char in letters if unicodedata.name(char, "").startswith(characters.SCRIPTS)} - {"\u03bc"}
    assert {char for char in alike if not any(p.search(char) for p in characters._alphabets())} == set()


@pytest.mark.parametrize("text", ["\u0568\u0576\u056f\u0565\u0580 Google\u0589", "Google\u058a\u0568"])
def test_armenian_punctuation_parts_words(text: str) -> None:
    assert characters.mixed_word(text) is None


def test_a_thin_or_hair_space_does_not_part_a_word_for_the_alphabet_check() -> None:
    """A hair space prints as nothing: "О\u200asmani" reads as one word, so it is checked as one."""
    assert "mixes Cyrillic and Latin letters" in parse_error("text: Vjosa \u041e\u200asmani said\n")


@pytest.mark.parametrize(
    "text",
    [
        "text: Beograd/\u0411\u0435\u043e\u0433\u0440\u0430\u0434 and \u041b\u0430\u0432\u0440\u043e\u0432 said so\n",
        "text: \u0393\u03b5\u03b9\u03ac \u03c3\u03bf\u03c5 \u2014 K\u00f6ln, \u0110or\u0111evi\u0107\n",
        "title: \u0432 Twitter\u2019\u0435 \u0438 \u042f\u043d\u0434\u0435\u043a\u0441.Go\n",  # Russian
        "text: 80 \u03bcg/m\u00b3 of PM2.5\n",  # Greek mu, the micro prefix
        "text: Beograd\u2014\u0411\u0435\u043e\u0433\u0440\u0430\u0434\n",
        "passage: \u041esmani\n",  # the source's words, checked against its stored text
        "name: \u041esmani\n",  # a name has a check of its own, which names the entity
    ],
)
def test_words_each_in_one_alphabet_and_passages_are_not_judged(text: str) -> None:
    assert parse_text(text, "f.yaml").data


def test_ordinary_unicode_is_kept() -> None:
    text = 'name: Mira Đorđević\ncity: Prishtina\nru: Лавров\nnbsp: "a\u00a0b"\ndash: a — b\nzwj: "👩\u200d🔬"\n'
    assert parse_text(text, "f.yaml").data == {
        "name": "Mira Đorđević",
        "city": "Prishtina",
        "ru": "Лавров",
        "nbsp": "a\u00a0b",
        "dash": "a — b",
        "zwj": "👩\u200d🔬",
    }


def test_invalid_utf8_points_at_the_bad_byte(tmp_path: Path) -> None:
    raw = "a: café\nb: x".encode() + b"\xff\n"
    assert load_error(tmp_path, raw) == "f.yaml:2:5: invalid UTF-8 byte 0xff; save the file as UTF-8"


def test_windows_1250_file_is_rejected(tmp_path: Path) -> None:
    raw = "city: Priština\n".encode("cp1250")
    assert load_error(tmp_path, raw) == "f.yaml:1:10: invalid UTF-8 byte 0x9a; save the file as UTF-8"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_file_saved_as_utf16_is_told_so(tmp_path: Path, encoding: str) -> None:
    raw = ("\ufeff" if encoding != "utf-16" else "").encode(encoding) + "name: X\n".encode(encoding)
    assert load_error(tmp_path, raw) == "f.yaml:1:1: file is saved as UTF-16; save it as UTF-8"


def test_byte_order_mark_is_rejected(tmp_path: Path) -> None:
    assert load_error(tmp_path, b"\xef\xbb\xbfa: 1\n") == (
        "f.yaml:1:1: file starts with a byte order mark (BOM); save it as UTF-8 without BOM"
    )


@pytest.mark.parametrize("raw", [b"", b"\n\n  \n", b"# only a comment\n# and another\n"])
def test_empty_and_comment_only_files_are_rejected(tmp_path: Path, raw: bytes) -> None:
    assert load_error(tmp_path, raw) == "f.yaml:1:1: file is empty; expected a YAML mapping"


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    raw = b"a: " + b"x" * 100 + b"\n"
    assert load_error(tmp_path, raw, max_bytes=50) == "f.yaml:1:1: file is 104 bytes; the limit is 50 bytes"
    with pytest.raises(LoadError) as exc:
        load_file(tmp_path / "f.yaml", "f.yaml", max_bytes=50)
    assert "store an article's text beside its source" in exc.value.problem.hint


def test_default_size_limit_is_one_mebibyte(tmp_path: Path) -> None:
    raw = b"a: '" + b"x" * (1024 * 1024) + b"'\n"
    assert load_error(tmp_path, raw) == f"f.yaml:1:1: file is {len(raw)} bytes; the limit is 1048576 bytes"


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as exc:
        load_file(tmp_path / "absent.yaml", "absent.yaml")
    assert exc.value.problem.message == "cannot read file: No such file or directory"
    assert exc.value.problem.location() == "absent.yaml:1:1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("? [a, b]\n: 1\n", "f.yaml:1:3: a key must be a plain value, not a list or mapping"),
        ("{[a]: 1}\n", "f.yaml:1:2: a key must be a plain value, not a list or mapping"),
        ("a:\n  ? {b: 1}\n  : 2\n", "f.yaml:2:5: a key must be a plain value, not a list or mapping"),
    ],
)
def test_non_scalar_keys_are_rejected(text: str, message: str) -> None:
    assert parse_error(text) == message


def test_deep_block_nesting_stops_at_the_limit() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "v\n"
    assert parse_error(text) == f"f.yaml:{MAX_DEPTH + 1}:{2 * MAX_DEPTH + 1}: nesting is deeper than 24 levels"


def test_deep_flow_nesting_stops_at_the_limit() -> None:
    assert parse_error("a: " + "[" * 30 + "]" * 30 + "\n") == "f.yaml:1:27: nesting is deeper than 24 levels"


def test_pathological_nesting_gives_a_problem_not_a_recursion_error() -> None:
    message = parse_error("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert message.startswith("f.yaml:1:")
    assert "nesting" in message


def test_nesting_up_to_the_limit_is_accepted() -> None:
    depth = MAX_DEPTH - 1
    doc = parse_text("a: " + "[" * depth + "x" + "]" * depth + "\n", "f.yaml")
    value = doc.data["a"]
    for _ in range(depth):
        value = value[0]
    assert value == "x"


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        (  # a quote inside a double-quoted value ends it early
            'a: 1\ntext: "Kurti called it a "crucial opportunity" for Brussels."\n',
            "f.yaml:2:27: YAML syntax: unexpected text after a quoted value",
            "single quotes",
        ),
        (  # an apostrophe inside a single-quoted value
            "a: 1\ntext: 'Kosovo's president'\nb: 2\n",
            "f.yaml:2:15: YAML syntax: unexpected text after a quoted value",
            "write the apostrophe twice ('')",
        ),
        (  # a quote left open runs on to the next quoted value: reported where it opens
            'facts:\n  - id: x\n    text: "abc\n    date: "2026-01-20"\n    topics: [a]\n',
            "f.yaml:3:11: YAML syntax: this quoted value is never closed; it runs on to line 4",
            "same quote mark",
        ),
        (  # an escaped quote inside the value left open does not hide where it opens
            'a: 1\nnote: "A long note\n  that wraps"\ntext: "He said \\"no\ndate: "2026"\nb: c\n',
            "f.yaml:4:7: YAML syntax: this quoted value is never closed; it runs on to line 5",
            "same quote mark",
        ),
        (  # a line of a block scalar above is text, not a key without a space
            "text: |\n  note:this\nname: Lavrov: yes\n",
            "f.yaml:3:13: YAML syntax: unexpected ': ' here",
            "must be quoted",
        ),
        (  # "- id:abc" reads as one value, so libyaml stumbles on the next line
            "facts:\n  - id:abc\n    kind: report\n",
            "f.yaml:2:5: YAML syntax: expected 'key: value' on this line",
            "a colon and a space",
        ),
        (  # libyaml gives up on line 4; the mistake is on line 3
            "facts:\n  - id: x\n    kind:claim\n    speaker: y\n",
            "f.yaml:3:5: YAML syntax: expected 'key: value' on this line",
            "a colon and a space",
        ),
        (
            "title: t\npublisher RksNews\nbyline: x\n",
            "f.yaml:2:1: YAML syntax: expected 'key: value' on this line",
            "a colon and a space",
        ),
        (  # the first key of an item without its colon: "- id abc" runs on into the next line's key
            "facts:\n  - id kosovo-applied\n    kind: report\n",
            "f.yaml:2:5: YAML syntax: expected 'key: value' on this line",
            "a colon and a space",
        ),
        (
            "# Kosovo\nname Kosovo\ntype: country\n",
            "f.yaml:2:1: YAML syntax: expected 'key: value' on this line",
            "a colon and a space",
        ),
        (  # in a nested mapping too: the key above it holds a mapping, not prose
            "snapshot:\n  file kosovo.txt\n  sha256: abc\n",
            "f.yaml:2:3: YAML syntax: expected 'key: value' on this line",
            "a colon and a space",
        ),
        (  # nor when a prose value starts on the line after its key
            "note:\n  kurti said that\n  things happen: here\n",
            "f.yaml:3:16: YAML syntax: unexpected ': ' here",
            "must be quoted",
        ),
        (  # a list item of prose is no key: its first word has a capital, as no key here does
            "items:\n  - Kurti said that\n    things: x\n",
            "f.yaml:3:11: YAML syntax: unexpected ': ' here",
            "must be quoted",
        ),
        (  # a plain value that runs on over lines: the ": " in it is the mistake, not the line above
            "facts:\n  - id: a\n    text: Kurti said that\n      things happen\n      here: and there\n",
            "f.yaml:5:11: YAML syntax: unexpected ': ' here",
            "must be quoted",
        ),
        (  # reported where the quote opens, not at the end of the file
            "a: 1\ntext: 'open\ndate: x\n",
            "f.yaml:2:7: YAML syntax: this quoted value is never closed",
            "same quote mark",
        ),
        (
            "a: [1, 2\nb: 3\n",
            "f.yaml:1:4: YAML syntax: this '[' is never closed with ']'",
            "on the same line",
        ),
        (
            "a: {b: 1\nc: 3\n",
            "f.yaml:1:4: YAML syntax: this '{' is never closed with '}'",
            "`- {source: x}`",
        ),
        ("a: b: c\n", "f.yaml:1:5: YAML syntax: unexpected ': ' here", "must be quoted"),
        (  # a key indented under the plain value above it reads as more of that value
            "facts:\n  - id: x\n    kind: claim\n      speaker: y\n",
            "f.yaml:4:7: YAML syntax: this line is indented more than 'kind:' above it, so it reads as more of "
            "that value",
            "start 'speaker:' in column 5, like 'kind:' on line 3",
        ),
        (
            'facts:\n  - id: x\n    kind: report\n     text: "The EU held talks."\n',
            "f.yaml:4:6: YAML syntax: this line is indented more than 'kind:' above it, so it reads as more of "
            "that value",
            "start 'text:' in column 5, like 'kind:' on line 3",
        ),
        (
            "facts:\n  - id: x\n    kind: claim\n   speaker: y\n",
            "f.yaml:4:4: YAML syntax: this line breaks off the list that starts on line 2",
            "if this line belongs to the item above, start it in column 5, under the item's first key; a new item "
            "starts with '- ' in column 3, as the others do",
        ),
        (  # the item's keys start where its first key does, however many spaces follow its '-'
            "facts:\n  -   id: x\n      kind: claim\n     speaker: y\n",
            "f.yaml:4:6: YAML syntax: this line breaks off the list that starts on line 2",
            "start it in column 7, under the item's first key; a new item starts with '- ' in column 3",
        ),
        (
            "facts:\n  - id: x\n    citations:\n      - source: s\n       passage: p\n",
            "f.yaml:5:8: YAML syntax: this line breaks off the list that starts on line 4",
            "start it in column 9, under the item's first key",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            "f.yaml:3:2: YAML syntax: expected a new 'key: value' line here",
            "indent this line",
        ),
        (  # a fact pasted at column 1, where the file's keys are, below the list it belongs to
            "name: x\nfacts:\n  - id: a\n    citations:\n      - source: s\n- id: b\n  kind: report\n",
            "f.yaml:6:1: YAML syntax: expected a new 'key: value' line here, not a list item",
            "indent every line of this item 2 more spaces, to put its '-' in column 3 like the other items of the "
            "list (line 3)",
        ),
        (  # a citation at the indentation of its fact's keys
            "facts:\n  - id: a\n    citations:\n      - source: s\n    - source: t\n",
            "f.yaml:5:5: YAML syntax: expected a new 'key: value' line here, not a list item",
            "indent every line of this item 2 more spaces, to put its '-' in column 7",
        ),
        (  # items under "facts: []", as `new entity` writes it
            "name: x\nfacts: []  # none yet\n\n  # the first\n  - id: a\n",
            "f.yaml:5:3: YAML syntax: expected a new 'key: value' line here, not a list item",
            "delete the '[]' after 'facts:' on line 2: the items below it are its list",
        ),
        (  # no list above to line up with
            "name: x\n- id: a\n",
            "f.yaml:2:1: YAML syntax: expected a new 'key: value' line here, not a list item",
            "a list goes under its key, on the lines after it",
        ),
        (  # reported at the end marker, not at the next key, where libyaml gives up
            "name: Reuters\ntype: organisation\n...  # end\n\nfacts: []\n",
            "f.yaml:3:1: YAML syntax: a line '...' ends the YAML document here, and more follows it",
            "delete the '...' line",
        ),
        ("text: @foo\n", "f.yaml:1:7: YAML syntax: a value cannot start with '@' unless it is quoted", "quotes"),
        ("text: `foo`\n", "f.yaml:1:7: YAML syntax: a value cannot start with '`' unless it is quoted", "quotes"),
    ],
)
def test_syntax_errors_are_located_and_explained(text: str, message: str, hint: str) -> None:
    with pytest.raises(LoadError) as exc:
        parse_text(text, "f.yaml")
    assert located(exc) == message
    assert hint in exc.value.problem.hint


def test_other_syntax_errors_keep_the_parsers_words() -> None:
    message = "f.yaml:1:5: YAML syntax: did not find expected alphabetic or numeric character (while scanning an alias)"
    assert parse_error("a: *\n") == message


def test_positions_of_values_and_keys() -> None:
    text = 'name: Đorđević\nfacts:\n  - id: a\n    topics: [x, "y"]\n  - id: b\n'
    doc = parse_text(text, "f.yaml")
    assert doc.marks == {
        (): (1, 1),
        ("name",): (1, 7),
        ("facts",): (3, 3),
        ("facts", 0): (3, 5),
        ("facts", 0, "id"): (3, 9),
        ("facts", 0, "topics"): (4, 13),
        ("facts", 0, "topics", 0): (4, 14),
        ("facts", 0, "topics", 1): (4, 17),
        ("facts", 1): (5, 5),
        ("facts", 1, "id"): (5, 9),
    }
    assert doc.key_marks == {
        ("name",): (1, 1),
        ("facts",): (2, 1),
        ("facts", 0, "id"): (3, 5),
        ("facts", 0, "topics"): (4, 5),
        ("facts", 1, "id"): (5, 5),
    }


def test_columns_count_characters_not_bytes() -> None:
    doc = parse_text("ŠĐ: Лавров\nx: y\n", "f.yaml")
    assert doc.marks[("ŠĐ",)] == (1, 5)


def test_problem_falls_back_to_the_nearest_located_ancestor() -> None:
    doc = parse_text("facts:\n  - id: a\n", "facts/entities/x.yaml")
    problem = doc.problem(("facts", 0, "kind"), "missing")
    assert (problem.line, problem.column, problem.key_path) == (2, 5, "facts[0].kind")
    assert doc.problem(("facts", 0, "id"), "bad key", key=True).location() == "facts/entities/x.yaml:2:5"
    assert doc.problem(("facts", 0, "id"), "bad value").location() == "facts/entities/x.yaml:2:9"


def test_crlf_line_endings_are_accepted() -> None:
    assert parse_text("a: 1\r\nb: x\r\n", "f.yaml").data == {"a": "1", "b": "x"}


def test_the_real_corpus_loads_with_this_loader(repo_root: Path) -> None:
    files = sorted((repo_root / "facts").rglob("*.yaml"))
    assert len(files) >= 20
    for path in files:
        doc = load_file(path)
        assert isinstance(doc.data, dict), path


CUT = "a '#' after a space starts a YAML comment, so this text ends before it"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("text: Kosovo is ranked #1 in the region\n", "1:24"),
        ("facts:\n  - passage: Kosovo, Albania #and more\n", "2:30"),
        ("facts:\n  - text: one\n      two   # three\n", "3:13"),
        ("title: Report  # on the summit\n", "1:16"),
    ],
)
def test_prose_that_a_comment_would_cut_short_is_refused(text: str, where: str) -> None:
    assert parse_error(text) == f"f.yaml:{where}: {CUT}"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('text: "Kosovo is ranked #1"\n', "Kosovo is ranked #1"),  # quoted: the '#' is text
        ("text: >-\n  Kosovo is ranked\n  #1 # in the region\n", "Kosovo is ranked #1 # in the region"),  # no comments
        ("text: Kosovo uses C# and F#\n", "Kosovo uses C# and F#"),  # no space before the '#': text
        ("name: Albin Kurti   # as the sources write it\n", "Albin Kurti"),  # a name, not prose: comments allowed
        ("type: person  # country, territory, region, organisation or person\n", "person"),
        ("text: Kosovo\n# a comment on a line of its own\n", "Kosovo"),
    ],
)
def test_comments_elsewhere_are_fine(text: str, value: str) -> None:
    assert list(parse_text(text, "f.yaml").data.values()) == [value]


@pytest.mark.parametrize("value", ["null", "Null", "NULL", "~"])
def test_a_plain_null_is_refused_rather_than_published_as_a_word(value: str) -> None:
    assert parse_error(f"name: Kosovo\ntext: {value}\n") == (
        f"f.yaml:2:7: '{value}' without quotes means 'no value' in YAML; leave the field out, "
        "or quote it to mean the word"
    )
    assert parse_text(f'text: "{value}"\n', "f.yaml").data == {"text": value}


def test_the_comment_check_knows_every_line_break() -> None:
    """With CRLF line ends the check keeps its place; a carriage return alone is refused before it runs."""
    assert parse_error("name: Kosovo\r\npublisher: Radio Free Europe # RFE/RL\r\n") == f"f.yaml:2:30: {CUT}"
    assert parse_error("name: Kosovo\rtext: ranked #1\r").endswith(
        ": line ends with a carriage return alone; save the file with LF (or CRLF) line ends"
    )
