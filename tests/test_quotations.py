"""A quotation is someone's words: between the source's quotation marks, and in the passage it cites."""

from __future__ import annotations

import dataclasses
import hashlib
import random
import shutil
from pathlib import Path

import pytest

from generator import quotations, verify
from generator.characters import LOOKALIKE
from generator.quotations import UNQUOTED_HINT, quoted_spans
from generator.validate import MAX_SNAPSHOT_BYTES, load_corpus
from generator.verify import fold
from tests.test_verify import KURTI, QUOTE, Searched, edit, errors_of, line_of

REPO = Path(__file__).resolve().parent.parent
UNQUOTED = (
    "these words are in the stored text of 'rksnews-2026-01-20-lavrov-balkans' (line {line}), but not between "
    "quotation marks: the source does not give them as anyone's words"
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A writable copy of the real facts/ tree; returns the project folder."""
    shutil.copytree(REPO / "facts", tmp_path / "facts")
    return tmp_path


def quoted(text: str) -> list[str]:
    return [text[start:end] for start, end in quoted_spans(text)]


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        ("“These contacts are ongoing,” Lavrov said.", ["These contacts are ongoing,"]),
        ("Vučić je rekao: „Srbija neće priznati Kosovo“.", ["Srbija neće priznati Kosovo"]),  # Serbian
        ("Kurti tha: „Nuk besoj se do të ndodhë”.", ["Nuk besoj se do të ndodhë"]),  # Albanian, as often printed
        ("Лавров заявил: «Контакты продолжаются».", ["Контакты продолжаются"]),  # Russian
        ('He said "yes" and "no".', ["yes", "no"]),
        # An apostrophe inside a word closes nothing; the quotation inside another is part of it.
        ("“Kosovo’s army is ‘strong’ now,” he said.", ["Kosovo’s army is ‘strong’ now,"]),
        ("Vučić je rekao: »Srbija neće priznati Kosovo«, dodao je.", ["Srbija neće priznati Kosovo"]),  # Croatian
        ("”Nuk ka bisedime” tha ai.", ["Nuk ka bisedime"]),  # as Albanian sites often print it
        # „…" as often typed: the straight mark closes, and the narration after it is no quotation
        (
            'Rekao je: „Srbija neće napasti", a zatim otišao. Dodao je: „To je sve".',
            ["Srbija neće napasti", "To je sve"],
        ),
        ('A 55" screen was shown. He said "yes".', ["yes"]),  # an inch mark opens nothing
        ("\u2018The officials\u2019 statements are false,\u2019 he added.", ["The officials’ statements are false,"]),
        ("\u2018Yes,\u2019 he said, \u2018we will.\u2019", ["Yes,", "we will."]),
        ("«Это так называемая «операция» и всё», — сказал он.", ["Это так называемая «операция» и всё"]),
        # A quotation that runs on opens again in the next paragraph; an unclosed mark quotes nothing.
        ("“One paragraph\n\n“and the next,” he said.", ["One paragraph", "and the next,"]),
        ("The “quote never closes.\n\nNarration.", []),
        ("Kosovo’s and Serbia’s narration, no quotations.", []),
    ],
)
def test_quoted_spans_are_the_words_between_one_pair_of_marks(text: str, inside: list[str]) -> None:
    assert quoted(text) == inside


@pytest.mark.parametrize(
    ("words", "line"),
    [
        ("Serbia Acts Only If Ordered by the Kremlin", 17),  # the outlet's subheading
        ("Kosovo remains the only country without EU candidate status", 41),  # the outlet's narration
        # His words, run on past the closing mark into what the article says of him
        ("unless the Kremlin orders something,” Kurti said, adding that Belgrade would not dare", 21),
    ],
)
def test_a_quotation_of_words_the_source_does_not_quote_fails_at_its_text(tree: Path, words: str, line: int) -> None:
    written = f'text: "{words}"'
    edit(tree, KURTI, f'text: "{QUOTE}"', written)
    [problem] = errors_of(tree)
    assert problem.location() == f"{KURTI}:{line_of(tree, KURTI, written)}:11"
    assert (problem.key_path, problem.message, problem.hint) == (
        "facts[3].text",
        UNQUOTED.format(line=line),
        UNQUOTED_HINT,
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        # Found word for word inside the quotation marks, yet published with the article's comma after it.
        (f"{QUOTE},", "the quotation ends with a comma, which the source's sentence adds after the spoken words"),
        (f"“{QUOTE},”", "the quotation is wrapped in quotation marks"),
        (f"{QUOTE},”", "the quotation ends with a quotation mark that nothing in it opens"),
        (f"“{QUOTE}", "the quotation starts with a quotation mark that nothing in it closes"),
        (f"‘{QUOTE}", "the quotation starts with a quotation mark that nothing in it closes"),  # British style
        (f'{QUOTE} in 2025"', "the quotation ends with a quotation mark that nothing in it opens"),
    ],
)
def test_a_quotation_with_the_source_s_marks_or_comma_at_its_ends_is_told_to_leave_them_out(
    tree: Path, written: str, message: str
) -> None:
    edit(tree, KURTI, f'text: "{QUOTE}"', f"text: '{written}'")
    [problem] = errors_of(tree)
    assert (problem.key_path, problem.message, problem.hint) == ("facts[3].text", message, quotations.EDGE_HINT)


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        (QUOTE.replace("—", "-"), "a hyphen for the source's dash"),
        (QUOTE.replace("—", "–"), "an en dash for the source's em dash"),
    ],
)
def test_a_quotation_is_found_as_typed_but_must_keep_the_source_s_characters(
    tree: Path, written: str, typed: str
) -> None:
    edit(tree, KURTI, f'text: "{QUOTE}"', f'text: "{written}"')
    [problem] = errors_of(tree)
    assert (problem.key_path, problem.message) == (
        "facts[3].text",
        "the quotation has the source's words, but not all of its characters",
    ), typed
    assert problem.hint == f"write it as the source prints it: {QUOTE}"


def test_a_stretch_of_a_stored_text_is_printed_as_a_reader_sees_it() -> None:
    """A quotation may run over a line break or a soft hyphen of the stored text: neither shows on the page."""
    text = fold("“The chances are very small —\nunless the Krem\u00adlin orders something,” Kurti said")
    [(start, end)] = text.occurrences(verify.fold_text("very small — unless the Kremlin"))
    assert text.printed(start, end) == "very small — unless the Kremlin"


@pytest.mark.parametrize(
    "text",
    [
        "the views of officials’",
        "’90s were hard",
        "‘90s were hard",
        "‘Twas the night",
        "He called it ‘fake news’",
        "„Srbija“ je",
        "A “plan” and a “deal”",
    ],
)
def test_an_apostrophe_or_a_quotation_inside_the_words_is_no_edge_problem(text: str) -> None:
    assert quotations.edge_problem(text) == ""


def test_a_quotation_of_someone_else_fails_at_its_text(tree: Path) -> None:
    """Lavrov's words are quoted in the article, but Kurti's quotation cites the passage of Kurti's."""
    edit(tree, KURTI, f'text: "{QUOTE}"', 'text: "These contacts are ongoing"')
    [problem] = errors_of(tree)
    assert (problem.key_path, problem.message) == ("facts[3].text", "the quotation is not in the passage it cites")
    assert problem.hint.startswith("cite the passage that holds these words and says who spoke them")


def test_part_of_a_quotation_in_its_passage_is_still_a_quotation(tree: Path) -> None:
    edit(tree, KURTI, f'text: "{QUOTE}"', 'text: "The chances are very small"')
    assert errors_of(tree) == []


def test_finding_the_quoted_stretches_takes_one_pass_over_the_text() -> None:
    """Each unclosed mark used to be followed to the end of its paragraph: days for the largest text allowed."""
    calls = 0
    text = "\u201ca " * 3_000

    class Counting(str):
        def __getitem__(self, key: object) -> str:
            nonlocal calls
            calls += 1
            return str.__getitem__(self, key)  # type: ignore[index]

    assert quoted_spans(Counting(text)) == ()
    assert calls < 10 * 3_000  # a few looks at each mark's neighbours, not a scan from each mark


def _add_source(tree: Path, text: str) -> None:
    """A stored source 'wire-2026-01-20-x' with this text."""
    sources = tree / "facts" / "sources"
    (sources / "wire-2026-01-20-x.txt").write_text(text, encoding="utf-8")
    (sources / "wire-2026-01-20-x.yaml").write_text(
        'title: "X"\npublisher: Wire\nurl: https://wire.example/x\nlanguage: en\npublished: "2026-01-20"\n'
        f'accessed: "2026-01-21"\nsnapshot:\n  file: wire-2026-01-20-x.txt\n'
        f"  sha256: {hashlib.sha256(text.encode()).hexdigest()}\n",
        encoding="utf-8",
    )


def test_a_quotation_must_be_quoted_inside_the_passage_it_cites(tree: Path) -> None:
    """The headline holds Vučić's words too, unquoted: citing it cannot make them Kurti's quotation."""
    _add_source(
        tree, "Kurti: Serbia will not attack Kosovo this year\n\n“Serbia will not attack Kosovo,” Vučić said.\n"
    )
    entity = tree / "facts" / "entities" / "albin-kurti.yaml"
    fact = (
        "  - id: kurti-quote-from-a-headline\n    kind: quote\n    speaker: albin-kurti\n"
        '    text: "Serbia will not attack Kosovo"\n    date: "2026-01-20"\n    topics: [security]\n'
        "    citations:\n      - source: wire-2026-01-20-x\n"
        '        passage: "Kurti: Serbia will not attack Kosovo this year"\n'
    )
    before = entity.read_text(encoding="utf-8")
    entity.write_text(before + fact, encoding="utf-8")
    [problem] = errors_of(tree)
    index = before.count("\n  - id: ")  # the new fact is the last
    assert (problem.message, problem.key_path) == (
        "the quotation is not in the passage it cites",
        f"facts[{index}].text",
    )


def searched_texts(monkeypatch: pytest.MonkeyPatch) -> list[Searched]:
    """Make each text the run folds count its searches; returns them as they are folded."""
    texts: list[Searched] = []
    real = verify.fold

    def counting(text: str) -> verify.Folded:
        folded = real(text)
        texts.append(Searched(folded.text))
        return dataclasses.replace(folded, text=texts[-1])

    monkeypatch.setattr(verify, "fold", counting)
    return texts


def _add_fact(tree: Path, kind: str, text: str, passage: str) -> None:
    """Give Kurti a fact citing the passage of 'wire-2026-01-20-x'."""
    entity = tree / KURTI
    entity.write_text(
        entity.read_text(encoding="utf-8")
        + f'  - id: kurti-{kind}-x\n    kind: {kind}\n    speaker: albin-kurti\n    text: "{text}"\n'
        + '    date: "2026-01-20"\n    topics: [security]\n    citations:\n      - source: wire-2026-01-20-x\n'
        + f'        passage: "{passage}"\n',
        encoding="utf-8",
    )


PLACES_BEFORE = 3_000
"""Places of the quoted words before the passage; each used to cost a search of the whole text (hours at 8 MB)."""


@pytest.mark.parametrize(
    ("passage", "error"),
    [
        ("Kurti said: “go now” today.", None),
        ("Kurti said go now today.", True),  # his words unquoted in the passage: the quoted ones are not his
    ],
)
@pytest.mark.parametrize(("kind", "text"), [("quote", "go now"), ("claim", "Kosovo must “go now”.")])
def test_words_quoted_thousands_of_times_are_looked_for_in_the_passage_with_a_few_reads_of_the_text(
    tree: Path, monkeypatch: pytest.MonkeyPatch, kind: str, text: str, passage: str, error: bool | None
) -> None:
    """However many places of the words come first, the one in the passage is found, and the text is searched a
    few times over in all: not once more for each place."""
    _add_source(tree, "Headline\n\n" + "“go now” " * PLACES_BEFORE + f"\n\n{passage}\n")
    _add_fact(tree, kind, text, passage)
    texts = searched_texts(monkeypatch)
    messages = [p.message for p in errors_of(tree)]
    if error is None:
        assert messages == []
    elif kind == "quote":
        assert messages == ["the quotation is not in the passage it cites"]
    else:
        assert messages == ["the words in quotation marks, “go now”, are not a quotation in a passage this claim cites"]
    [wire] = [t for t in texts if t.startswith("Headline")]
    assert wire.searched <= 10 * len(wire), wire.searched / len(wire)


def test_a_quotation_printed_as_given_in_its_passage_has_the_source_s_characters(tree: Path) -> None:
    """Only so many places of the words are compared character for character: the passage's are among them,
    however many places print the words otherwise before it."""
    _add_source(tree, "“Kosovo's army” " * (verify.PRINTED_LOOKED_AT + 1) + "\n\nKurti said: “Kosovo’s army” today.\n")
    _add_fact(tree, "quote", "Kosovo’s army", "Kurti said: “Kosovo’s army” today.")
    assert errors_of(tree) == []


def _mismatched_passages(tree: Path, lengths: list[int], stored_words: int = 400) -> list[str]:
    """Hints for passages of these many words, none of them in a stored text of few distinct words."""
    chance = random.Random(1)
    _add_source(tree, " ".join(chance.choices("abcd", k=stored_words)) + "\n")
    entity = tree / "facts" / "entities" / "reuters.yaml"
    added = "".join(
        f'  - id: wire-fact-{n}\n    kind: report\n    text: "X."\n    date: "2026-01-20"\n'
        f"    topics: [diplomacy]\n    citations:\n      - source: wire-2026-01-20-x\n"
        f'        passage: "{" ".join(chance.choice("abcdz") for _ in range(length))}"\n'
        for n, length in enumerate(lengths)
    )
    entity.write_text(entity.read_text(encoding="utf-8") + added, encoding="utf-8")
    problems = load_corpus(tree / "facts", tree)[1]
    return [p.hint for p in problems if p.message == "passage not found in the stored text of 'wire-2026-01-20-x'"]


def test_the_closest_stretch_is_looked_for_in_few_short_passages_only(tree: Path) -> None:
    """Each search costs (passage words)² or more: a pull request could make validation run for hours."""
    long, short = verify.HINT_WORDS + 1, verify.HINT_WORDS
    hints = _mismatched_passages(tree, [long] + [short] * (verify.HINTS_LOOKED_FOR + 2))
    assert hints[0] == "words this many are not compared with the stored text one by one: copy them from it exactly"
    looked = hints[1 : verify.HINTS_LOOKED_FOR + 1]
    assert all(h.startswith(("closest passage in wire-", "no stretch of wire-")) for h in looked), looked
    assert (
        hints[verify.HINTS_LOOKED_FOR + 1 :]
        == [f"copy it from the stored text (no closer match is looked for after {verify.HINTS_LOOKED_FOR} mismatches)"]
        * 2
    )


def test_the_closest_stretch_is_looked_for_in_so_many_stored_words_per_run(tree: Path) -> None:
    """A pull request of the longest stored texts the loader accepts cannot make the hints take minutes."""
    stored = verify.HINT_WORDS_SEARCHED * 2 // 3  # one search fits, a second would go beyond
    assert 2 * stored <= MAX_SNAPSHOT_BYTES  # one letter and a space per word
    hints = _mismatched_passages(tree, [20, 20], stored_words=stored)
    assert hints[0].startswith(("closest passage in wire-", "no stretch of wire-")), hints[0]
    assert hints[1] == (
        "copy it from the stored text (no closer match is looked for: this run's stored texts are too long)"
    )


def test_look_alike_capitals_are_read_as_they_print_before_case_is_folded() -> None:
    """Greek "ΝΑΤΟ" prints as "NATO"; folded first, its "Ν" would become "ν", which looks like "v"."""
    assert "ΝΑΤΟ".translate(LOOKALIKE).casefold() == "nato"
    assert "Kurtі".translate(LOOKALIKE) == "Kurti"
    assert "Вучић".translate(LOOKALIKE) == "Byчић"  # only the letters that print like Latin ones


def test_a_stored_text_is_read_for_quotations_once_a_run() -> None:
    # The spans live on the run's folded text, not in a cache that outlives the run (``serve`` runs many).
    folded = fold("The minister said: “Serbia acts only if ordered.” Then he left.")
    assert folded.quoted == quoted_spans(folded.original)
    assert folded.quoted is folded.quoted
    assert not [name for name, value in vars(quotations).items() if hasattr(value, "cache_info")]


US = "facts/entities/united-states.yaml"
US_TEXT = "RksNews describes the United States as Kosovo’s most important strategic partner."
LAVROV_FILE = "facts/entities/sergei-lavrov.yaml"
PRESS = "Sergei Lavrov spoke at a press conference about communicating with the United States on the Balkans."
MILITARY = "Kosovo now has a strong military."
CHANCES = (
    "the chances that the potential threat from Serbia will materialise are very small, unless the Kremlin orders "
    "something."
)
NOT_QUOTED = "are not a quotation in a passage this claim cites"
NOT_IN_TEXT = "are not in the stored text of 'rksnews-2026-01-20-lavrov-balkans'"
CHARACTERS = "have the source's words but not all of its characters"


@pytest.mark.parametrize(
    ("file", "old", "new", "error"),
    [
        # A claim's quoted words are the speaker's: quoted in the source, inside a passage the claim cites.
        (KURTI, MILITARY, "Kosovo now has a “strong military”.", NOT_QUOTED),  # the outlet's words, not his
        (KURTI, MILITARY, "Kosovo faces “an imminent invasion by Serbian forces within weeks.”", NOT_QUOTED),
        (KURTI, MILITARY, "Russia and “our American colleagues are also willing to engage”.", NOT_QUOTED),  # Lavrov's
        (KURTI, MILITARY, "Kosovo has 'the strongest military in the region'.", NOT_QUOTED),  # straight marks quote too
        # A report may quote the source's own words, but they must be the source's, as it prints them.
        (US, US_TEXT, "RksNews calls the United States “Kosovo’s closest ally”.", NOT_IN_TEXT),
        (US, US_TEXT, "RksNews calls the United States “Kosovo's most important strategic partner”.", CHARACTERS),
        # Allowed: the source's own words in a report, and a speaker's quoted words in a claim.
        (US, US_TEXT, "RksNews calls the United States “Kosovo’s most important strategic partner”.", None),
        (KURTI, CHANCES, CHANCES.replace("very small,", "“very small,”"), None),  # the sentence's comma inside
        (LAVROV_FILE, PRESS, "Sergei Lavrov said at a press conference that “these contacts are ongoing.”", None),
        # An apostrophe quotes nothing, nor does a mark before a decade or around one letter.
        (KURTI, MILITARY, "Kosovo’s military is strong, and the KSF's is growing.", None),
        (KURTI, MILITARY, "Kosovo's army, unlike the '90s officials' army, is strong.", None),
        (KURTI, MILITARY, "Kosovo now has a rock 'n' roll military.", None),
    ],
)
def test_words_a_claim_or_report_puts_in_quotation_marks_are_checked(
    tree: Path, file: str, old: str, new: str, error: str | None
) -> None:
    """Quotation marks in a fact's text present exact words: the site must not print words no one said."""
    edit(tree, file, f'text: "{old}"', f'text: "{new}"')
    problems = [p for p in errors_of(tree) if p.key_path.endswith(".text")]
    if error is None:
        assert problems == []
        return
    [problem] = problems
    assert problem.message.startswith("the words in quotation marks, “") and error in problem.message, problem.message
    if error == CHARACTERS:
        assert problem.hint == "write them as the source prints them: Kosovo’s most important strategic partner"
    else:
        assert problem.hint == quotations.QUOTED_HINT


def test_words_in_quotation_marks_need_a_stored_text(tree: Path) -> None:
    """With no stored text to check them against, quoted words could be anyone's."""
    edit(
        tree,
        US,
        f'text: "{US_TEXT}"',
        'text: "Alfa Press calls the United States “Kosovo’s closest ally”."',
    )
    path = tree / US
    text = path.read_text(encoding="utf-8")
    start = text.index('text: "Alfa Press')
    end = text.find("\n  - id: ", start)
    block = text[start:end]
    cited = block[block.index("    citations:") :]
    path.write_text(
        text[:start]
        + block.replace(cited, "    citations:\n      - source: alfapress-2026-01-20-lavrov-balkans")
        + text[end:],
        encoding="utf-8",
    )
    [problem] = [p for p in errors_of(tree) if p.key_path.endswith(".text")]
    assert problem.message == (
        "words in quotation marks must be checked against a stored text; no source this fact cites has one"
    )


def test_quoted_words_of_a_claim_whose_passage_is_wrong_get_no_second_error(tree: Path) -> None:
    """The passage's own error says what is wrong; the text's quoted words cannot be judged against it."""
    edit(tree, KURTI, 'text: "Kosovo now has a strong military."', 'text: "Kosovo now has a “strong military”."')
    edit(
        tree,
        KURTI,
        'passage: "Kurti emphasized that Kosovo now has a strong military"',
        'passage: "Kurti emphasised that Kosovo now has a strong military"',
    )
    assert [p.message for p in errors_of(tree)] == [
        "passage not found in the stored text of 'rksnews-2026-01-20-lavrov-balkans'"
    ]


def test_straight_single_marks_are_read_in_one_pass() -> None:
    """Marks that open and never close cost one look each, not a search to the end of the text."""
    text = "a 'b " * 20_000
    assert quotations.quoted_words(text) == []
    assert len(quotations.quoted_words(text + "c d'")) == 1  # the first mark that opened is the one closed
    assert quotations.quoted_words("'the strongest army' and 'a second one'") == ["the strongest army", "a second one"]


@pytest.mark.parametrize("marks", ["‟…”", "＂…＂", "❝…❞", "〝…〞", "「…」", "❮…❯", "‛…’", "❠…❠", "🙶…🙷", "″…″", "‶…″"])
def test_marks_that_only_look_like_quotation_marks_are_refused(tree: Path, marks: str) -> None:
    """Read as no quotation at all, they would publish invented words between marks, unchecked."""
    opening, closing = marks.split("…")
    edit(tree, KURTI, f'text: "{MILITARY}"', f'text: "Serbia is {opening}preparing an invasion{closing}."')
    [problem] = [p for p in errors_of(tree) if p.key_path.endswith(".text")]
    assert problem.message == f"“{opening}” looks like a quotation mark but is not one the site reads"
    assert problem.hint == quotations.OTHER_MARK_HINT


def test_primes_are_no_quotation_marks(tree: Path) -> None:
    """A double prime writes seconds of arc, or inches: a position in a report is not a quotation."""
    edit(tree, US, f'text: "{US_TEXT}"', 'text: "The embassy stands at 42°39′56″N, 21°09′54″E, behind a 55″ wall."')
    assert [p for p in errors_of(tree) if p.key_path.endswith(".text")] == []
